"""Pilot tests of every flow of the terminal UI, checked through the Project API.

What matters to a researcher is that what they did on screen is what the
project file holds afterwards, so each test presses keys and then reads the
project back (codings, memos, suggestion status, codebook).
"""

from __future__ import annotations

import pytest

from mivcode.core.config import Settings, load_settings
from mivcode.core.model import Evidence, Suggestion
from mivcode.core.project import Project
from mivcode.core.store import suggestions as suggestion_rows
from mivcode.core.store import transcripts as transcript_rows
from mivcode.core import i18n
from mivcode.tui.app import MivApp
from mivcode.tui.screens.codebook import CodebookScreen
from mivcode.tui.screens.coding import CodingScreen
from mivcode.tui.screens.help import HelpScreen
from mivcode.tui.screens.home import HomeScreen
from mivcode.tui.screens.retrieval import RetrievalScreen
from mivcode.tui.widgets.transcript_view import TranscriptView

pytestmark = pytest.mark.anyio

T = "fg_roc_studenten"
SIZE = (100, 32)


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture(autouse=True)
def dutch():
    i18n.set_language("nl")
    yield
    i18n.set_language("nl")


def make_app(project: Project, coder: str | None = "tester", **settings) -> MivApp:
    return MivApp(project, coder, settings=Settings(**settings))


async def settle(pilot) -> None:
    """Let workers finish and their results reach the screen."""
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_coding(pilot, turn: int | None = None) -> CodingScreen:
    await settle(pilot)
    pilot.app.open_transcript(T, turn=turn)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CodingScreen)
    assert screen.data is not None
    return screen


def add_suggestion(project: Project, turn: int, code: str, score: float, word: str) -> None:
    t = project.transcript(T)
    u = t.turns[turn]
    pos = t.text.index(word, u.start)
    tid = transcript_rows.transcript_id(project.store, T)
    with project.store.tx():
        suggestion_rows.upsert_suggestion(project.store, tid, Suggestion(
            T, turn, u.start, u.end, code, score, [Evidence(pos, pos + len(word), word, "keyword")],
            fingerprint=f"{code}-{turn}"))


def coded(project: Project, coder: str = "tester") -> set[tuple[int, str]]:
    return {(c.turn, c.code) for c in project.codings(coder=coder, transcript=T)}


async def test_home_lists_transcripts_and_enter_opens(project):
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert [s.name for s in app.screen.summaries] == [T]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CodingScreen)
        assert app.screen.transcript_name == T
        assert app.screen.view.focused_turn == 0


async def test_code_and_uncode_by_shortcut(project):
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        await pilot.press("j", "1")
        assert coded(project) == {(1, "discriminatie")}
        assert "Discriminatie" in screen.last_action
        await pilot.press("down", "r")  # a letter shortcut (sub-code) on turn 2
        assert coded(project) == {(1, "discriminatie"), (2, "racisme")}
        await pilot.press("1")
        assert coded(project) == {(1, "discriminatie"), (2, "racisme"), (2, "discriminatie")}
        await pilot.press("1")  # toggles off again
        assert coded(project) == {(1, "discriminatie"), (2, "racisme")}
        assert screen.view.codings_on(2)[0].code == "racisme"


async def test_navigation_keys(project):
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        view = screen.view
        await pilot.press("G")
        assert view.focused_turn == 6
        await pilot.press("g")
        assert view.focused_turn == 0
        await pilot.press("j", "j", "k")
        assert view.focused_turn == 1
        await pilot.press("pagedown")
        assert view.focused_turn > 1
        await pilot.press("pageup")
        assert view.focused_turn < 3


async def test_code_part_of_a_turn_by_keyboard_selection(project):
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot, turn=2)
        text = project.transcript(T)
        u = text.turns[2]
        # "Nou, bij mijn stage…": caret one word right, then select three words
        await pilot.press("right")
        await pilot.press("shift+right", "shift+right", "shift+right")
        sel = screen.view.selection
        assert sel is not None and u.start < sel[0] < sel[1] < u.end
        await pilot.press("5")
        c = project.codings(coder="tester", transcript=T)
        assert len(c) == 1 and (c[0].start, c[0].end) == sel and c[0].code == "agressie_geweld"
        assert text.text[c[0].start:c[0].end] == "bij mijn stage"
        assert screen.view.selection is None  # applying clears the selection
        # the picker applies to a selection too
        await pilot.press("shift+right")
        await pilot.press("c")
        await pilot.press(*"racis")
        await pilot.press("enter")
        await settle(pilot)
        spans = {(x.code, text.text[x.start:x.end]) for x in project.codings(coder="tester", transcript=T)}
        assert ("racisme", "Nou,") in spans


async def test_mouse_click_focuses_and_drag_selects(project):
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        view = screen.view
        # turn 1 starts on screen line 2 (turn 0 takes one line at this width)
        target = next(b for b in view._blocks if b.turn == 1)
        await pilot.click(TranscriptView, offset=(12, target.y))
        await pilot.pause()
        assert view.focused_turn == 1
        await pilot.mouse_down(TranscriptView, offset=(19, target.y))
        await pilot.hover(TranscriptView, offset=(30, target.y))
        await pilot.mouse_up(TranscriptView, offset=(30, target.y))
        await pilot.pause()
        sel = view.selection
        assert sel is not None
        await pilot.press("8")
        c = project.codings(coder="tester", transcript=T)
        assert [(x.code, x.start, x.end) for x in c] == [("geaccepteerde_onveiligheid", *sel)]


async def test_picker_codes_focused_turn(project):
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        await open_coding(pilot, turn=5)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press(*"gewel", "enter")
        await settle(pilot)
        assert coded(project) == {(5, "agressie_geweld")}


async def test_accept_and_reject_suggestions(project):
    add_suggestion(project, 1, "racisme", 0.91, "Racisme")
    add_suggestion(project, 1, "discriminatie", 0.55, "Racisme")
    add_suggestion(project, 5, "agressie_geweld", 0.8, "gevochten")
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot, turn=1)
        side = screen.query_one("#side").plain
        assert "0.91" in side and "Racisme" in side
        await pilot.press("a")  # accepts the best one
        assert coded(project) == {(1, "racisme")}
        assert [c.origin for c in project.codings(coder="tester")] == ["suggestion"]
        await pilot.press("x")  # rejects the next one
        status = {(s.turn, s.code): s.status for s in project.suggestions(T)}
        assert status[(1, "racisme")] == "accepted" and status[(1, "discriminatie")] == "rejected"
        assert screen.view.suggestions_on(1) == []
        await pilot.press("x")
        assert "Geen open suggestie" in screen.last_action
        await pilot.press("u")  # undo the rejection
        assert {(s.turn, s.code) for s in project.suggestions(T, status="open")} == {(1, "discriminatie"), (5, "agressie_geweld")}


async def test_accept_all_above_threshold(project):
    add_suggestion(project, 1, "racisme", 0.91, "Racisme")
    add_suggestion(project, 1, "discriminatie", 0.55, "Racisme")
    add_suggestion(project, 5, "agressie_geweld", 0.8, "gevochten")
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        await pilot.press("ctrl+a")
        await settle(pilot)
        await pilot.press("enter")  # default 0.80
        await settle(pilot)
        assert coded(project) == {(1, "racisme"), (5, "agressie_geweld")}
        assert "2" in screen.last_action
        await pilot.press("u")  # one undo takes back the whole batch
        assert coded(project) == set()


async def test_undo_and_redo_every_kind_of_action(project):
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot, turn=3)
        await pilot.press("1")
        await pilot.press("5")
        assert coded(project) == {(3, "discriminatie"), (3, "agressie_geweld")}
        await pilot.press("u")
        assert coded(project) == {(3, "discriminatie")}
        await pilot.press("u")
        assert coded(project) == set()
        assert "Ongedaan" in screen.last_action
        await pilot.press("ctrl+r")
        assert coded(project) == {(3, "discriminatie")}
        await pilot.press("ctrl+r", "ctrl+r")
        assert coded(project) == {(3, "discriminatie"), (3, "agressie_geweld")}
        assert "Niets" in screen.last_action
        assert screen.view.codings_on(3)  # the screen shows what the file holds


async def test_memo_on_turn_and_on_coding(project):
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot, turn=2)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press(*"stage!", "enter")
        await settle(pilot)
        assert project.turn_memo(T, 2, "tester") == "stage!"
        assert "stage!" in screen.query_one("#side").plain
        await pilot.press("1", "m")
        await settle(pilot)
        await pilot.press("down", "enter")  # memo for the coding, not the turn
        await settle(pilot)
        await pilot.press(*"twijfel", "enter")
        await settle(pilot)
        assert [c.memo for c in project.codings(coder="tester")] == ["twijfel"]
        await pilot.press("u")
        assert [c.memo for c in project.codings(coder="tester")] == [None]


async def test_filters(project):
    add_suggestion(project, 5, "agressie_geweld", 0.8, "gevochten")
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot, turn=1)
        await pilot.press("1")
        view = screen.view

        async def choose(index: int) -> None:
            await pilot.press("ctrl+f")
            await settle(pilot)
            await pilot.press(*(["down"] * index), "enter")
            await settle(pilot)

        await choose(1)  # uncoded
        assert view.visible_turns == [0, 2, 3, 4, 5, 6]
        await choose(2)  # open suggestions
        assert view.visible_turns == [5]
        assert view.focused_turn == 5
        await choose(4)  # by code: the picker opens
        await pilot.press(*"discr", "enter")
        await settle(pilot)
        assert view.visible_turns == [1]
        await choose(5)  # by speaker
        await pilot.press("down", "enter")  # speakers sorted: Gespreksleider, Student 1, Student 2
        await settle(pilot)
        assert view.visible_turns == [1, 5]
        assert "filter" in screen.query_one("#status").plain
        await pilot.press("escape")  # escape clears the filter first
        assert view.visible_turns == list(range(7))
        assert isinstance(app.screen, CodingScreen)


async def test_search_jumps_to_hit_and_steps(project):
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        await pilot.press("slash")
        await settle(pilot)
        await pilot.press(*"stage")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.view.focused_turn == 2
        assert screen.view._hits[2]
        await pilot.press("slash")
        await settle(pilot)
        await pilot.press(*"behandlt")  # fuzzy: the text says "behandeld"
        await settle(pilot)
        dialog = app.screen
        assert len(dialog.hits) >= 1
        await pilot.press("escape")
        await pilot.press("n")
        assert screen.view.focused_turn == 2  # one hit for "stage": n stays on it


async def test_search_from_home_opens_transcript(project):
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        await pilot.press(*"plein")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CodingScreen)
        assert app.screen.view.focused_turn == 5


async def test_codebook_edit_rename_keywords_move_merge_add(project, monkeypatch):
    project.add_coding(T, 1, "racisme", "tester")
    refreshes = []
    monkeypatch.setattr(MivApp, "refresh_suggestions_in_background", lambda self: refreshes.append(1))
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CodebookScreen)
        assert screen.selected_id == "discriminatie"
        await pilot.press("k")
        await settle(pilot)
        await pilot.press("end", *",uitsl", "enter")
        await settle(pilot)
        assert project.code("discriminatie").keywords[-1] == "uitsl"
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("ctrl+u", *"Discr (alle)", "enter")
        await settle(pilot)
        assert project.code("discriminatie").label == "Discr (alle)"
        await pilot.press("down")  # racisme
        await settle(pilot)
        assert screen.selected_id == "racisme"
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("enter")  # "(hoofdniveau)" is first
        await settle(pilot)
        assert project.code("racisme").parent is None
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"pesten", "enter")
        await settle(pilot)
        await pilot.press(*"Pesten", "enter")
        await settle(pilot)
        await pilot.press(*"agres", "enter")
        await settle(pilot)
        assert project.code("pesten").parent == "agressie_geweld"
        screen.query_one("Tree").move_cursor(
            next(n for n in screen.query_one("Tree")._tree_nodes.values() if n.data == "racisme"))
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press(*"discr", "enter")
        await settle(pilot)
        await pilot.press("enter")  # OK
        await settle(pilot)
        assert "racisme" not in {c.id for c in project.codes()}
        assert coded(project) == {(1, "discriminatie")}
        assert len(refreshes) == 5  # every edit re-runs the suggestions (in a worker, see below)
        await pilot.press("u")
        await settle(pilot)
        assert coded(project) == {(1, "racisme")}


async def test_retrieval_with_context_and_filters(project, tmp_path, small_transcript):
    other = tmp_path / "fg_mbo_medewerkers.txt"
    other.write_text("Docent: Ik zag discriminatie op stage.\nMentor: Ja.\n", encoding="utf-8")
    from mivcode.core.model import TranscriptMeta

    project.import_files([other], overrides=TranscriptMeta(institution="ROC B", group="medewerkers"))
    project.set_transcript_meta(T, TranscriptMeta(institution="ROC A", group="studenten"))
    project.add_coding(T, 2, "discriminatie", "tester")
    project.add_coding(T, 1, "racisme", "anna")
    project.add_coding("fg_mbo_medewerkers", 0, "discriminatie", "tester")
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetrievalScreen)
        assert screen.code == "discriminatie"
        assert len(screen.segments) == 3  # with sub-code racisme, across transcripts and coders
        seg = next(s for s in screen.segments if s.turn == 2)
        assert seg.before.startswith("Student 1:") and seg.after.startswith("Gespreksleider:")
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("down", "enter")  # ROC A
        await settle(pilot)
        assert {s.coding.transcript for s in screen.segments} == {T}
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("down", "enter")  # coders: anna, tester
        await settle(pilot)
        assert [(s.turn, s.coding.coder) for s in screen.segments] == [(1, "anna")]
        await pilot.press("g")
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # "studenten" is second of medewerkers, studenten
        await settle(pilot)
        assert len(screen.segments) == 1
        await pilot.press("enter")  # open the segment in the coding screen
        await settle(pilot)
        assert isinstance(app.screen, CodingScreen)
        assert app.screen.view.focused_turn == 1


async def test_readonly_project_refuses_edits_politely(project):
    path = project.path
    project.close()
    ro = Project.open(path, readonly=True)
    try:
        app = make_app(ro)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert any("alleen-lezen" in n.message for n in app._notifications)
            await open_coding(pilot)
            await pilot.press("1", "u", "m")
            await settle(pilot)
            assert isinstance(app.screen, CodingScreen)  # no memo dialog for a memo that cannot be saved
            assert ro.codings() == []
            assert any("Alleen-lezen" in n.message for n in app._notifications)
    finally:
        ro.close()


async def test_asks_coder_once_and_remembers(project, monkeypatch):
    monkeypatch.delenv("MIVCODE_CODER")
    app = make_app(project, coder=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # empty is refused
        await pilot.press(*"sanne", "enter")
        await settle(pilot)
        assert app.coder == "sanne"
        assert load_settings().coder == "sanne"
        await open_coding(pilot)
        await pilot.press("1")
        assert coded(project, "sanne") == {(0, "discriminatie")}


async def test_language_switch_and_palette(project):
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#home-title").render().plain == "Transcripten"
        await pilot.press("l")
        await settle(pilot)
        assert app.language == "en" and load_settings().language == "en"
        assert app.screen.query_one("#home-title").render().plain == "Transcripts"
        assert app.screen.active_bindings["b"].binding.description == "Codebook"  # what the footer shows
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Codebook")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CodebookScreen)


async def test_palette_lists_coding_actions(project):
    from mivcode.tui.commands import MivCommands

    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        provider = MivCommands(screen)
        titles = [title for title, _, _ in provider._commands()]
        for expected in ("Suggestie accepteren", "Ongedaan maken", "Opnieuw", "Filter", "Zoeken", "Memo",
                         "Suggesties berekenen", "Alles boven drempel", "Codeboek", "Taal NL/EN"):
            assert expected in titles
        run = dict((title, cb) for title, _, cb in provider._commands())
        run["Code aan/uit (sneltoets): Agressie en geweld"]()
        await settle(pilot)
        assert coded(project) == {(0, "agressie_geweld")}


async def test_user_keymap_overrides_a_binding_and_help_shows_it(project):
    app = make_app(project, keymap={"coding.undo": "ctrl+z"})
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        await pilot.press("1")
        await pilot.press("u")  # no longer undo
        assert coded(project) == {(0, "discriminatie")}
        await pilot.press("ctrl+z")
        assert coded(project) == set()
        assert screen.active_bindings["ctrl+z"].binding.description == "Ongedaan maken"  # the footer's view
        await pilot.press("question_mark")
        await settle(pilot)
        keys = app.screen.query_one("#help-keys").render().plain
        undo = next(line for line in keys.splitlines() if "coding.undo" in line)  # the id to write in [keymap]
        assert "^z" in undo and "Ongedaan maken" in undo and " u " not in undo


async def test_a_code_shortcut_never_shadows_a_key_the_keymap_gave_an_action(project):
    app = make_app(project, keymap={"coding.undo": "5"})  # 5 is the shortcut of agressie_geweld
    async with app.run_test(size=SIZE) as pilot:
        await open_coding(pilot)
        await pilot.press("1")
        await pilot.press("5")  # the action wins: undo
        assert coded(project) == set()


async def test_language_switch_relabels_the_bindings_of_every_open_screen(project):
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        assert screen.active_bindings["u"].binding.description == "Ongedaan maken"
        home = app.screen_stack[-2]
        app.set_language("en")
        await settle(pilot)
        assert screen.active_bindings["u"].binding.description == "Undo"
        assert screen.active_bindings["q"].binding.description == "Quit"  # an app binding too
        assert home.active_bindings["b"].binding.description == "Codebook"  # and the screen underneath
        from mivcode.tui.commands import MivCommands

        titles = [title for title, _, _ in MivCommands(screen)._commands()]
        assert "Accept suggestion" in titles and "Suggestie accepteren" not in titles
        await pilot.press("question_mark")
        await settle(pilot)
        assert "Undo" in app.screen.query_one("#help-keys").render().plain


async def test_a_changed_codebook_shortcut_codes_at_once(project):
    from dataclasses import replace

    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        await pilot.press("5")
        assert coded(project) == {(0, "agressie_geweld")}
        code = next(c for c in project.codes() if c.id == "agressie_geweld")
        project.save_code(replace(code, shortcut="y"), "tester")  # as the codebook screen does
        app.push_screen(HomeScreen())
        await settle(pilot)
        app.pop_screen()  # back on the coding screen: it re-reads the codebook
        await settle(pilot)
        await pilot.press("j", "y")  # typed at once: the move first, then the new shortcut
        assert coded(project) == {(0, "agressie_geweld"), (1, "agressie_geweld")}
        await pilot.press("5")  # the old shortcut codes nothing now
        assert coded(project) == {(0, "agressie_geweld"), (1, "agressie_geweld")}
        assert screen.view.focused_turn == 1


async def test_help_lists_keys_codes_and_pipeline(project):
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        await open_coding(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys").render())
        assert "Ongedaan maken" in keys and "ctrl+r" in keys.lower() or "^r" in keys
        assert "Racisme" in keys
        pipeline = str(app.screen.query_one("#help-pipeline").render())
        assert "spaCy" in pipeline and "…" not in pipeline
        await pilot.press("escape")
        assert isinstance(app.screen, CodingScreen)


async def test_theme_toggle_and_quit(project):
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        assert app.theme == "textual-light" and load_settings().theme == "textual-light"
        await pilot.press("q")
    assert app.return_code == 0


async def test_suggest_runs_in_worker_and_degrades_gracefully(project, monkeypatch):
    """With a (fake) engine: progress, then the new suggestions show. A failing engine: a notice, the app stays."""
    import sys
    import types

    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot, turn=5)
        engine = types.ModuleType("mivcode.core.suggest.service")
        seen = []

        def refresh_suggestions(p, transcripts=None, progress=None):
            seen.append(transcripts)
            progress(1, 2)
            add_suggestion(p, 5, "agressie_geweld", 0.7, "gevochten")
            progress(2, 2)

        def train_model(p, coder=None, progress=None):
            seen.append(("train", coder))
            progress("trainen", 0.5)

        engine.refresh_suggestions = refresh_suggestions
        engine.train_model = train_model
        engine.model_state = lambda p: {"model": "team", "coder": "tester", "transcripts": 1}
        monkeypatch.setitem(sys.modules, "mivcode.core.suggest.service", engine)
        await pilot.press("ctrl+t")
        await settle(pilot)
        # after training, the new model's suggestions for this transcript, and the status says whose model it is
        assert seen == [("train", "tester"), [T]] and "getraind" in screen.last_action
        assert screen.model_text == "model: tester (1)"
        seen.clear()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert seen == [[T]]
        assert [s.code for s in screen.view.suggestions_on(5)] == ["agressie_geweld"]
        assert "bijgewerkt" in screen.last_action
        monkeypatch.setitem(sys.modules, "mivcode.core.suggest.service", None)  # the engine now fails
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("Suggesties mislukt" in n.message for n in app._notifications)
        assert app.is_running and app.screen is screen


async def test_adjudication_opens_from_home_and_palette(project):
    pytest.importorskip("mivcode.tui.screens.adjudication")
    from mivcode.tui.screens.adjudication import AdjudicationScreen

    project.add_coding(T, 1, "racisme", "anna")
    project.add_coding(T, 1, "discriminatie", "bert")
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, AdjudicationScreen)
        assert app.screen.coders == ["anna", "bert"]


async def test_codebook_edit_refreshes_suggestions_of_every_transcript_in_a_worker(project, monkeypatch):
    import sys
    import threading
    import types

    calls = []
    engine = types.ModuleType("mivcode.core.suggest.service")
    engine.refresh_suggestions = lambda p, transcripts=None, progress=None: calls.append(
        (transcripts, threading.current_thread() is threading.main_thread()))
    monkeypatch.setitem(sys.modules, "mivcode.core.suggest.service", engine)
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        await pilot.press("end", *",x", "enter")
        await settle(pilot)
        assert calls == [(None, False)]  # all transcripts, not on the UI thread


async def test_status_line_numbers_turns_as_rows_cli_and_exports_do(project):
    """One numbering everywhere: the status line names the focused turn by its own number (from 0)."""
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot, turn=3)
        status = str(screen.query_one("#status").render())
        assert "beurt 3 (0–6)" in status
        await pilot.press("j", "1")
        assert coded(project) == {(4, "discriminatie")}
        assert "beurt 4 (0–6)" in str(screen.query_one("#status").render())
        assert "beurt 4" in screen.last_action


async def test_coding_by_hand_removes_the_suggestion_marker(project):
    add_suggestion(project, 2, "racisme", 0.9, "afkomst")
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot, turn=2)
        assert 2 in screen.view.turns_with_suggestions()
        await pilot.press("r")  # the shortcut codes what was suggested
        await settle(pilot)
        assert 2 not in screen.view.turns_with_suggestions()
        assert [s.status for s in project.suggestions(T, turn=2)] == ["accepted"]
