"""The project file's schema as an ordered list of forward migrations.

A project written by any earlier mivcode is upgraded step by step (after a
backup copy beside it); one written by a newer mivcode is refused, because
we cannot know what its new columns mean. Never edit a shipped migration:
add a new one.
"""

from __future__ import annotations

APPLICATION_ID = 0x4D495643  # "MIVC" in PRAGMA application_id: tells our files from other SQLite files

MIGRATIONS: list[str] = [
    # 1: the foundation — transcripts, turns, codebook, codings, memos, event log
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE coders (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
    );
    CREATE TABLE transcripts (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL UNIQUE,
        text TEXT NOT NULL,
        source_file TEXT,
        source_format TEXT,
        institution TEXT,
        grp TEXT,
        leerweg TEXT,
        niveau TEXT,
        locatie TEXT,
        datum TEXT,
        imported_at TEXT NOT NULL
    );
    CREATE TABLE transcript_meta (
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT,
        PRIMARY KEY (transcript_id, key)
    );
    CREATE TABLE turns (
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        speaker TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        t_start REAL,
        t_end REAL,
        PRIMARY KEY (transcript_id, idx),
        CHECK (start >= 0 AND "end" >= start)
    );
    CREATE INDEX turns_by_end ON turns (transcript_id, "end");
    CREATE TABLE codes (
        id TEXT PRIMARY KEY,
        parent TEXT REFERENCES codes(id) ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED,
        label TEXT NOT NULL,
        label_en TEXT,
        definition TEXT NOT NULL DEFAULT '',
        include TEXT NOT NULL DEFAULT '',
        exclude TEXT NOT NULL DEFAULT '',
        examples TEXT NOT NULL DEFAULT '[]',
        keywords TEXT NOT NULL DEFAULT '[]',
        patterns TEXT NOT NULL DEFAULT '[]',
        markers TEXT NOT NULL DEFAULT '[]',
        requires TEXT NOT NULL DEFAULT '[]',
        color TEXT NOT NULL DEFAULT '#888888',
        shortcut TEXT,
        sort_order INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE codings (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: undo/redo re-insert a coding under its own id
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        code_id TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED,
        coder_id INTEGER NOT NULL REFERENCES coders(id),
        origin TEXT NOT NULL CHECK (origin IN ('manual','suggestion','import','merge','consensus')),
        memo TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (transcript_id, start, "end", code_id, coder_id),
        CHECK (start >= 0 AND "end" > start)
    );
    CREATE INDEX codings_by_transcript ON codings (transcript_id, start);
    CREATE INDEX codings_by_code ON codings (code_id);
    CREATE TABLE memos (
        id INTEGER PRIMARY KEY,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
        turn_idx INTEGER,
        coder_id INTEGER NOT NULL REFERENCES coders(id),
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (transcript_id, turn_idx, coder_id)
    );
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        ts TEXT NOT NULL,
        coder TEXT,
        action TEXT NOT NULL,
        payload TEXT NOT NULL,
        undoes INTEGER REFERENCES events(id)
    );
    CREATE INDEX events_by_coder ON events (coder, id);
    CREATE TRIGGER events_append_only BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    """,
    # 2: suggestions with their review state, and trained models kept in the project
    """
    CREATE TABLE suggestions (
        id INTEGER PRIMARY KEY,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        turn_idx INTEGER NOT NULL,
        code_id TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        score REAL NOT NULL,
        evidence TEXT NOT NULL DEFAULT '[]',
        source TEXT NOT NULL DEFAULT 'rules',
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','accepted','rejected')),
        fingerprint TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        UNIQUE (transcript_id, turn_idx, code_id)
    );
    CREATE INDEX suggestions_open ON suggestions (transcript_id, status);
    CREATE TABLE suggest_state (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE models (
        name TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        coder TEXT,
        meta TEXT NOT NULL DEFAULT '{}',
        data BLOB NOT NULL
    );
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
