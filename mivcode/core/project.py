"""The one API both front ends use: a project file and what a researcher does with it.

Every public method that changes something is one transaction that also
appends to the event log, so the CLI, the TUI and scripts get the same
guarantees (committed at once, undoable, auditable) without knowing SQL.
Undoable changes are ops (`mivcode.core.ops`) and all go through `apply`,
which also drops the caches an op touches; the engines, team work and
exchange above this module use only its public methods and `bulk` reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from mivcode.core import history, ops
from mivcode.core.clock import now_iso
from mivcode.core.codebook import Codebook, descendants, load_codebook, validate_structure
from mivcode.core.errors import InputError, ProjectError
from mivcode.core.importers.batch import plan_import
from mivcode.core.model import Code, Coding, Suggestion, Transcript, TranscriptMeta, Turn
from mivcode.core.ops import (
    AddCoding, Batch, Op, PutCode, Recode, RemoveCoding, SetCodingMemo, SetConventions, SetSuggestionStatus,
    SetTurnMemo, Touches,
)
from mivcode.core.conventions import Conventions, parse_conventions
from mivcode.core.spans import turn_end, turns_touched
from mivcode.core.store import codes as code_rows
from mivcode.core.store import codings as coding_rows
from mivcode.core.store import exports as export_rows
from mivcode.core.store import suggestions as suggestion_rows
from mivcode.core.store import team as team_rows
from mivcode.core.store import transcripts as transcript_rows
from mivcode.core.store.bulk import BulkReads
from mivcode.core.store.connection import ProjectStore
from mivcode.core.store.schema import APPLICATION_ID, SCHEMA_VERSION
from mivcode.core.store.writer import Writer


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
    conventions: bool = False  # the coding conventions changed


class Project:
    """A project file opened for work. Use as a context manager or call `close()`."""

    def __init__(self, store: ProjectStore):
        self.store = store
        self._codes: list[Code] | None = None
        self._conventions: Conventions | None = None
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

    @staticmethod
    def is_older_schema(path: str | Path) -> bool:
        """A mivcode project written by an older mivcode: reading it takes an upgraded copy (`copy_file`)."""
        header = team_rows.raw_header(str(path))
        return bool(header and header[0] == APPLICATION_ID and 0 < header[1] < SCHEMA_VERSION)

    @staticmethod
    def copy_file(path: str | Path, target: str | Path) -> None:
        """Copy a project with SQLite's online backup (consistent even while another process writes)."""
        team_rows.snapshot(str(path), str(target))

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def readonly(self) -> bool:
        return self.store.readonly

    @property
    def readonly_reason(self) -> str | None:
        return self.store.readonly_reason

    @property
    def bulk(self) -> BulkReads:
        """Whole tables as plain rows for team work and exchange (read-only; see `store.bulk`)."""
        return BulkReads(self.store)

    def meta(self, key: str) -> str | None:
        """A value of the file's own metadata (created_at, created_with, written_with)."""
        return self.store.meta(key)

    def schema_version(self) -> int:
        return self.store.schema_version()

    def problems(self, *, quick: bool = False, foreign_keys: bool = True) -> list[str]:
        """What SQLite's integrity (`quick`: quick_check) and foreign-key checks find (nothing, for a sound file)."""
        return self.store.problems(quick=quick, foreign_keys=foreign_keys)

    def damage(self, exc: Exception) -> str | None:
        """Why a failing read means a damaged file, or None when the file checks out (then it is a bug)."""
        return self.store.damage(exc)

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

    def conventions(self) -> Conventions:
        """The team's coding conventions (from its codebook's `conventions:` block; defaults when none).

        A stored value that no longer fits the codebook (a code removed since) keeps what still fits.
        """
        if self._conventions is None:
            conv, _errors, _warnings = parse_conventions(code_rows.load_conventions(self.store), "conventions",
                                                         {c.id: c for c in self.codes()})
            self._conventions = conv
        return self._conventions

    def set_conventions(self, conventions: Conventions, coder: str | None) -> None:
        """Change the coding conventions (undoable), e.g. from the codebook screen."""
        old, new = self.conventions().to_dict(), conventions.to_dict()
        if old != new:
            self.apply(SetConventions(old, new), coder)

    def code_counts(self) -> dict[str, int]:
        return code_rows.coding_counts(self.store)

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
        todo: list[Op] = []
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
                todo.extend(self._recode_ops(code_id, merge_into[code_id], ids))
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
            elif ops.code_dict(old) != ops.code_dict(c):
                change.updated.append(c.id)
            else:
                continue
            todo.append(PutCode(old, c))
        for code_id in change.removed:
            todo.append(PutCode(current[code_id], None))
        old_conv, new_conv = self.conventions().to_dict(), book.conventions.to_dict()
        if old_conv != new_conv:
            todo.append(SetConventions(old_conv, new_conv))
            change.conventions = True
        if todo:
            self.apply(Batch(tuple(todo)), coder, label="codebook")
        return change

    def _recode_ops(self, source: str, target: str, coding_ids: list[int]) -> list[Op]:
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
        out: list[Op] = [RemoveCoding(c) for c in drop]
        if move:
            out.append(Recode(tuple(c.id for c in move), source, target))
        return out

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
        self.apply(PutCode(old, code), coder, label="codebook")

    def merge_codes(self, source: str, target: str, coder: str | None) -> int:
        """Merge `source` into `target`: its codings move, its children move up, the code goes."""
        src, tgt = self.code(source), self.code(target)
        if source == target:
            raise InputError("cannot merge a code into itself")
        if target in descendants(self.codes(), source):
            raise InputError(f"cannot merge '{source}' into its own sub-code '{target}'")
        ids = [c.id for c in coding_rows.list_codings(self.store, codes=[source])]
        todo = self._recode_ops(source, target, ids)
        for child in self.codes():
            if child.parent == source:
                todo.append(PutCode(child, Code(**{**ops.code_dict(child), "parent": tgt.id})))
        todo.append(PutCode(src, None))
        self.apply(Batch(tuple(todo)), coder, label="codebook")
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

    def refi_guids(self) -> dict[str, str]:
        """REFI-QDA code guid → our code id, kept so that importing the same file twice changes nothing."""
        return export_rows.refi_guids(self.store)

    def save_refi_guids(self, mapping: dict[str, str]) -> None:
        with self.store.tx():
            export_rows.save_refi_guids(self.store, mapping)

    def refi_source_guids(self) -> dict[str, str]:
        """Transcript content hash → the REFI-QDA source guid it came under, as the other tool spelled it."""
        return export_rows.refi_source_guids(self.store)

    def save_refi_source_guids(self, mapping: dict[str, str]) -> None:
        with self.store.tx():
            export_rows.save_refi_source_guids(self.store, mapping)

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
            layout = transcript_rows.layout(self.store, name)
            if layout is None:
                raise InputError(f"unknown transcript '{name}' (see `mivcode transcripts`)")
            self._layout[name] = layout
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
        found = coding_rows.list_codings(self.store, coder=coder, transcript=transcript, codes=codes)
        for c in found:  # each coding's first turn, by the one rule (`spans`); None when it lies in a label
            turns = self._layout_of(c.transcript)[2]
            touched = turns_touched(turns, c.start, c.end)
            c.turn = turns[touched[0]].index if touched else None
        return found

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
        if not (u.start <= start < turn_end(u)):
            raise InputError(f"span {start}-{end} does not start in turn {turn} ({u.start}-{u.end})")
        if coding_rows.find_coding(self.store, tid, start, end, code, coder) is not None:
            raise InputError(f"turn {turn} of '{transcript}' is already coded '{code}' by {coder} at {start}-{end}")
        coding = Coding(transcript, start, end, code, coder, origin, memo or None, now_iso())
        # coding by hand what was suggested is accepting it: the ▶ goes, and undo brings it back
        self.apply(ops.batch([AddCoding(coding), *self._settled_by(transcript, start, end, code)]), coder)
        coding.turn = turn
        return coding

    def _settled_by(self, transcript: str, start: int, end: int, code: str) -> list[Op]:
        """Status ops that mark the open suggestions of `code` on the turns [start, end) touches as accepted."""
        _, _, turns = self._layout_of(transcript)
        touched = turns_touched(turns, start, end)
        if not touched:
            return []
        found = suggestion_rows.list_suggestions(self.store, transcript=transcript, status="open", code=code,
                                                 turns=(turns[touched[0]].index, turns[touched[-1]].index))
        return [SetSuggestionStatus(transcript, s.turn, code, "open", "accepted") for s in found]

    def remove_codings(self, transcript: str, turn: int, code: str, coder: str) -> int:
        """Remove this coder's codings of `code` that overlap the turn; returns how many."""
        tid, _, u = self._turn_in(transcript, turn)
        self.code(code)
        ids = coding_rows.codings_in_turn(self.store, tid, u.start, turn_end(u), code, coder)
        if not ids:
            return 0
        self.apply(ops.batch([RemoveCoding(coding_rows.get_coding(self.store, i)) for i in ids]), coder)
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
        self.apply(SetCodingMemo(coding_id, c.memo, memo or None), coder)

    def turn_memo(self, transcript: str, turn: int, coder: str) -> str | None:
        return coding_rows.get_turn_memo(self.store, self._tid(transcript), turn, coder)

    def set_turn_memo(self, transcript: str, turn: int, memo: str | None, coder: str) -> None:
        t = self.transcript(transcript)
        self._turn(t, turn)
        old = coding_rows.get_turn_memo(self.store, t.id, turn, coder)
        if (old or None) == (memo or None):
            return
        self.apply(SetTurnMemo(transcript, turn, coder, old, memo or None), coder)

    def memos(self, transcript: str | None = None):
        return coding_rows.list_memos(self.store, transcript)

    # -- suggestions (review state; the engine lives in core.suggest) ------------

    def suggestions(self, transcript: str | None = None, *, status: str | None = None, turn: int | None = None,
                    code: str | None = None) -> list[Suggestion]:
        return suggestion_rows.list_suggestions(self.store, transcript=transcript, status=status, turn=turn,
                                                code=code)

    def store_suggestions(self, transcript: str, changed: list[Suggestion], keep: set[tuple[int, str]],
                          state: tuple[str, str]) -> None:
        """A recompute's result for one transcript, in one transaction: `changed` upserted (a rejected one
        with unchanged evidence stays rejected), open ones not in `keep` (turn, code) dropped, and the
        engine's `state` (key, value) recorded so an unchanged transcript is not recomputed."""
        tid = self._tid(transcript)
        with self.store.tx():
            for s in changed:
                suggestion_rows.upsert_suggestion(self.store, tid, s)
            suggestion_rows.delete_suggestions(self.store, tid, keep)
            suggestion_rows.set_state(self.store, *state)

    def suggest_state(self, key: str) -> str | None:
        return suggestion_rows.get_state(self.store, key)

    def stored_model(self, name: str) -> tuple[bytes, dict] | None:
        """A trained model kept in the project: (data, meta), or None."""
        return suggestion_rows.load_model(self.store, name)

    def save_model(self, name: str, data: bytes, meta: dict, coder: str | None) -> None:
        with self.store.tx():
            suggestion_rows.save_model(self.store, name, data, meta, coder)

    def has_coding(self, transcript: str, start: int, end: int, code: str, coder: str) -> bool:
        tid, _, _ = self._layout_of(transcript)
        return coding_rows.find_coding(self.store, tid, start, end, code, coder) is not None

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
        todo: list[Op] = [SetSuggestionStatus(transcript, turn, code, s.status, "accepted")]
        coding = self._suggested_coding(transcript, s, coder)
        if coding is not None:
            todo.append(AddCoding(coding))
        self.apply(Batch(tuple(todo)), coder)
        return coding

    def _suggested_coding(self, transcript: str, s: Suggestion, coder: str) -> Coding | None:
        """The coding accepting `s` adds, or None when the coder's codings already touch its turn with its code."""
        tid, _, u = self._turn_in(transcript, s.turn)
        if coding_rows.codings_in_turn(self.store, tid, u.start, turn_end(u), s.code, coder):
            return None
        return Coding(transcript, s.start, s.end, s.code, coder, "suggestion", None, now_iso())

    def reject_suggestion(self, transcript: str, turn: int, code: str, coder: str) -> None:
        s = self._suggestion(transcript, turn, code)
        self.apply(SetSuggestionStatus(transcript, turn, code, s.status, "rejected"), coder)

    def accept_all(self, transcript: str, threshold: float, coder: str) -> int:
        """Accept every open suggestion at or above `threshold` in one undoable step."""
        todo: list[Op] = []
        for s in self.suggestions(transcript, status="open"):
            if s.score < threshold:
                continue
            todo.append(SetSuggestionStatus(transcript, s.turn, s.code, "open", "accepted"))
            c = self._suggested_coding(transcript, s, coder)
            if c is not None:
                todo.append(AddCoding(c))
        if todo:
            self.apply(Batch(tuple(todo)), coder)
        return sum(1 for o in todo if isinstance(o, SetSuggestionStatus))

    # -- the one door for changes, and undo / redo --------------------------------

    def apply(self, op: Op, coder: str | None, *, label: str | None = None) -> Op:
        """Apply an op and log it, in one transaction: every change to a project comes through here.

        `label` names the action in the log when it is not a plain edit (codebook, merge, adjudicate, …).
        Returns the op, with the ids the store gave new codings. Caches the op touches are dropped.
        """
        try:
            with self.store.tx():
                op.apply(Writer(self.store))
                coding_rows.append_event(self.store, coder, "do", ops.to_json(op, label))
        finally:
            self._forget(op.touches)
        return op

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Several calls that must land together or not at all (an import that adds codes, transcripts
        and codings): one BEGIN IMMEDIATE … COMMIT around them. On failure every cache is dropped, since
        what was read inside may have been rolled back."""
        try:
            with self.store.tx():
                yield
        except BaseException:
            self._forget(Touches.EVERYTHING)
            raise

    def log(self, coder: str | None, action: str, payload: dict) -> None:
        """Record provenance that changes nothing undoable (a merge's source files)."""
        with self.store.tx():
            coding_rows.append_event(self.store, coder, action, payload)

    def _forget(self, touched: Touches) -> None:
        if touched & Touches.CODES:
            self._codes = None
            self._conventions = None
        if touched & Touches.TRANSCRIPTS:
            self._layout.clear()

    def undo(self, coder: str) -> history.Logged | None:
        """Undo this coder's last action (also after a restart). Returns what was undone (its op and
        label), or None."""
        return self._step(coder, "undo")

    def redo(self, coder: str) -> history.Logged | None:
        """Redo what this coder last undid. Returns what was redone, or None."""
        return self._step(coder, "redo")

    def undoable(self, coder: str) -> list[history.Logged]:
        """This coder's actions still in force, oldest first (the undo stack)."""
        return self._stacks(coder)[0]

    def _stacks(self, coder: str) -> tuple[list[history.Logged], list[history.Logged]]:
        return history.stacks(coding_rows.events(self.store, coder, history.STEPS))

    def _step(self, coder: str, action: str) -> history.Logged | None:
        undo, redo = self._stacks(coder)
        stack = undo if action == "undo" else redo
        if not stack:
            return None
        entry = stack[-1]
        op: Op | None = None
        try:
            op = entry.op
            todo = op.inverse() if action == "undo" else op
            with self.store.tx():
                todo.apply(Writer(self.store))
                coding_rows.append_event(self.store, coder, action, ops.to_json(todo), undoes=entry.event_id)
        except (KeyError, TypeError, ValueError) as exc:
            # a hand-edited or damaged log entry: refuse this step rather than guess
            raise ProjectError(
                f"{self.path}: cannot {action} event {entry.event_id}: its log entry is damaged "
                f"({exc.__class__.__name__})"
            ) from None
        finally:
            self._forget(op.touches if op is not None else Touches.EVERYTHING)
        return entry

    def events(self, coder: str | None = None):
        return coding_rows.events(self.store, coder)
