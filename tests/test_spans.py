"""One rule for which turns a coding touches, everywhere.

A span ending exactly where a turn starts does not touch it; an empty turn is touched by a span over its
position. The agreement table, consensus, the workbook and the coding screen must give the same turn sets.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mivcode.core.model import Transcript, TranscriptMeta, Turn
from mivcode.core.spans import TurnIndex, touched_arrays, touches, turn_at, turns_touched

pytestmark = pytest.mark.anyio


@st.composite
def turns_and_span(draw):
    """Sorted, disjoint turns (some empty, some back to back) and a span over them."""
    turns, pos = [], draw(st.integers(0, 3))
    for i in range(draw(st.integers(0, 8))):
        length = draw(st.sampled_from([0, 0, 1, 2, 5]))
        turns.append(Turn(i, "S", pos, pos + length))
        pos += length + draw(st.sampled_from([0, 1, 3]))  # 0: the next turn starts where this one ends
    start = draw(st.integers(0, pos + 2))
    end = draw(st.integers(start + 1, pos + 4))
    return turns, start, end


@given(turns_and_span())
def test_every_form_of_the_rule_gives_the_same_turns(case):
    turns, start, end = case
    expected = [i for i, u in enumerate(turns) if touches(u, start, end)]
    assert list(turns_touched(turns, start, end)) == expected
    assert list(TurnIndex([u.start for u in turns], [u.end for u in turns]).touched(start, end)) == expected
    first, stop = touched_arrays(np.array([u.start for u in turns], dtype=np.int64),
                                 np.array([u.end for u in turns], dtype=np.int64),
                                 np.array([start]), np.array([end]))
    assert list(range(first[0], stop[0])) == expected


@given(turns_and_span())
def test_turn_at_is_the_turn_holding_an_offset_or_the_next(case):
    turns, offset, _ = case
    holding = [u for u in turns if touches(u, offset, offset + 1)]
    after = [u for u in turns if u.start >= offset]
    expected = (holding or after or turns[-1:] or [None])[0]
    assert turn_at(turns, offset) == expected


# -- the same turn sets in every place that counts at turn level ---------------------------------

# turn 0 "Student 1" [11, 17); turn 1 "Student 2" is empty at 29; turn 2 "Student 3" [41, 46)
TEXT = "Student 1: eerste\nStudent 2: \nStudent 3: derde"
TURNS = [Turn(0, "Student 1", 11, 17), Turn(1, "Student 2", 29, 29), Turn(2, "Student 3", 41, 46)]
# (coder, code, start, end) and the turns each must count in
CODINGS = [
    ("anna", "racisme", 11, 41, {0, 1}),  # ends exactly where turn 2 starts: not in turn 2
    ("anna", "agressie_geweld", 11, 29, {0}),  # ends exactly at the empty turn: not in it
    ("bram", "racisme", 29, 30, {1}),  # over the empty turn's position: in it
    ("bram", "agressie_geweld", 12, 42, {0, 1, 2}),
]


@pytest.fixture
def edge_project(project):
    assert TEXT[TURNS[0].start:TURNS[0].end] == "eerste" and TEXT[TURNS[2].start:TURNS[2].end] == "derde"
    project.add_transcript(Transcript("rand", TEXT, TURNS, TranscriptMeta(institution="ROC Rand"), "hash-rand"))
    for coder, code, start, end, _ in CODINGS:
        turn = next(u.index for u in TURNS if u.start <= start < max(u.end, u.start + 1))
        project.add_coding("rand", turn, code, coder, start=start, end=end)
    return project


def _expected(coder: str | None = None) -> dict[tuple[str, str], set[int]]:
    out: dict[tuple[str, str], set[int]] = {}
    for who, code, _, _, turns in CODINGS:
        if coder in (None, who):
            out.setdefault((who, code), set()).update(turns)
    return out


def test_agreement_consensus_workbook_and_store_count_the_same_turns(edge_project):
    from mivcode.core.queries.frequencies import frequency_table, load_report_data
    from mivcode.core.team import agreement, consensus

    p = edge_project
    want = _expected()

    data = agreement.load(p, ["anna", "bram"])
    present, _ = agreement.turn_presence(data)
    t_index = data.transcript_ids.index(p.transcript("rand").id)
    positions = [i for i, t in enumerate(data.turn_transcript.tolist()) if t == t_index]
    got = {(who, code): {positions.index(g) for g in np.flatnonzero(present[k, c]).tolist() if g in positions}
           for k, who in enumerate(data.coders) for c, code in enumerate(data.columns)}
    assert {k: v for k, v in got.items() if v} == want

    items = [i for i in consensus.compare_turns(p, ["anna", "bram"]) if i.transcript == "rand"]
    got = {}
    for item in items:
        for who, codes in item.codes.items():
            for code in codes:
                got.setdefault((who, code), set()).add(item.turn)
    assert got == want

    report = load_report_data(p, institution="ROC Rand")  # all coders, de-duplicated
    got = {}
    for s in report.segments:
        for who in s.coder.split(", "):
            got.setdefault((who, s.code), set()).update(s.turns)
    assert got == want
    racism = {r.code: r.turns for r in frequency_table(report, rollup=False)}
    assert racism["racisme"] == 2 and racism["agressie_geweld"] == 3  # distinct turns over both coders

    counts = p.transcripts("anna")
    assert next(s.coded_turns for s in counts if s.name == "rand") == 2  # turns 0 and 1
    assert {(c.coder, c.code): c.turn for c in p.codings(transcript="rand")} == {
        ("anna", "racisme"): 0, ("anna", "agressie_geweld"): 0, ("bram", "racisme"): 1,
        ("bram", "agressie_geweld"): 0}


async def test_the_coding_screen_shows_a_coding_on_the_turns_it_touches(edge_project):
    from mivcode.core.config import Settings
    from mivcode.tui.app import MivApp
    from mivcode.tui.screens.coding import CodingScreen

    for coder in ("anna", "bram"):
        app = MivApp(edge_project, coder, settings=Settings())
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            pilot.app.open_transcript("rand")
            for _ in range(2):
                await pilot.app.workers.wait_for_complete()
                await pilot.pause()
            screen = pilot.app.screen
            assert isinstance(screen, CodingScreen)
            got: dict[tuple[str, str], set[int]] = {}
            for turn in range(len(TURNS)):
                for c in screen.view.codings_on(turn):
                    got.setdefault((c.coder, c.code), set()).add(turn)
            assert got == _expected(coder)


@pytest.fixture
def anyio_backend():
    return "asyncio"
