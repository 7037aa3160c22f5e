"""Codings, coders, memos and the event log. Writes must run inside `store.tx()`."""

from __future__ import annotations

import json
from collections.abc import Iterable

from mivcode.core.model import Coding, Event, Memo
from mivcode.core.store.connection import ProjectStore, now_iso, where

# A coding's turn is not read here: `Project.codings` fills it from the turns it holds, by `spans`.
_CODING_SELECT = """
SELECT c.id, t.name AS transcript, c.start, c."end", c.code_id AS code, k.name AS coder, c.origin, c.memo,
       c.created_at
FROM codings c JOIN transcripts t ON t.id = c.transcript_id JOIN coders k ON k.id = c.coder_id
"""


def coder_id(store: ProjectStore, name: str, *, create: bool = True) -> int | None:
    cid = store.scalar("SELECT id FROM coders WHERE name = ?", (name,))
    if cid is None and create:
        cid = store.conn.execute("INSERT INTO coders (name, created_at) VALUES (?, ?)", (name, now_iso())).lastrowid
    return cid


def coder_names(store: ProjectStore) -> list[str]:
    return [r["name"] for r in store.query("SELECT name FROM coders ORDER BY name")]


_coder_id = coder_id  # for insert_coding, whose keyword of that name shadows it


def coders_with_codings(store: ProjectStore) -> list[str]:
    return [
        r["name"]
        for r in store.query(
            "SELECT DISTINCT k.name FROM codings c JOIN coders k ON k.id = c.coder_id ORDER BY k.name"
        )
    ]


def _coding(r: dict) -> Coding:
    return Coding(
        transcript=r["transcript"], start=r["start"], end=r["end"], code=r["code"], coder=r["coder"],
        origin=r["origin"], memo=r["memo"], created_at=r["created_at"], id=r["id"],
    )


def list_codings(
    store: ProjectStore,
    *,
    coder: str | None = None,
    transcript: str | None = None,
    codes: list[str] | None = None,
) -> list[Coding]:
    clause, params = where(("k.name = ?", coder), ("t.name = ?", transcript),
                           ("c.code_id IN ({})", list(codes) if codes else None))
    sql = _CODING_SELECT + clause + " ORDER BY t.name, c.start, c.code_id, k.name"
    return [_coding(r) for r in store.query(sql, params)]


def get_coding(store: ProjectStore, coding_id: int) -> Coding | None:
    rows = store.query(_CODING_SELECT + " WHERE c.id = ?", (coding_id,))
    return _coding(rows[0]) if rows else None


def find_coding(store: ProjectStore, tid: int, start: int, end: int, code: str, coder: str) -> int | None:
    return store.scalar(
        'SELECT c.id FROM codings c JOIN coders k ON k.id = c.coder_id WHERE c.transcript_id = ? AND c.start = ?'
        ' AND c."end" = ? AND c.code_id = ? AND k.name = ?',
        (tid, start, end, code, coder),
    )


def insert_coding(store: ProjectStore, tid: int, c: Coding, *, coder_id: int | None = None) -> int:
    kid = coder_id if coder_id is not None else _coder_id(store, c.coder)
    cur = store.conn.execute(
        'INSERT INTO codings (id, transcript_id, start, "end", code_id, coder_id, origin, memo, created_at)'
        " VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
        (c.id, tid, c.start, c.end, c.code, kid, c.origin, c.memo, c.created_at or now_iso()),
    )
    if cur.rowcount == 0:  # the same coding exists already (a redo racing another process)
        return find_coding(store, tid, c.start, c.end, c.code, c.coder) or 0
    return int(cur.lastrowid)


def delete_coding(store: ProjectStore, coding_id: int) -> None:
    store.conn.execute("DELETE FROM codings WHERE id = ?", (coding_id,))


def recode(store: ProjectStore, coding_ids: Iterable[int], code: str) -> None:
    store.conn.executemany("UPDATE codings SET code_id = ? WHERE id = ?", [(code, cid) for cid in coding_ids])


def set_coding_memo(store: ProjectStore, coding_id: int, memo: str | None) -> None:
    store.conn.execute("UPDATE codings SET memo = ? WHERE id = ?", (memo, coding_id))


def codings_in_turn(store: ProjectStore, tid: int, start: int, end: int, code: str, coder: str) -> list[int]:
    """Ids of this coder's codings of `code` that touch a turn occupying [start, end) (`spans.turn_end`)."""
    return [
        r["id"]
        for r in store.query(
            'SELECT c.id FROM codings c JOIN coders k ON k.id = c.coder_id WHERE c.transcript_id = ?'
            ' AND c.code_id = ? AND k.name = ? AND c.start < ? AND c."end" > ? ORDER BY c.start',
            (tid, code, coder, end, start),
        )
    ]


def codes_in_range(store: ProjectStore, tid: int, start: int, end: int, coder: str) -> set[str]:
    """The codes of this coder's codings that touch a turn occupying [start, end) (`spans.turn_end`)."""
    return {
        r["code_id"]
        for r in store.query(
            'SELECT DISTINCT c.code_id FROM codings c JOIN coders k ON k.id = c.coder_id WHERE c.transcript_id = ?'
            ' AND k.name = ? AND c.start < ? AND c."end" > ?',
            (tid, coder, end, start),
        )
    }


def coded_turn_counts(store: ProjectStore, coder: str | None = None) -> dict[int, int]:
    """Per transcript id, the number of turns that at least one coding touches.

    Turns are sorted and disjoint, so each coding's first and last turn are two
    binary searches (`spans.touched_arrays`); a join of turns against codings was
    O(turns x codings) (77 s on Home for a 100,000-turn transcript with 20,000 codings).
    """
    import numpy as np

    from mivcode.core.spans import touched_arrays

    sql = 'SELECT DISTINCT c.transcript_id, c.start, c."end" FROM codings c'
    params: tuple = ()
    if coder is not None:
        sql += " JOIN coders k ON k.id = c.coder_id WHERE k.name = ?"
        params = (coder,)
    spans: dict[int, list[tuple[int, int]]] = {}
    with store._lock:
        for tid, a, b in store.conn.execute(sql, params):
            spans.setdefault(tid, []).append((a, b))
        out: dict[int, int] = {}
        for tid, rows in spans.items():
            bounds = np.array(
                store.conn.execute('SELECT start, "end" FROM turns WHERE transcript_id = ? ORDER BY idx', (tid,))
                .fetchall() or [(0, 0)], dtype=np.int64)
            starts, ends = bounds[:, 0], bounds[:, 1]
            arr = np.array(rows, dtype=np.int64)
            first, stop = touched_arrays(starts, ends, arr[:, 0], arr[:, 1])
            ok = stop > first
            marks = np.zeros(len(starts) + 1, dtype=np.int64)
            np.add.at(marks, first[ok], 1)
            np.add.at(marks, stop[ok], -1)
            out[tid] = int(np.count_nonzero(np.cumsum(marks)[:-1]))
    return out


def move_codings(store: ProjectStore, source: str, target: str) -> int:
    """Re-code every coding of `source` as `target`, dropping ones that would duplicate a coding."""
    store.conn.execute(
        "DELETE FROM codings WHERE code_id = ? AND EXISTS (SELECT 1 FROM codings d WHERE d.code_id = ?"
        ' AND d.transcript_id = codings.transcript_id AND d.start = codings.start AND d."end" = codings."end"'
        " AND d.coder_id = codings.coder_id)",
        (source, target),
    )
    cur = store.conn.execute("UPDATE codings SET code_id = ? WHERE code_id = ?", (target, source))
    return cur.rowcount


# -- memos on turns -----------------------------------------------------------


def get_turn_memo(store: ProjectStore, tid: int, turn: int, coder: str) -> str | None:
    return store.scalar(
        "SELECT m.text FROM memos m JOIN coders k ON k.id = m.coder_id WHERE m.transcript_id = ? AND m.turn_idx = ?"
        " AND k.name = ?",
        (tid, turn, coder),
    )


def set_turn_memo(store: ProjectStore, tid: int, turn: int, coder: str, text: str | None) -> None:
    kid = coder_id(store, coder)
    if text:
        store.conn.execute(
            "INSERT INTO memos (transcript_id, turn_idx, coder_id, text, created_at) VALUES (?,?,?,?,?)"
            " ON CONFLICT(transcript_id, turn_idx, coder_id) DO UPDATE SET text = excluded.text",
            (tid, turn, kid, text, now_iso()),
        )
    else:
        store.conn.execute(
            "DELETE FROM memos WHERE transcript_id = ? AND turn_idx = ? AND coder_id = ?", (tid, turn, kid)
        )


def list_memos(store: ProjectStore, transcript: str | None = None) -> list[Memo]:
    sql = (
        "SELECT m.id, t.name AS transcript, m.turn_idx, k.name AS coder, m.text, m.created_at FROM memos m"
        " JOIN transcripts t ON t.id = m.transcript_id JOIN coders k ON k.id = m.coder_id"
    )
    params: tuple = ()
    if transcript:
        sql += " WHERE t.name = ?"
        params = (transcript,)
    return [
        Memo(transcript=r["transcript"], text=r["text"], coder=r["coder"], turn=r["turn_idx"],
             created_at=r["created_at"], id=r["id"])
        for r in store.query(sql + " ORDER BY t.name, m.turn_idx", params)
    ]


# -- the event log ------------------------------------------------------------


def append_event(store: ProjectStore, coder: str | None, action: str, payload: dict, undoes: int | None = None) -> int:
    cur = store.conn.execute(
        "INSERT INTO events (ts, coder, action, payload, undoes) VALUES (?,?,?,?,?)",
        (now_iso(), coder, action, json.dumps(payload, ensure_ascii=False), undoes),
    )
    return int(cur.lastrowid)


def events(store: ProjectStore, coder: str | None = None, actions: tuple[str, ...] | None = None) -> list[Event]:
    clause, params = where(("coder = ?", coder), ("action IN ({})", list(actions) if actions else None))
    sql = "SELECT * FROM events" + clause + " ORDER BY id"
    return [
        Event(id=r["id"], ts=r["ts"], coder=r["coder"], action=r["action"], payload=json.loads(r["payload"]),
              undoes=r["undoes"])
        for r in store.query(sql, params)
    ]
