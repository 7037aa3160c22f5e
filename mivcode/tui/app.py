"""The Textual app: thin, like Frogmouth's — state (project, coder, language) and navigation.

Screens do the work; the app holds the open `Project` (the same core API the
CLI uses), the coder, the settings, and the commands every screen shares
(language, theme, help, codebook, retrieval, adjudication).
"""

from __future__ import annotations

from textual import events, work
from textual.app import App
from textual.worker import Worker, WorkerState

from mivcode.core import i18n
from mivcode.core.config import Settings, load_settings, resolve_language, save_settings
from mivcode.core.i18n import t
from mivcode.core.project import Project
from mivcode.tui.bindings import bind
from mivcode.tui.commands import MivCommands

DARK, LIGHT = "textual-dark", "textual-light"


class MivApp(App):
    CSS_PATH = "mivcode.tcss"
    TITLE = "mivcode"
    COMMANDS = App.COMMANDS | {MivCommands}
    BINDINGS = [
        bind("q", "quit", id="app.quit"),
        bind("question_mark", "help", id="app.help"),
        bind("ctrl+p", "command_palette", id="app.palette", show=False, priority=True),
    ]

    def __init__(self, project: Project, coder: str | None = None, *, settings: Settings | None = None,
                 transcript: str | None = None, adjudicate: list[str] | None = None) -> None:
        """`transcript` opens that transcript, `adjudicate` the adjudication of those coders, above Home."""
        super().__init__()
        self.project = project
        self.settings = settings or load_settings()
        self.coder = coder or ""
        self.language = resolve_language(self.settings)
        i18n.set_language(self.language)
        self.start_transcript = transcript
        self.start_adjudication = adjudicate
        self._pipeline: str | None = None

    def on_mount(self) -> None:
        from mivcode.tui.screens.home import HomeScreen

        self.title = t("app.title")
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        self.push_screen(HomeScreen())
        if self.project.readonly:
            reason = self.project.readonly_reason
            self.notify(t("app.readonly") + (f" ({reason})" if reason else ""), severity="warning", timeout=10)
        if not self.coder:
            self.ask_coder(first=True)
        else:
            self._open_start_screen()

    # -- codebook shortcuts ----------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """A key no binding claims may be a codebook shortcut of the screen (one character per code).

        Handled here, in the app's queue where Textual also runs the bindings, so
        keys typed quickly ("j" then "5") act in the order typed. A key bound to an
        action, also one the user's keymap moved there, stays the action's: a code
        shortcut never shadows it. The screen looks the character up in the
        codebook of the moment, so a changed codebook's shortcuts work at once.
        """
        shortcut = getattr(self.screen, "code_shortcut", None)
        if shortcut is None or not event.is_printable or event.key in self.screen.active_bindings:
            return
        if shortcut(event.character):
            event.stop()
            event.prevent_default()

    # -- coder -------------------------------------------------------------------------

    def ask_coder(self, first: bool = False) -> None:
        from mivcode.tui.dialogs.prompt import InputDialog

        def answered(name: str | None) -> None:
            if not name:
                if first and not self.coder:
                    self.call_later(self.ask_coder, True)  # cannot code without a name
                return
            self.coder = name
            self.settings.coder = name
            save_settings(self.settings)
            self.notify(t("app.coder_set", coder=name))
            self.refresh_screens()
            if first:
                self._open_start_screen()

        self.push_screen(InputDialog(t("coder.title"), self.coder, hint=t("coder.prompt"), allow_empty=False),
                         answered)

    def action_change_coder(self) -> None:
        self.ask_coder()

    # -- navigation ----------------------------------------------------------------------

    def _open_start_screen(self) -> None:
        """What the command line asked to open above Home (`open --transcript`, `adjudicate`)."""
        if self.start_transcript:
            self.open_transcript(self.start_transcript)
        elif self.start_adjudication:
            from mivcode.tui.screens.adjudication import AdjudicationScreen

            self.push_screen(AdjudicationScreen(self.start_adjudication))

    def open_transcript(self, name: str, turn: int | None = None):
        from mivcode.tui.screens.coding import CodingScreen

        if isinstance(self.screen, CodingScreen):
            self.screen.load(name, turn)
            return self.screen
        screen = CodingScreen(name, turn=turn)
        self.push_screen(screen)
        return screen

    def action_codebook(self) -> None:
        from mivcode.tui.screens.codebook import CodebookScreen

        self.push_screen(CodebookScreen())

    def action_retrieval(self) -> None:
        from mivcode.tui.screens.retrieval import RetrievalScreen

        self.push_screen(RetrievalScreen())

    def action_adjudication(self) -> None:
        from mivcode.tui.screens.adjudication import AdjudicationScreen

        self.push_screen(AdjudicationScreen())

    def action_help(self) -> None:
        from mivcode.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # -- language and theme ----------------------------------------------------------------

    def action_toggle_language(self) -> None:
        self.set_language("en" if self.language == "nl" else "nl")

    def set_language(self, language: str) -> None:
        self.language = language
        i18n.set_language(language)
        self.settings.language = language
        self._save_settings()
        self.title = t("app.title")
        self.refresh_screens()
        self.notify(t("app.language_set"))

    def refresh_screens(self) -> None:
        """After a change of language or coder: every open screen redraws its texts and its footer."""
        for screen in self.screen_stack:
            if hasattr(screen, "refresh_texts"):
                screen.refresh_texts()
            screen.refresh_bindings()  # the footer asks `active_bindings` again: descriptions in the new language

    def action_toggle_theme_mode(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK
        self.settings.theme = self.theme
        self._save_settings()
        self.notify(t("app.theme_set", theme=self.theme))

    def _save_settings(self) -> None:
        try:
            save_settings(self.settings)
        except OSError:
            pass  # a read-only home must not stop a coding session

    # -- background work shared by screens -------------------------------------------------

    @work(thread=True, exclusive=True, group="app-suggest", exit_on_error=False)
    def refresh_suggestions_in_background(self) -> None:
        """After a codebook edit: recompute suggestions for every transcript without blocking anyone."""
        from mivcode.core.suggest.service import refresh_suggestions  # lazy: spaCy loads only when needed

        self.call_from_thread(self.notify, t("codebook.refreshing"))
        refresh_suggestions(self.project, transcripts=None, progress=None)
        self.call_from_thread(self.notify, t("coding.suggest_done"))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed background refresh is reported; coding goes on (screens handle their own workers)."""
        if event.worker.group == "app-suggest" and event.state == WorkerState.ERROR:
            self.notify(t("coding.suggest_failed", error=event.worker.error), severity="error")

    def pipeline_description(self) -> str:
        """Which spaCy pipeline the suggestions use (may load spaCy: call from a worker)."""
        if self._pipeline is None:
            from mivcode.core.suggest.pipeline import describe_pipeline

            try:
                self._pipeline = describe_pipeline(self.settings.spacy_model)
            except Exception as exc:  # a broken model must not break the help screen
                return f"{type(exc).__name__}: {exc}"
        return self._pipeline

    def app_commands(self) -> list[tuple[str, str, object]]:
        return [
            (t("key.codebook"), "", self.action_codebook),
            (t("key.retrieval"), "", self.action_retrieval),
            (t("key.adjudication"), "", self.action_adjudication),
            (t("key.language"), "", self.action_toggle_language),
            (t("key.theme"), "", self.action_toggle_theme_mode),
            (t("key.coder"), "", self.action_change_coder),
        ]
