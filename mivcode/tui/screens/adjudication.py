"""Adjudication: walk through the turns where coders disagree and settle each into the consensus layer.

Keyboard-first, like a discussion at the table: the turn with the turn
before and after for context, each coder's codes side by side (the codes
that differ marked), then 1-5 takes a coder's side, b takes both (the
union), e edits (pick codes), x decides "no code", m notes why (a memo of
the consensus layer; the coders' own memos are shown), n/p move on, u undoes.
Every decision is one undoable step of the coder `consensus` (see
`mivcode.core.team.consensus`); progress shows n of m settled.

A screen of the app like the others (Home's `v`; `mivcode adjudicate` opens
the app on it). Comparing every turn of the project, and filling in what the
coders agree on, read or write the whole project, so they run in a thread
worker that posts `Compared` back (Harlequin's pattern); meanwhile the screen
shows a loading state and the decision keys are disabled (`check_action`).
A decision touches one turn and is written at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Label, Static
from textual.worker import Worker, WorkerState

from mivcode.core.errors import MivcodeError
from mivcode.core.i18n import language, t
from mivcode.core.model import CONSENSUS_CODER, Code, Transcript
from mivcode.core.ops import Settle
from mivcode.core.team import consensus
from mivcode.core.team.consensus import TurnComparison
from mivcode.tui.bindings import MivScreen, bind
from mivcode.tui.dialogs.code_choice import CodeChoice
from mivcode.tui.dialogs.prompt import InputDialog

# Actions that change the consensus layer or walk the list: disabled while a comparison runs.
_NEEDS_ITEMS = {"choose", "union", "edit", "no_code", "move", "next_open", "memo", "undo", "auto_agreed"}


class AdjudicationScreen(MivScreen):
    """Settle disagreements between `coders` (2-5) into the consensus layer, as the app's coder."""

    BINDINGS = [
        *[bind(str(i), f"choose({i})", show=i == 1, key_display="1-5", id=f"adjudication.choose{i}")
          for i in range(1, 6)],
        bind("b", "union", id="adjudication.both"),
        bind("e", "edit", id="adjudication.edit"),
        bind("x", "no_code", id="adjudication.none"),
        bind("n", "move(1)", id="adjudication.next"),
        bind("p", "move(-1)", id="adjudication.previous"),
        bind("o", "next_open", id="adjudication.next_open"),
        bind("m", "memo", id="adjudication.memo"),
        bind("u", "undo", id="adjudication.undo"),
        bind("a", "auto_agreed", id="adjudication.auto"),
        bind("escape,q", "leave", id="adjudication.back"),
    ]

    @dataclass
    class Compared(Message):
        """A comparison finished in the worker: the open disagreements, or why there are none."""

        coders: list[str]
        items: list[TurnComparison]
        codes: list[Code]
        goto: tuple[str, int] | None  # keep this turn in view; None: the first open one
        problem: str | None = None
        note: str | None = None  # what an automatic fill did, for the status

    def __init__(self, coders: list[str] | None = None) -> None:
        """`coders` None: every coder with codings except the consensus layer (from Home, which knows no team)."""
        super().__init__()
        self.requested = coders
        self.coders: list[str] = []
        self.problem: str | None = None
        self.items: list[TurnComparison] = []
        self.index = 0
        self.comparing = False
        self._transcripts: dict[str, Transcript] = {}
        self._codes: dict[str, Code] = {}

    @property
    def project(self):
        return self.app.project

    @property
    def coder(self) -> str:
        return self.app.coder

    @property
    def language(self) -> str:
        return self.app.language

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="adj-main"):
            with Horizontal(id="adj-header"):
                yield Label("", id="adj-title")
                yield Label("", id="adj-progress")
            yield Label("", id="adj-position")
            with Vertical(id="adj-body"):  # what the comparison fills: a loading state meanwhile
                with VerticalScroll(id="adj-context"):
                    yield Static("", id="adj-before", classes="adj-turn context")
                    yield Static("", id="adj-current", classes="adj-turn current")
                    yield Static("", id="adj-after", classes="adj-turn context")
                yield Horizontal(id="adj-coders")
                yield Static("", id="adj-consensus")
        yield Footer()

    def on_mount(self) -> None:
        self._compare(None)

    def refresh_texts(self) -> None:
        """After a language switch."""
        self._show()

    # -- comparing (worker) ------------------------------------------------------

    def _compare(self, goto: tuple[str, int] | None, *, auto: bool = False) -> None:
        self.comparing = True
        self.query_one("#adj-body").loading = True
        self.refresh_bindings()
        if self.current is None:
            self._show()  # says what is being compared
        self._compare_worker(goto, auto)

    @work(thread=True, exclusive=True, group="adjudication", exit_on_error=False)
    def _compare_worker(self, goto: tuple[str, int] | None, auto: bool) -> None:
        project = self.project
        wanted = self.requested
        if wanted is None:
            wanted = [c for c in project.coders_with_codings() if c != CONSENSUS_CODER]
        try:
            coders = consensus.check_coders(project, wanted)
        except MivcodeError as exc:
            self.post_message(self.Compared([], [], [], None, problem=t("adjudication.bad_coders", problem=exc)))
            return
        note = None
        if auto:
            result = consensus.auto_agreed(project, coders, by=self.coder)
            note = t("adjudication.auto_done", codings=result.codings, turns=result.turns)
        items = [c for c in consensus.compare_turns(project, coders) if not c.agreed]
        self.post_message(self.Compared(coders, items, project.codes(), goto, note=note))

    async def on_adjudication_screen_compared(self, message: Compared) -> None:
        if message.coders != self.coders:  # the first result: a box per coder
            self.coders = message.coders
            boxes = self.query_one("#adj-coders", Horizontal)
            await boxes.remove_children()
            await boxes.mount_all(Static("", id=f"adj-coder-{i}", classes="adj-coder")
                                  for i in range(1, len(self.coders) + 1))
        self.problem = message.problem
        self.items = message.items
        self._codes = {c.id: c for c in message.codes}
        if message.goto is None:
            self.index = next((i for i, it in enumerate(self.items) if not it.settled), 0)
        else:
            self._goto(message.goto)
        self._done_comparing()
        if message.note:
            self.notify(message.note)
        self._show()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A comparison that failed (a damaged project, a lost lock) is reported and the screen stays usable."""
        if event.worker.group == "adjudication" and event.state == WorkerState.ERROR:
            self._done_comparing()
            self.notify(t("app.error", error=event.worker.error), severity="error")

    def _done_comparing(self) -> None:
        self.comparing = False
        self.query_one("#adj-body").loading = False
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While comparing, the keys that need the list are shown but disabled."""
        if action in _NEEDS_ITEMS and (self.comparing or self.problem):
            return None
        return True

    # -- data --------------------------------------------------------------------

    def _key(self) -> tuple[str, int] | None:
        item = self.current
        return (item.transcript, item.turn) if item else None

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
        return f"[{c.color}]■[/] {escape(c.display(self.language))}"

    def _codes_text(self, codes: set[str], common: set[str]) -> str:
        if not codes:
            return f"[dim]{t('adjudication.no_codes')}[/dim]"
        ordered = sorted(codes, key=lambda c: (self._codes[c].order if c in self._codes else 0, c))
        return "\n".join(self._label(c) if c in common else f"[b]+ {self._label(c)}[/b]" for c in ordered)

    def _turn_text(self, tr: Transcript, index: int) -> str:
        if not 0 <= index < len(tr.turns):
            return ""
        u = tr.turns[index]
        return f"[b]{escape(u.speaker)}[/b] [dim]#{u.index}[/dim]  {escape(tr.turn_text(u).strip())}"

    def _show(self) -> None:
        total = len(self.items)
        title = t("adjudication.title", coders=" / ".join(self.coders)) if self.coders else ""
        self.query_one("#adj-title", Label).update(title)
        progress = t("adjudication.progress", settled=self.settled_count, total=total) if self.coders else ""
        self.query_one("#adj-progress", Label).update(progress)
        item = self.current
        coder_boxes = [self.query_one(f"#adj-coder-{i}", Static) for i in range(1, len(self.coders) + 1)]
        if item is None:
            position = t("adjudication.comparing") if self.comparing else self.problem or t("adjudication.none")
            self.query_one("#adj-position", Label).update(position)
            for w in ("#adj-before", "#adj-current", "#adj-after", "#adj-consensus"):
                self.query_one(w, Static).update("")
            for box in coder_boxes:
                box.update("")
            return
        tr = self._transcript(item.transcript)
        self.query_one("#adj-position", Label).update(
            t("adjudication.position", i=self.index + 1, n=total, transcript=item.transcript, turn=item.turn))
        self.query_one("#adj-before", Static).update(self._turn_text(tr, item.turn - 1))
        self.query_one("#adj-current", Static).update(self._turn_text(tr, item.turn))
        self.query_one("#adj-after", Static).update(self._turn_text(tr, item.turn + 1))
        common = set.intersection(*(item.codes[c] for c in item.coders))
        lines = max(max((len(item.codes[c]) for c in item.coders), default=1), 1)
        memo_word = t("adjudication.memo")
        for i, (name, box) in enumerate(zip(self.coders, coder_boxes), 1):
            if name in item.codes:
                body = self._codes_text(item.codes[name], common)
                memo = self.project.turn_memo(item.transcript, item.turn, name)
                if memo:
                    body += f"\n[i]{memo_word}: {escape(memo)}[/i]"
                pad = "\n" * (lines - max(len(item.codes[name]), 1))  # equal heights side by side
                box.update(f"[b][{i}] {escape(name)}[/b]\n{body}{pad}")
                box.remove_class("absent")
            else:
                box.update(f"[dim][{i}] {escape(name)}\n—[/dim]" + "\n" * (lines - 1))
                box.add_class("absent")
        status = self.query_one("#adj-consensus", Static)
        memo = self.project.turn_memo(item.transcript, item.turn, CONSENSUS_CODER)
        memo_line = f"\n[i]{memo_word}: {escape(memo)}[/i]" if memo else ""
        head = f"[b]{t('adjudication.consensus')}[/b]"
        if item.settled:
            state = (t("adjudication.settled_as", codes=", ".join(sorted(item.consensus))) if item.consensus
                     else t("adjudication.settled_none"))
            status.update(f"{head} — {state}\n{self._codes_text(item.consensus, item.consensus)}" + memo_line)
            status.add_class("settled")
        else:
            status.update(f"{head} — {t('adjudication.open')}" + memo_line)
            status.remove_class("settled")

    # -- actions -----------------------------------------------------------------

    def _decide(self, codes: set[str], choice: str) -> None:
        item = self.current
        if item is None:
            return
        try:
            consensus.decide(self.project, item, codes, choice=choice, by=self.coder)
        except MivcodeError as exc:
            self.notify(exc.localized(), severity="error")
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
            self.notify(t("adjudication.all_done", n=n))
        self._show()

    def action_choose(self, n: int) -> None:
        item = self.current
        if item is None:
            return
        if n > len(self.coders) or self.coders[n - 1] not in item.codes:
            self.notify(t("adjudication.no_coder", n=n), severity="warning")
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

        self.app.push_screen(CodeChoice(list(self._codes.values()), set(selected), self.language), done)

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
                self.notify(exc.localized(), severity="error")
                return
            self._show()

        self.app.push_screen(InputDialog(t("adjudication.memo_title"), current, hint=t("adjudication.memo_hint")),
                             done)

    def action_move(self, step: int) -> None:
        if self.items:
            self.index = (self.index + step) % len(self.items)
            self._show()

    def action_next_open(self) -> None:
        if self.items:
            self._advance()

    def action_undo(self) -> None:
        try:
            step = consensus.undo_last(self.project)
        except MivcodeError as exc:
            self.notify(exc.localized(), severity="error")
            return
        if step is None:
            self.notify(t("coding.nothing_undo"), severity="warning")
            return
        marker = next((o for o in step.op.leaves() if isinstance(o, Settle)), None)
        if marker is not None:
            key = (marker.transcript, marker.turn)
            what = t("adjudication.turn_ref", transcript=marker.transcript, turn=marker.turn)
        else:
            key, what = self._key(), step.label or step.op.describe(language())
        self.notify(t("coding.undone", what=what))
        self._compare(key)

    def action_auto_agreed(self) -> None:
        self._compare(self._key(), auto=True)

    def action_leave(self) -> None:
        self.dismiss(None)
