"""The coding screen: where researchers spend their hours.

Keyboard first: move with j/k, code with the codebook's shortcuts, accept or
reject suggestions with a/x, undo with u. The transcript is one virtual
`TranscriptView`; this screen turns its messages into calls on the core
`Project` API (the same calls the CLI makes) and reloads the annotations of the
open transcript afterwards, so what is on screen is always what is committed.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from mivcode.core.codebook import descendants
from mivcode.core.errors import MivcodeError, ReadOnlyError
from mivcode.core.i18n import t
from mivcode.core.model import Code, Coding, Suggestion, Transcript
from mivcode.tui.bindings import MivScreen, bind
from mivcode.tui.dialogs.code_picker import CodePicker
from mivcode.tui.dialogs.prompt import ChoiceDialog, InputDialog
from mivcode.tui.dialogs.search import SearchDialog
from mivcode.core.queries.search import SearchHit
from mivcode.tui.widgets.panel import TextPanel
from mivcode.tui.widgets.transcript_view import Hit, TranscriptView, contrast_text


FAILED = object()  # what `_edit` returns when the core refused; None is a valid result of some calls
AUTO_TRAIN_EVERY = 50          # new codings by this coder before the model retrains by itself
AUTO_TRAIN_CHECK_SECONDS = 60  # how often the screen asks (a cheap count, in a worker)


@dataclass(slots=True)
class Loaded:
    """Everything the screen shows about one transcript, read in a worker thread."""

    transcript: Transcript
    codes: list[Code]
    codings: list[Coding]
    suggestion_counts: dict[int, int]  # {turn: open suggestions}; the view loads a turn's full ones when shown
    memo_turns: dict[int, str]


@dataclass(slots=True)
class TurnFilter:
    kind: str  # all | uncoded | suggestions | memo | code | speaker
    value: str | None = None

    def label(self, codes: dict[str, Code], language: str) -> str:
        if self.kind == "code" and self.value:
            code = codes.get(self.value)
            return code.display(language) if code else self.value
        if self.kind == "speaker":
            return self.value or ""
        return t(f"filter.name.{self.kind}")


def _fraction(*args, **kwargs) -> float | None:
    """Accept the progress shapes an engine may report: (done, total), (fraction,), or keywords."""
    nums = [a for a in args if isinstance(a, (int, float)) and not isinstance(a, bool)]
    done = kwargs.get("done", nums[0] if nums else None)
    total = kwargs.get("total", nums[1] if len(nums) > 1 else None)
    if done is None:
        return None
    if total:
        return max(0.0, min(1.0, done / total))
    return float(done) if 0 <= done <= 1 else None


class CodingScreen(MivScreen):
    """Code one transcript; can switch to another (search hits, retrieval) without leaving."""

    BINDINGS = [
        bind("j,down", "move(1)", id="coding.down", show=False),
        bind("k,up", "move(-1)", id="coding.up", show=False),
        bind("pagedown", "page(1)", id="coding.page_down", show=False),
        bind("pageup", "page(-1)", id="coding.page_up", show=False),
        bind("g,home", "ends(0)", id="coding.first", show=False),
        bind("G,end", "ends(1)", id="coding.last", show=False),
        bind("c", "pick_code", id="coding.picker"),
        bind("a", "accept", id="coding.accept"),
        bind("x", "reject", id="coding.reject"),
        bind("ctrl+a", "accept_all", id="coding.accept_all", show=False),
        bind("m", "memo", id="coding.memo"),
        bind("u", "undo", id="coding.undo"),
        bind("ctrl+r", "redo", id="coding.redo", show=False),
        bind("ctrl+f", "filter", id="coding.filter"),
        bind("slash", "search", id="coding.search"),
        bind("n", "hit(1)", id="coding.next_hit", show=False),
        bind("N", "hit(-1)", id="coding.prev_hit", show=False),
        bind("ctrl+s", "suggest", id="coding.suggest", show=False),
        bind("ctrl+t", "train", id="coding.train", show=False),
        bind("left", "caret(-1)", id="coding.caret_left", show=False),
        bind("right", "caret(1)", id="coding.caret_right", show=False),
        bind("shift+left", "select(-1)", id="coding.select_left", show=False),
        bind("shift+right", "select(1)", id="coding.select_right", show=False),
        bind("shift+down", "select_line(1)", id="coding.select_down", show=False),
        bind("shift+up", "select_line(-1)", id="coding.select_up", show=False),
        bind("escape", "clear", id="coding.clear"),
    ]

    def __init__(self, transcript: str, *, turn: int | None = None) -> None:
        super().__init__()
        self.transcript_name = transcript
        self.start_turn = turn
        self.data: Loaded | None = None
        self.turn_filter = TurnFilter("all")
        self.hits: list[SearchHit] = []
        self.hit_index = -1
        self.last_action = ""
        self.progress_text = ""
        self.model_text = ""
        self._after_train = False

    # -- shortcuts to the app's state ---------------------------------------------------

    @property
    def project(self):
        return self.app.project

    @property
    def coder(self) -> str:
        return self.app.coder

    @property
    def language(self) -> str:
        return self.app.language

    @property
    def view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    @property
    def codes_by_id(self) -> dict[str, Code]:
        return {c.id: c for c in self.data.codes} if self.data else {}

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="coding-main"):
            yield TranscriptView(id="transcript")
            yield TextPanel(id="side")
        yield TextPanel(t("coding.loading"), id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.view.language = self.language
        self.view.focus()
        self.load(self.transcript_name, self.start_turn)
        self._model_state_worker()
        # Training runs by itself once enough new codings exist: checked now and then, in a worker.
        self.set_interval(AUTO_TRAIN_CHECK_SECONDS, self._auto_train_check)

    # -- loading (worker) -----------------------------------------------------------------

    def load(self, name: str, turn: int | None = None) -> None:
        self.transcript_name = name
        self.start_turn = turn
        self._load_worker(name)

    @work(thread=True, exclusive=True, group="coding-load", exit_on_error=False)
    def _load_worker(self, name: str) -> None:
        data = self._read(name)
        self.app.call_from_thread(self._loaded, data)

    def _read(self, name: str) -> Loaded:
        p = self.project
        return Loaded(
            transcript=p.transcript(name),
            codes=p.codes(),
            codings=p.codings(transcript=name, coder=self.coder),
            suggestion_counts=p.suggestion_counts(name, coder=self.coder),
            memo_turns={m.turn: m.text for m in p.memos(name) if m.coder == self.coder and m.turn is not None},
        )

    def _loaded(self, data: Loaded) -> None:
        self.data = data
        view = self.view
        view.set_transcript(data.transcript, data.codes)
        view.set_annotations(data.codings, data.suggestion_counts, set(data.memo_turns), self._suggestion_loader())
        self.turn_filter = TurnFilter("all")
        self._show_hits()
        if self.start_turn is not None:
            view.focus_turn(self.start_turn)
        self.refresh_side()

    def on_screen_resume(self) -> None:
        """Back from the codebook or a dialog: labels, colours, merges and shortcuts may have changed."""
        if self.data is not None:
            self.reload_annotations()

    def reload_annotations(self) -> None:
        """After an edit: re-read this coder's codings, open suggestions and memos (fast, indexed queries)."""
        if self.data is None:
            return
        p, name = self.project, self.transcript_name
        self.data.codes = p.codes()
        self.data.codings = p.codings(transcript=name, coder=self.coder)
        self.data.suggestion_counts = p.suggestion_counts(name, coder=self.coder)
        self.data.memo_turns = {m.turn: m.text for m in p.memos(name) if m.coder == self.coder and m.turn is not None}
        self.view.set_codes(self.data.codes)
        self.view.set_annotations(self.data.codings, self.data.suggestion_counts, set(self.data.memo_turns),
                                  self._suggestion_loader())
        self.refresh_side()

    def _suggestion_loader(self):
        """One turn's open suggestions with their evidence, read when the view shows or focuses that turn."""
        project, name = self.project, self.transcript_name
        coder = self.coder
        return lambda turn: project.open_suggestions(name, coder, turn=turn)

    # -- side panel and status ------------------------------------------------------------

    def on_transcript_view_focus_changed(self, event: TranscriptView.FocusChanged) -> None:
        self.refresh_side()

    def on_transcript_view_selection_changed(self, event: TranscriptView.SelectionChanged) -> None:
        self.refresh_status()

    def refresh_side(self) -> None:
        if self.data is None:
            return
        turn = self.view.focused_turn
        codes = self.codes_by_id
        lang = self.language
        lines = [f"[b]{t('coding.side_codes')}[/b]"]
        codings = self.view.codings_on(turn) if turn is not None else []
        if not codings:
            lines.append(f"[dim]{t('coding.no_codes')}[/dim]")
        u = self.data.transcript.turns[turn] if turn is not None else None
        for c in codings:
            code = codes.get(c.code)
            colour = code.color if code else "#888888"
            label = code.display(lang) if code else c.code
            part = "" if u and c.start <= u.start and c.end >= u.end else f" [dim]({t('coding.tag_span')})[/dim]"
            key = f"[dim]{code.shortcut}[/dim] " if code and code.shortcut else ""
            lines.append(f"{key}[{contrast_text(colour)} on {colour}] {label} [/]{part}")
            if c.memo:
                lines.append(f"  [i]✎ {_escape(c.memo)}[/i]")
        side = list(lines)
        sugg_lines = [f"[b]{t('coding.side_suggestions')}[/b]"]
        suggestions = self.view.suggestions_on(turn) if turn is not None else []
        if not suggestions:
            sugg_lines.append(f"[dim]{t('coding.no_suggestions')}[/dim]")
        for i, s in enumerate(sorted(suggestions, key=lambda s: -s.score)):
            code = codes.get(s.code)
            label = code.display(lang) if code else s.code
            mark = "▶ " if i == 0 else "  "
            sugg_lines.append(f"{mark}{s.score:.2f} [b]{_escape(label)}[/b] [dim]{s.source}[/dim]")
            for ev in s.evidence[:3]:
                sugg_lines.append(f"    [reverse]{_escape(ev.text)}[/reverse] [dim]{_escape(ev.rule)}[/dim]")
        if suggestions:
            sugg_lines.append(f"[dim]{t('coding.suggestion_hint')}[/dim]")
        side += [""] + sugg_lines
        memo = self.data.memo_turns.get(turn) if turn is not None else None
        if memo:
            side += ["", f"[b]{t('coding.side_memo')}[/b]", _escape(memo)]
        self.query_one("#side", TextPanel).set("\n".join(side))
        self.refresh_status()

    def refresh_status(self) -> None:
        if self.data is None:
            return
        pos, total = self.view.position
        flt = "" if self.turn_filter.kind == "all" else t(
            "coding.filter_label", name=self.turn_filter.label(self.codes_by_id, self.language), pos=pos, total=total)
        # the turn's own number, as the row label, evidence, search, the CLI and the exports give it (from 0)
        turn = self.view.focused_turn
        text = t("coding.status", coder=self.coder, transcript=self.transcript_name,
                 turn="–" if turn is None else turn, last=len(self.data.transcript.turns) - 1, filter=flt)
        sel = self.view.selection
        if sel:
            text += " · " + t("coding.selection", n=sel[1] - sel[0])
        if self.app.project.readonly:
            text += " · [b]RO[/b]"
        if self.model_text:
            text += " · " + self.model_text
        extra = " · ".join(x for x in (self.progress_text, self.last_action) if x)
        self.query_one("#status", TextPanel).set(text + (f" │ {_escape(extra)}" if extra else ""))

    def say(self, message: str) -> None:
        """Record what the last action did, in the status line (not a toast: it stays readable)."""
        self.last_action = message
        self.refresh_status()

    # -- editing through the core API ----------------------------------------------------

    def _edit(self, what: str, fn, *args, **kwargs):
        """Run one core call; a read-only project or a bad input becomes a polite message, never a crash."""
        if self.project.readonly:
            self.app.notify(t("app.readonly_refused", what=what), severity="warning")
            return FAILED
        try:
            return fn(*args, **kwargs)
        except ReadOnlyError:
            self.app.notify(t("app.readonly_refused", what=what), severity="warning")
        except MivcodeError as exc:
            self.app.notify(exc.localized(), severity="error")
            self.say(t("app.error", error=exc.localized()))
        return FAILED

    def apply_code(self, code_id: str) -> None:
        """Toggle a code on the focused turn, or code the selection when there is one."""
        turn = self.view.focused_turn
        if self.data is None or turn is None:
            return
        code = self.codes_by_id.get(code_id)
        label = code.display(self.language) if code else code_id
        sel = self.view.selection
        if sel:
            start_turn = self.data.transcript.turn_at(sel[0])
            coding = self._edit(label, self.project.add_coding, self.transcript_name,
                                start_turn.index if start_turn else turn, code_id, self.coder,
                                start=sel[0], end=sel[1])
            if coding is not FAILED:
                self.view.clear_selection()
                self.reload_annotations()
                self.say(t("coding.coded_span", n=sel[1] - sel[0], code=label))
            return
        now = self._edit(label, self.project.toggle_code, self.transcript_name, turn, code_id, self.coder)
        if now is FAILED:
            return
        self.reload_annotations()
        self.say(t("coding.coded" if now else "coding.uncoded", turn=turn, code=label))

    def code_shortcut(self, character: str) -> bool:
        """A codebook shortcut typed: toggle its code on the focused turn (or code the selection).

        The app calls this for a key no binding claims (see `MivApp.on_key`); the
        codebook of the moment decides, so a code added or re-keyed in the
        codebook screen works as soon as this screen shows again.
        """
        code = next((c for c in self.data.codes if c.shortcut == character), None) if self.data else None
        if code is None:
            return False
        self.apply_code(code.id)
        return True

    # -- actions ----------------------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        self.view.move(delta)

    def action_page(self, direction: int) -> None:
        self.view.move_page(direction)

    def action_ends(self, last: int) -> None:
        self.view.move_to_end(bool(last))

    def action_caret(self, direction: int) -> None:
        self.view.move_caret(direction, select=False)

    def action_select(self, direction: int) -> None:
        self.view.move_caret(direction, select=True)

    def action_select_line(self, direction: int) -> None:
        self.view.move_caret(direction, select=True, by_line=True)

    def action_clear(self) -> None:
        """Escape peels one layer: selection, then filter, then back to Home."""
        if self.view.clear_selection():
            self.refresh_status()
            return
        if self.turn_filter.kind != "all":
            self.set_filter(TurnFilter("all"))
            return
        self.app.pop_screen()

    def action_pick_code(self) -> None:
        if self.data is None:
            return

        def chosen(code_id: str | None) -> None:
            if code_id:
                self.apply_code(code_id)

        self.app.push_screen(CodePicker(self.data.codes, title=t("picker.title"), language=self.language), chosen)

    def _top_suggestion(self) -> Suggestion | None:
        turn = self.view.focused_turn
        if turn is None:
            return None
        open_ = sorted(self.view.suggestions_on(turn), key=lambda s: -s.score)
        return open_[0] if open_ else None

    def action_accept(self) -> None:
        self._review(accept=True)

    def action_reject(self) -> None:
        self._review(accept=False)

    def _review(self, *, accept: bool) -> None:
        """Accept or reject the focused turn's best open suggestion."""
        s = self._top_suggestion()
        if s is None:
            self.say(t("coding.no_open"))
            return
        label = self._label(s.code)
        review = self.project.accept_suggestion if accept else self.project.reject_suggestion
        if self._edit(label, review, self.transcript_name, s.turn, s.code, self.coder) is FAILED:
            return
        self.reload_annotations()
        self.say(t("coding.accepted" if accept else "coding.rejected", code=label))

    def action_accept_all(self) -> None:
        def answered(value: str | None) -> None:
            if value is None:
                return
            try:
                threshold = float(value.replace(",", "."))
                if not 0 <= threshold <= 1:
                    raise ValueError
            except ValueError:
                self.app.notify(t("coding.threshold_invalid"), severity="warning")
                return
            n = self._edit(t("key.accept_all"), self.project.accept_all, self.transcript_name, threshold, self.coder)
            if n is not FAILED:
                self.reload_annotations()
                self.say(t("coding.accepted_all", n=n, threshold=f"{threshold:.2f}"))

        self.app.push_screen(InputDialog(t("coding.threshold_title"), "0.80"), answered)

    def action_memo(self) -> None:
        turn = self.view.focused_turn
        if self.data is None or turn is None:
            return
        if self.project.readonly:
            self.app.notify(t("app.readonly_refused", what=t("key.memo")), severity="warning")
            return
        codings = self.view.codings_on(turn)
        if not codings:
            self._memo_for_turn(turn)
            return
        choices: list[tuple[str, object]] = [(t("memo.target_turn"), "turn")]
        choices += [(t("memo.target_coding", code=self._label(c.code)), c) for c in codings]

        def target(choice) -> None:
            if choice == "turn":
                self._memo_for_turn(turn)
            elif isinstance(choice, Coding):
                self._memo_for_coding(choice)

        self.app.push_screen(ChoiceDialog(t("memo.target"), choices), target)

    def _memo_for_turn(self, turn: int) -> None:
        assert self.data is not None
        current = self.data.memo_turns.get(turn, "")

        def saved(text: str | None) -> None:
            if text is None:
                return
            if self._edit(t("key.memo"), self.project.set_turn_memo, self.transcript_name, turn, text or None,
                          self.coder) is FAILED:
                return
            self.reload_annotations()
            self.say(t("coding.memo_saved" if text else "coding.memo_removed"))

        self.app.push_screen(InputDialog(t("memo.title_turn", turn=turn), current, hint=t("memo.hint")), saved)

    def _memo_for_coding(self, coding: Coding) -> None:
        def saved(text: str | None) -> None:
            if text is None or coding.id is None:
                return
            if self._edit(t("key.memo"), self.project.set_coding_memo, coding.id, text or None, self.coder) is FAILED:
                return
            self.reload_annotations()
            self.say(t("coding.memo_saved" if text else "coding.memo_removed"))

        self.app.push_screen(
            InputDialog(t("memo.title_coding", code=self._label(coding.code)), coding.memo or "", hint=t("memo.hint")),
            saved)

    def action_undo(self) -> None:
        self._step(redo=False)

    def action_redo(self) -> None:
        self._step(redo=True)

    def _step(self, *, redo: bool) -> None:
        """Undo or redo from the event log (also what was done before a restart)."""
        name = "redo" if redo else "undo"
        step = self._edit(t(f"key.{name}"), self.project.redo if redo else self.project.undo, self.coder)
        if step is FAILED:
            return
        if step is None:
            self.say(t(f"coding.nothing_{name}"))
            return
        self.reload_annotations()
        self.say(t("coding.redone" if redo else "coding.undone", what=step.op.describe(self.language)))

    # -- filters ---------------------------------------------------------------------------

    def action_filter(self) -> None:
        if self.data is None:
            return
        choices: list[tuple[str, object]] = [
            (t("filter.all"), TurnFilter("all")),
            (t("filter.uncoded"), TurnFilter("uncoded")),
            (t("filter.suggestions"), TurnFilter("suggestions")),
            (t("filter.memo"), TurnFilter("memo")),
            (t("filter.code", code="…"), "code"),
            (t("filter.speaker", speaker="…"), "speaker"),
        ]

        def chosen(choice) -> None:
            if isinstance(choice, TurnFilter):
                self.set_filter(choice)
            elif choice == "code":
                self.app.push_screen(
                    CodePicker(self.data.codes, title=t("filter.code", code=""), language=self.language),
                    lambda code: code and self.set_filter(TurnFilter("code", code)))
            elif choice == "speaker":
                speakers = sorted({u.speaker for u in self.data.transcript.turns})
                self.app.push_screen(
                    ChoiceDialog(t("filter.speaker", speaker=""), [(s, s) for s in speakers]),
                    lambda s: s and self.set_filter(TurnFilter("speaker", s)))

        self.app.push_screen(ChoiceDialog(t("filter.title"), choices), chosen)

    def filtered_turns(self, f: TurnFilter) -> list[int] | None:
        assert self.data is not None
        turns = self.data.transcript.turns
        if f.kind == "all":
            return None
        if f.kind == "uncoded":
            return [u.index for u in turns if not self.view.codings_on(u.index)]
        if f.kind == "suggestions":
            return self.view.turns_with_suggestions()
        if f.kind == "memo":
            with_memo = set(self.data.memo_turns) | {c.turn for c in self.data.codings if c.memo}
            return [u.index for u in turns if u.index in with_memo]
        if f.kind == "code":
            wanted = {f.value, *descendants(self.data.codes, f.value or "")}
            return [u.index for u in turns if any(c.code in wanted for c in self.view.codings_on(u.index))]
        if f.kind == "speaker":
            return [u.index for u in turns if u.speaker == f.value]
        return None

    def set_filter(self, f: TurnFilter) -> None:
        if self.data is None:
            return
        self.turn_filter = f
        turns = self.filtered_turns(f)
        self.view.set_visible(turns)
        if turns == []:
            self.say(t("coding.empty_filter"))
        self.refresh_side()

    # -- search -------------------------------------------------------------------------------

    def action_search(self) -> None:
        def chosen(result) -> None:
            if not result:
                return
            hit, hits = result
            self.hits = hits
            self.hit_index = hits.index(hit)
            self.jump_to_hit()

        self.app.push_screen(SearchDialog(self.project), chosen)

    def action_hit(self, step: int) -> None:
        if not self.hits:
            self.say(t("coding.no_hits"))
            return
        self.hit_index = (self.hit_index + step) % len(self.hits)
        self.jump_to_hit()

    def jump_to_hit(self) -> None:
        hit = self.hits[self.hit_index]
        self.say(t("coding.jumped", i=self.hit_index + 1, n=len(self.hits)))
        if hit.transcript != self.transcript_name:
            self.load(hit.transcript, hit.turn)
        else:
            self._show_hits()
            self.view.focus_turn(hit.turn)
            self.refresh_side()

    def _show_hits(self) -> None:
        if self.data is None:
            return
        turns = self.data.transcript.turns
        self.view.set_hits([
            Hit(h.transcript, h.turn, turns[h.turn].start + h.start, turns[h.turn].start + h.end)
            for h in self.hits if h.transcript == self.transcript_name and h.turn < len(turns)
        ])

    # -- suggestions engine (worker) ---------------------------------------------------------

    def action_suggest(self) -> None:
        if self.project.readonly:
            self.app.notify(t("app.readonly_refused", what=t("key.suggest")), severity="warning")
            return
        self._suggest_worker([self.transcript_name])

    @work(thread=True, exclusive=True, group="suggest", exit_on_error=False)
    def _suggest_worker(self, transcripts: list[str] | None) -> str:
        from mivcode.core.suggest.service import refresh_suggestions  # lazy: loads spaCy

        def progress(*args, **kwargs) -> None:
            frac = _fraction(*args, **kwargs)
            stage = next((a for a in args if isinstance(a, str)), "")
            pct = " ".join(x for x in (stage, f"{frac:.0%}" if frac is not None else "") if x)
            self.app.call_from_thread(self._progress, t("coding.suggest_running", pct=pct))

        self.app.call_from_thread(self._progress, t("coding.suggest_running", pct=""))
        refresh_suggestions(self.project, transcripts=transcripts, progress=progress)
        return "suggested"

    def action_train(self) -> None:
        if self.project.readonly:
            self.app.notify(t("app.readonly_refused", what=t("key.train")), severity="warning")
            return
        self._train_worker()

    @work(thread=True, exclusive=True, group="train", exit_on_error=False)
    def _train_worker(self) -> str:
        from mivcode.core.suggest.service import train_model

        def progress(*args, **kwargs) -> None:
            frac = _fraction(*args, **kwargs)
            self.app.call_from_thread(self._progress, t("coding.train_running", pct=f"{frac:.0%}" if frac else ""))

        train_model(self.project, coder=self.coder, progress=progress)
        return "trained"

    def _auto_train_check(self) -> None:
        if self.project.readonly or any(w.group == "train" and w.is_running for w in self.workers):
            return
        self._train_check_worker()

    @work(thread=True, exclusive=True, group="train-check", exit_on_error=False)
    def _train_check_worker(self) -> None:
        from mivcode.core.suggest.service import needs_training

        if needs_training(self.project, self.coder, every=AUTO_TRAIN_EVERY):
            self.app.call_from_thread(self._train_worker)

    @work(thread=True, exclusive=True, group="model-state", exit_on_error=False)
    def _model_state_worker(self) -> None:
        from mivcode.core.suggest.service import model_state

        state = model_state(self.project)
        if state["model"] == "team":
            text = t("coding.model_team", coder=state.get("coder") or "?", n=state.get("transcripts") or 0)
        else:
            text = t(f"coding.model_{state['model']}")
        self.app.call_from_thread(self._show_model, text)

    def _show_model(self, text: str) -> None:
        self.model_text = text
        self.refresh_status()

    def _progress(self, text: str) -> None:
        self.progress_text = text
        self.refresh_status()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One place for the outcome of slow work (Harlequin's pattern)."""
        worker = event.worker
        if worker.group not in ("suggest", "train"):
            if worker.group == "coding-load" and event.state == WorkerState.ERROR:
                self.app.notify(t("app.error", error=worker.error), severity="error")
            return
        if event.state == WorkerState.SUCCESS:
            self.progress_text = ""
            if worker.result == "suggested":
                self.reload_annotations()
                done = t("coding.suggest_done")
                self.say(f"{t('coding.train_done')} {done}" if self._after_train else done)
                self._after_train = False
            elif worker.result == "trained":
                self.say(t("coding.train_done"))
                self._model_state_worker()
                self._after_train = True
                self._suggest_worker([self.transcript_name])  # the new model's suggestions, here first
            else:
                self.refresh_status()
        elif event.state == WorkerState.ERROR:
            self.progress_text = ""
            self.app.notify(t("coding.suggest_failed", error=worker.error), severity="error")
            self.refresh_status()

    # -- palette --------------------------------------------------------------------------------

    def refresh_texts(self) -> None:
        """After a language switch: labels of codes, side panel and status in the new language."""
        self.view.language = self.language
        self.view.refresh()
        self.refresh_side()

    def palette_commands(self) -> list[tuple[str, str, object]]:
        """Extra commands beyond the bound actions: each filter by name, each code to apply."""
        out: list[tuple[str, str, object]] = []
        for kind in ("all", "uncoded", "suggestions", "memo"):
            f = TurnFilter(kind)
            out.append((t("palette.filter", name=t(f"filter.{kind}")), "", lambda f=f: self.set_filter(f)))
        if self.data:
            for code in self.data.codes:
                out.append((f"{t('key.shortcut')}: {code.display(self.language)}", code.shortcut or "",
                            lambda c=code.id: self.apply_code(c)))
        return out

    def _label(self, code_id: str) -> str:
        code = self.codes_by_id.get(code_id)
        return code.display(self.language) if code else code_id


def _escape(text: str | None) -> str:
    from rich.markup import escape

    return escape(text or "")
