"""Snapshot tests of each screen (pytest-textual-snapshot), deterministic by construction.

Fixed terminal sizes (one at 80x24, the smallest a researcher on SSH may have),
a fixed coder, no clock, no blinking cursor (no Input focused), no
notifications, and the environment-dependent texts (spaCy pipeline, config
path) replaced with fixed ones. Update with `pytest --snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mivcode.core.config import Settings
from mivcode.core.model import Evidence, Suggestion
from mivcode.core.store import suggestions as suggestion_rows
from mivcode.core.store import transcripts as transcript_rows
from mivcode.core import i18n
from mivcode.tui.app import MivApp

T = "fg_roc_studenten"


@pytest.fixture(autouse=True)
def fixed_environment(monkeypatch):
    i18n.set_language("nl")
    monkeypatch.setattr(MivApp, "pipeline_description", lambda self: "spaCy (vaste tekst voor de test)")
    monkeypatch.setattr("mivcode.tui.screens.help.config_path", lambda: Path("~/.config/mivcode/config.toml"))
    yield
    i18n.set_language("nl")


@pytest.fixture
def coded_project(project):
    """Some codings, a span, a memo and open suggestions, so every screen has something to show."""
    project.add_coding(T, 1, "racisme", "tester")
    project.add_coding(T, 5, "agressie_geweld", "tester")
    t = project.transcript(T)
    u = t.turns[2]
    pos = t.text.index("stage", u.start)
    project.add_coding(T, 2, "discriminatie", "tester", start=pos, end=pos + len("stage"))
    project.set_turn_memo(T, 2, "afkomst en stage", "tester")
    tid = transcript_rows.transcript_id(project.store, T)
    word = t.text.index("gevochten")
    with project.store.tx():
        suggestion_rows.upsert_suggestion(project.store, tid, Suggestion(
            T, 5, t.turns[5].start, t.turns[5].end, "geaccepteerde_onveiligheid", 0.83,
            [Evidence(word, word + 9, "gevochten", "keyword: vechten")], fingerprint="x"))
    return project


def app_for(project) -> MivApp:
    return MivApp(project, "tester", settings=Settings())


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def test_home(snap_compare, coded_project):
    assert snap_compare(app_for(coded_project), terminal_size=(100, 30), run_before=settle)


def test_coding_screen(snap_compare, coded_project):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_transcript(T, turn=5)
        await settle(pilot)

    assert snap_compare(app_for(coded_project), terminal_size=(100, 30), run_before=run_before)


def test_coding_screen_80x24_with_selection(snap_compare, coded_project):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_transcript(T, turn=2)
        await settle(pilot)
        await pilot.press("right", "shift+right", "shift+right")
        await settle(pilot)

    assert snap_compare(app_for(coded_project), terminal_size=(80, 24), run_before=run_before)


def test_codebook_screen(snap_compare, coded_project):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)

    assert snap_compare(app_for(coded_project), terminal_size=(100, 30), run_before=run_before)


def test_retrieval_screen(snap_compare, coded_project):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)

    assert snap_compare(app_for(coded_project), terminal_size=(100, 30), run_before=run_before)


def test_help_screen(snap_compare, coded_project):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_transcript(T)
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(app_for(coded_project), terminal_size=(100, 40), run_before=run_before)


def test_home_light_theme_english(snap_compare, coded_project):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.theme = "textual-light"
        pilot.app.set_language("en")
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app_for(coded_project), terminal_size=(80, 24), run_before=run_before)


def test_adjudication_screen(snap_compare, coded_project):
    coded_project.add_coding(T, 1, "racisme", "bram")
    coded_project.add_coding(T, 3, "discriminatie", "bram")

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)

    assert snap_compare(app_for(coded_project), terminal_size=(100, 30), run_before=run_before)
