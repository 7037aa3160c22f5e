"""Plain-value tests of the UI's pure parts: wrapping with offsets, search, op descriptions."""

from __future__ import annotations

import pytest

from mivcode.core.queries.search import TurnRecord, search, snippet
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


def test_ops_describe_themselves_for_the_status_line():
    from mivcode.core.model import Coding
    from mivcode.core.ops import AddCoding, Batch, SetTurnMemo

    coding = Coding("fg", 0, 5, "racisme", "ann")
    assert AddCoding(coding).describe("nl") == "code racisme op fg"
    assert AddCoding(coding).describe("en") == "code racisme on fg"
    assert Batch((AddCoding(coding), AddCoding(coding))).describe() == "2 wijzigingen"
    assert SetTurnMemo("fg", 3, "ann", None, "x").describe() == "memo bij beurt 3"
