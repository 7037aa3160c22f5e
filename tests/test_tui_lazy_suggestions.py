"""The coding screen on a long transcript keeps per-turn counts, not every suggestion.

A 100,000-turn transcript has 100,000+ open suggestions with evidence: loading
them all took ~125 MB. The screen reads {turn: count} for the tag lines and the
"suggestions" filter, and a turn's full suggestions only when it is focused or
drawn. These tests check that what is shown stays right after moving far.
"""

from __future__ import annotations

import pytest

from mivcode.core.config import Settings
from mivcode.core.model import Evidence, Suggestion
from mivcode.core.project import Project
from mivcode.core.store import suggestions as suggestion_rows
from mivcode.core import i18n
from mivcode.tui.app import MivApp
from mivcode.tui.screens.coding import CodingScreen
from mivcode.tui.widgets.transcript_view import SUGGESTION_CACHE

pytestmark = pytest.mark.anyio

TURNS = 2_000
NAME = "lang"


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture(autouse=True)
def dutch():
    i18n.set_language("nl")
    yield
    i18n.set_language("nl")


@pytest.fixture
def long_project(tmp_path, small_codebook):
    src = tmp_path / f"{NAME}.txt"
    speakers = ["Gespreksleider", "Student 1", "Student 2"]
    src.write_text("".join(f"{speakers[i % 3]}: beurt {i} over pesten en racisme op school.\n" for i in range(TURNS)),
                   encoding="utf-8")
    p = Project.create(tmp_path / "lang.miv", small_codebook)
    p.import_files([src], overrides=None)
    assert len(p.transcript(NAME).turns) == TURNS
    yield p
    p.close()


def suggest(p: Project, turn: int, code: str, score: float, word: str = "pesten") -> None:
    t = p.transcript(NAME)
    u = t.turns[turn]
    pos = t.text.index(word, u.start)
    with p.store.tx():
        suggestion_rows.upsert_suggestion(p.store, t.id, Suggestion(
            NAME, turn, u.start, u.end, code, score, [Evidence(pos, pos + len(word), word, "keyword")],
            fingerprint=f"{code}-{turn}"))


async def settle(pilot) -> None:
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def test_suggestion_counts_per_turn(long_project):
    suggest(long_project, 3, "racisme", 0.9)
    suggest(long_project, 1500, "racisme", 0.8)
    suggest(long_project, 1500, "pesten", 0.6)
    long_project.reject_suggestion(NAME, 3, "racisme", "tester")
    assert long_project.suggestion_counts(NAME) == {1500: 2}
    assert long_project.suggestion_counts(NAME, status=None) == {3: 1, 1500: 2}


async def test_screen_loads_only_the_suggestions_it_shows(long_project, monkeypatch):
    codes = [c.id for c in long_project.codes()]
    suggest(long_project, 3, codes[0], 0.9)
    suggest(long_project, 1500, codes[0], 0.81)
    suggest(long_project, 1500, codes[1], 0.42)
    suggest(long_project, TURNS - 1, codes[1], 0.7)
    calls: list[int | None] = []
    real = Project.suggestions

    def spy(self, transcript=None, *, status=None, turn=None, **kwargs):
        calls.append(turn)
        return real(self, transcript, status=status, turn=turn, **kwargs)

    monkeypatch.setattr(Project, "suggestions", spy)
    app = MivApp(long_project, "tester", settings=Settings())
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        app.open_transcript(NAME)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        view = screen.view
        assert None not in calls, "the screen must never read every suggestion of the transcript"
        assert {t: view.suggestion_count(t) for t in (0, 3, 1500, TURNS - 1)} == {0: 0, 3: 1, 1500: 2, TURNS - 1: 1}
        assert "◆ 2" in view._tags_text(1500).plain and "◆" not in view._tags_text(4).plain

        await pilot.press("G")  # far away: the last turn
        await pilot.pause()
        assert view.focused_turn == TURNS - 1
        side = screen.query_one("#side").plain
        assert "0.70" in side
        assert set(calls) <= {3, TURNS - 1}  # only drawn or focused turns were read

        view.focus_turn(1500)
        await pilot.pause()
        screen.refresh_side()
        side = screen.query_one("#side").plain
        assert "0.81" in side and "0.42" in side
        await pilot.press("a")  # accepts the best one of this far-away turn
        await settle(pilot)
        assert None not in calls
        assert {(s.turn, s.code) for s in long_project.suggestions(NAME, status="accepted")} == {(1500, codes[0])}
        assert view.suggestion_count(1500) == 1
        assert [s.code for s in view.suggestions_on(1500)] == [codes[1]]
        assert "0.81" not in screen.query_one("#side").plain

        screen.set_filter(screen.turn_filter.__class__("suggestions"))
        await pilot.pause()
        assert view.visible_turns == [3, 1500, TURNS - 1]
        assert len(view._suggestions) <= SUGGESTION_CACHE


async def test_lazy_layout_matches_a_full_layout(long_project):
    """Line counts, tag lines and filters give the same blocks as wrapping every turn up front."""
    from mivcode.tui.widgets.layout import layout_blocks

    codes = [c.id for c in long_project.codes()]
    suggest(long_project, 7, codes[0], 0.9)
    long_project.toggle_code(NAME, 11, codes[1], "tester")
    long_project.set_turn_memo(NAME, 12, "let op", "tester")
    app = MivApp(long_project, "tester", settings=Settings())
    async with app.run_test(size=(60, 24)) as pilot:  # narrow: turns wrap over two lines
        await settle(pilot)
        app.open_transcript(NAME)
        await settle(pilot)
        view = app.screen.view
        t = view.transcript

        def expected(turns):
            triples = [(i, t.turns[i].speaker, t.text[t.turns[i].start:t.turns[i].end]) for i in turns]
            blocks, _ = layout_blocks(triples, view._wrap_width, {7, 11, 12})
            return [(b.turn, b.y, [(s.kind, s.a, s.b) for s in b.lines]) for b in blocks]

        def actual():
            return [(b.turn, b.y, [(s.kind, s.a, s.b) for s in b.lines]) for b in view._blocks]

        assert actual() == expected(range(TURNS))
        assert max(len(b.lines) for b in view._blocks) > 1
        view.set_visible([12, 7, 11, 400])
        assert actual() == expected([7, 11, 12, 400])
        view.set_visible(None)
        await pilot.press("G", "1")  # code the last turn: its tag line appears
        await settle(pilot)
        assert view._blocks[-1].lines[-1].kind == "tags"
        assert view.virtual_size.height == view._blocks[-1].y + len(view._blocks[-1].lines)
