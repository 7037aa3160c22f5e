"""The scriptable CLI: commands, JSON-lines contract, exit codes and errors on stderr."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mivcode.cli import main
from tests.conftest import EXAMPLES


@pytest.fixture
def runner():
    return CliRunner()


def run(runner, *args, ok=True):
    result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


def jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


@pytest.fixture
def example_project(tmp_path, runner):
    path = tmp_path / "miv.miv"
    run(runner, "init", path)
    run(runner, "import", path, "--manifest", EXAMPLES / "manifest.csv")
    return path


def test_examples_import_and_list(runner, example_project):
    rows = jsonl(run(runner, "transcripts", example_project, "--json").stdout)
    assert len(rows) >= 6
    assert sum(r["turns"] for r in rows) >= 300
    assert {r["group"] for r in rows} == {"studenten", "medewerkers"}
    assert len({r["institution"] for r in rows}) >= 3
    for r in rows:
        assert {"name", "institution", "group", "turns", "words", "coded_turns"} <= set(r)
        assert r["words"] > r["turns"]


def test_turns_code_codings_uncode_round_trip(runner, example_project):
    name = jsonl(run(runner, "transcripts", example_project, "--json").stdout)[0]["name"]
    turns = jsonl(run(runner, "turns", example_project, name, "--json").stdout)
    assert [t["index"] for t in turns] == list(range(len(turns)))
    assert set(turns[0]) == {"index", "speaker", "start", "end", "text"}
    run(runner, "code", example_project, name, 3, "racisme", "--coder", "ann", "--memo", "let op: ontkenning")
    t = turns[4]
    run(runner, "code", example_project, name, 4, "agressie_geweld", "--coder", "ann",
        "--start", t["start"], "--end", t["start"] + 5)
    rows = jsonl(run(runner, "codings", example_project, "--coder", "ann", "--json").stdout)
    assert rows == [
        {"transcript": name, "turn": 3, "start": turns[3]["start"], "end": turns[3]["end"], "code": "racisme",
         "coder": "ann", "origin": "manual", "memo": "let op: ontkenning"},
        {"transcript": name, "turn": 4, "start": t["start"], "end": t["start"] + 5, "code": "agressie_geweld",
         "coder": "ann", "origin": "manual", "memo": None},
    ]
    summary = jsonl(run(runner, "transcripts", example_project, "--coder", "ann", "--json").stdout)
    assert next(r for r in summary if r["name"] == name)["coded_turns"] == 2
    run(runner, "uncode", example_project, name, 3, "racisme", "--coder", "ann")
    assert len(jsonl(run(runner, "codings", example_project, "--json").stdout)) == 1
    run(runner, "undo", example_project, "--coder", "ann")
    assert len(jsonl(run(runner, "codings", example_project, "--json").stdout)) == 2


def test_messages_are_dutch_first_english_by_config_or_environment(runner, example_project, monkeypatch):
    """Confirmations and table headers follow `language` (MIVCODE_LANG first); JSON keys never change."""
    from mivcode.core.config import Settings, save_settings

    name = jsonl(run(runner, "transcripts", example_project, "--json").stdout)[0]["name"]
    out = run(runner, "code", example_project, name, 2, "racisme", "--coder", "ann").stdout
    assert out.startswith(f"{name} beurt 2 ") and "gecodeerd als racisme (ann)" in out
    assert run(runner, "transcripts", example_project).stdout.split()[:3] == ["naam", "instelling", "groep"]
    save_settings(Settings(language="en"))
    out = run(runner, "uncode", example_project, name, 2, "racisme", "--coder", "ann").stdout
    assert out.startswith("removed 1 coding(s) of racisme")
    assert run(runner, "transcripts", example_project).stdout.split()[:3] == ["name", "institution", "group"]
    monkeypatch.setenv("MIVCODE_LANG", "nl")  # the environment wins over the configuration
    assert run(runner, "undo", example_project, "--coder", "ann").stdout.startswith("ongedaan gemaakt: ")
    assert set(jsonl(run(runner, "transcripts", example_project, "--json").stdout)[0]) >= {"name", "institution"}


def test_coder_defaults_to_environment_then_login(runner, example_project, monkeypatch):
    name = jsonl(run(runner, "transcripts", example_project, "--json").stdout)[0]["name"]
    run(runner, "code", example_project, name, 1, "lhbtiq")
    assert jsonl(run(runner, "codings", example_project, "--json").stdout)[0]["coder"] == "tester"


def test_codebook_tree_json(runner, example_project):
    rows = jsonl(run(runner, "codebook", example_project, "--json").stdout)
    assert set(rows[0]) == {"id", "parent", "label", "shortcut", "color"}
    top = [r for r in rows if r["parent"] is None]
    assert len(top) == 8
    ids = {r["id"] for r in rows}
    assert all(r["parent"] in ids for r in rows if r["parent"])


def test_codebook_check(runner, tmp_path):
    assert "8 thema's" in run(runner, "codebook-check", Path(__file__).parents[1] / "codebooks" / "miv2023.yaml").stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("codes:\n  - id: a\n    label: A\n  - id: a\n    label: B\n", encoding="utf-8")
    result = run(runner, "codebook-check", bad, ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"mivcode: error: {bad}:4: duplicate id 'a' (first at line 2)"


def test_user_errors_exit_1_with_one_line_on_stderr(runner, example_project, tmp_path):
    result = run(runner, "code", example_project, "nietbestaand", 0, "racisme", ok=False)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("mivcode: error: unknown transcript 'nietbestaand'")
    empty = tmp_path / "leeg.txt"
    empty.write_bytes(b"")
    result = run(runner, "import", example_project, empty, ok=False)
    assert result.exit_code == 1 and result.stderr.strip() == f"mivcode: error: {empty}: empty file"
    result = run(runner, "transcripts", tmp_path / "nope.miv", ok=False)
    assert result.exit_code == 1 and "no such project file" in result.stderr


def test_usage_errors_exit_2(runner, example_project):
    assert run(runner, "code", example_project, ok=False).exit_code == 2
    assert run(runner, "code", example_project, "x", "notanumber", "racisme", ok=False).exit_code == 2
    assert run(runner, "frobnicate", ok=False).exit_code == 2


def test_every_command_has_help(runner):
    for name in main.commands:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, name


def test_reimport_is_a_no_op_with_a_message(runner, example_project):
    result = run(runner, "import", example_project, "--manifest", EXAMPLES / "manifest.csv")
    assert "already imported" in result.stderr and "niets nieuws" in result.stderr


def test_installed_command_in_a_subprocess(tmp_path):
    exe = shutil.which("mivcode")
    cmd = [exe] if exe else [sys.executable, "-m", "mivcode"]
    env = {**os.environ, "MIVCODE_CODER": "sub"}
    project = tmp_path / "p.miv"
    subprocess.run([*cmd, "init", str(project)], check=True, env=env, capture_output=True)
    txt = next(EXAMPLES.glob("*.txt"))
    subprocess.run([*cmd, "import", str(project), str(txt), "--institution", "ROC X", "--group", "studenten"],
                   check=True, env=env, capture_output=True)
    out = subprocess.run([*cmd, "transcripts", str(project), "--json"], check=True, env=env, capture_output=True,
                         text=True).stdout
    assert json.loads(out.splitlines()[0])["institution"] == "ROC X"
    bad = subprocess.run([*cmd, "import", str(project), str(tmp_path / "x.pdf")], env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and bad.stderr.startswith("mivcode: error:")


def test_codebook_load_keeps_codings_and_merges_on_request(runner, tmp_path, small_codebook, small_transcript):
    path = tmp_path / "p.miv"
    run(runner, "init", path, "--codebook", small_codebook)
    run(runner, "import", path, small_transcript, "--institution", "ROC Zuidrand", "--group", "studenten",
        "--meta", "leerweg=BOL", "--meta", "cohort=2023")
    run(runner, "code", path, "fg_roc_studenten", 1, "racisme", "--coder", "ann")
    text = small_codebook.read_text(encoding="utf-8")
    new = tmp_path / "new.yaml"
    new.write_text(text.replace("label: Racisme\n", "label: Racisme (afkomst)\n")
                   .replace("  - id: racisme\n", "  - id: racisme_oud\n"), encoding="utf-8")
    result = run(runner, "codebook-load", path, new, ok=False)
    assert result.exit_code == 1 and "'racisme' is removed but has 1 coding" in result.stderr
    run(runner, "codebook-load", path, new, "--merge", "racisme=racisme_oud")
    rows = jsonl(run(runner, "codings", path, "--json").stdout)
    assert [r["code"] for r in rows] == ["racisme_oud"]
    info = jsonl(run(runner, "transcripts", path, "--json").stdout)[0]
    assert (info["institution"], info["group"], info["leerweg"]) == ("ROC Zuidrand", "studenten", "BOL")
    run(runner, "meta", path, "--transcript", "fg_roc_studenten", "--group", "medewerkers")
    assert jsonl(run(runner, "transcripts", path, "--json").stdout)[0]["group"] == "medewerkers"


def test_turn_memo_set_show_clear(runner, example_project):
    name = jsonl(run(runner, "transcripts", example_project, "--json").stdout)[0]["name"]
    run(runner, "memo", example_project, name, 2, "eerst ontkend, later toch genoemd", "--coder", "ann")
    assert run(runner, "memo", example_project, name, 2, "--coder", "ann").stdout.strip() == "eerst ontkend, later toch genoemd"
    run(runner, "memo", example_project, name, 2, "", "--coder", "ann")
    assert run(runner, "memo", example_project, name, 2, "--coder", "ann").stdout.strip() == ""
