"""Bulk reads for reports and exchange: a few flat queries instead of one per coding.

The exports touch every coding of a project (50,000 in a big study), so they
read transcripts, turns and codings in three plain scans and join them in
Python; per-row sub-queries and `substr()` over whole transcript texts are
what made the first version slow.
"""

from __future__ import annotations

import json

from mivcode.core.store.connection import ProjectStore

REFI_GUIDS_KEY = "refi_guids"


def transcript_table(store: ProjectStore, *, with_text: bool = True) -> list[dict]:
    """Every transcript with its metadata columns (and text), in report order."""
    text = ", t.text" if with_text else ""
    rows = store.query(
        "SELECT t.id, t.name, t.institution, t.grp AS \"group\", t.leerweg, t.niveau, t.locatie, t.datum,"
        f" t.content_hash, t.source_file, t.source_format{text} FROM transcripts t"
        " ORDER BY t.institution, t.grp, t.name"
    )
    extra: dict[int, dict[str, str]] = {}
    for r in store.query("SELECT transcript_id, key, value FROM transcript_meta ORDER BY transcript_id, key"):
        extra.setdefault(r["transcript_id"], {})[r["key"]] = r["value"]
    for r in rows:
        r["extra"] = extra.get(r["id"], {})
    return rows


def turn_table(store: ProjectStore) -> dict[int, list[tuple[int, str, int, int, float | None, float | None]]]:
    """Per transcript id, its turns as (idx, speaker, start, end, t_start, t_end) in order."""
    out: dict[int, list] = {}
    cur = store.conn.execute(
        'SELECT transcript_id, idx, speaker, start, "end", t_start, t_end FROM turns ORDER BY transcript_id, idx'
    )
    for tid, idx, speaker, start, end, ts, te in cur:
        out.setdefault(tid, []).append((idx, speaker, start, end, ts, te))
    return out


def coding_table(store: ProjectStore, coder: str | None = None) -> list[tuple]:
    """(transcript_id, start, end, code_id, coder, origin, memo, created_at) in text order."""
    sql = (
        'SELECT c.transcript_id, c.start, c."end", c.code_id, k.name, c.origin, c.memo, c.created_at'
        " FROM codings c JOIN coders k ON k.id = c.coder_id"
    )
    params: tuple = ()
    if coder is not None:
        sql += " WHERE k.name = ?"
        params = (coder,)
    return store.conn.execute(sql + ' ORDER BY c.transcript_id, c.start, c."end", c.code_id, k.name', params).fetchall()


def coders_with_codings(store: ProjectStore) -> list[str]:
    return [r[0] for r in store.conn.execute(
        "SELECT DISTINCT k.name FROM codings c JOIN coders k ON k.id = c.coder_id ORDER BY k.name")]


def refi_guids(store: ProjectStore) -> dict[str, str]:
    """REFI-QDA code guid → our code id, kept so that importing the same file twice changes nothing."""
    raw = store.meta(REFI_GUIDS_KEY)
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def save_refi_guids(store: ProjectStore, mapping: dict[str, str]) -> None:
    """Must run inside `store.tx()`."""
    store.conn.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (REFI_GUIDS_KEY, json.dumps(mapping, sort_keys=True)),
    )


def bulk_insert_codings(store: ProjectStore, rows: list[tuple[int, int, int, str, str, str, str | None, str]]) -> int:
    """(transcript_id, start, end, code, coder, origin, memo, created_at) in one executemany.

    For benchmarks and bulk tooling only: no event is logged, so these codings are not undoable.
    Must run inside `store.tx()`.
    """
    from mivcode.core.store.codings import coder_id

    ids = {name: coder_id(store, name) for name in {r[4] for r in rows}}
    cur = store.conn.executemany(
        'INSERT OR IGNORE INTO codings (transcript_id, start, "end", code_id, coder_id, origin, memo, created_at)'
        " VALUES (?,?,?,?,?,?,?,?)",
        [(t, s, e, c, ids[k], o, m, ts) for t, s, e, c, k, o, m, ts in rows],
    )
    return cur.rowcount


def turn_memo_table(store: ProjectStore) -> list[tuple[int, int, str, str]]:
    """(transcript_id, turn index, coder, text) of every memo on a turn."""
    return store.conn.execute(
        "SELECT m.transcript_id, m.turn_idx, k.name, m.text FROM memos m JOIN coders k ON k.id = m.coder_id"
        " WHERE m.turn_idx IS NOT NULL ORDER BY m.transcript_id, m.turn_idx, k.name"
    ).fetchall()
