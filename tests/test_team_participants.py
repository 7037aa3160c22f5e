"""Agreement over participant turns only: the moderator's turns are not units a coder decides on."""

from __future__ import annotations

import pytest

from mivcode.core.errors import InputError
from mivcode.core.team.agreement import agreement_table

T = "fg_roc_studenten"  # 7 turns; turns 0, 3 and 6 are the Gespreksleider's


def _row(rows, code):
    return next(r for r in rows if r["code"] == code)


def test_participants_only_leaves_moderator_turns_out(project):
    # ann and bob agree on turn 1, disagree on turn 2; nobody codes the moderator's turns
    project.add_coding(T, 1, "racisme", "ann")
    project.add_coding(T, 1, "racisme", "bob")
    project.add_coding(T, 2, "racisme", "ann")
    every = _row(agreement_table(project, ["ann", "bob"]), "racisme")
    part = _row(agreement_table(project, ["ann", "bob"], participants_only=True), "racisme")
    assert (every["units"], part["units"]) == (7, 4)
    assert every["percent"] == pytest.approx(6 / 7)
    assert part["percent"] == pytest.approx(3 / 4)
    assert part["units_are"] == "participant turns" and every["units_are"] == "turns"


def test_participants_only_is_for_turn_level(project):
    project.add_coding(T, 1, "racisme", "ann")
    project.add_coding(T, 1, "racisme", "bob")
    with pytest.raises(InputError, match="applies to --level turn"):
        agreement_table(project, ["ann", "bob"], level="span", participants_only=True)
