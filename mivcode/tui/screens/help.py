"""`?`: every key in force on the screen you came from, the code shortcuts, and the spaCy pipeline.

Keys are read from the bindings in force on that screen (after the user's
keymap), each with the id a `[keymap]` entry in config.toml moves, so the help
never lies about a remapped key and says what to write to remap one.
"""

from __future__ import annotations

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from mivcode.core.config import config_path
from mivcode.core.i18n import t
from mivcode.tui.bindings import actions_in_force, describe


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss_help", show=False),
    ]

    def __init__(self, origin: Screen) -> None:
        super().__init__(classes="dialog")
        self.origin = origin

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-box help"):
            yield Static(self._keys_text(), id="help-keys")
            yield Static(f"[b]{t('help.pipeline')}[/b]: {t('help.pipeline_loading')}", id="help-pipeline")

    def on_mount(self) -> None:
        self._describe_pipeline()

    def _keys_text(self) -> str:
        lines = [f"[b]{t('help.title')}[/b]", ""]
        rows = []
        for action in actions_in_force(self.origin):
            name = describe(action.binding)
            if name:
                keys = dict.fromkeys(self.app.get_key_display(action.binding.with_key(k)) for k in action.keys)
                rows.append((", ".join(keys), name, action.binding.id))
        width = max((len(name) for _, name, _ in rows), default=0)
        lines += [f"  [b]{escape(keys):>14}[/b]  {escape(name):<{width}}  [dim]{ident}[/dim]" for keys, name, ident in rows]
        codes = getattr(getattr(self.origin, "data", None), "codes", None)
        if codes:
            lines += ["", f"[b]{t('help.codes')}[/b]"]
            lang = self.app.language
            lines += [f"  [b]{c.shortcut:>14}[/b]  [{c.color}]■[/] {escape(c.display(lang))}" for c in codes if c.shortcut]
        lines += ["", t("help.mouse"), escape(t("help.keymap", path=str(config_path()))), t("help.close")]
        return "\n".join(lines)

    @work(thread=True, exclusive=True, group="pipeline")
    def _describe_pipeline(self) -> None:
        text = self.app.pipeline_description()
        self.app.call_from_thread(
            self.query_one("#help-pipeline", Static).update, f"[b]{t('help.pipeline')}[/b]: {escape(text)}")

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
