"""Reviewing suggestions never counts one incident twice, and never leaves a ▶ on what is already coded."""

from __future__ import annotations

import json

from click.testing import CliRunner

from mivcode.cli import main
from mivcode.core.store import suggestions as rows
from mivcode.core.suggest import service

T = "fg_roc_studenten"


def _open(project, turn, code):
    return [s for s in project.suggestions(T, status="open") if (s.turn, s.code) == (turn, code)]


def test_accepting_after_a_hand_coded_span_adds_no_second_coding(project):
    service.refresh_suggestions(project)
    u = project.transcript(T).turns[2]
    assert _open(project, 2, "discriminatie") or _open(project, 2, "racisme")
    code = (_open(project, 2, "racisme") or _open(project, 2, "discriminatie"))[0].code
    project.add_coding(T, 2, code, "tester", start=u.start + 4, end=u.start + 20)
    project.accept_suggestion(T, 2, code, "tester")  # already settled by the span; accepting adds nothing
    assert len([c for c in project.codings(coder="tester") if c.code == code]) == 1


def test_accept_all_skips_turns_already_carrying_the_code(project):
    """A turn coded before the suggestion was (re)opened: ctrl+a must not code it a second time."""
    service.refresh_suggestions(project)
    target = max(project.suggestions(T, status="open"), key=lambda s: s.score)
    u = project.transcript(T).turns[target.turn]
    project.add_coding(T, target.turn, target.code, "tester", start=u.start, end=u.start + 3)
    with project.store.tx():  # open again, as after a recompute that found new evidence for it
        rows.set_status(project.store, project.transcript(T).id, target.turn, target.code, "open")
    assert target.code not in {s.code for s in project.open_suggestions(T, "tester", turn=target.turn)}
    assert project.suggestion_counts(T, coder="tester").get(target.turn, 0) < project.suggestion_counts(T)[target.turn]
    project.accept_all(T, 0.0, "tester")
    mine = [c for c in project.codings(coder="tester") if c.code == target.code and c.turn == target.turn]
    assert len(mine) == 1


def test_hand_coding_settles_the_open_suggestion_and_undo_reopens_it(project):
    service.refresh_suggestions(project)
    s = max(project.suggestions(T, status="open"), key=lambda s: s.score)
    project.add_coding(T, s.turn, s.code, "tester")
    assert not _open(project, s.turn, s.code)
    assert project.suggestion_counts(T).get(s.turn, 0) == len(
        [x for x in project.suggestions(T, status="open") if x.turn == s.turn])
    project.undo("tester")
    assert _open(project, s.turn, s.code)  # one undo takes back the coding and the settling


def test_a_span_over_two_turns_settles_both(project):
    service.refresh_suggestions(project)
    t = project.transcript(T)
    a, b = t.turns[4], t.turns[5]
    project.add_coding(T, 4, "agressie_geweld", "tester", start=a.start, end=b.end)
    assert not _open(project, 5, "agressie_geweld")


def test_cli_code_then_accept_counts_once(project, tmp_path):
    path = str(project.path)
    service.refresh_suggestions(project)
    s = max(project.suggestions(T, status="open"), key=lambda s: s.score)
    u = project.transcript(T).turns[s.turn]
    project.close()
    runner = CliRunner()
    r = runner.invoke(main, ["code", path, T, str(s.turn), s.code, "--start", str(u.start),
                             "--end", str(u.start + 5), "--coder", "anna"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["suggest", path, "--status", "open", "--json"])
    assert r.exit_code == 0, r.output
    assert not [row for row in map(json.loads, r.output.splitlines())
                if (row["turn"], row["code"]) == (s.turn, s.code)]
    r = runner.invoke(main, ["accept", path, T, str(s.turn), s.code, "--coder", "anna"])
    assert r.exit_code == 0, r.output
    from mivcode.core.project import Project
    with Project.open(path) as p:
        assert len([c for c in p.codings(coder="anna") if c.code == s.code]) == 1
