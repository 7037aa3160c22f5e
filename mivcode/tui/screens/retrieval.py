"""Retrieval: every segment coded with a code, across transcripts, with context.

The list itself is `mivcode.core.queries.retrieval` (also `mivcode segments`);
this screen filters it by institution, group and coder, shows each quote with
the turn before and after, and Enter opens the turn.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from mivcode.core.i18n import t
from mivcode.core.queries.retrieval import Segment, collect_segments
from mivcode.tui.bindings import MivScreen, bind
from mivcode.tui.dialogs.code_picker import CodePicker
from mivcode.tui.dialogs.prompt import ChoiceDialog


class RetrievalScreen(MivScreen):
    BINDINGS = [
        bind("c", "pick_code", id="retrieval.pick_code"),
        bind("i", "filter('institution')", id="retrieval.filter_institution"),
        bind("g", "filter('group')", id="retrieval.filter_group"),
        bind("o", "filter('coder')", id="retrieval.filter_coder"),
        bind("escape", "app.pop_screen", id="retrieval.back"),
    ]

    def __init__(self, code: str | None = None) -> None:
        super().__init__()
        self.code = code
        self.filters: dict[str, str | None] = {"institution": None, "group": None, "coder": None}
        self.segments: list[Segment] = []

    def compose(self) -> ComposeResult:
        yield Static(t("retrieval.choose"), id="retrieval-summary")
        yield OptionList(id="segments")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        if self.code is None:
            codes = self.app.project.codes()
            counts = self.app.project.code_counts()
            used = [c for c in codes if counts.get(c.id)]
            self.code = (used or codes or [None])[0].id if (used or codes) else None
        self.reload()

    def reload(self) -> None:
        if self.code:
            self._load(self.code, dict(self.filters))

    @work(thread=True, exclusive=True, group="retrieval")
    def _load(self, code: str, filters: dict) -> None:
        segments = collect_segments(self.app.project, code, **filters)
        self.app.call_from_thread(self._show, segments)

    def _show(self, segments: list[Segment]) -> None:
        self.segments = segments
        lang = self.app.language
        codes = {c.id: c for c in self.app.project.codes()}
        code = codes.get(self.code or "")
        everyone = t("common.all")
        self.query_one("#retrieval-summary", Static).update(Text(t(
            "retrieval.summary", code=code.display(lang) if code else self.code, n=len(segments),
            institution=self.filters["institution"] or everyone, group=self.filters["group"] or everyone,
            coder=self.filters["coder"] or everyone)))
        options = []
        for i, s in enumerate(segments):
            sub = codes.get(s.coding.code)
            head = Text.assemble(
                (t("retrieval.item", transcript=s.coding.transcript, turn=s.turn, speaker=s.speaker,
                   coder=s.coding.coder), "bold"), "  ")
            if sub:
                head.append(f" {sub.display(lang)} ", style=f"on {sub.color}")
            body = Text()
            if s.before:
                body.append("  " + s.before + "\n", style="dim")
            quote = Text("▶ " + s.text)
            quote.stylize("bold underline", 2 + s.span[0], 2 + s.span[1])
            body.append_text(quote)
            if s.after:
                body.append("\n  " + s.after, style="dim")
            if s.coding.memo:
                body.append("\n  ✎ " + s.coding.memo, style="italic")
            options.append(Option(Text.assemble(head, "\n", body, "\n"), id=str(i)))
        if not segments:
            options.append(Option(t("retrieval.none"), disabled=True))
        ol = self.query_one(OptionList)
        ol.set_options(options)
        if segments:
            ol.highlighted = 0

    def action_pick_code(self) -> None:
        def chosen(code: str | None) -> None:
            if code:
                self.code = code
                self.reload()

        self.app.push_screen(CodePicker(self.app.project.codes(), title=t("picker.title"),
                                        language=self.app.language), chosen)

    def action_filter(self, what: str) -> None:
        p = self.app.project
        if what == "coder":
            values = p.coders_with_codings()
        else:
            values = sorted({getattr(s.meta, what) for s in p.transcripts() if getattr(s.meta, what)})
        choices: list[tuple[str, object]] = [(t("common.all"), "")] + [(v, v) for v in values]

        def chosen(value) -> None:
            if value is None:
                return
            self.filters[what] = value or None
            self.reload()

        self.app.push_screen(ChoiceDialog(t("retrieval.choose_filter", what=t(f"key.filter_{what}")), choices), chosen)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        s = self.segments[int(event.option.id or 0)]
        self.app.open_transcript(s.coding.transcript, turn=s.turn)

    def refresh_texts(self) -> None:
        self.reload()
