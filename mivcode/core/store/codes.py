"""The codebook as stored in the project. Writes must run inside `store.tx()`."""

from __future__ import annotations

import json

from mivcode.core.model import Code
from mivcode.core.store.connection import ProjectStore

_JSON_FIELDS = ("examples", "keywords", "patterns", "markers", "requires")


def _row(c: Code) -> tuple:
    return (
        c.id, c.parent, c.label, c.label_en, c.definition, c.include, c.exclude,
        *(json.dumps(getattr(c, f), ensure_ascii=False) for f in _JSON_FIELDS),
        c.color, c.shortcut, c.order,
    )


def load_codes(store: ProjectStore) -> list[Code]:
    out = []
    for r in store.query("SELECT * FROM codes ORDER BY sort_order, id"):
        out.append(
            Code(
                id=r["id"], label=r["label"], parent=r["parent"], label_en=r["label_en"],
                definition=r["definition"], include=r["include"], exclude=r["exclude"],
                **{f: json.loads(r[f]) for f in _JSON_FIELDS},
                color=r["color"], shortcut=r["shortcut"], order=r["sort_order"],
            )
        )
    return out


def upsert_code(store: ProjectStore, c: Code) -> None:
    store.conn.execute(
        "INSERT INTO codes (id, parent, label, label_en, definition, include, exclude, examples, keywords,"
        " patterns, markers, requires, color, shortcut, sort_order) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT(id) DO UPDATE SET parent=excluded.parent, label=excluded.label,"
        " label_en=excluded.label_en, definition=excluded.definition, include=excluded.include,"
        " exclude=excluded.exclude, examples=excluded.examples, keywords=excluded.keywords,"
        " patterns=excluded.patterns, markers=excluded.markers, requires=excluded.requires,"
        " color=excluded.color, shortcut=excluded.shortcut, sort_order=excluded.sort_order",
        _row(c),
    )


def delete_code(store: ProjectStore, code_id: str) -> None:
    store.conn.execute("UPDATE codes SET parent = NULL WHERE parent = ?", (code_id,))
    store.conn.execute("DELETE FROM codes WHERE id = ?", (code_id,))


def coding_counts(store: ProjectStore) -> dict[str, int]:
    return {r["code_id"]: r["n"] for r in store.query("SELECT code_id, COUNT(*) AS n FROM codings GROUP BY code_id")}


def rename_code_id(store: ProjectStore, old: str, new: str) -> None:
    """Change a code's id; codings and children follow through ON UPDATE CASCADE."""
    store.conn.execute("UPDATE codes SET id = ? WHERE id = ?", (new, old))
    store.conn.execute("UPDATE suggestions SET code_id = ? WHERE code_id = ?", (new, old))


CONVENTIONS_KEY = "conventions"


def load_conventions(store: ProjectStore) -> dict:
    """The team's coding conventions as stored (plain JSON; `Project.conventions` validates them)."""
    raw = store.meta(CONVENTIONS_KEY)
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def save_conventions(store: ProjectStore, conventions: dict) -> None:
    """Must run inside `store.tx()` (an op's transaction)."""
    store.conn.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (CONVENTIONS_KEY, json.dumps(conventions, sort_keys=True, ensure_ascii=False)),
    )
