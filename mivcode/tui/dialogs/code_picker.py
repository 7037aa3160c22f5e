"""Fuzzy code picker: type a few letters of a label, id, English label or keyword.

The MIV codebook has ~35 codes; shortcuts cover them all, but nobody remembers
35 keys on day one, so `c` finds any code by meaning ("discr", "stage",
"racism") with rapidfuzz, the way ATLAS.ti's and MAXQDA's code search does.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from mivcode.core.codebook import top_level_of
from mivcode.core.model import Code

NONE_CHOICE = ""  # returned when `allow_none` and the researcher picks "(top level)"


def rank_codes(codes: list[Code], query: str, language: str = "nl") -> list[Code]:
    """Codes ordered by fuzzy match; an empty query keeps codebook order."""
    if not query.strip():
        return list(codes)
    haystack = {
        c.id: " ".join([c.display(language), c.label, c.label_en or "", c.id.replace("_", " "), *c.keywords]).lower()
        for c in codes
    }
    by_id = {c.id: c for c in codes}
    hits = process.extract(query.lower(), haystack, scorer=fuzz.WRatio, limit=len(codes), score_cutoff=45)
    return [by_id[key] for _, _, key in hits]


class CodePicker(ModalScreen[str | None]):
    """Returns the chosen code id, NONE_CHOICE for "top level" when allowed, or None on Escape."""

    BINDINGS = [
        Binding("escape", "cancel", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("up", "cursor(-1)", show=False),
    ]

    def __init__(self, codes: list[Code], *, title: str, language: str = "nl", allow_none: str | None = None,
                 exclude: set[str] | None = None) -> None:
        super().__init__(classes="dialog")
        self.codes = [c for c in codes if c.id not in (exclude or set())]
        self.title_text = title
        self.language = language
        self.allow_none = allow_none
        by_id = {c.id: c for c in codes}
        self._theme = {c.id: by_id[top_level_of(by_id, c.id)] for c in codes}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box picker"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(id="picker-input")
            yield OptionList(id="picker-list")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, query: str) -> None:
        options = []
        if self.allow_none is not None and not query:
            options.append(Option(self.allow_none, id="\0"))
        for c in rank_codes(self.codes, query, self.language):
            depth = "  " if c.parent else ""
            key = f"[{c.shortcut}] " if c.shortcut else "    "
            theme = self._theme[c.id]
            suffix = f"  [dim]({theme.display(self.language)})[/dim]" if c.parent else ""
            options.append(Option(f"{key}{depth}[{c.color}]■[/] {c.display(self.language)}{suffix}", id=c.id))
        ol = self.query_one(OptionList)
        ol.set_options(options)
        if options:
            ol.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        ol = self.query_one(OptionList)
        if ol.highlighted is not None:
            self._choose(ol.get_option_at_index(ol.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        if option_id is None:
            return
        self.dismiss(NONE_CHOICE if option_id == "\0" else option_id)

    def action_cursor(self, delta: int) -> None:
        ol = self.query_one(OptionList)
        if ol.option_count:
            ol.highlighted = max(0, min(ol.option_count - 1, (ol.highlighted or 0) + delta))

    def action_cancel(self) -> None:
        self.dismiss(None)
