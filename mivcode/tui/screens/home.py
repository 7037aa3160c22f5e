"""Home: the project at a glance, the way a researcher plans a coding day.

Transcripts grouped by institution and group (how MIV reports break results
down), each with this coder's progress and open suggestions; the codebook
with its counts beside it. Enter opens a transcript.
"""

from __future__ import annotations

from itertools import groupby

from rich.markup import escape
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Label, OptionList, Static, Tree
from textual.widgets.option_list import Option

from mivcode.core.i18n import t
from mivcode.core.model import Code
from mivcode.core.project import TranscriptSummary
from mivcode.tui.bindings import MivScreen, bind
from mivcode.tui.widgets.code_tree import fill_code_tree


def progress_bar(done: int, total: int, width: int = 10) -> str:
    """A bar that reads at a glance which group still needs work (▰ coded, ▱ to do)."""
    filled = round(width * done / total) if total else 0
    return "▰" * filled + "▱" * (width - filled)


class HomeScreen(MivScreen):
    BINDINGS = [
        bind("enter", "open", id="home.open", show=False),
        bind("b", "app.codebook", id="home.codebook"),
        bind("r", "app.retrieval", id="home.retrieval"),
        bind("v", "app.adjudication", id="home.adjudication"),
        bind("slash", "search", id="home.search"),
        bind("l", "app.toggle_language", id="home.language"),
        bind("t", "app.toggle_theme_mode", id="home.theme", show=False),
        bind("w", "app.change_coder", id="home.coder", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[TranscriptSummary] = []
        self.pipeline = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="home-main"):
            with Vertical(id="home-left"):
                yield Label(t("home.title"), id="home-title", classes="pane-title")
                yield OptionList(id="transcripts")
            with Vertical(id="home-right"):
                yield Label(t("home.codebook"), id="home-codebook-title", classes="pane-title")
                yield Tree("", id="home-codebook")
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        tree = self.query_one(Tree)
        tree.show_root = False
        tree.can_focus = True
        self.query_one(OptionList).focus()
        self.reload()
        self._pipeline()

    @work(thread=True, exclusive=True, group="home-pipeline")
    def _pipeline(self) -> None:
        """Which spaCy pipeline suggests codes, shown once it is known (loading spaCy takes a moment)."""
        text = self.app.pipeline_description()
        self.app.call_from_thread(self._show_pipeline, text)

    def _show_pipeline(self, text: str) -> None:
        self.pipeline = text.split(" + ")[0]
        self._show_status()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        self._read()

    @work(thread=True, exclusive=True, group="home-load")
    def _read(self) -> None:
        p = self.app.project
        data = (p.transcripts(coder=self.app.coder), p.codes(), p.code_counts())
        self.app.call_from_thread(self._show, *data)

    def refresh_texts(self) -> None:
        self.query_one("#home-title", Label).update(t("home.title"))
        self.query_one("#home-codebook-title", Label).update(t("home.codebook"))
        self.reload()

    def _show(self, summaries: list[TranscriptSummary], codes: list[Code], counts: dict[str, int]) -> None:
        self.summaries = summaries
        ol = self.query_one(OptionList)
        previous = ol.highlighted_option.id if ol.highlighted_option else None
        options: list[Option] = []
        key = lambda s: (s.meta.institution or "~", s.meta.group or "~")  # noqa: E731
        for (inst, group), items in groupby(sorted(summaries, key=lambda s: (*key(s), s.name)), key=key):
            inst_label = inst if inst != "~" else t("home.unknown_institution")
            group_label = group if group != "~" else t("home.unknown_group")
            options.append(Option(Text(f"{inst_label} — {group_label}", style="bold"), disabled=True))
            for s in items:
                line = Text.assemble(
                    ("  " + s.name, "bold"), "\n    ", (progress_bar(s.coded_turns, s.turns), "green"), " ",
                    (t("home.progress", coded=s.coded_turns, turns=s.turns), "green" if s.coded_turns == s.turns and s.turns else ""),
                )
                if s.open_suggestions:
                    line.append(" · " + t("home.open_suggestions", n=s.open_suggestions), style="yellow")
                options.append(Option(line, id=s.name))
        if not summaries:
            options.append(Option(t("home.no_transcripts"), disabled=True))
        ol.set_options(options)
        ids = [o.id for o in options]
        if previous is not None and previous in ids:
            ol.highlighted = ids.index(previous)
        else:
            ol.highlighted = next((i for i, o in enumerate(options) if not o.disabled), None)
        self._show_codebook(codes, counts)
        self._show_status()

    def _show_status(self) -> None:
        p = self.app.project
        ro = " · RO" if p.readonly else ""
        pipeline = f" · {t('help.pipeline')}: {self.pipeline}" if self.pipeline else ""
        self.query_one("#status", Static).update(
            escape(t("home.header", path=p.path.name, coder=self.app.coder) + pipeline) + ro)

    def _show_codebook(self, codes: list[Code], counts: dict[str, int]) -> None:
        fill_code_tree(self.query_one(Tree), codes, counts, self.app.language)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.app.open_transcript(event.option.id)

    def action_open(self) -> None:
        ol = self.query_one(OptionList)
        if ol.highlighted_option and ol.highlighted_option.id:
            self.app.open_transcript(ol.highlighted_option.id)

    def action_search(self) -> None:
        from mivcode.tui.dialogs.search import SearchDialog

        def chosen(result) -> None:
            if result:
                hit, hits = result
                screen = self.app.open_transcript(hit.transcript, turn=hit.turn)
                screen.hits, screen.hit_index = hits, hits.index(hit)

        self.app.push_screen(SearchDialog(self.app.project), chosen)

    def palette_commands(self) -> list[tuple[str, str, object]]:
        return [(t("palette.open_transcript", name=s.name), s.meta.institution or "",
                 lambda n=s.name: self.app.open_transcript(n)) for s in self.summaries]
