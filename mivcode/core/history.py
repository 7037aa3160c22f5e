"""Reversible operations: what every user action writes to the event log.

An action is a small JSON-able op (or a batch of ops). It is applied and
logged in one transaction; undo applies its inverse and logs an `undo`
event pointing at it; redo applies it again. Because the log is append-only
and holds full before/after values, undo survives restarts and crashes and
the log doubles as provenance for merges and audits.
"""

from __future__ import annotations

from dataclasses import asdict

from mivcode.core.model import Code, Coding
from mivcode.core.store import codes as code_rows
from mivcode.core.store import codings as coding_rows
from mivcode.core.store import suggestions as suggestion_rows
from mivcode.core.store import transcripts as transcript_rows
from mivcode.core.store.connection import ProjectStore


def coding_dict(c: Coding) -> dict:
    d = asdict(c)
    d.pop("turn", None)
    return d


def code_dict(c: Code) -> dict:
    d = asdict(c)
    d.pop("line", None)
    return d


def invert(op: dict) -> dict:
    kind = op["op"]
    if kind == "add_coding":
        return {"op": "remove_coding", "coding": op["coding"]}
    if kind == "remove_coding":
        return {"op": "add_coding", "coding": op["coding"]}
    if kind == "batch":
        return {"op": "batch", "ops": [invert(o) for o in reversed(op["ops"])]}
    if kind in ("set_coding_memo", "set_turn_memo", "put_code", "recode", "set_suggestion_status"):
        return {**op, "old": op["new"], "new": op["old"]}
    if kind == "settle":  # an adjudication decision marker: nothing in the tables to reverse
        return dict(op)
    raise ValueError(f"cannot invert op {kind!r}")


def apply(store: ProjectStore, op: dict) -> None:
    """Apply one op; must run inside `store.tx()`."""
    kind = op["op"]
    if kind == "batch":
        for sub in op["ops"]:
            apply(store, sub)
    elif kind == "add_coding":
        c = Coding(**op["coding"])
        tid = _tid(store, c.transcript)
        coding_rows.insert_coding(store, tid, c)
    elif kind == "remove_coding":
        coding_rows.delete_coding(store, op["coding"]["id"])
    elif kind == "set_coding_memo":
        coding_rows.set_coding_memo(store, op["coding_id"], op["new"])
    elif kind == "set_turn_memo":
        coding_rows.set_turn_memo(store, _tid(store, op["transcript"]), op["turn"], op["coder"], op["new"])
    elif kind == "put_code":
        if op["new"] is None:
            code_rows.delete_code(store, op["old"]["id"])
        else:
            code_rows.upsert_code(store, Code(**op["new"]))
    elif kind == "recode":
        store.conn.executemany(
            "UPDATE codings SET code_id = ? WHERE id = ?", [(op["new"], cid) for cid in op["ids"]]
        )
    elif kind == "set_suggestion_status":
        suggestion_rows.set_status(store, _tid(store, op["transcript"]), op["turn"], op["code"], op["new"])
    elif kind == "settle":
        pass  # the decision lives in the event log (see mivcode.core.team.consensus)
    else:
        raise ValueError(f"unknown op {kind!r}")


def _tid(store: ProjectStore, name: str) -> int:
    tid = transcript_rows.transcript_id(store, name)
    if tid is None:
        raise ValueError(f"transcript {name!r} is gone")
    return tid


def stacks(store: ProjectStore, coder: str) -> tuple[list[tuple[int, dict]], list[tuple[int, dict]]]:
    """Replay the coder's log into (undo stack, redo stack) of (event id, op)."""
    undo: list[tuple[int, dict]] = []
    redo: list[tuple[int, dict]] = []
    for e in coding_rows.events(store, coder, ("do", "undo", "redo")):
        if e.action == "do":
            undo.append((e.id, e.payload))
            redo.clear()
        elif e.action == "undo":
            if undo and undo[-1][0] == e.undoes:
                _, op = undo.pop()
                redo.append((e.id, op))
        elif e.action == "redo":
            if redo and redo[-1][0] == e.undoes:
                _, op = redo.pop()
                undo.append((e.id, op))
    return undo, redo
