"""The one API both front ends use: a project file and what a researcher does with it.

Every public method that changes something is one transaction that also
appends to the event log, so the CLI, the TUI and scripts get the same
guarantees (committed at once, undoable, auditable) without knowing SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mivcode.core import history
from mivcode.core.codebook import Codebook, descendants, load_codebook, validate_structure
from mivcode.core.errors import InputError, ProjectError
from mivcode.core.importers.batch import plan_import
from mivcode.core.model import Code, Coding, Suggestion, Transcript, TranscriptMeta, Turn
from mivcode.core.spans import turn_end, turns_touched
from mivcode.core.store import codes as code_rows
from mivcode.core.store import codings as coding_rows
from mivcode.core.store import suggestions as suggestion_rows
from mivcode.core.store import transcripts as transcript_rows
from mivcode.core.store.connection import ProjectStore, now_iso


@dataclass(slots=True)
class TranscriptSummary:
    name: str
    meta: TranscriptMeta
    turns: int
    words: int
    coded_turns: int
    open_suggestions: int


@dataclass(slots=True)
class ImportReport:
    imported: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@dataclass(slots=True)
class CodebookChange:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    merged: dict[str, str] = field(default_factory=dict)


class Project:
    """A project file opened for work. Use as a context manager or call `close()`."""

    def __init__(self, store: ProjectStore):
        self.store = store
        self._codes: list[Code] | None = None
        # Text and turns never change after import, so the coding hot path keeps them;
        # metadata is always read fresh (another process may edit it).
        self._layout: dict[str, tuple[int, int, list[Turn]]] = {}

    # -- lifecycle -------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, codebook: str | Path | Codebook | None = None) -> "Project":
        from mivcode.core.codebook import default_codebook_path

        book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook or default_codebook_path())
        project = cls(ProjectStore(path, create=True))
        project.apply_codebook(book, coder=None)
        return project

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False) -> "Project":
        return cls(ProjectStore(path, readonly=readonly))

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def readonly(self) -> bool:
        return self.store.readonly

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- codebook --------------------------------------------------------------

    def codes(self) -> list[Code]:
        if self._codes is None:
            self._codes = code_rows.load_codes(self.store)
        return self._codes

    def code(self, code_id: str) -> Code:
        for c in self.codes():
            if c.id == code_id:
                return c
        raise InputError(f"unknown code '{code_id}' (see `mivcode codebook`)")

    def code_counts(self) -> dict[str, int]:
        return code_rows.coding_counts(self.store)

    def _invalidate_codes(self) -> None:
        self._codes = None

    def apply_codebook(
        self, book: Codebook, *, merge_into: dict[str, str] | None = None, coder: str | None = None
    ) -> CodebookChange:
        """Load a (changed) codebook; labels follow ids, and no coding is ever dropped.

        A code that disappears but still has codings is refused unless `merge_into`
        names the code its codings move to.
        """
        merge_into = merge_into or {}
        current = {c.id: c for c in self.codes()}
        new = {c.id: c for c in book.codes}
        counts = self.code_counts()
        change = CodebookChange()
        ops: list[dict] = []
        for old_id, target in merge_into.items():
            if old_id not in current:
                raise InputError(f"--merge {old_id}={target}: the project has no code '{old_id}'")
            if target not in new:
                raise InputError(f"--merge {old_id}={target}: the new codebook has no code '{target}'")
        for code_id in current:
            if code_id in new:
                continue
            if code_id in merge_into:
                ids = [c.id for c in coding_rows.list_codings(self.store, codes=[code_id])]
                ops.extend(self._recode_ops(code_id, merge_into[code_id], ids))
                change.merged[code_id] = merge_into[code_id]
            elif counts.get(code_id):
                raise InputError(
                    f"{book.path or 'codebook'}: code '{code_id}' is removed but has {counts[code_id]} coding(s); "
                    f"keep it, or merge it with --merge {code_id}=OTHER_CODE"
                )
            change.removed.append(code_id)
        for c in book.codes:
            old = current.get(c.id)
            if old is None:
                change.added.append(c.id)
            elif history.code_dict(old) != history.code_dict(c):
                change.updated.append(c.id)
            else:
                continue
            ops.append({"op": "put_code", "old": history.code_dict(old) if old else None, "new": history.code_dict(c)})
        for code_id in change.removed:
            ops.append({"op": "put_code", "old": history.code_dict(current[code_id]), "new": None})
        if ops:
            self._do(coder, {"op": "batch", "ops": ops}, label="codebook")
        return change

    def _recode_ops(self, source: str, target: str, coding_ids: list[int]) -> list[dict]:
        """Move codings to another code; a coding that would duplicate one already there is removed instead."""
        existing = {
            (c.transcript, c.start, c.end, c.coder) for c in coding_rows.list_codings(self.store, codes=[target])
        }
        move, drop = [], []
        for cid in coding_ids:
            c = coding_rows.get_coding(self.store, cid)
            if c is None:
                continue
            (drop if (c.transcript, c.start, c.end, c.coder) in existing else move).append(c)
        ops: list[dict] = [{"op": "remove_coding", "coding": history.coding_dict(c)} for c in drop]
        if move:
            ops.append({"op": "recode", "ids": [c.id for c in move], "old": source, "new": target})
        return ops

    def save_code(self, code: Code, coder: str | None) -> None:
        """Add or edit one code (from the codebook screen)."""
        codes = [c for c in self.codes() if c.id != code.id] + [code]
        errors = validate_structure(codes, "codebook")
        if errors:
            raise InputError(errors[0].split(": ", 1)[1])
        shortcut_owner = next((c.id for c in codes if code.shortcut and c.shortcut == code.shortcut and c.id != code.id), None)
        if shortcut_owner:
            raise InputError(f"shortcut '{code.shortcut}' is already used by '{shortcut_owner}'")
        old = next((c for c in self.codes() if c.id == code.id), None)
        self._do(coder, {"op": "put_code", "old": history.code_dict(old) if old else None,
                         "new": history.code_dict(code)}, label="codebook")

    def merge_codes(self, source: str, target: str, coder: str | None) -> int:
        """Merge `source` into `target`: its codings move, its children move up, the code goes."""
        src, tgt = self.code(source), self.code(target)
        if source == target:
            raise InputError("cannot merge a code into itself")
        if target in descendants(self.codes(), source):
            raise InputError(f"cannot merge '{source}' into its own sub-code '{target}'")
        ids = [c.id for c in coding_rows.list_codings(self.store, codes=[source])]
        ops = self._recode_ops(source, target, ids)
        for child in self.codes():
            if child.parent == source:
                moved = Code(**{**history.code_dict(child), "parent": tgt.id})
                ops.append({"op": "put_code", "old": history.code_dict(child), "new": history.code_dict(moved)})
        ops.append({"op": "put_code", "old": history.code_dict(src), "new": None})
        self._do(coder, {"op": "batch", "ops": ops}, label="codebook")
        return len(ids)

    # -- transcripts -----------------------------------------------------------

    def import_files(
        self, files: Iterable[str | Path], *, manifest: str | Path | None = None, overrides: TranscriptMeta | None = None,
        coder: str | None = None,
    ) -> ImportReport:
        plan = plan_import(
            [Path(f) for f in files], manifest=Path(manifest) if manifest else None, overrides=overrides,
            existing_hash=lambda h: transcript_rows.find_by_hash(self.store, h),
            existing_name=lambda n: transcript_rows.transcript_id(self.store, n) is not None,
        )
        report = ImportReport(skipped=plan.skipped)
        if plan.new:
            with self.store.tx():
                for t in plan.new:
                    transcript_rows.insert_transcript(self.store, t)
                    report.imported.append(t.name)
                coding_rows.append_event(
                    self.store, coder, "import",
                    {"transcripts": [{"name": t.name, "file": t.source_file, "hash": t.content_hash} for t in plan.new]},
                )
        return report

    def add_transcript(self, t: Transcript, coder: str | None = None) -> None:
        """Insert an already-parsed transcript (REFI-QDA import, merge)."""
        with self.store.tx():
            transcript_rows.insert_transcript(self.store, t)
            coding_rows.append_event(self.store, coder, "import", {"transcripts": [{"name": t.name, "hash": t.content_hash}]})

    def set_transcript_meta(self, name: str, meta: TranscriptMeta, coder: str | None = None) -> None:
        tid = self._tid(name)
        with self.store.tx():
            transcript_rows.update_meta(self.store, tid, meta)
            coding_rows.append_event(self.store, coder, "meta", {"transcript": name, "meta": meta.as_dict()})

    def transcript_names(self) -> list[str]:
        return transcript_rows.transcript_names(self.store)

    def transcript(self, name: str) -> Transcript:
        t = transcript_rows.load_transcript(self.store, name)
        if t is None:
            raise InputError(f"unknown transcript '{name}' (see `mivcode transcripts`)")
        return t

    def find_transcript_by_hash(self, content_hash: str) -> str | None:
        return transcript_rows.find_by_hash(self.store, content_hash)

    def transcripts(self, coder: str | None = None) -> list[TranscriptSummary]:
        coded = coding_rows.coded_turn_counts(self.store, coder)
        open_counts = suggestion_rows.open_counts(self.store)
        out = []
        for r in transcript_rows.transcript_summaries(self.store):
            words = sum(len(text.split()) for _, text in transcript_rows.turn_texts(self.store, r["id"]))
            meta = TranscriptMeta(
                institution=r["institution"], group=r["group"], leerweg=r["leerweg"], niveau=r["niveau"],
                locatie=r["locatie"], datum=r["datum"], extra=r["meta"],
            )
            out.append(TranscriptSummary(r["name"], meta, r["turns"], words, coded.get(r["id"], 0), open_counts.get(r["id"], 0)))
        return out

    def turn_texts(self, name: str) -> list[tuple[int, str]]:
        return transcript_rows.turn_texts(self.store, self._tid(name))

    def _tid(self, name: str) -> int:
        tid = transcript_rows.transcript_id(self.store, name)
        if tid is None:
            raise InputError(f"unknown transcript '{name}' (see `mivcode transcripts`)")
        return tid

    def _turn(self, t: Transcript, index: int) -> Turn:
        if not 0 <= index < len(t.turns):
            raise InputError(f"transcript '{t.name}' has turns 0-{len(t.turns) - 1}, not {index}")
        return t.turns[index]

    def _layout_of(self, name: str) -> tuple[int, int, list[Turn]]:
        """(transcript id, text length, turns) without loading the text again on every toggle."""
        layout = self._layout.get(name)
        if layout is None:
            t = self.transcript(name)
            assert t.id is not None
            layout = self._layout[name] = (t.id, len(t.text), t.turns)
        return layout

    def _turn_in(self, name: str, index: int) -> tuple[int, int, Turn]:
        tid, length, turns = self._layout_of(name)
        if not 0 <= index < len(turns):
            raise InputError(f"transcript '{name}' has turns 0-{len(turns) - 1}, not {index}")
        return tid, length, turns[index]

    # -- coding ----------------------------------------------------------------

    def coders(self) -> list[str]:
        return coding_rows.coder_names(self.store)

    def coders_with_codings(self) -> list[str]:
        return coding_rows.coders_with_codings(self.store)

    def codings(
        self, *, coder: str | None = None, transcript: str | None = None, code: str | None = None,
        include_subcodes: bool = False,
    ) -> list[Coding]:
        codes = None
        if code is not None:
            self.code(code)
            codes = [code, *sorted(descendants(self.codes(), code))] if include_subcodes else [code]
        return coding_rows.list_codings(self.store, coder=coder, transcript=transcript, codes=codes)

    def add_coding(
        self, transcript: str, turn: int, code: str, coder: str, *, start: int | None = None, end: int | None = None,
        memo: str | None = None, origin: str = "manual",
    ) -> Coding:
        """Code a turn, or a span that starts inside the turn (absolute offsets; it may run into later turns)."""
        tid, length, u = self._turn_in(transcript, turn)
        self.code(code)
        if (start is None) != (end is None):
            raise InputError("give both --start and --end, or neither")
        if start is None:
            start, end = u.start, u.end
        assert end is not None
        if not (0 <= start < end <= length):
            raise InputError(f"span {start}-{end} is outside transcript '{transcript}' (0-{length})")
        if not (u.start <= start < max(u.end, u.start + 1)):
            raise InputError(f"span {start}-{end} does not start in turn {turn} ({u.start}-{u.end})")
        if coding_rows.find_coding(self.store, tid, start, end, code, coder) is not None:
            raise InputError(f"turn {turn} of '{transcript}' is already coded '{code}' by {coder} at {start}-{end}")
        coding = Coding(transcript, start, end, code, coder, origin, memo or None, now_iso())
        op: dict = {"op": "add_coding", "coding": history.coding_dict(coding)}
        settled = self._settled_by(transcript, start, end, code)
        if settled:  # coding by hand what was suggested is accepting it: the ▶ goes, and undo brings it back
            op = {"op": "batch", "ops": [op, *settled]}
        self._do(coder, op)
        coding.id = (op["ops"][0] if op["op"] == "batch" else op)["coding"]["id"]
        coding.turn = turn
        return coding

    def _settled_by(self, transcript: str, start: int, end: int, code: str) -> list[dict]:
        """Status ops that mark the open suggestions of `code` on the turns [start, end) touches as accepted."""
        _, _, turns = self._layout_of(transcript)
        touched = turns_touched(turns, start, end)
        if not touched:
            return []
        found = suggestion_rows.list_suggestions(self.store, transcript=transcript, status="open", code=code,
                                                 turns=(turns[touched[0]].index, turns[touched[-1]].index))
        return [{"op": "set_suggestion_status", "transcript": transcript, "turn": s.turn, "code": code,
                 "old": "open", "new": "accepted"} for s in found]

    def remove_codings(self, transcript: str, turn: int, code: str, coder: str) -> int:
        """Remove this coder's codings of `code` that overlap the turn; returns how many."""
        tid, _, u = self._turn_in(transcript, turn)
        self.code(code)
        ids = coding_rows.codings_in_turn(self.store, tid, u.start, max(u.end, u.start + 1), code, coder)
        if not ids:
            return 0
        ops = [{"op": "remove_coding", "coding": history.coding_dict(coding_rows.get_coding(self.store, i))} for i in ids]
        self._do(coder, ops[0] if len(ops) == 1 else {"op": "batch", "ops": ops})
        return len(ids)

    def toggle_code(self, transcript: str, turn: int, code: str, coder: str) -> bool:
        """The coding screen's shortcut: code the whole turn, or uncode it. Returns True when now coded."""
        if self.remove_codings(transcript, turn, code, coder):
            return False
        self.add_coding(transcript, turn, code, coder)
        return True

    def set_coding_memo(self, coding_id: int, memo: str | None, coder: str) -> None:
        c = coding_rows.get_coding(self.store, coding_id)
        if c is None:
            raise InputError(f"no coding with id {coding_id}")
        self._do(coder, {"op": "set_coding_memo", "coding_id": coding_id, "old": c.memo, "new": memo or None})

    def turn_memo(self, transcript: str, turn: int, coder: str) -> str | None:
        return coding_rows.get_turn_memo(self.store, self._tid(transcript), turn, coder)

    def set_turn_memo(self, transcript: str, turn: int, memo: str | None, coder: str) -> None:
        t = self.transcript(transcript)
        self._turn(t, turn)
        old = coding_rows.get_turn_memo(self.store, t.id, turn, coder)
        if (old or None) == (memo or None):
            return
        self._do(coder, {"op": "set_turn_memo", "transcript": transcript, "turn": turn, "coder": coder,
                         "old": old, "new": memo or None})

    def memos(self, transcript: str | None = None):
        return coding_rows.list_memos(self.store, transcript)

    # -- suggestions (review state; the engine lives in core.suggest) ------------

    def suggestions(self, transcript: str | None = None, *, status: str | None = None, turn: int | None = None,
                    code: str | None = None) -> list[Suggestion]:
        return suggestion_rows.list_suggestions(self.store, transcript=transcript, status=status, turn=turn,
                                                code=code)

    def suggestion_counts(self, transcript: str, *, status: str | None = "open", coder: str | None = None
                          ) -> dict[int, int]:
        """{turn: number of suggestions} of a transcript: what a view needs to mark turns without loading
        every suggestion's evidence (a 100,000-turn transcript has 100,000+ of them).

        With `coder`, a suggestion whose code that coder already gave the turn (a span, a coding made in
        another process or merged in) is not counted: there is nothing left to review.
        """
        counts = suggestion_rows.turn_counts(self.store, self._tid(transcript), status)
        if coder is None or not counts:
            return counts
        coded = self._coded_pairs(transcript, coder)
        if not coded:
            return counts
        for turn, _code in suggestion_rows.turn_codes(self.store, self._tid(transcript), status):
            if (turn, _code) in coded:
                counts[turn] -= 1
        return {turn: n for turn, n in counts.items() if n > 0}

    def open_suggestions(self, transcript: str, coder: str, *, turn: int | None = None) -> list[Suggestion]:
        """The open suggestions left for `coder` to review: not those whose code the coder gave the turn."""
        found = self.suggestions(transcript, status="open", turn=turn)
        if not found:
            return found
        if turn is None:
            coded = self._coded_pairs(transcript, coder)
            return [s for s in found if (s.turn, s.code) not in coded]
        tid, _, u = self._turn_in(transcript, turn)  # one turn, as the coding screen asks: one indexed query
        given = coding_rows.codes_in_range(self.store, tid, u.start, turn_end(u), coder)
        return [s for s in found if s.code not in given]

    def _coded_pairs(self, transcript: str, coder: str) -> set[tuple[int, str]]:
        _, _, turns = self._layout_of(transcript)
        return {(turns[i].index, c.code) for c in coding_rows.list_codings(self.store, coder=coder, transcript=transcript)
                for i in turns_touched(turns, c.start, c.end)}

    def _suggestion(self, transcript: str, turn: int, code: str) -> Suggestion:
        hits = self.suggestions(transcript, turn=turn, code=code)
        if not hits:
            raise InputError(f"no suggestion '{code}' for turn {turn} of '{transcript}' (run `mivcode suggest`)")
        return hits[0]

    def accept_suggestion(self, transcript: str, turn: int, code: str, coder: str) -> Coding | None:
        """Accepting codes the suggested span with origin `suggestion`, in one undoable step.

        A turn that already carries the code for this coder (a span coded by hand, say) is not coded
        again: the suggestion is only marked accepted, so one incident is counted once.
        """
        s = self._suggestion(transcript, turn, code)
        ops: list[dict] = [{"op": "set_suggestion_status", "transcript": transcript, "turn": turn, "code": code,
                            "old": s.status, "new": "accepted"}]
        coding = self._suggested_coding(transcript, s, coder)
        if coding is not None:
            ops.append({"op": "add_coding", "coding": history.coding_dict(coding)})
        self._do(coder, {"op": "batch", "ops": ops})
        return coding

    def _suggested_coding(self, transcript: str, s: Suggestion, coder: str) -> Coding | None:
        """The coding accepting `s` adds, or None when the coder's codings already touch its turn with its code."""
        tid, _, u = self._turn_in(transcript, s.turn)
        if coding_rows.codings_in_turn(self.store, tid, u.start, max(u.end, u.start + 1), s.code, coder):
            return None
        return Coding(transcript, s.start, s.end, s.code, coder, "suggestion", None, now_iso())

    def reject_suggestion(self, transcript: str, turn: int, code: str, coder: str) -> None:
        s = self._suggestion(transcript, turn, code)
        self._do(coder, {"op": "set_suggestion_status", "transcript": transcript, "turn": turn, "code": code,
                         "old": s.status, "new": "rejected"})

    def accept_all(self, transcript: str, threshold: float, coder: str) -> int:
        """Accept every open suggestion at or above `threshold` in one undoable step."""
        ops: list[dict] = []
        for s in self.suggestions(transcript, status="open"):
            if s.score < threshold:
                continue
            ops.append({"op": "set_suggestion_status", "transcript": transcript, "turn": s.turn, "code": s.code,
                        "old": "open", "new": "accepted"})
            c = self._suggested_coding(transcript, s, coder)
            if c is not None:
                ops.append({"op": "add_coding", "coding": history.coding_dict(c)})
        if ops:
            self._do(coder, {"op": "batch", "ops": ops})
        return sum(1 for o in ops if o["op"] == "set_suggestion_status")

    # -- undo / redo ------------------------------------------------------------

    def _do(self, coder: str | None, op: dict, label: str = "do") -> None:
        """Apply an op and log it, in one transaction. Codebook ops also log under `label` for provenance."""
        with self.store.tx():
            if op["op"] == "add_coding" and op["coding"].get("id") is None:
                c = Coding(**op["coding"])
                op["coding"]["id"] = coding_rows.insert_coding(self.store, self._tid(c.transcript), c)
            elif op["op"] == "batch":
                for sub in op["ops"]:
                    if sub["op"] == "add_coding" and sub["coding"].get("id") is None:
                        c = Coding(**sub["coding"])
                        sub["coding"]["id"] = coding_rows.insert_coding(self.store, self._tid(c.transcript), c)
                    else:
                        history.apply(self.store, sub)
            else:
                history.apply(self.store, op)
            coding_rows.append_event(self.store, coder, "do", {**op, "label": label} if label != "do" else op)
        if label == "codebook" or _touches_codes(op):
            self._invalidate_codes()

    def undo(self, coder: str) -> dict | None:
        """Undo this coder's last action (also after a restart). Returns the op undone, or None."""
        return self._step(coder, "undo")

    def redo(self, coder: str) -> dict | None:
        """Redo what this coder last undid. Returns the op redone, or None."""
        return self._step(coder, "redo")

    def _step(self, coder: str, action: str) -> dict | None:
        undo, redo = history.stacks(self.store, coder)
        stack = undo if action == "undo" else redo
        if not stack:
            return None
        event_id, op = stack[-1]
        try:
            plain = _strip_label(op)
            todo = history.invert(plain) if action == "undo" else plain
            with self.store.tx():
                history.apply(self.store, todo)
                coding_rows.append_event(self.store, coder, action, todo, undoes=event_id)
        except (KeyError, TypeError, ValueError) as exc:
            # a hand-edited or damaged log entry: refuse this step rather than guess
            raise ProjectError(
                f"{self.path}: cannot {action} event {event_id}: its log entry is damaged ({exc.__class__.__name__})"
            ) from None
        if _touches_codes(op):
            self._invalidate_codes()
        return op

    def events(self, coder: str | None = None):
        return coding_rows.events(self.store, coder)


def _strip_label(op: dict) -> dict:
    return {k: v for k, v in op.items() if k != "label"}


def _touches_codes(op: dict) -> bool:
    if op["op"] == "batch":
        return any(_touches_codes(o) for o in op["ops"])
    return op["op"] == "put_code"
