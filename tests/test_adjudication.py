"""Consensus layer and the adjudication screen (driven through Textual's Pilot)."""

from __future__ import annotations

import asyncio
import json

import pytest
from click.testing import CliRunner

from mivcode.cli import main
from mivcode.core.errors import InputError
from mivcode.core.project import Project
from mivcode.core.team import consensus
from mivcode.core.team.agreement import agreement_table
from mivcode.core.config import Settings
from mivcode.tui.app import MivApp
from mivcode.tui.dialogs.code_choice import CodeChoice
from mivcode.tui.screens.adjudication import AdjudicationScreen

T = "fg_roc_studenten"


def adjudication_app(project: Project, coders: list[str] | None, **settings) -> MivApp:
    """The app as `mivcode adjudicate` opens it: Home, and the adjudication above it."""
    return MivApp(project, "jan", settings=Settings(coder="jan", **settings), adjudicate=coders)


async def settle(pilot) -> None:
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


@pytest.fixture
def coded(project: Project) -> Project:
    """Agreement on turns 1 and 2; disagreement on turns 3 (ann only) and 5 (different codes)."""
    project.add_coding(T, 1, "racisme", "ann")
    project.add_coding(T, 1, "racisme", "bob")
    project.add_coding(T, 2, "discriminatie", "ann")
    project.add_coding(T, 2, "discriminatie", "bob")
    project.add_coding(T, 3, "discriminatie", "ann")
    project.add_coding(T, 5, "agressie_geweld", "ann")
    project.add_coding(T, 5, "geaccepteerde_onveiligheid", "bob")
    return project


def _layer(p: Project) -> set[tuple[int, str, str]]:
    return {(c.turn, c.code, c.origin) for c in p.codings(coder="consensus")}


def test_compare_turns(coded):
    items = consensus.compare_turns(coded, ["ann", "bob"])
    assert len(items) == 7
    open_ = [(i.turn, i.codes["ann"], i.codes["bob"]) for i in items if not i.agreed]
    assert open_ == [(3, {"discriminatie"}, set()), (5, {"agressie_geweld"}, {"geaccepteerde_onveiligheid"})]


def test_check_coders(coded):
    with pytest.raises(InputError, match="2 to 5"):
        consensus.check_coders(coded, ["ann"])
    with pytest.raises(InputError, match="result layer"):
        consensus.check_coders(coded, ["ann", "consensus"])
    with pytest.raises(InputError, match="'zoe' has no codings"):
        consensus.check_coders(coded, ["ann", "zoe"])


def test_auto_agreed_is_idempotent_undoable_and_logged(coded):
    result = consensus.auto_agreed(coded, ["ann", "bob"], by="jan")
    assert (result.turns, result.codings, result.disagreements) == (2, 2, 2)
    assert _layer(coded) == {(1, "racisme", "consensus"), (2, "discriminatie", "consensus")}
    again = consensus.auto_agreed(coded, ["ann", "bob"], by="jan")
    assert again.codings == 0
    event = [e for e in coded.events("consensus") if e.action == "do"][-1]
    assert event.payload["by"] == "jan" and event.payload["label"] == "consensus"
    coded.undo("consensus")
    assert _layer(coded) == set()


def test_decide_and_undo(coded):
    items = [i for i in consensus.compare_turns(coded, ["ann", "bob"]) if not i.agreed]
    consensus.decide(coded, items[0], set(), choice="none", by="jan")  # turn 3: no code
    consensus.decide(coded, items[1], items[1].union, choice="union", by="jan")  # turn 5: both
    assert consensus.settled_turns(coded) == {(T, 3), (T, 5)}
    assert _layer(coded) == {(5, "agressie_geweld", "consensus"), (5, "geaccepteerde_onveiligheid", "consensus")}
    # the span of bob's coding is kept (it starts inside turn 5, not at its start)
    bob = next(c for c in coded.codings(coder="bob") if c.code == "geaccepteerde_onveiligheid")
    mine = next(c for c in coded.codings(coder="consensus") if c.code == "geaccepteerde_onveiligheid")
    assert (mine.start, mine.end) == (bob.start, bob.end)
    # change of mind: only ann's code
    fresh = [i for i in consensus.compare_turns(coded, ["ann", "bob"]) if i.turn == 5][0]
    consensus.decide(coded, fresh, {"agressie_geweld"}, choice="coder:ann", by="jan")
    assert _layer(coded) == {(5, "agressie_geweld", "consensus")}
    consensus.undo_last(coded)
    assert len(_layer(coded)) == 2
    consensus.undo_last(coded)
    consensus.undo_last(coded)
    assert consensus.settled_turns(coded) == set() and _layer(coded) == set()


def test_consensus_layer_is_an_ordinary_coder(coded, tmp_path):
    consensus.auto_agreed(coded, ["ann", "bob"], by="jan")
    items = [i for i in consensus.compare_turns(coded, ["ann", "bob"]) if not i.agreed]
    consensus.decide(coded, items[1], {"agressie_geweld"}, choice="coder:ann", by="jan")
    rows = agreement_table(coded, ["ann", "consensus"], code="agressie_geweld")
    assert rows[0]["percent"] == 1.0
    result = CliRunner().invoke(main, ["codings", str(coded.path), "--coder", "consensus", "--json"])
    assert result.exit_code == 0
    got = [json.loads(line) for line in result.output.splitlines()]
    assert {(r["turn"], r["code"], r["origin"]) for r in got} == {
        (1, "racisme", "consensus"), (2, "discriminatie", "consensus"), (5, "agressie_geweld", "consensus")}
    # training and export select the layer by its coder name, like any coder
    if "train" in main.commands:
        assert any("--coder" in p.opts for p in main.commands["train"].params)
    if "export" in main.commands:
        out = tmp_path / "consensus.csv"
        result = CliRunner().invoke(main, ["export", str(coded.path), str(out), "--coder", "consensus"])
        assert result.exit_code == 0, result.output
        import csv

        exported = list(csv.DictReader(out.open(encoding="utf-8-sig")))
        assert {(int(r["turn"]), r["code"], r["coder"], r["origin"]) for r in exported} == {
            (1, "racisme", "consensus", "consensus"), (2, "discriminatie", "consensus", "consensus"),
            (5, "agressie_geweld", "consensus", "consensus")}


def test_adjudication_flow_with_pilot(coded):
    asyncio.run(_flow(coded))


async def _flow(coded):
    consensus.auto_agreed(coded, ["ann", "bob"], by="jan")
    coded.set_turn_memo(T, 3, "twijfel", "ann")
    app = adjudication_app(coded, ["ann", "bob"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AdjudicationScreen)
        assert [(i.turn) for i in screen.items] == [3, 5]
        assert str(screen.query_one("#adj-progress").render()) == "0 van 2 beslist"
        assert "Kun je daar meer over vertellen?" in str(screen.query_one("#adj-current").render())
        assert "Student 2" in str(screen.query_one("#adj-before").render())  # context: the turn before
        assert "Ze namen liever" in str(screen.query_one("#adj-after").render())  # and after
        assert "discriminatie" in str(screen.query_one("#adj-coder-1").render()).lower()
        await pilot.press("2")  # turn 3: bob's side (no code)
        await pilot.pause()
        assert screen.current.turn == 5 and screen.settled_count == 1
        await pilot.press("b")  # turn 5: both
        await pilot.pause()
        assert screen.settled_count == 2
        assert {c for (turn, c, _) in _layer(coded) if turn == 5} == {"agressie_geweld", "geaccepteerde_onveiligheid"}
        await pilot.press("u")  # undo the union on turn 5
        await settle(pilot)
        assert screen.settled_count == 1 and screen.current.turn == 5
        assert not any(turn == 5 for turn, _, _ in _layer(coded))
        await pilot.press("e")  # edit: pick codes
        await pilot.pause()
        assert isinstance(app.screen, CodeChoice)
        picker = app.screen
        from textual.widgets import SelectionList

        selection = picker.query_one(SelectionList)
        assert set(selection.selected) == {"agressie_geweld", "geaccepteerde_onveiligheid"}
        selection.deselect("geaccepteerde_onveiligheid")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and screen.settled_count == 2
        assert str(screen.query_one("#adj-progress").render()) == "2 van 2 beslist"
        assert {c for (turn, c, _) in _layer(coded) if turn == 5} == {"agressie_geweld"}
        await pilot.press("p")
        await pilot.pause()
        assert screen.current.turn == 3
        await pilot.press("m")  # why: a memo of the consensus layer
        await pilot.pause()
        await pilot.press(*"geen code", "enter")
        await pilot.pause()
        assert coded.turn_memo(T, 3, "consensus") == "geen code"
        assert "memo: geen code" in str(screen.query_one("#adj-consensus").render())
        assert "memo: twijfel" in str(screen.query_one("#adj-coder-1").render())  # ann's own memo shown
        await pilot.press("q")  # back: to Home, as every screen of the app
        await pilot.pause()
        assert not isinstance(app.screen, AdjudicationScreen)
    assert consensus.settled_turns(coded) == {(T, 3), (T, 5)}


def test_adjudication_without_disagreements(project):
    asyncio.run(_nothing(project))


async def _nothing(project):
    project.add_coding(T, 1, "racisme", "ann")
    project.add_coding(T, 1, "racisme", "bob")
    app = adjudication_app(project, ["ann", "bob"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "Geen verschillen" in str(app.screen.query_one("#adj-position").render())
        await pilot.press("1", "b", "u", "n")
        await settle(pilot)
    assert _layer(project) == set()


def test_cli_consensus_and_disagreements(coded):
    path = str(coded.path)
    runner = CliRunner()
    result = runner.invoke(main, ["consensus", path, "--coders", "ann,bob", "--auto", "agreed", "--coder", "jan"])
    assert result.exit_code == 0, result.output
    assert "2 codering(en) in 2 beurt(en)" in result.output
    result = runner.invoke(main, ["disagreements", path, "--coders", "ann,bob", "--json"])
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["turn"], r["settled"]) for r in rows] == [(3, False), (5, False)]
    result = runner.invoke(main, ["undo", path, "--coder", "consensus"])
    assert result.exit_code == 0 and "consensus" in result.output
    result = runner.invoke(main, ["consensus", path, "--coders", "ann", "--auto", "agreed"])
    assert result.exit_code == 1 and "2 to 5 coders" in result.output


def test_reached_from_home_with_the_team_guessed(coded, tmp_path):
    """The app's `v` (Home) passes only project and coder: the screen takes every coder but the consensus."""
    async def run() -> None:
        app = MivApp(coded, "jan", settings=Settings(coder="jan"))
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("v")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, AdjudicationScreen)
            assert screen.coders == ["ann", "bob"] and len(screen.items) == 2
            await pilot.press("x")
            await pilot.pause()
            assert screen.settled_count == 1
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, AdjudicationScreen)

    asyncio.run(run())
    assert consensus.settled_turns(coded) == {(T, 3)}


def test_one_coder_shows_why_instead_of_crashing(project):
    project.add_coding(T, 1, "racisme", "ann")

    async def run() -> None:
        app = MivApp(project, "jan", settings=Settings(coder="jan"))
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("v")
            await settle(pilot)
            text = str(app.screen.query_one("#adj-position").render())
            assert "2 to 5" in text and "--coders" in text
            await pilot.press("1", "b", "e", "u", "a", "n")
            await settle(pilot)
            assert isinstance(app.screen, AdjudicationScreen)  # the keys that need a team are disabled

    asyncio.run(run())
    assert _layer(project) == set()


def test_english_interface(coded):
    from mivcode.core import i18n

    async def run() -> None:
        app = adjudication_app(coded, ["ann", "bob"], language="en")
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert str(screen.query_one("#adj-progress").render()) == "0 of 2 settled"
            descriptions = {b.binding.description for b in screen.active_bindings.values()}
            assert "Both (union)" in descriptions and "Beide (samen)" not in descriptions
            app.set_language("nl")  # switched while the screen is open
            await settle(pilot)
            assert str(screen.query_one("#adj-progress").render()) == "0 van 2 beslist"
            assert screen.active_bindings["b"].binding.description == "Beide (samen)"

    try:
        asyncio.run(run())
    finally:
        i18n.set_language("nl")


def test_cli_adjudicate_opens_the_app_on_the_adjudication(coded, monkeypatch):
    seen = []

    def run(self) -> None:  # instead of taking the terminal: drive the same app headless
        async def go() -> None:
            async with self.run_test(size=(120, 40)) as pilot:
                await settle(pilot)
                seen.append((type(self.screen), self.screen.coders, len(self.screen.items)))
                await pilot.press("x")
                await pilot.pause()

        asyncio.run(go())

    monkeypatch.setattr(MivApp, "run", run)
    result = CliRunner().invoke(main, ["adjudicate", str(coded.path), "--coders", "ann,bob", "--coder", "jan"])
    assert result.exit_code == 0, result.output
    assert seen == [(AdjudicationScreen, ["ann", "bob"], 2)]
    assert consensus.settled_turns(coded) == {(T, 3)}
    bad = CliRunner().invoke(main, ["adjudicate", str(coded.path), "--coders", "ann,zoe"])
    assert bad.exit_code == 1 and "'zoe' has no codings" in bad.output  # refused before any screen opens


def test_comparing_runs_in_a_worker_and_the_screen_stays_responsive(coded, monkeypatch):
    """The whole-project comparison runs off the UI thread: keys work meanwhile, decisions wait for it."""
    import threading

    from mivcode.tui.screens.help import HelpScreen

    release = threading.Event()
    threads = []
    real = consensus.compare_turns

    def slow_compare(project, coders):
        threads.append(threading.current_thread() is threading.main_thread())
        release.wait(10)
        return real(project, coders)

    monkeypatch.setattr(consensus, "compare_turns", slow_compare)

    async def run() -> None:
        app = MivApp(coded, "jan", settings=Settings(coder="jan"))
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("v")
            await pilot.pause(0.2)
            screen = app.screen
            assert isinstance(screen, AdjudicationScreen)
            assert screen.comparing and screen.query_one("#adj-body").loading
            workers = [w for w in app.workers if w.group == "adjudication"]
            assert [w.state.name for w in workers] == ["RUNNING"]
            assert "vergelijken" in str(screen.query_one("#adj-position").render())
            await pilot.press("x")  # a decision waits for the list (disabled, shown dimmed)
            assert consensus.settled_turns(coded) == set()
            await pilot.press("question_mark")  # the app answers while the worker compares
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            release.set()
            await settle(pilot)
            assert not screen.comparing and not screen.query_one("#adj-body").loading
            assert [i.turn for i in screen.items] == [3, 5]
            await pilot.press("x")
            await pilot.pause()
            assert consensus.settled_turns(coded) == {(T, 3)}

    try:
        asyncio.run(run())
    finally:
        release.set()
    assert threads == [False]
