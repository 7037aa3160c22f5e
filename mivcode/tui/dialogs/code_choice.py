"""Pick several codes at once: the consensus codes of one turn, preselected with the coders' union.

The code picker (`code_picker.py`) chooses one code by typing; settling a
disagreement needs a set (often the union minus one), so this is a
selection list with space to toggle and Enter to save.
"""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList
from textual.widgets.selection_list import Selection

from mivcode.core.i18n import t
from mivcode.core.model import Code


class CodeChoice(ModalScreen[set[str] | None]):
    """Returns the chosen code ids, or None on Escape."""

    BINDINGS = [
        Binding("enter", "save", show=False, priority=True),
        Binding("escape", "cancel", show=False),
    ]

    def __init__(self, codes: list[Code], selected: set[str], language: str = "nl") -> None:
        super().__init__(classes="dialog")
        self.codes = codes
        self.selected = selected
        self.language = language

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box choice"):
            yield Label(t("adjudication.edit_title"), classes="dialog-title")
            yield SelectionList[str](*[
                Selection(f"{'  ' if c.parent else ''}{escape(c.display(self.language))}  [dim]{c.id}[/dim]", c.id,
                          c.id in self.selected)
                for c in self.codes
            ])

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_save(self) -> None:
        self.dismiss(set(self.query_one(SelectionList).selected))

    def action_cancel(self) -> None:
        self.dismiss(None)
