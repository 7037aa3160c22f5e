"""A text panel that repaints without a layout pass.

`Static.update` asks the whole screen to lay itself out again; on the coding
screen that happens after every keystroke (side panel, status line) and cost
more than the toggle itself. This widget has a size fixed by CSS, so changing
its text only repaints its own region.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class TextPanel(Widget):
    DEFAULT_CSS = """
    TextPanel { height: 1fr; overflow: hidden; }
    """

    def __init__(self, content: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._markup = content
        self._text = Text.from_markup(content)

    def set(self, markup: str) -> None:
        if markup != self._markup:
            self._markup = markup
            self._text = Text.from_markup(markup)
            self.refresh()

    @property
    def plain(self) -> str:
        return self._text.plain

    def render(self) -> Text:
        return self._text
