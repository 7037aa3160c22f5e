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
REFI_SOURCE_GUIDS_KEY = "refi_source_guids"


def transcript_table(store: ProjectStore, *, with_text: bool = True) -> list[dict]:
    """Every transcript with its metadata columns (and text), in report order."""
    text = ", t.text" if with_text else ""
    rows = store.query(
        "SELECT t.id, t.name, t.institution, t.grp AS \"group\", t.leerweg, t.niveau, t.locatie, t.datum,"
        f" t.content_hash, t.source_file, t.source_format, t.imported_at{text} FROM transcripts t"
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


def _json_meta(store: ProjectStore, key: str) -> dict[str, str]:
    raw = store.meta(key)
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(data, dict) else {}


def _save_json_meta(store: ProjectStore, key: str, mapping: dict[str, str]) -> None:
    store.conn.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(mapping, sort_keys=True)),
    )


def refi_guids(store: ProjectStore) -> dict[str, str]:
    """REFI-QDA code guid (as the other tool spelled it) → our code id.

    Kept so that importing the same file twice changes nothing, and so that our export gives the
    code back under the other tool's own guid.
    """
    return _json_meta(store, REFI_GUIDS_KEY)


def save_refi_guids(store: ProjectStore, mapping: dict[str, str]) -> None:
    """Must run inside `store.tx()`."""
    _save_json_meta(store, REFI_GUIDS_KEY, mapping)


def refi_source_guids(store: ProjectStore) -> dict[str, str]:
    """Transcript content hash → the guid of the REFI-QDA source it was imported from, as spelled there.

    Keyed by content hash (how merge and re-import recognise a transcript), so a renamed transcript
    keeps it; our export writes it back, and MAXQDA or NVivo see their own document, not a new one.
    """
    return _json_meta(store, REFI_SOURCE_GUIDS_KEY)


def save_refi_source_guids(store: ProjectStore, mapping: dict[str, str]) -> None:
    """Must run inside `store.tx()`."""
    _save_json_meta(store, REFI_SOURCE_GUIDS_KEY, mapping)


def transcript_importers(store: ProjectStore) -> dict[str, str]:
    """Content hash → the coder who first brought the transcript into the project (from the event log)."""
    out: dict[str, str] = {}
    for (coder, payload) in store.conn.execute(
            "SELECT coder, payload FROM events WHERE action = 'import' AND coder IS NOT NULL ORDER BY id"):
        try:
            items = json.loads(payload).get("transcripts", [])
        except (ValueError, AttributeError):
            continue
        for item in items if isinstance(items, list) else []:
            h = item.get("hash") if isinstance(item, dict) else None
            if isinstance(h, str):
                out.setdefault(h, coder)
    return out


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


def turn_memo_table(store: ProjectStore, *, with_dates: bool = False) -> list[tuple]:
    """(transcript_id, turn index, coder, text) of every memo on a turn; `with_dates` adds created_at."""
    dates = ", m.created_at" if with_dates else ""
    return store.conn.execute(
        f"SELECT m.transcript_id, m.turn_idx, k.name, m.text{dates} FROM memos m JOIN coders k ON k.id = m.coder_id"
        " WHERE m.turn_idx IS NOT NULL ORDER BY m.transcript_id, m.turn_idx, k.name"
    ).fetchall()
