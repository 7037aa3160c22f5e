"""Rows ↔ Transcript/Turn dataclasses. Writes must run inside `store.tx()`."""

from __future__ import annotations

from mivcode.core.model import STANDARD_META, Transcript, TranscriptMeta, Turn
from mivcode.core.store.connection import ProjectStore, now_iso

_COLS = {"group": "grp"}


def insert_transcript(store: ProjectStore, t: Transcript) -> int:
    meta = t.meta
    cur = store.conn.execute(
        "INSERT INTO transcripts (name, content_hash, text, source_file, source_format, institution, grp,"
        " leerweg, niveau, locatie, datum, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (t.name, t.content_hash, t.text, t.source_file, t.source_format, meta.institution, meta.group,
         meta.leerweg, meta.niveau, meta.locatie, meta.datum, now_iso()),
    )
    tid = int(cur.lastrowid)
    store.conn.executemany(
        'INSERT INTO turns (transcript_id, idx, speaker, start, "end", t_start, t_end) VALUES (?,?,?,?,?,?,?)',
        [(tid, u.index, u.speaker, u.start, u.end, u.t_start, u.t_end) for u in t.turns],
    )
    store.conn.executemany(
        "INSERT INTO transcript_meta (transcript_id, key, value) VALUES (?,?,?)",
        [(tid, k, v) for k, v in meta.extra.items()],
    )
    t.id = tid
    return tid


def update_meta(store: ProjectStore, tid: int, meta: TranscriptMeta) -> None:
    store.conn.execute(
        "UPDATE transcripts SET institution=?, grp=?, leerweg=?, niveau=?, locatie=?, datum=? WHERE id=?",
        (meta.institution, meta.group, meta.leerweg, meta.niveau, meta.locatie, meta.datum, tid),
    )
    store.conn.execute("DELETE FROM transcript_meta WHERE transcript_id = ?", (tid,))
    store.conn.executemany(
        "INSERT INTO transcript_meta (transcript_id, key, value) VALUES (?,?,?)",
        [(tid, k, v) for k, v in meta.extra.items()],
    )


def find_by_hash(store: ProjectStore, content_hash: str) -> str | None:
    return store.scalar("SELECT name FROM transcripts WHERE content_hash = ?", (content_hash,))


def transcript_names(store: ProjectStore) -> list[str]:
    return [r["name"] for r in store.query("SELECT name FROM transcripts ORDER BY institution, grp, name")]


def transcript_id(store: ProjectStore, name: str) -> int | None:
    return store.scalar("SELECT id FROM transcripts WHERE name = ?", (name,))


def _meta_from_row(store: ProjectStore, row: dict) -> TranscriptMeta:
    extra = {
        r["key"]: r["value"]
        for r in store.query("SELECT key, value FROM transcript_meta WHERE transcript_id = ? ORDER BY key", (row["id"],))
    }
    return TranscriptMeta(
        institution=row["institution"], group=row["grp"], leerweg=row["leerweg"], niveau=row["niveau"],
        locatie=row["locatie"], datum=row["datum"], extra=extra,
    )


def layout(store: ProjectStore, name: str) -> tuple[int, int, list[Turn]] | None:
    """(id, text length, turns) of a transcript, without its text or metadata."""
    rows = store.query("SELECT id, length(text) AS n FROM transcripts WHERE name = ?", (name,))
    if not rows:
        return None
    return rows[0]["id"], rows[0]["n"], _turns(store, rows[0]["id"])


def _turns(store: ProjectStore, tid: int) -> list[Turn]:
    return [
        Turn(r["idx"], r["speaker"], r["start"], r["end"], r["t_start"], r["t_end"])
        for r in store.query(
            'SELECT idx, speaker, start, "end", t_start, t_end FROM turns WHERE transcript_id = ? ORDER BY idx', (tid,))
    ]


def load_transcript(store: ProjectStore, name: str) -> Transcript | None:
    rows = store.query("SELECT * FROM transcripts WHERE name = ?", (name,))
    if not rows:
        return None
    row = rows[0]
    return Transcript(
        name=row["name"], text=row["text"], turns=_turns(store, row["id"]), meta=_meta_from_row(store, row),
        content_hash=row["content_hash"], source_file=row["source_file"] or "",
        source_format=row["source_format"] or "", id=row["id"],
    )


def transcript_summaries(store: ProjectStore) -> list[dict]:
    """One row per transcript with the counts the overview and `transcripts --json` show."""
    rows = store.query(
        """
        SELECT t.id, t.name, t.institution, t.grp AS "group", t.leerweg, t.niveau, t.locatie, t.datum,
               (SELECT COUNT(*) FROM turns u WHERE u.transcript_id = t.id) AS turns
        FROM transcripts t ORDER BY t.institution, t.grp, t.name
        """
    )
    for r in rows:
        r["meta"] = {k: v for k, v in ((m["key"], m["value"]) for m in store.query(
            "SELECT key, value FROM transcript_meta WHERE transcript_id = ?", (r["id"],)))}
    return rows


def turn_spans(store: ProjectStore, tid: int) -> list[tuple[int, int, int]]:
    return [
        (r["idx"], r["start"], r["end"])
        for r in store.query('SELECT idx, start, "end" FROM turns WHERE transcript_id = ? ORDER BY idx', (tid,))
    ]


def turn_texts(store: ProjectStore, tid: int) -> list[tuple[int, str]]:
    """Turn index and text: the text is read once and sliced in Python.

    (SQLite's `substr()` on UTF-8 text counts characters from the start for every row, and the join
    re-reads the whole text per turn: quadratic — 18 s for a 20,000-turn transcript, minutes for 100,000.)
    """
    text = store.scalar("SELECT text FROM transcripts WHERE id = ?", (tid,)) or ""
    return [
        (r["idx"], text[r["start"]:r["end"]])
        for r in store.query('SELECT idx, start, "end" FROM turns WHERE transcript_id = ? ORDER BY idx', (tid,))
    ]


def standard_meta_keys() -> tuple[str, ...]:
    return STANDARD_META
