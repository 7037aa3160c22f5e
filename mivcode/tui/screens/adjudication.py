"""Adjudication: walk through the turns where coders disagree and settle each into the consensus layer.

Keyboard-first, like a discussion at the table: the turn with the turn
before and after for context, each coder's codes side by side (the codes
that differ marked), then 1-5 takes a coder's side, b takes both (the
union), e edits (pick codes), x decides "no code", m notes why (a memo of
the consensus layer; the coders' own memos are shown), n/p move on, u undoes.
Every decision is one undoable step of the coder `consensus` (see
`mivcode.core.team.consensus`); progress shows n of m settled.

Self-contained (its own catalogue and tcss) so the app can push it from
Home and `mivcode adjudicate` can host it in a small App of its own.
"""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from mivcode.core.errors import MivcodeError
from mivcode.core.model import CONSENSUS_CODER, Code, Transcript
from mivcode.core.ops import Settle
from mivcode.core.project import Project
from mivcode.core.team import consensus
from mivcode.core.team.consensus import TurnComparison

from mivcode.tui.i18n import language as _ui_language


_TEXT: dict[str, tuple[str, str]] = {
    "title": ("Beoordelen: {coders}", "Adjudication: {coders}"),
    "progress": ("{settled} van {total} beslist", "{settled} of {total} settled"),
    "position": ("verschil {i} van {n} — {transcript}, beurt {turn}",
                 "disagreement {i} of {n} — {transcript}, turn {turn}"),
    "none": ("Geen verschillen: de coders zijn het overal eens (of hebben geen gemeenschappelijke transcripten).",
             "No disagreements: the coders agree everywhere (or share no transcripts)."),
    "no_codes": ("(geen codes)", "(no codes)"),
    "consensus": ("Consensus", "Consensus"),
    "open": ("nog niet beslist", "not settled yet"),
    "settled_as": ("beslist: {codes}", "settled: {codes}"),
    "settled_none": ("beslist: geen code", "settled: no code"),
    "all_done": ("Alle {n} verschillen zijn beslist.", "All {n} disagreements are settled."),
    "undone": ("Ongedaan gemaakt: {what}", "Undone: {what}"),
    "nothing_undo": ("Niets om ongedaan te maken.", "Nothing to undo."),
    "auto_done": ("{codings} codering(en) overgenomen in {turns} beurt(en) waarover de coders het eens zijn.",
                  "{codings} coding(s) copied in {turns} turn(s) the coders agree on."),
    "edit_title": ("Codes voor de consensus (spatie: aan/uit, Enter: opslaan, Esc: annuleren)",
                   "Codes for the consensus (space: toggle, Enter: save, Esc: cancel)"),
    "bad_coders": ("{problem} — kies de coders met `mivcode adjudicate PROJECT --coders a,b`.",
                   "{problem} — choose the coders with `mivcode adjudicate PROJECT --coders a,b`."),
    "no_coder": ("Er is geen coder {n}.", "There is no coder {n}."),
    "key_choose": ("Kies coder", "Choose coder"),
    "key_both": ("Beide (samen)", "Both (union)"),
    "key_edit": ("Aanpassen", "Edit"),
    "key_none": ("Geen code", "No code"),
    "key_next": ("Volgende", "Next"),
    "key_prev": ("Vorige", "Previous"),
    "key_next_open": ("Volgende open", "Next open"),
    "key_memo": ("Memo (waarom)", "Memo (why)"),
    "memo_title": ("Memo bij de beslissing over deze beurt (Enter: opslaan, leeg: wissen, Esc: annuleren)",
                   "Memo on the decision for this turn (Enter: save, empty: clear, Esc: cancel)"),
    "memo": ("memo", "memo"),
    "key_undo": ("Ongedaan maken", "Undo"),
    "key_auto": ("Eens → consensus", "Agreed → consensus"),
    "key_back": ("Terug", "Back"),
}


_BINDING_TEXT = {
    **{f"choose{i}": "key_choose" for i in range(1, 6)}, "both": "key_both", "edit": "key_edit", "none": "key_none",
    "next": "key_next", "previous": "key_prev", "next_open": "key_next_open", "memo": "key_memo", "undo": "key_undo",
    "auto": "key_auto", "back": "key_back",
}


def tr(key: str, **values) -> str:
    nl, en = _TEXT[key]
    return (en if _ui_language() == "en" else nl).format(**values)


class AdjudicationScreen(Screen):
    """Settle disagreements between `coders` (2-5) into the consensus layer, as `coder`."""

    CSS_PATH = "adjudication.tcss"
    BINDINGS = [
        *[Binding(str(i), f"choose({i})", tr("key_choose"), show=i == 1, key_display="1-5",
                  id=f"adjudication.choose{i}") for i in range(1, 6)],
        Binding("b", "union", tr("key_both"), id="adjudication.both"),
        Binding("e", "edit", tr("key_edit"), id="adjudication.edit"),
        Binding("x", "no_code", tr("key_none"), id="adjudication.none"),
        Binding("n", "move(1)", tr("key_next"), id="adjudication.next"),
        Binding("p", "move(-1)", tr("key_prev"), id="adjudication.previous"),
        Binding("o", "next_open", tr("key_next_open"), id="adjudication.next_open"),
        Binding("m", "memo", tr("key_memo"), id="adjudication.memo"),
        Binding("u", "undo", tr("key_undo"), id="adjudication.undo"),
        Binding("a", "auto_agreed", tr("key_auto"), id="adjudication.auto"),
        Binding("escape,q", "leave", tr("key_back"), id="adjudication.back"),
    ]

    def __init__(self, project: Project, coders: list[str] | None = None, coder: str | None = None) -> None:
        """`coders` None: every coder with codings except the consensus layer (from Home, which knows no team)."""
        super().__init__()
        self.project = project
        self.coder = coder
        self.problem: str | None = None
        if coders is None:
            coders = [c for c in project.coders_with_codings() if c != CONSENSUS_CODER]
        try:
            self.coders = consensus.check_coders(project, coders)
        except MivcodeError as exc:
            self.coders, self.problem = [], tr("bad_coders", problem=str(exc))
        self.items: list[TurnComparison] = []
        self.index = 0
        self._transcripts: dict[str, Transcript] = {}
        self._codes = {c.id: c for c in project.codes()}

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="adj-main"):
            with Horizontal(id="adj-header"):
                yield Label(tr("title", coders=" / ".join(self.coders)), id="adj-title")
                yield Label("", id="adj-progress")
            yield Label("", id="adj-position")
            with VerticalScroll(id="adj-context"):
                yield Static("", id="adj-before", classes="adj-turn context")
                yield Static("", id="adj-current", classes="adj-turn current")
                yield Static("", id="adj-after", classes="adj-turn context")
            with Horizontal(id="adj-coders"):
                for i, name in enumerate(self.coders, 1):
                    yield Static("", id=f"adj-coder-{i}", classes="adj-coder")
            yield Static("", id="adj-consensus")
        yield Footer()

    def _localize(self) -> None:
        """Footer texts in the language chosen now (the class was defined before the app set it)."""
        from dataclasses import replace

        table = self._bindings.key_to_bindings
        for key, bindings in list(table.items()):
            table[key] = [replace(b, description=tr(_BINDING_TEXT[b.id.rsplit(".", 1)[-1]]))
                          if b.id and b.id.rsplit(".", 1)[-1] in _BINDING_TEXT else b for b in bindings]

    def on_mount(self) -> None:
        self._localize()
        self._reload()
        first_open = next((i for i, it in enumerate(self.items) if not it.settled), 0)
        self.index = first_open
        self._show()

    # -- data --------------------------------------------------------------------

    def _reload(self) -> None:
        if self.problem:
            return
        key = self._key()
        self.items = [c for c in consensus.compare_turns(self.project, self.coders) if not c.agreed]
        self._goto(key)

    def _key(self) -> tuple[str, int] | None:
        if 0 <= self.index < len(self.items):
            item = self.items[self.index]
            return item.transcript, item.turn
        return None

    def _goto(self, key: tuple[str, int] | None) -> None:
        for i, it in enumerate(self.items):
            if (it.transcript, it.turn) == key:
                self.index = i
                return
        self.index = min(self.index, max(len(self.items) - 1, 0))

    def _transcript(self, name: str) -> Transcript:
        if name not in self._transcripts:
            self._transcripts[name] = self.project.transcript(name)
        return self._transcripts[name]

    @property
    def current(self) -> TurnComparison | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    @property
    def settled_count(self) -> int:
        return sum(1 for it in self.items if it.settled)

    # -- drawing -----------------------------------------------------------------

    def _label(self, code_id: str) -> str:
        c = self._codes.get(code_id)
        if c is None:
            return escape(code_id)
        return f"[{c.color}]■[/] {escape(c.display(_ui_language()))}"

    def _codes_text(self, codes: set[str], common: set[str]) -> str:
        if not codes:
            return f"[dim]{tr('no_codes')}[/dim]"
        ordered = sorted(codes, key=lambda c: (self._codes[c].order if c in self._codes else 0, c))
        return "\n".join(self._label(c) if c in common else f"[b]+ {self._label(c)}[/b]" for c in ordered)

    def _turn_text(self, t: Transcript, index: int) -> str:
        if not 0 <= index < len(t.turns):
            return ""
        u = t.turns[index]
        return f"[b]{escape(u.speaker)}[/b] [dim]#{u.index}[/dim]  {escape(t.turn_text(u).strip())}"

    def _show(self) -> None:
        total = len(self.items)
        self.query_one("#adj-progress", Label).update(tr("progress", settled=self.settled_count, total=total))
        item = self.current
        coder_boxes = [self.query_one(f"#adj-coder-{i}", Static) for i in range(1, len(self.coders) + 1)]
        if item is None:
            self.query_one("#adj-position", Label).update(self.problem or tr("none"))
            for w in ("#adj-before", "#adj-current", "#adj-after", "#adj-consensus"):
                self.query_one(w, Static).update("")
            for box in coder_boxes:
                box.update("")
            return
        t = self._transcript(item.transcript)
        self.query_one("#adj-position", Label).update(
            tr("position", i=self.index + 1, n=total, transcript=item.transcript, turn=item.turn))
        self.query_one("#adj-before", Static).update(self._turn_text(t, item.turn - 1))
        self.query_one("#adj-current", Static).update(self._turn_text(t, item.turn))
        self.query_one("#adj-after", Static).update(self._turn_text(t, item.turn + 1))
        common = set.intersection(*(item.codes[c] for c in item.coders))
        lines = max(max((len(item.codes[c]) for c in item.coders), default=1), 1)
        for i, (name, box) in enumerate(zip(self.coders, coder_boxes), 1):
            if name in item.codes:
                body = self._codes_text(item.codes[name], common)
                memo = self.project.turn_memo(item.transcript, item.turn, name)
                if memo:
                    body += f"\n[i]{tr('memo')}: {escape(memo)}[/i]"
                pad = "\n" * (lines - max(len(item.codes[name]), 1))  # equal heights side by side
                box.update(f"[b][{i}] {escape(name)}[/b]\n{body}{pad}")
                box.remove_class("absent")
            else:
                box.update(f"[dim][{i}] {escape(name)}\n—[/dim]" + "\n" * (lines - 1))
                box.add_class("absent")
        status = self.query_one("#adj-consensus", Static)
        memo = self.project.turn_memo(item.transcript, item.turn, CONSENSUS_CODER)
        memo_line = f"\n[i]{tr('memo')}: {escape(memo)}[/i]" if memo else ""
        if item.settled:
            state = tr("settled_as", codes=", ".join(sorted(item.consensus))) if item.consensus else tr("settled_none")
            status.update(f"[b]{tr('consensus')}[/b] — {state}\n{self._codes_text(item.consensus, item.consensus)}"
                          + memo_line)
            status.add_class("settled")
        else:
            status.update(f"[b]{tr('consensus')}[/b] — {tr('open')}" + memo_line)
            status.remove_class("settled")

    # -- actions -----------------------------------------------------------------

    def _decide(self, codes: set[str], choice: str) -> None:
        item = self.current
        if item is None:
            return
        try:
            consensus.decide(self.project, item, codes, choice=choice, by=self.coder)
        except MivcodeError as exc:
            self.notify(str(exc), severity="error")
            return
        self._advance()

    def _advance(self) -> None:
        """After a decision: the next open disagreement (wrapping), or stay when all are settled."""
        n = len(self.items)
        for step in range(1, n + 1):
            i = (self.index + step) % n
            if not self.items[i].settled:
                self.index = i
                break
        else:
            self.notify(tr("all_done", n=n))
        self._show()

    def action_choose(self, n: int) -> None:
        item = self.current
        if item is None:
            return
        if n > len(self.coders) or self.coders[n - 1] not in item.codes:
            self.notify(tr("no_coder", n=n), severity="warning")
            return
        name = self.coders[n - 1]
        self._decide(set(item.codes[name]), f"coder:{name}")

    def action_union(self) -> None:
        if self.current is not None:
            self._decide(self.current.union, "union")

    def action_no_code(self) -> None:
        if self.current is not None:
            self._decide(set(), "none")

    def action_edit(self) -> None:
        item = self.current
        if item is None:
            return
        selected = item.consensus if item.settled else item.union

        def done(codes: set[str] | None) -> None:
            if codes is not None:
                self._decide(codes, "edit")

        self.app.push_screen(CodeChoice(self.project.codes(), set(selected), _ui_language()), done)

    def action_memo(self) -> None:
        """Why the team decided so: a memo of the consensus layer on this turn (undoable like a decision)."""
        item = self.current
        if item is None:
            return
        current = self.project.turn_memo(item.transcript, item.turn, CONSENSUS_CODER) or ""

        def done(text: str | None) -> None:
            if text is None:
                return
            try:
                self.project.set_turn_memo(item.transcript, item.turn, text or None, CONSENSUS_CODER)
            except MivcodeError as exc:
                self.notify(str(exc), severity="error")
                return
            self._show()

        self.app.push_screen(MemoInput(current), done)

    def action_move(self, step: int) -> None:
        if self.items:
            self.index = (self.index + step) % len(self.items)
            self._show()

    def action_next_open(self) -> None:
        if self.items:
            self._advance()

    def action_undo(self) -> None:
        if self.problem:
            return
        try:
            step = consensus.undo_last(self.project)
        except MivcodeError as exc:
            self.notify(str(exc), severity="error")
            return
        if step is None:
            self.notify(tr("nothing_undo"), severity="warning")
            return
        marker = next((o for o in step.op.leaves() if isinstance(o, Settle)), None)
        self._reload()
        if marker is not None:
            self._goto((marker.transcript, marker.turn))
            what = f"{marker.transcript} #{marker.turn}"
        else:
            what = step.label or step.op.describe(_ui_language())
        self.notify(tr("undone", what=what))
        self._show()

    def action_auto_agreed(self) -> None:
        if self.problem:
            return
        try:
            result = consensus.auto_agreed(self.project, self.coders, by=self.coder)
        except MivcodeError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(tr("auto_done", codings=result.codings, turns=result.turns))
        self._reload()
        self._show()

    def action_leave(self) -> None:
        self.dismiss(None)


class CodeChoice(ModalScreen[set[str] | None]):
    """Pick the consensus codes for one turn; preselected with the coders' union."""

    DEFAULT_CSS = """
    CodeChoice { align: center middle; }
    CodeChoice > Vertical { width: 80; height: 80%; border: thick $accent; background: $surface; padding: 0 1; }
    CodeChoice SelectionList { height: 1fr; }
    """
    BINDINGS = [
        Binding("enter", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, codes: list[Code], selected: set[str], language: str = "nl") -> None:
        super().__init__()
        self.codes = codes
        self.selected = selected
        self.language = language

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(tr("edit_title"))
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


class MemoInput(ModalScreen[str | None]):
    """One line of text for the consensus memo; Enter saves, Escape cancels."""

    DEFAULT_CSS = """
    MemoInput { align: center middle; }
    MemoInput > Vertical { width: 90; height: auto; border: thick $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, value: str) -> None:
        super().__init__()
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(tr("memo_title"))
            yield Input(self.value, id="memo-input")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class AdjudicationApp(App):
    """`mivcode adjudicate`: a small app that hosts only the adjudication screen."""

    TITLE = "mivcode"

    def __init__(self, project: Project, coders: list[str] | None, coder: str | None) -> None:
        super().__init__()
        self.project = project
        self.coders = coders
        self.coder = coder

    def on_mount(self) -> None:
        from mivcode.core.config import load_settings
        from mivcode.tui.i18n import set_language

        set_language(load_settings().language)
        self.push_screen(AdjudicationScreen(self.project, self.coders, self.coder), lambda _: self.exit())


CSS_FILE = Path(__file__).with_name("adjudication.tcss")
