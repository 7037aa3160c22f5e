"""The `/` dialog: type, see hits from every transcript as you type, Enter jumps.

The corpus is loaded once per dialog in a thread worker and every query runs
in an exclusive thread worker too, so typing never waits for rapidfuzz.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from mivcode.core.i18n import t
from mivcode.core.project import Project
from mivcode.core.queries.search import SearchHit, TurnRecord, load_corpus, search, snippet


class SearchDialog(ModalScreen[tuple[SearchHit, list[SearchHit]] | None]):
    """Returns (chosen hit, all hits) so the coding screen can step through them with n/N."""

    BINDINGS = [
        Binding("escape", "cancel", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("up", "cursor(-1)", show=False),
    ]

    def __init__(self, project: Project, query: str = "") -> None:
        super().__init__(classes="dialog")
        self.project = project
        self.initial = query
        self.corpus: list[TurnRecord] | None = None
        self.hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box search"):
            yield Label(t("search.title"), classes="dialog-title")
            yield Input(self.initial, placeholder=t("search.placeholder"), id="search-input")
            yield Label("", id="search-count", classes="dialog-hint")
            yield OptionList(id="search-results")
            yield Label(t("search.hint"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._load()

    @work(thread=True, exclusive=True, group="search-load")
    def _load(self) -> None:
        corpus = load_corpus(self.project)
        self.app.call_from_thread(self._loaded, corpus)

    def _loaded(self, corpus: list[TurnRecord]) -> None:
        self.corpus = corpus
        self._run(self.query_one(Input).value)

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.corpus is not None:
            self._run(event.value)

    @work(thread=True, exclusive=True, group="search")
    def _run(self, query: str) -> None:
        hits = search(self.corpus or [], query)
        self.app.call_from_thread(self._show, query, hits)

    def _show(self, query: str, hits: list[SearchHit]) -> None:
        if query != self.query_one(Input).value:
            return  # a newer query is on its way
        self.hits = hits
        options = []
        for i, h in enumerate(hits):
            text, s, e = snippet(h.text, h.start, h.end)
            line = Text.assemble((f"{h.transcript} #{h.turn}  ", "dim"), text)
            line.stylize("bold reverse", len(line) - len(text) + s, len(line) - len(text) + e)
            options.append(Option(line, id=str(i)))
        ol = self.query_one(OptionList)
        ol.set_options(options)
        if options:
            ol.highlighted = 0
        self.query_one("#search-count", Label).update(
            t("search.results", n=len(hits)) if hits or len(query.strip()) < 2 else t("search.no_results"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        ol = self.query_one(OptionList)
        if ol.highlighted is not None and self.hits:
            self.dismiss((self.hits[ol.highlighted], self.hits))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss((self.hits[int(event.option.id or 0)], self.hits))

    def action_cursor(self, delta: int) -> None:
        ol = self.query_one(OptionList)
        if ol.option_count:
            ol.highlighted = max(0, min(ol.option_count - 1, (ol.highlighted or 0) + delta))

    def action_cancel(self) -> None:
        self.dismiss(None)
