"""Schema versions: newer files refused naming both versions; older files upgraded after a backup."""

from __future__ import annotations

import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from mivcode import __version__
from mivcode.core.errors import ProjectError
from mivcode.core.project import Project
from mivcode.core.store.connection import _split_sql
from mivcode.core.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION


def _dump(path: Path, tables: list[str]) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}
    finally:
        conn.close()


def _build_old(path: Path, version: int) -> None:
    """A project as mivcode with schema `version` wrote it: only the first `version` migrations."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN")
    for script in MIGRATIONS[:version]:
        for statement in _split_sql(script):
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("INSERT INTO meta VALUES ('written_with', '0.0.1'), ('created_at', '2025-01-01T00:00:00Z')")
    conn.execute("INSERT INTO coders (id, name, created_at) VALUES (1, 'anna', 't'), (2, 'bram', 't')")
    text = "Gespreksleider: Hoe veilig voel je je?\nStudent 1: Niet altijd — één keer werd ik uitgescholden."
    conn.execute(
        "INSERT INTO transcripts (id, name, content_hash, text, source_file, source_format, institution, grp,"
        " imported_at) VALUES (1, 'fg_oud', 'h1', ?, 'fg_oud.txt', 'txt', 'ROC Oud', 'studenten', 't')",
        (text,),
    )
    conn.execute("INSERT INTO turns VALUES (1, 0, 'Gespreksleider', 16, 38, NULL, NULL),"
                 " (1, 1, 'Student 1', 50, ?, NULL, NULL)", (len(text),))
    conn.execute("INSERT INTO codes (id, label, sort_order) VALUES ('discriminatie', 'Discriminatie', 0),"
                 " ('pesten', 'Pesten', 1)")
    conn.execute("INSERT INTO codings (transcript_id, start, \"end\", code_id, coder_id, origin, memo, created_at)"
                 " VALUES (1, 50, ?, 'discriminatie', 1, 'manual', 'memo ‘één’', 't'),"
                 " (1, 50, 60, 'pesten', 2, 'manual', NULL, 't')", (len(text),))
    conn.execute("INSERT INTO memos (transcript_id, turn_idx, coder_id, text, created_at)"
                 " VALUES (1, 1, 1, 'let op', 't')")
    conn.execute("INSERT INTO events (ts, coder, action, payload) VALUES ('t', 'anna', 'do', '{\"op\": \"x\"}')")
    conn.execute("COMMIT")
    conn.close()


OLD_TABLES = ["meta", "coders", "transcripts", "turns", "codes", "codings", "memos", "events"]


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_every_older_schema_is_upgraded_after_a_backup(tmp_path: Path, version: int):
    path = tmp_path / "oud project.miv"
    _build_old(path, version)
    before = _dump(path, OLD_TABLES)
    with Project.open(path) as p:
        assert p.store.schema_version() == SCHEMA_VERSION
        backup = p.store.backup_path
        assert backup == path.with_name(f"oud project.miv.schema{version}.bak")
        codings = p.codings()
        assert [(c.code, c.coder, c.memo) for c in codings] == [
            ("discriminatie", "anna", "memo ‘één’"), ("pesten", "bram", None)]
        assert codings[0].turn == 1
        assert [m.text for m in p.memos()] == ["let op"]
        assert p.transcript("fg_oud").meta.institution == "ROC Oud"
        # the upgraded project works normally
        p.add_coding("fg_oud", 0, "pesten", "anna")
        assert p.store.integrity_ok()
        assert p.store.meta("written_with") == __version__
    after = _dump(path, OLD_TABLES)
    for table in OLD_TABLES:
        if table == "meta":
            assert {k: v for k, v in before[table] if k != "written_with"}.items() <= dict(after[table]).items()
        elif table in ("codings", "events", "coders"):
            assert set(before[table]) <= set(after[table]), table  # everything old is still there
        else:
            assert after[table] == before[table], table
    # the backup is the untouched old file, still at the old version
    conn = sqlite3.connect(backup)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert _dump(backup, OLD_TABLES) == before
    # opening again does not upgrade (or back up) again
    with Project.open(path) as p:
        assert p.store.backup_path is None
    assert sorted(x.name for x in tmp_path.glob("*.bak")) == [backup.name]


def test_second_upgrade_of_a_copy_keeps_the_first_backup(tmp_path: Path):
    path = tmp_path / "p.miv"
    _build_old(path, 1)
    first = path.with_name("p.miv.schema1.bak")
    first.write_bytes(b"an earlier backup the researcher keeps")
    with Project.open(path) as p:
        assert p.store.backup_path == path.with_name("p.miv.schema1.2.bak")
    assert first.read_bytes() == b"an earlier backup the researcher keeps"


def test_old_schema_on_readonly_open_is_not_touched(tmp_path: Path):
    path = tmp_path / "p.miv"
    _build_old(path, 1)
    before = path.read_bytes()
    with pytest.raises(ProjectError, match=f"schema 1 needs an upgrade to {SCHEMA_VERSION}.*read-only"):
        Project.open(path, readonly=True)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bak"))


def _make_newer(project: Project) -> Path:
    path = project.path
    project.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.execute("UPDATE meta SET value = '9.4.0' WHERE key = 'written_with'")
    conn.close()
    return path


def test_newer_schema_is_refused_naming_both_versions(project: Project):
    path = _make_newer(project)
    before = path.read_bytes()
    with pytest.raises(ProjectError) as err:
        Project.open(path)
    msg = str(err.value)
    assert "9.4.0" in msg and f"schema {SCHEMA_VERSION + 1}" in msg
    assert __version__ in msg and f"schema {SCHEMA_VERSION})" in msg
    assert path.read_bytes() == before
    with pytest.raises(ProjectError, match="please upgrade mivcode"):
        Project.open(path, readonly=True)
    r = subprocess.run(["mivcode", "codings", str(path)], capture_output=True, text=True)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mivcode: error: ") and "9.4.0" in lines[0]


@pytest.mark.parametrize("content,expected", ids=["empty", "text", "garbage-sqlite"], argvalues=[
    (b"", "empty file"),
    (b"Gespreksleider: hallo\n", "not an SQLite file"),
    (b"SQLite format 3\x00" + b"\xff" * 5000, "corrupt or not a mivcode project|not a mivcode project"),
])
def test_not_a_project(tmp_path: Path, content: bytes, expected: str):
    path = tmp_path / "x.miv"
    path.write_bytes(content)
    with pytest.raises(ProjectError, match=expected):
        Project.open(path)
    assert path.read_bytes() == content
    r = subprocess.run(["mivcode", "codings", str(path)], capture_output=True, text=True)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_other_programs_sqlite_file_is_refused_untouched(tmp_path: Path):
    path = tmp_path / "zotero.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE items (id INTEGER)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ProjectError, match="another program"):
        Project.open(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("sql,expected", [
    ("ALTER TABLE codings DROP COLUMN memo", "table codings lacks column(s) memo"),
    ("DROP TABLE memos", "table memos is missing"),
    ("DROP TABLE memos; CREATE VIEW memos AS SELECT 1 AS id", "table memos lacks column(s)"),
])
def test_hand_edited_schema_is_refused_on_open(project: Project, sql: str, expected: str):
    path = project.path
    project.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(sql)
    conn.close()
    for readonly in (False, True):
        with pytest.raises(ProjectError, match=re.escape(f"damaged or hand-edited project ({expected}")):
            Project.open(path, readonly=readonly)
    r = subprocess.run(["mivcode", "codings", str(path)], capture_output=True, text=True)
    assert r.returncode == 1 and len(r.stderr.splitlines()) == 1 and "hand-edited" in r.stderr
