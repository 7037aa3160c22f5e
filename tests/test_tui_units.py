"""Plain-value tests of the UI's pure parts: wrapping with offsets, search, op descriptions."""

from __future__ import annotations

import pytest

from mivcode.tui.searching import TurnRecord, search, snippet
from mivcode.tui.widgets.layout import word_boundaries, wrap_offsets


@pytest.mark.parametrize("width", [1, 5, 12, 40, 200])
def test_wrap_offsets_cover_every_word_in_order_within_width(width):
    text = "Student 2: Nou, bij mijn stage werd ik anders behandeld vanwege mijn afkomst. Supercalifragilistisch!"
    lines = wrap_offsets(text, width)
    assert all(0 <= a <= b <= len(text) and b - a <= width for a, b in lines)
    assert all(lines[i][1] <= lines[i + 1][0] for i in range(len(lines) - 1))
    assert "".join(text[a:b] for a, b in lines).replace(" ", "") == text.replace(" ", "")


def test_wrap_offsets_empty_and_word_stops():
    assert wrap_offsets("", 10) == [(0, 0)]
    assert word_boundaries("Nou, bij mijn") == ([0, 5, 9], [4, 8, 13])


def test_search_is_fuzzy_and_spans_are_exact():
    corpus = [TurnRecord("a", 0, "Op stage werd ik anders behandeld."),
              TurnRecord("b", 3, "Ze noemden me een racist."),
              TurnRecord("b", 4, "Niks aan de hand.")]
    hits = search(corpus, "stage")
    assert [(h.transcript, h.turn) for h in hits] == [("a", 0)]
    assert corpus[0].text[hits[0].start:hits[0].end] == "stage"
    fuzzy = search(corpus, "behandelt")
    assert fuzzy and fuzzy[0].turn == 0 and corpus[0].text[fuzzy[0].start:fuzzy[0].end] == "behandeld"
    assert search(corpus, "x") == []
    assert [(h.transcript, h.turn) for h in search(corpus, "aan")] == [("b", 4)]  # short: exact only
    assert corpus[1].text[search(corpus, "racist")[0].start:][:6] == "racist"
    text, s, e = snippet("a " * 100 + "doel" + " b" * 100, 200, 204, width=40)
    assert text[s:e] == "doel" and len(text) <= 41


def test_describe_op_for_the_status_line():
    from mivcode.tui.screens.coding import describe_op

    coding = {"code": "racisme", "transcript": "fg"}
    assert describe_op({"op": "add_coding", "coding": coding}) == "code racisme op fg"
    assert describe_op({"op": "batch", "ops": [{}, {}]}) == "2 wijzigingen"
    assert describe_op({"op": "set_turn_memo", "turn": 3}) == "memo bij beurt 3"
