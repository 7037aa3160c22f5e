"""Stored suggestions and their review state. Writes must run inside `store.tx()`.

A suggestion is unique per (transcript, turn, code). Its `fingerprint`
summarises the evidence, so a recompute can tell "same reasons as before"
(keep a rejection) from "new evidence" (ask again).
"""

from __future__ import annotations

import json

from mivcode.core.model import Evidence, Suggestion
from mivcode.core.store.connection import ProjectStore, now_iso, where


def _suggestion(r: dict) -> Suggestion:
    return Suggestion(
        transcript=r["transcript"], turn=r["turn_idx"], start=r["start"], end=r["end"], code=r["code_id"],
        score=r["score"], evidence=[Evidence(**e) for e in json.loads(r["evidence"])], source=r["source"],
        status=r["status"], fingerprint=r["fingerprint"],
    )


def list_suggestions(
    store: ProjectStore, *, transcript: str | None = None, status: str | None = None, turn: int | None = None,
    code: str | None = None, turns: tuple[int, int] | None = None,
) -> list[Suggestion]:
    """Suggestions by transcript, status, one turn or an inclusive turn range, and code (indexed by turn)."""
    clause, params = where(("s.code_id = ?", code), ("s.turn_idx BETWEEN ? AND ?", tuple(turns) if turns is not None else None),
                           ("t.name = ?", transcript), ("s.status = ?", status), ("s.turn_idx = ?", turn))
    sql = (
        'SELECT t.name AS transcript, s.turn_idx, s.start, s."end", s.code_id, s.score, s.evidence, s.source,'
        " s.status, s.fingerprint FROM suggestions s JOIN transcripts t ON t.id = s.transcript_id"
        + clause + " ORDER BY t.name, s.turn_idx, s.score DESC, s.code_id"
    )
    return [_suggestion(r) for r in store.query(sql, params)]


def turn_counts(store: ProjectStore, tid: int, status: str | None = "open") -> dict[int, int]:
    """{turn: number of suggestions} of one transcript (by status), without reading their evidence."""
    sql = "SELECT turn_idx, COUNT(*) AS n FROM suggestions WHERE transcript_id = ?"
    params: tuple = (tid,)
    if status is not None:
        sql += " AND status = ?"
        params = (tid, status)
    return {r["turn_idx"]: r["n"] for r in store.query(sql + " GROUP BY turn_idx", params)}


def turn_codes(store: ProjectStore, tid: int, status: str | None = "open") -> list[tuple[int, str]]:
    """(turn, code) of one transcript's suggestions (by status), without reading their evidence."""
    sql = "SELECT turn_idx, code_id FROM suggestions WHERE transcript_id = ?"
    params: tuple = (tid,)
    if status is not None:
        sql += " AND status = ?"
        params = (tid, status)
    return [(r["turn_idx"], r["code_id"]) for r in store.query(sql, params)]


def get_status(store: ProjectStore, tid: int, turn: int, code: str) -> str | None:
    return store.scalar(
        "SELECT status FROM suggestions WHERE transcript_id = ? AND turn_idx = ? AND code_id = ?", (tid, turn, code)
    )


def set_status(store: ProjectStore, tid: int, turn: int, code: str, status: str) -> None:
    store.conn.execute(
        "UPDATE suggestions SET status = ?, updated_at = ? WHERE transcript_id = ? AND turn_idx = ? AND code_id = ?",
        (status, now_iso(), tid, turn, code),
    )


def upsert_suggestion(store: ProjectStore, tid: int, s: Suggestion) -> None:
    """Insert or refresh; a rejected suggestion whose fingerprint is unchanged stays rejected."""
    evidence = json.dumps(
        [{"start": e.start, "end": e.end, "text": e.text, "rule": e.rule} for e in s.evidence], ensure_ascii=False
    )
    store.conn.execute(
        'INSERT INTO suggestions (transcript_id, turn_idx, code_id, start, "end", score, evidence, source, status,'
        " fingerprint, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT(transcript_id, turn_idx, code_id) DO UPDATE SET start = excluded.start,"
        ' "end" = excluded."end", score = excluded.score, evidence = excluded.evidence, source = excluded.source,'
        " status = CASE WHEN suggestions.fingerprint = excluded.fingerprint THEN suggestions.status"
        " WHEN suggestions.status = 'accepted' THEN 'accepted' ELSE 'open' END,"
        " fingerprint = excluded.fingerprint, updated_at = excluded.updated_at",
        (tid, s.turn, s.code, s.start, s.end, s.score, evidence, s.source, s.status, s.fingerprint, now_iso()),
    )


def delete_suggestions(store: ProjectStore, tid: int, keep: set[tuple[int, str]] | None = None) -> None:
    """Drop a transcript's suggestions that are no longer produced, keeping reviewed ones' history."""
    rows = store.query("SELECT id, turn_idx, code_id, status FROM suggestions WHERE transcript_id = ?", (tid,))
    drop = [
        (r["id"],) for r in rows
        if (keep is None or (r["turn_idx"], r["code_id"]) not in keep) and r["status"] == "open"
    ]
    store.conn.executemany("DELETE FROM suggestions WHERE id = ?", drop)


def open_counts(store: ProjectStore) -> dict[int, int]:
    return {
        r["transcript_id"]: r["n"]
        for r in store.query(
            "SELECT transcript_id, COUNT(*) AS n FROM suggestions WHERE status = 'open' GROUP BY transcript_id"
        )
    }


def get_state(store: ProjectStore, key: str) -> str | None:
    return store.scalar("SELECT value FROM suggest_state WHERE key = ?", (key,))


def set_state(store: ProjectStore, key: str, value: str) -> None:
    store.conn.execute(
        "INSERT INTO suggest_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def save_model(store: ProjectStore, name: str, data: bytes, meta: dict, coder: str | None) -> None:
    store.conn.execute(
        "INSERT INTO models (name, created_at, coder, meta, data) VALUES (?,?,?,?,?) ON CONFLICT(name) DO UPDATE"
        " SET created_at = excluded.created_at, coder = excluded.coder, meta = excluded.meta, data = excluded.data",
        (name, now_iso(), coder, json.dumps(meta), data),
    )


def load_model(store: ProjectStore, name: str) -> tuple[bytes, dict] | None:
    rows = store.query("SELECT data, meta FROM models WHERE name = ?", (name,))
    return (rows[0]["data"], json.loads(rows[0]["meta"])) if rows else None
