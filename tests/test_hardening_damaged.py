"""A damaged project file (disk error, bad copy, hand edit): one clear line, never a traceback, and a
file that checks out keeps its traceback (a real bug must stay visible)."""

from __future__ import annotations

import random
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mivcode.cli import main
from mivcode.core.project import Project
from tests.conftest import dump

T = "fg_roc_studenten"
COMMANDS = [
    ["codings", "{p}"], ["transcripts", "{p}"], ["turns", "{p}", T], ["codebook", "{p}"],
    ["code", "{p}", T, "1", "discriminatie"], ["memo", "{p}", T, "2", "nieuw"],
]


@pytest.fixture
def sound(project: Project) -> Path:
    project.add_coding(T, 2, "racisme", "anna", memo="stage")
    project.set_turn_memo(T, 3, "vraag door", "anna")
    path = project.path
    project.close()
    return path


def _run(args: list[str], path: Path):
    return CliRunner().invoke(main, [a.format(p=path) for a in args])


def _clean_outcome(r, path: Path) -> None:
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise AssertionError(f"traceback: {r.exception!r}") from r.exception
    assert r.exit_code in (0, 1), r.output
    if r.exit_code == 1:
        lines = [x for x in r.output.splitlines() if x.startswith("mivcode: error: ")]
        assert len(lines) == 1, r.output
        assert str(path) in lines[0] or "turn" in lines[0] or "code" in lines[0], lines[0]


def _sql(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        conn.executescript(sql)
    finally:
        conn.close()


@pytest.mark.parametrize("what,sql,command", [
    ("invalid UTF-8 in the text", "UPDATE transcripts SET text = CAST(x'47e9ff20' AS TEXT)", ["turns", "{p}", T]),
    ("invalid UTF-8 in a code", "UPDATE codes SET keywords = CAST(x'5bff5d' AS TEXT)", ["codebook", "{p}"]),
    ("damaged event log", "DROP TRIGGER events_append_only; UPDATE events SET payload = '{\"op\": ' "
                          "WHERE action = 'do'", ["undo", "{p}", "--coder", "anna"]),
])
def test_damage_is_one_line(sound: Path, what, sql, command):
    _sql(sound, sql)
    r = _run(command, sound)
    assert r.exit_code == 1, (what, r.output, r.exception)
    assert r.output.count("mivcode: error: ") == 1
    assert "the project file is damaged" in r.output and "backup" in r.output, r.output


def test_real_bugs_keep_their_traceback(sound: Path, monkeypatch):
    """A query failing on a sound file is our bug: it must not be dressed up as damage."""
    from mivcode.core import project as project_module

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("no such column: oops")

    monkeypatch.setattr(project_module.coding_rows, "list_codings", broken)
    r = _run(["codings", "{p}"], sound)
    assert isinstance(r.exception, sqlite3.OperationalError)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), flips=st.integers(1, 30), command=st.sampled_from(COMMANDS))
def test_random_damage(sound: Path, tmp_path_factory, seed, flips, command):
    data = bytearray(sound.read_bytes())
    rng = random.Random(seed)
    for _ in range(flips):
        i = rng.randrange(100, len(data))
        data[i] = rng.randrange(256)
    f = tmp_path_factory.mktemp("schade") / "beschadigd project.miv"
    f.write_bytes(bytes(data))
    _clean_outcome(_run(command, f), f)


def test_installed_cli_on_a_damaged_file(sound: Path):
    _sql(sound, "UPDATE transcripts SET text = CAST(x'47e9ff20' AS TEXT)")
    r = subprocess.run(["mivcode", "turns", str(sound), T], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"mivcode: error: {sound}: the project file is damaged"), r.stderr


def test_undo_onto_a_removed_code_is_not_called_damage(project: Project, tmp_path: Path, small_codebook: Path):
    """Undoing an 'uncode' after its code left the codebook: a clear refusal, the file untouched and sound."""

    project.add_coding(T, 0, "agressie_geweld", "anna")
    project.remove_codings(T, 0, "agressie_geweld", "anna")
    book = small_codebook.read_text(encoding="utf-8")
    start = book.index("  - id: agressie_geweld")
    end = book.index("  - id: geaccepteerde_onveiligheid")
    smaller = tmp_path / "kleiner.yaml"
    smaller.write_text((book[:start] + book[end:]).replace("requires: [agressie_geweld, discriminatie]",
                                                           "requires: [discriminatie]"), encoding="utf-8")
    from mivcode.core.codebook import load_codebook

    project.apply_codebook(load_codebook(smaller), coder="lead")
    path = project.path
    project.close()
    before = dump(path)
    r = _run(["undo", "{p}", "--coder", "anna"], path)
    assert r.exit_code == 1, r.output
    assert "no longer fits the project" in r.output and "damaged" not in r.output, r.output
    assert dump(path) == before
    with Project.open(path) as p:
        assert p.store.integrity_ok() and p.codings() == []
