"""SQL for team work: bulk reads for agreement and merge, fast coding inserts.

The generic `list_codings` resolves each coding's turn with a sub-query, which
is right for one screen and too slow for 200,000 codings; agreement and merge
read raw rows here and map spans to turns with numpy instead. Writes must run
inside `store.tx()`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from mivcode.core.model import Coding
from mivcode.core.store.connection import ProjectStore, now_iso


def coding_rows(store: ProjectStore, coders: list[str] | None = None) -> list[tuple]:
    """(transcript_id, start, end, code_id, coder name) of all codings (of `coders`)."""
    sql = (
        'SELECT c.transcript_id, c.start, c."end", c.code_id, k.name FROM codings c'
        " JOIN coders k ON k.id = c.coder_id"
    )
    params: tuple = ()
    if coders:
        sql += f" WHERE k.name IN ({','.join('?' * len(coders))})"
        params = tuple(coders)
    with store._lock:
        return store.conn.execute(sql + " ORDER BY c.transcript_id, c.start", params).fetchall()


def coding_array(store: ProjectStore) -> tuple[np.ndarray, dict[int, str], dict[int, str]]:
    """All codings as an int64 array [n, 5] of (transcript_id, start, end, coder id, code rowid).

    With the coder names and code ids of those integers. Integers only, no
    ORDER BY: half a million codings load in a fraction of a second.
    """
    with store._lock:
        rows = store.conn.execute(
            'SELECT c.transcript_id, c.start, c."end", c.coder_id, d.rowid FROM codings c'
            " JOIN codes d ON d.id = c.code_id"
        ).fetchall()
        coders = dict(store.conn.execute("SELECT id, name FROM coders").fetchall())
        codes = dict(store.conn.execute("SELECT rowid, id FROM codes").fetchall())
    arr = np.array(rows, dtype=np.int64) if rows else np.empty((0, 5), dtype=np.int64)
    return arr, coders, codes


def full_coding_rows(store: ProjectStore) -> list[tuple]:
    """Every coding with what a merge carries over: (hash, start, end, code, coder, origin, memo, created_at)."""
    with store._lock:
        return store.conn.execute(
            'SELECT t.content_hash, c.start, c."end", c.code_id, k.name, c.origin, c.memo, c.created_at'
            " FROM codings c JOIN transcripts t ON t.id = c.transcript_id JOIN coders k ON k.id = c.coder_id"
            " ORDER BY c.id"
        ).fetchall()


def coding_details(store: ProjectStore) -> dict[tuple, tuple]:
    """(content hash, start, end, code, coder) -> (origin, memo) of every coding."""
    with store._lock:
        return {
            (h, s, e, c, k): (o, m)
            for h, s, e, c, k, o, m in store.conn.execute(
                'SELECT t.content_hash, c.start, c."end", c.code_id, k.name, c.origin, c.memo FROM codings c'
                " JOIN transcripts t ON t.id = c.transcript_id JOIN coders k ON k.id = c.coder_id"
            )
        }


def turn_bounds(store: ProjectStore) -> list[tuple]:
    """(transcript_id, idx, start, end) of every turn, ordered per transcript."""
    with store._lock:
        return store.conn.execute(
            'SELECT transcript_id, idx, start, "end" FROM turns ORDER BY transcript_id, idx'
        ).fetchall()


def turn_speakers_and_texts(store: ProjectStore) -> list[tuple]:
    """(transcript_id, idx, speaker, text) of every turn, to tell moderator turns from participants'."""
    with store._lock:
        return store.conn.execute(
            'SELECT u.transcript_id, u.idx, u.speaker, substr(t.text, u.start + 1, u."end" - u.start) '
            "FROM turns u JOIN transcripts t ON t.id = u.transcript_id ORDER BY u.transcript_id, u.idx"
        ).fetchall()


def transcript_moderator_meta(store: ProjectStore) -> dict[int, dict[str, str]]:
    """Per transcript id, its free metadata (a manifest's `moderator` column names the moderator)."""
    out: dict[int, dict[str, str]] = {}
    with store._lock:
        for tid, key, value in store.conn.execute("SELECT transcript_id, key, value FROM transcript_meta"):
            out.setdefault(tid, {})[key] = value
    return out


def transcript_index(store: ProjectStore) -> list[tuple]:
    """(id, name, content_hash, length of text) of every transcript."""
    with store._lock:
        return store.conn.execute(
            "SELECT id, name, content_hash, length(text) FROM transcripts ORDER BY id"
        ).fetchall()


def turn_memo_rows(store: ProjectStore) -> list[tuple]:
    """(content hash, turn, coder, text) of every turn memo."""
    with store._lock:
        return store.conn.execute(
            "SELECT t.content_hash, m.turn_idx, k.name, m.text FROM memos m JOIN transcripts t"
            " ON t.id = m.transcript_id JOIN coders k ON k.id = m.coder_id WHERE m.turn_idx IS NOT NULL"
            " ORDER BY m.id"
        ).fetchall()


def quick_check(store: ProjectStore) -> str:
    """SQLite's own consistency check ("ok" when the file is sound); catches truncated files."""
    with store._lock:
        rows = store.conn.execute("PRAGMA quick_check").fetchall()
    return "; ".join(str(r[0]) for r in rows[:3])


def insert_codings(store: ProjectStore, codings: Iterable[tuple[int, Coding]]) -> list[Coding]:
    """Insert codings, skipping any that exists already; returns the inserted ones with their ids.

    One statement per coding (SQLite gives no ids back from executemany), with
    the coder ids cached: 50,000 codings take well under a second.
    """
    coder_ids: dict[str, int] = {
        name: cid for cid, name in store.conn.execute("SELECT id, name FROM coders").fetchall()
    }
    inserted: list[Coding] = []
    execute = store.conn.execute
    for tid, c in codings:
        kid = coder_ids.get(c.coder)
        if kid is None:
            kid = int(execute("INSERT INTO coders (name, created_at) VALUES (?, ?)", (c.coder, now_iso())).lastrowid)
            coder_ids[c.coder] = kid
        cur = execute(
            'INSERT INTO codings (transcript_id, start, "end", code_id, coder_id, origin, memo, created_at)'
            " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
            (tid, c.start, c.end, c.code, kid, c.origin, c.memo, c.created_at or now_iso()),
        )
        if cur.rowcount:
            c.id = int(cur.lastrowid)
            inserted.append(c)
    return inserted


def raw_header(path: str) -> tuple[int, int] | None:
    """(application_id, user_version) read without opening the file for writing, or None if unreadable."""
    try:
        conn = sqlite3.connect(_ro_uri(path), uri=True)
    except sqlite3.Error:
        return None
    try:
        return (int(conn.execute("PRAGMA application_id").fetchone()[0]),
                int(conn.execute("PRAGMA user_version").fetchone()[0]))
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def snapshot(path: str, target: str) -> None:
    """Copy a project with SQLite's online backup, so an old-schema file can be upgraded as a copy."""
    src = sqlite3.connect(_ro_uri(path), uri=True)
    dest = sqlite3.connect(target)
    try:
        src.backup(dest)
    finally:
        dest.close()
        src.close()


def _ro_uri(path: str) -> str:
    return f"{Path(path).resolve().as_uri()}?mode=ro"


def bulk_insert_codings(store: ProjectStore, rows: Iterable[tuple[int, int, int, str, str, str]]) -> int:
    """Insert (transcript_id, start, end, code, coder, origin) rows without ids or log (fixtures, benchmarks)."""
    rows = list(rows)
    coder_ids: dict[str, int] = {
        name: cid for cid, name in store.conn.execute("SELECT id, name FROM coders").fetchall()
    }
    for name in {r[4] for r in rows} - set(coder_ids):
        coder_ids[name] = int(store.conn.execute(
            "INSERT INTO coders (name, created_at) VALUES (?, ?)", (name, now_iso())).lastrowid)
    stamp = now_iso()
    cur = store.conn.executemany(
        'INSERT INTO codings (transcript_id, start, "end", code_id, coder_id, origin, created_at)'
        " VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
        [(t, s, e, c, coder_ids[k], o, stamp) for t, s, e, c, k, o in rows],
    )
    return cur.rowcount
