"""Operations: every undoable change to a project, as a value.

An operation is a small frozen dataclass that knows how to apply itself to a
project file, what undoes it, what it touches (so `Project` drops exactly the caches
that went stale), how to say what it did (the undo/redo line of the CLI and the
coding screen) and what it does to the event log's own picture of codings and
memos (the replay the crash harness checks the file against). JSON exists only
at the event-log boundary: `to_json()` writes exactly the payloads mivcode has
always logged, and `from_json()` reads them, so older project files keep their
undo history.

Adding an undoable action is one dataclass here and one call:

    @register
    @dataclass(frozen=True, slots=True)
    class RenameThing(Op):
        kind: ClassVar[str] = "rename_thing"      # the "op" key in the log; never change it once shipped
        touches: ClassVar[Touches] = Touches.TRANSCRIPTS
        old: str
        new: str
        def apply(self, w): ...                    # w: Writes; its SQL lives in core/store/writer.py
        def inverse(self): return RenameThing(self.new, self.old)
        def describe(self, lang="nl"): ...
        def replay(self, state): ...

    project.apply(RenameThing("a", "b"), coder)

Fields of plain JSON types need no `to_json`/`from_json` of their own; tuples
are written as lists. `OPS` maps every kind to its class (tested: each one
round-trips JSON, its inverse's inverse is itself, and apply + inverse leaves
the store as it was).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar, Protocol

from mivcode.core import i18n
from mivcode.core.model import Code, Coding


class Writes(Protocol):
    """What an op may do to a project file; the `Writer` in `core/store/writer.py` does it in SQL.

    A new kind of change adds its method here and there.
    """

    def add_coding(self, c: Coding) -> int: ...
    def remove_coding(self, coding_id: int) -> None: ...
    def set_coding_memo(self, coding_id: int, memo: str | None) -> None: ...
    def recode(self, coding_ids: Iterable[int], code: str) -> None: ...
    def set_turn_memo(self, transcript: str, turn: int, coder: str, text: str | None) -> None: ...
    def put_code(self, code: Code) -> None: ...
    def remove_code(self, code_id: str) -> None: ...
    def set_suggestion_status(self, transcript: str, turn: int, code: str, status: str) -> None: ...
    def set_conventions(self, conventions: dict) -> None: ...


class Touches(enum.Flag):
    """What an op changes, so `Project` knows which of its caches to drop."""

    NOTHING = 0
    CODES = enum.auto()
    TRANSCRIPTS = enum.auto()
    CODINGS = enum.auto()
    MEMOS = enum.auto()
    SUGGESTIONS = enum.auto()
    EVERYTHING = CODES | TRANSCRIPTS | CODINGS | MEMOS | SUGGESTIONS


def _say(kind: str, lang: str, **values: Any) -> str:
    """The short phrase of each kind for the undo/redo line, from the catalogue (`op.<kind>`)."""
    return i18n.t(f"op.{kind}", lang=lang, **values)


@dataclass(slots=True)
class Replayed:
    """The codings (by id) and turn memos that a coder's event log adds up to."""

    codings: dict[int, Coding] = field(default_factory=dict)
    memos: dict[tuple[str, int, str], str] = field(default_factory=dict)  # (transcript, turn, coder) -> text


class Op:
    """Base of every operation; subclasses are frozen dataclasses registered in `OPS`."""

    __slots__ = ()
    kind: ClassVar[str]
    touches: ClassVar[Touches]

    def apply(self, w: Writes) -> None:
        """Make the change, inside the transaction `Project.apply` opens."""
        raise NotImplementedError

    def inverse(self) -> "Op":
        raise NotImplementedError

    def describe(self, lang: str = "nl") -> str:
        raise NotImplementedError

    def replay(self, state: Replayed) -> None:
        """What this op does to the log's picture of codings and turn memos (nothing, for most)."""
        raise NotImplementedError

    def leaves(self) -> Iterator["Op"]:
        """The op itself, or a batch's ops in order (flattened)."""
        yield self

    def to_json(self) -> dict:
        out: dict[str, Any] = {"op": self.kind}
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_json(cls, d: dict) -> "Op":
        return cls(**{f.name: _tuples(d[f.name]) for f in fields(cls)})  # type: ignore[arg-type]


def _tuples(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


OPS: dict[str, type[Op]] = {}


def register(cls: type[Op]) -> type[Op]:
    """Make `cls` readable from the event log under its `kind` (a kind is never reused)."""
    if cls.kind in OPS:
        raise ValueError(f"op kind {cls.kind!r} is registered twice")
    OPS[cls.kind] = cls
    return cls


def to_json(op: Op, label: str | None = None) -> dict:
    """The payload of a `do` event; `label` (codebook, merge, adjudicate, …) says which action logged it."""
    payload = op.to_json()
    if label:
        payload["label"] = label
    return payload


def from_json(payload: dict) -> Op:
    """An op from an event payload; KeyError/TypeError/ValueError for a damaged or unknown one."""
    kind = payload["op"]
    cls = OPS.get(kind)
    if cls is None:
        raise ValueError(f"unknown op {kind!r}")
    return cls.from_json(payload)


# -- helpers for the JSON of codings and codes ------------------------------------------------

_CODING_FIELDS = ("transcript", "start", "end", "code", "coder", "origin", "memo", "created_at", "id")


def coding_dict(c: Coding) -> dict:
    """A coding as the log holds it (its `turn` is derived, not stored). Field by field: asdict's deep
    copy made a 50,000-coding merge ten times slower."""
    return {f: getattr(c, f) for f in _CODING_FIELDS}


def code_dict(c: Code) -> dict:
    d = asdict(c)
    d.pop("line", None)
    return d


# -- codings ---------------------------------------------------------------------------------


@register
@dataclass(frozen=True, slots=True)
class AddCoding(Op):
    """Add a coding. Made without an id, it gets the store's id written into its coding when applied, so
    the log records the id and undo removes exactly this coding."""

    kind: ClassVar[str] = "add_coding"
    touches: ClassVar[Touches] = Touches.CODINGS
    coding: Coding

    def apply(self, w: Writes) -> None:
        cid = w.add_coding(self.coding)
        if self.coding.id is None:
            self.coding.id = cid

    def inverse(self) -> Op:
        return RemoveCoding(self.coding)

    def describe(self, lang: str = "nl") -> str:
        return _say(self.kind, lang, code=self.coding.code, transcript=self.coding.transcript)

    def replay(self, state: Replayed) -> None:
        if self.coding.id is not None:
            state.codings[self.coding.id] = _copy(self.coding)

    def to_json(self) -> dict:
        return {"op": self.kind, "coding": coding_dict(self.coding)}

    @classmethod
    def from_json(cls, d: dict) -> Op:
        return cls(Coding(**d["coding"]))


@register
@dataclass(frozen=True, slots=True)
class RemoveCoding(Op):
    kind: ClassVar[str] = "remove_coding"
    touches: ClassVar[Touches] = Touches.CODINGS
    coding: Coding

    def apply(self, w: Writes) -> None:
        w.remove_coding(self.coding.id)

    def inverse(self) -> Op:
        return AddCoding(self.coding)

    def describe(self, lang: str = "nl") -> str:
        return _say(self.kind, lang, code=self.coding.code, transcript=self.coding.transcript)

    def replay(self, state: Replayed) -> None:
        state.codings.pop(self.coding.id, None)

    def to_json(self) -> dict:
        return {"op": self.kind, "coding": coding_dict(self.coding)}

    @classmethod
    def from_json(cls, d: dict) -> Op:
        return cls(Coding(**d["coding"]))


def _copy(c: Coding) -> Coding:
    return Coding(c.transcript, c.start, c.end, c.code, c.coder, c.origin, c.memo, c.created_at, c.id)


@register
@dataclass(frozen=True, slots=True)
class SetCodingMemo(Op):
    kind: ClassVar[str] = "set_coding_memo"
    touches: ClassVar[Touches] = Touches.CODINGS
    coding_id: int
    old: str | None
    new: str | None

    def apply(self, w: Writes) -> None:
        w.set_coding_memo(self.coding_id, self.new)

    def inverse(self) -> Op:
        return SetCodingMemo(self.coding_id, self.new, self.old)

    def describe(self, lang: str = "nl") -> str:
        return _say(self.kind, lang)

    def replay(self, state: Replayed) -> None:
        c = state.codings.get(self.coding_id)
        if c is not None:
            c.memo = self.new


@register
@dataclass(frozen=True, slots=True)
class Recode(Op):
    """Move codings to another code (merging codes); `old` is the code they had."""

    kind: ClassVar[str] = "recode"
    touches: ClassVar[Touches] = Touches.CODINGS
    ids: tuple[int, ...]
    old: str
    new: str

    def apply(self, w: Writes) -> None:
        w.recode(self.ids, self.new)

    def inverse(self) -> Op:
        return Recode(self.ids, self.new, self.old)

    def describe(self, lang: str = "nl") -> str:
        return _say(self.kind, lang)

    def replay(self, state: Replayed) -> None:
        for cid in self.ids:
            c = state.codings.get(cid)
            if c is not None:
                c.code = self.new


# -- memos on turns ----------------------------------------------------------------------------


@register
@dataclass(frozen=True, slots=True)
class SetTurnMemo(Op):
    kind: ClassVar[str] = "set_turn_memo"
    touches: ClassVar[Touches] = Touches.MEMOS
    transcript: str
    turn: int
    coder: str
    old: str | None
    new: str | None

    def apply(self, w: Writes) -> None:
        w.set_turn_memo(self.transcript, self.turn, self.coder, self.new)

    def inverse(self) -> Op:
        return SetTurnMemo(self.transcript, self.turn, self.coder, self.new, self.old)

    def describe(self, lang: str = "nl") -> str:
        return _say(self.kind, lang, turn=self.turn)

    def replay(self, state: Replayed) -> None:
        key = (self.transcript, self.turn, self.coder)
        if self.new:
            state.memos[key] = self.new
        else:
            state.memos.pop(key, None)


# -- the codebook ------------------------------------------------------------------------------


@register
@dataclass(frozen=True, slots=True)
class SetConventions(Op):
    """The team's coding conventions (the codebook's `conventions:` block), as plain JSON values."""

    kind: ClassVar[str] = "set_conventions"
    touches: ClassVar[Touches] = Touches.CODES
    old: dict
    new: dict

    def apply(self, w: Writes) -> None:
        w.set_conventions(self.new)

    def inverse(self) -> Op:
        return SetConventions(self.new, self.old)

    def describe(self, lang: str = "nl") -> str:
        return _say(self.kind, lang)

    def replay(self, state: Replayed) -> None:
        return None


@register
@dataclass(frozen=True, slots=True)
class PutCode(Op):
    """Add (`old` None), change, or remove (`new` None) one code."""

    kind: ClassVar[str] = "put_code"
    touches: ClassVar[Touches] = Touches.CODES
    old: Code | None
    new: Code | None

    def apply(self, w: Writes) -> None:
        if self.new is not None:
            w.put_code(self.new)
        elif self.old is not None:
            w.remove_code(self.old.id)

    def inverse(self) -> Op:
        return PutCode(self.new, self.old)

    def describe(self, lang: str = "nl") -> str:
        return _say(self.kind, lang)

    def replay(self, state: Replayed) -> None:
        pass  # codes carry no codings: a removed code's codings were moved or removed by ops of their own

    def to_json(self) -> dict:
        return {"op": self.kind, "old": code_dict(self.old) if self.old else None,
                "new": code_dict(self.new) if self.new else None}

    @classmethod
    def from_json(cls, d: dict) -> Op:
        return cls(Code(**d["old"]) if d["old"] else None, Code(**d["new"]) if d["new"] else None)


# -- suggestions and adjudication ------------------------------------------------------------------


@register
@dataclass(frozen=True, slots=True)
class SetSuggestionStatus(Op):
    kind: ClassVar[str] = "set_suggestion_status"
    touches: ClassVar[Touches] = Touches.SUGGESTIONS
    transcript: str
    turn: int
    code: str
    old: str
    new: str

    def apply(self, w: Writes) -> None:
        w.set_suggestion_status(self.transcript, self.turn, self.code, self.new)

    def inverse(self) -> Op:
        return SetSuggestionStatus(self.transcript, self.turn, self.code, self.new, self.old)

    def describe(self, lang: str = "nl") -> str:
        return _say(self.kind, lang, code=self.code)

    def replay(self, state: Replayed) -> None:
        pass


@register
@dataclass(frozen=True, slots=True)
class Settle(Op):
    """An adjudication decision on a turn: a marker in the log (see `mivcode.core.team.consensus`).

    Nothing in the tables changes, so it is its own inverse; undoing the batch it is in unsettles the turn.
    """

    kind: ClassVar[str] = "settle"
    touches: ClassVar[Touches] = Touches.NOTHING
    transcript: str
    turn: int
    choice: str
    codes: tuple[str, ...]
    coders: tuple[str, ...]
    by: str | None

    def apply(self, w: Writes) -> None:
        pass

    def inverse(self) -> Op:
        return self

    def describe(self, lang: str = "nl") -> str:
        return _say(self.kind, lang, transcript=self.transcript, turn=self.turn)

    def replay(self, state: Replayed) -> None:
        pass


@register
@dataclass(frozen=True, slots=True)
class Batch(Op):
    """Several ops as one undoable step, applied in order and undone in reverse.

    `note` is provenance logged with the batch as it is (the automatic consensus fill names who ran it and
    for which coders); its inverse needs none, so undo events carry none.
    """

    kind: ClassVar[str] = "batch"
    ops: tuple[Op, ...]
    note: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def touches(self) -> Touches:  # type: ignore[override]
        out = Touches.NOTHING
        for op in self.ops:
            out |= op.touches
        return out

    def apply(self, w: Writes) -> None:
        for op in self.ops:
            op.apply(w)

    def inverse(self) -> Op:
        return Batch(tuple(op.inverse() for op in reversed(self.ops)))

    def describe(self, lang: str = "nl") -> str:
        return _say(self.kind, lang, n=len(self.ops))

    def replay(self, state: Replayed) -> None:
        for op in self.ops:
            op.replay(state)

    def leaves(self) -> Iterator[Op]:
        for op in self.ops:
            yield from op.leaves()

    def to_json(self) -> dict:
        return {"op": self.kind, "ops": [op.to_json() for op in self.ops], **self.note}

    @classmethod
    def from_json(cls, d: dict) -> Op:
        note = {k: v for k, v in d.items() if k not in ("op", "ops", "label")}
        return cls(tuple(from_json(sub) for sub in d["ops"]), note)


def batch(ops: list[Op]) -> Op:
    """One op as itself, several as a batch: what a single action logs."""
    return ops[0] if len(ops) == 1 else Batch(tuple(ops))
