"""`?`: every key in force on the screen you came from, the code shortcuts, and the spaCy pipeline.

Keys are read from the live binding chain (after the user's keymap), so the
help never lies about a remapped key.
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
from mivcode.tui.bindings import describe
from mivcode.core.i18n import t


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss_help", "Close", show=False),
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
        seen: set[str] = set()
        for _node, bindings in self.origin._binding_chain:
            for key, binding in bindings:
                if binding.system or not binding.id or binding.action.startswith("code_key("):
                    continue
                name = describe(binding)
                if not name:
                    continue
                ident = binding.id or f"{binding.action}:{name}"
                display = self.app.get_key_display(binding.with_key(key))
                if ident in seen:
                    continue
                seen.add(ident)
                keys = [k for k, b in bindings if (b.id or f"{b.action}:{describe(b)}") == ident]
                shown = ", ".join(self.app.get_key_display(binding.with_key(k)) for k in keys) or display
                lines.append(f"  [b]{escape(shown):>14}[/b]  {escape(name)}")
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
