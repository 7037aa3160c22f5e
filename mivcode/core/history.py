"""Undo, redo and replay, read from the append-only event log.

Every action is an op (`mivcode.core.ops`) applied and logged in one
transaction as a `do` event; undo applies its inverse and logs an `undo` event
pointing at it; redo applies it again. Because the log holds full before/after
values, undo survives restarts and crashes, and the log doubles as provenance
for merges and audits. Payloads are parsed only when they are used, so one
damaged entry refuses only the step that needs it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mivcode.core.model import Event
from mivcode.core.ops import Op, Replayed, from_json

STEPS = ("do", "undo", "redo")


@dataclass(frozen=True, slots=True)
class Logged:
    """One entry of an undo or redo stack: the event that did it, and what it did."""

    event_id: int
    payload: dict

    @property
    def op(self) -> Op:
        return from_json(self.payload)

    @property
    def label(self) -> str | None:
        """Which action logged it when not a plain edit: codebook, merge, adjudicate, consensus, …"""
        return self.payload.get("label")


def stacks(events: Iterable[Event]) -> tuple[list[Logged], list[Logged]]:
    """Replay one coder's `do`/`undo`/`redo` events (in log order) into (undo stack, redo stack)."""
    undo: list[Logged] = []
    redo: list[Logged] = []
    for e in events:
        if e.action == "do":
            undo.append(Logged(e.id, e.payload))
            redo.clear()
        elif e.action == "undo":
            if undo and undo[-1].event_id == e.undoes:
                redo.append(Logged(e.id, undo.pop().payload))
        elif e.action == "redo":
            if redo and redo[-1].event_id == e.undoes:
                undo.append(Logged(e.id, redo.pop().payload))
    return undo, redo


def replay(events: Iterable[Event]) -> Replayed:
    """The codings and turn memos a log adds up to, from its first event on.

    An undo event's payload is the inverse it applied, so every `do`, `undo`
    and `redo` simply applies its payload. The crash harness and the state
    machine test compare this with the file: a change never lands without its
    log entry, nor the entry without the change.
    """
    state = Replayed()
    for e in events:
        if e.action in STEPS:
            from_json(e.payload).replay(state)
    return state
