"""Crash safety: a short run of scripts/kill_harness.py (the full run: `python scripts/kill_harness.py --kills 200`)."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest
from tests.conftest import dump

HARNESS = Path(__file__).resolve().parent.parent / "scripts" / "kill_harness.py"


@pytest.fixture(scope="module")
def harness():
    spec = importlib.util.spec_from_file_location("kill_harness", HARNESS)
    module = importlib.util.module_from_spec(spec)
    sys.modules["kill_harness"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_sigkill_during_coding_loses_nothing(harness, tmp_path):
    result = harness.run(21, workdir=tmp_path, seed=20260124)  # 7 each: CLI, long-lived API session, real UI
    assert result.failures == []
    assert result.tried == 21
    assert result.tui_kills == 7
    assert result.survived == result.tried
    assert result.completed_actions > 0  # actions reported done were verified as present


def test_model_matches_the_project_without_kills(harness, tmp_path):
    """The harness's own yardstick: a plan run to completion leaves exactly the modelled state."""
    path = harness.setup_project(tmp_path)
    rng = random.Random(5)
    actions = harness.plan(harness.Model(), rng, 150, [0])
    assert {a["do"] for a in actions} == {"code", "uncode", "memo", "undo", "redo"}
    model = harness.Model()
    for a in actions:
        model = harness.step(model, a)
    from mivcode.core.project import Project

    with Project.open(path) as p:
        for a in actions:
            if a["do"] == "code":
                p.add_coding(a["t"], a["turn"], a["code"], harness.CODER)
            elif a["do"] == "uncode":
                assert p.remove_codings(a["t"], a["turn"], a["code"], harness.CODER)
            elif a["do"] == "memo":
                p.set_turn_memo(a["t"], a["turn"], a["text"], harness.CODER)
            else:
                getattr(p, a["do"])(harness.CODER)
    assert harness.read_state(path) == model.state()
    assert model.codings and model.memos
    assert model.events >= sum(1 for a in actions if a["do"] in ("code", "uncode", "memo"))


def test_judge_rejects_a_lost_action(harness, tmp_path):
    """A kill check that cannot fail proves nothing: a state missing a reported coding must be flagged."""
    path = harness.setup_project(tmp_path)
    model = harness.step(harness.Model(), {"do": "code", "t": "fg_een", "turn": 1, "code": "pesten"})
    after = harness.step(model, {"do": "code", "t": "fg_een", "turn": 2, "code": "pesten"})
    result = harness.Result()
    with pytest.raises(harness.CheckFailed, match="matches neither"):
        harness._judge(path, model, after, result, "synthetic")  # the project holds neither coding
    assert result.survived == 0 and result.tried == 1


def test_replay_check_catches_a_change_without_its_log_entry(harness, tmp_path):
    from mivcode.core.project import Project

    path = harness.setup_project(tmp_path)
    with Project.open(path) as p:
        p.add_coding("fg_een", 1, "pesten", harness.TUI_CODER)
        harness.check_replay(p, harness.TUI_CODER)  # consistent
        t = p.transcript("fg_een")
        with p.store.tx():  # a coding slipped in without an event, as a half-applied action would leave it
            from mivcode.core.model import Coding
            from mivcode.core.store import codings as coding_rows

            u = t.turns[2]
            coding_rows.insert_coding(p.store, t.id, Coding("fg_een", u.start, u.end, "pesten", harness.TUI_CODER,
                                                            "manual", None, "t"))
        with pytest.raises(harness.CheckFailed, match="differ from the event log"):
            harness.check_replay(p, harness.TUI_CODER)


def test_disk_full_saves_nothing_and_says_so(project, tmp_path):
    """SQLITE_FULL mid-action: one clear error, the project exactly as before, and it keeps working."""

    from mivcode.core.errors import ProjectError

    big = tmp_path / "groot.txt"
    big.write_text("".join(f"Student {i % 5}: beurt {i} " + "tekst " * 30 + "\n" for i in range(5000)),
                   encoding="utf-8")
    project.add_coding("fg_roc_studenten", 1, "racisme", "anna")
    before = dump(project.path)
    pages = project.store.conn.execute("PRAGMA page_count").fetchone()[0]
    project.store.conn.execute(f"PRAGMA max_page_count = {pages + 3}")  # the disk is (nearly) full
    with pytest.raises(ProjectError, match="disk is full: this action was not saved"):
        project.import_files([big])
    assert dump(project.path) == before
    assert project.store.integrity_ok()
    project.store.conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    project.import_files([big])
    assert "groot" in project.transcript_names()
    assert [c.code for c in project.codings(coder="anna")] == ["racisme"]
