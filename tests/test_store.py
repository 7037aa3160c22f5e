"""The project file: created right, upgraded safely, refused when foreign or newer, actions undoable."""

from __future__ import annotations

import sqlite3

import pytest

from mivcode.core.errors import InputError, ProjectError, ReadOnlyError
from mivcode.core.project import Project
from mivcode.core.ops import AddCoding, SetTurnMemo
from mivcode.core.store.connection import ProjectStore
from mivcode.core.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

T = "fg_roc_studenten"


def make_schema_v1(path, small_codebook_text: str | None = None) -> None:
    """A project file exactly as the first shipped schema left it, with one transcript and one coding."""
    con = sqlite3.connect(path)
    con.executescript(MIGRATIONS[0])
    con.execute("PRAGMA user_version = 1")
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute("INSERT INTO meta VALUES ('written_with', '0.0.1')")
    con.execute("INSERT INTO coders (name, created_at) VALUES ('ann', '2024-01-01')")
    con.execute("INSERT INTO codes (id, label) VALUES ('racisme', 'Racisme')")
    con.execute(
        "INSERT INTO transcripts (name, content_hash, text, imported_at) VALUES ('oud', 'h1', 'R1: hallo daar', '2024')"
    )
    con.execute('INSERT INTO turns (transcript_id, idx, speaker, start, "end") VALUES (1, 0, "R1", 4, 14)')
    con.execute(
        'INSERT INTO codings (transcript_id, start, "end", code_id, coder_id, origin, created_at)'
        " VALUES (1, 4, 14, 'racisme', 1, 'manual', '2024')"
    )
    con.commit()
    con.close()


def test_new_project_uses_wal_foreign_keys_and_current_schema(tmp_path, small_codebook):
    with Project.create(tmp_path / "p.miv", small_codebook) as p:
        assert p.store.scalar("PRAGMA journal_mode") == "wal"
        assert p.store.scalar("PRAGMA foreign_keys") == 1
        assert p.store.schema_version() == SCHEMA_VERSION
        assert [c.id for c in p.codes()][:2] == ["discriminatie", "racisme"]


def test_older_schema_is_upgraded_after_a_backup(tmp_path):
    path = tmp_path / "old.miv"
    make_schema_v1(path)
    with Project.open(path) as p:
        assert p.store.schema_version() == SCHEMA_VERSION
        assert p.store.backup_path is not None and p.store.backup_path.exists()
        assert [(c.transcript, c.code, c.coder) for c in p.codings()] == [("oud", "racisme", "ann")]
        assert p.suggestions() == []  # the tables of schema 2 exist
    backup = sqlite3.connect(tmp_path / "old.miv.schema1.bak")
    assert backup.execute("PRAGMA user_version").fetchone()[0] == 1
    assert backup.execute("SELECT COUNT(*) FROM codings").fetchone()[0] == 1
    backup.close()


def test_newer_schema_is_refused_naming_both_versions(tmp_path, small_codebook):
    path = tmp_path / "new.miv"
    Project.create(path, small_codebook).close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.execute("UPDATE meta SET value = '9.0' WHERE key = 'written_with'")
    con.commit()
    con.close()
    with pytest.raises(ProjectError) as err:
        Project.open(path)
    assert "9.0" in str(err.value) and f"schema {SCHEMA_VERSION + 1}" in str(err.value)


@pytest.mark.parametrize("content", [b"", b"hello, not a database", None])
def test_foreign_files_are_refused(tmp_path, content):
    path = tmp_path / "x.miv"
    if content is None:  # an SQLite file of another program
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE t (x)")
        con.commit()
        con.close()
    else:
        path.write_bytes(content)
    with pytest.raises(ProjectError, match="not a mivcode project"):
        Project.open(path)


def test_missing_project_and_existing_target(tmp_path, small_codebook):
    with pytest.raises(ProjectError, match="no such project file"):
        Project.open(tmp_path / "nope.miv")
    Project.create(tmp_path / "p.miv", small_codebook).close()
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(tmp_path / "p.miv", small_codebook)


def test_event_log_is_append_only(project):
    project.add_coding(T, 1, "racisme", "ann")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        project.store.conn.execute("DELETE FROM events")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        project.store.conn.execute("UPDATE events SET coder = 'x'")


def test_every_action_is_committed_at_once(project, tmp_path):
    project.add_coding(T, 1, "racisme", "ann")
    # a second connection sees it without any save or close
    other = Project.open(project.path, readonly=True)
    assert [c.code for c in other.codings()] == ["racisme"]
    other.close()


def test_readonly_project_refuses_changes(project):
    project.add_coding(T, 1, "racisme", "ann")
    with Project.open(project.path, readonly=True) as ro:
        assert ro.readonly
        with pytest.raises(ReadOnlyError, match="read-only"):
            ro.add_coding(T, 2, "racisme", "ann")


def test_undo_and_redo_survive_a_restart(project):
    project.add_coding(T, 1, "racisme", "ann")
    project.set_turn_memo(T, 1, "ontkenning, later komt het toch", "ann")
    project.add_coding(T, 2, "discriminatie", "bob")  # another coder's action is not in ann's history
    path = project.path
    project.close()
    with Project.open(path) as p:
        assert isinstance(p.undo("ann").op, SetTurnMemo)
        assert p.turn_memo(T, 1, "ann") is None
        assert isinstance(p.undo("ann").op, AddCoding)
        assert [(c.code, c.coder) for c in p.codings()] == [("discriminatie", "bob")]
        assert p.undo("ann") is None
    with Project.open(path) as p:
        p.redo("ann")
        assert sorted(c.code for c in p.codings()) == ["discriminatie", "racisme"]
        p.redo("ann")
        assert p.turn_memo(T, 1, "ann") == "ontkenning, later komt het toch"
        assert p.redo("ann") is None


def test_a_new_action_clears_the_redo_stack(project):
    project.add_coding(T, 1, "racisme", "ann")
    project.undo("ann")
    project.add_coding(T, 2, "racisme", "ann")
    assert project.redo("ann") is None
    assert [c.turn for c in project.codings()] == [2]


def test_spans_may_cover_part_of_a_turn_or_several_turns(project):
    t = project.transcript(T)
    u1, u2 = t.turns[1], t.turns[2]
    part = project.add_coding(T, 1, "racisme", "ann", start=u1.start + 10, end=u1.start + 17)
    across = project.add_coding(T, 1, "discriminatie", "ann", start=u1.start, end=u2.end)
    assert t.text[part.start:part.end] == t.turn_text(u1)[10:17]
    assert {c.turn for c in project.codings()} == {1}
    assert across.end == u2.end
    with pytest.raises(InputError, match="does not start in turn 2"):
        project.add_coding(T, 2, "racisme", "ann", start=u1.start, end=u1.end)
    with pytest.raises(InputError, match="outside transcript"):
        project.add_coding(T, 1, "racisme", "ann", start=u1.start, end=len(t.text) + 5)


def test_toggle_and_duplicate_and_unknown_code(project):
    assert project.toggle_code(T, 3, "agressie_geweld", "ann") is True
    with pytest.raises(InputError, match="already coded"):
        project.add_coding(T, 3, "agressie_geweld", "ann")
    assert project.toggle_code(T, 3, "agressie_geweld", "ann") is False
    assert project.codings() == []
    with pytest.raises(InputError, match="unknown code 'bestaatniet'"):
        project.add_coding(T, 3, "bestaatniet", "ann")


def test_store_rejects_nested_transaction_rollback_leak(tmp_path, small_codebook):
    """A failure inside an action rolls the whole action back."""
    store = ProjectStore(tmp_path / "p.miv", create=True)
    with pytest.raises(RuntimeError):
        with store.tx():
            store.conn.execute("INSERT INTO coders (name, created_at) VALUES ('x', 'now')")
            raise RuntimeError("boom")
    assert store.scalar("SELECT COUNT(*) FROM coders") == 0
    store.close()


def test_a_damaged_log_entry_is_refused_in_one_line_not_a_traceback(project):
    project.add_coding(T, 1, "racisme", "ann")
    project.store.conn.execute("DROP TRIGGER events_append_only")
    project.store.conn.execute("UPDATE events SET payload = replace(payload, '\"coding\"', '\"cOding\"')")
    with pytest.raises(ProjectError, match="log entry is damaged"):
        project.undo("ann")
    assert [c.code for c in project.codings()] == ["racisme"]


def test_coded_turn_counts_count_each_touched_turn_once(project):
    t = project.transcript(T)
    u1, u2, u4 = t.turns[1], t.turns[2], t.turns[4]
    project.add_coding(T, 1, "racisme", "ann", start=u1.start, end=u2.end)  # runs over turns 1 and 2
    project.add_coding(T, 1, "discriminatie", "ann")
    project.add_coding(T, 4, "racisme", "ann", start=u4.start + 2, end=u4.start + 6)
    project.add_coding(T, 5, "racisme", "bob")
    counts = {s.name: s.coded_turns for s in project.transcripts("ann")}
    assert counts == {T: 3}
    assert {s.name: s.coded_turns for s in project.transcripts()} == {T: 4}
    assert {s.name: s.coded_turns for s in project.transcripts("nobody")} == {T: 0}


def test_where_leaves_out_unset_filters_and_expands_lists():
    from mivcode.core.store.connection import where

    assert where(("a = ?", None), ("b IN ({})", [])) == ("", ())
    assert where(("a = ?", 0), ("b IN ({})", ["x", "y"]), ("c BETWEEN ? AND ?", (1, 2))) == (
        " WHERE a = ? AND b IN (?,?) AND c BETWEEN ? AND ?", (0, "x", "y", 1, 2))
