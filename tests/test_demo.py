"""`mivcode demo`: the example project is built once, reused (a user's codings survive), rebuilt with --fresh."""

from __future__ import annotations

import csv

from click.testing import CliRunner

from mivcode.cli import main
from mivcode.core.demo import EXAMPLE_CODER, demo_path, ensure_demo, examples_dir
from mivcode.core.project import Project


def test_demo_build_reuse_fresh_and_overview():
    build = ensure_demo()
    assert build.created and build.path == demo_path() and build.path.exists()
    with open(examples_dir() / "manifest.csv", encoding="utf-8") as fh:
        listed = [row["name"] for row in csv.DictReader(fh)]
    with open(examples_dir() / "reference_codings.csv", encoding="utf-8") as fh:
        reference = {(r["transcript"], int(r["turn"]), r["code"]) for r in csv.DictReader(fh)}
    with Project.open(build.path) as p:
        assert sorted(p.transcript_names()) == sorted(listed)
        assert all(s.meta.institution and s.meta.group for s in p.transcripts())
        loaded = {(c.transcript, c.turn, c.code) for c in p.codings(coder=EXAMPLE_CODER)}
        assert loaded == reference and build.reference_codings == len(reference)
        p.add_coding(listed[0], 1, p.codes()[0].id, "gebruiker")  # the user's own demo work

    again = ensure_demo()
    assert not again.created
    with Project.open(again.path, readonly=True) as p:
        assert len(p.codings(coder="gebruiker")) == 1  # reused, not rebuilt

    result = CliRunner().invoke(main, ["demo"])  # not a TTY: prints the overview instead of starting the UI
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"project: {demo_path()}"
    for name in listed:
        assert any(line.strip().startswith(name) and "beurten gecodeerd" in line for line in lines)

    result = CliRunner().invoke(main, ["demo", "--fresh", "--no-ui", "--coder", "gebruiker"])
    assert result.exit_code == 0, result.output
    assert "0/" in result.output and "door gebruiker" in result.output
    with Project.open(demo_path(), readonly=True) as p:
        assert p.codings(coder="gebruiker") == []  # --fresh rebuilt it
    assert not list(demo_path().parent.glob("*.building-*"))  # no half-built leftovers


def test_open_refuses_a_missing_project_and_an_unknown_transcript(project, tmp_path):
    result = CliRunner().invoke(main, ["open", str(tmp_path / "nope.miv")])
    assert result.exit_code == 2 and "mivcode init" in result.output
    path = str(project.path)
    project.close()
    result = CliRunner().invoke(main, ["open", path, "--transcript", "bestaat_niet"])
    assert result.exit_code == 1 and "unknown transcript 'bestaat_niet'" in result.output
