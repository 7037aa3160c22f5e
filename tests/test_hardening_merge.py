"""A colleague's project file is input too: `mivcode merge` with damaged or hand-edited files.

Either the merge succeeds and the result is sound, or it fails with one clear line and our project
is byte-for-byte what it was; the colleague's file is never changed.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mivcode.core.errors import InputError, ProjectError
from mivcode.core.project import Project
from tests.conftest import dump

merge = pytest.importorskip("mivcode.core.team.merge")

FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
T = "fg_roc_studenten"




@pytest.fixture
def pair(tmp_path: Path, small_codebook: Path, small_transcript: Path):
    """Our project and a colleague's copy with their own codings, both closed."""
    ours = tmp_path / "ons project.miv"
    with Project.create(ours, small_codebook) as p:
        p.import_files([small_transcript])
        p.add_coding(T, 1, "discriminatie", "anna")
    theirs = tmp_path / "collega é.miv"
    with Project.create(theirs, small_codebook) as p:
        p.import_files([small_transcript])
        p.add_coding(T, 2, "racisme", "bram", memo="stage")
        p.add_coding(T, 5, "agressie_geweld", "bram")
        p.set_turn_memo(T, 3, "vraag door", "bram")
    return ours, theirs


def _sound(path: Path) -> None:
    with Project.open(path, readonly=True) as p:
        assert p.store.integrity_ok()
        assert p.store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for name in p.transcript_names():
            t = p.transcript(name)
            for c in p.codings(transcript=name):
                assert 0 <= c.start < c.end <= len(t.text), c
        for m in p.memos():
            t = p.transcript(m.transcript)
            assert m.turn is None or 0 <= m.turn < len(t.turns), m


def _attempt(ours: Path, theirs: Path) -> bool:
    before, their_before = dump(ours), theirs.read_bytes()
    try:
        with Project.open(ours) as p:
            merge.merge_projects(p, [theirs], coder="anna")
    except (InputError, ProjectError) as exc:
        assert "\n" not in str(exc).strip(), str(exc)
        assert dump(ours) == before, "a failed merge changed our project"
        ok = False
    else:
        _sound(ours)
        ok = True
    assert theirs.read_bytes() == their_before, "merge changed the colleague's file"
    return ok


def test_clean_merge(pair):
    ours, theirs = pair
    assert _attempt(ours, theirs)
    with Project.open(ours, readonly=True) as p:
        assert {(c.coder, c.turn, c.code) for c in p.codings()} == {
            ("anna", 1, "discriminatie"), ("bram", 2, "racisme"), ("bram", 5, "agressie_geweld")}


HAND_EDITS = {
    "coding past the end": 'UPDATE codings SET "end" = 999999',
    "coding before the start": "UPDATE codings SET start = -3",
    "coding on unknown code": "UPDATE codings SET code_id = 'bestaat_niet'",
    "code parent cycle": "UPDATE codes SET parent = id",
    "code parent chain loop": "UPDATE codes SET parent = 'racisme' WHERE id = 'discriminatie'",
    "coder name with newline": "UPDATE coders SET name = 'bram' || char(10) || 'x'",
    "memo on missing turn": "UPDATE memos SET turn_idx = 4000",
    "transcript text emptied": "UPDATE transcripts SET text = ''",
    "turn offsets past text": 'UPDATE turns SET "end" = 10000000, start = 9999999',
    "text changed under codings": "UPDATE transcripts SET text = upper(text)",
    "origin unknown": "UPDATE codings SET origin = 'hacked'",
    "codebook keywords not JSON": "UPDATE codes SET keywords = 'kapot[' WHERE id = 'racisme'",
    "codings table dropped": "DROP TABLE codings",
    "view instead of table": "DROP TABLE memos; CREATE VIEW memos AS WITH RECURSIVE r(x) AS "
                             "(SELECT 1 UNION ALL SELECT x + 1 FROM r LIMIT 10) SELECT x AS id FROM r",
    "trigger planted": "CREATE TRIGGER evil AFTER INSERT ON codings BEGIN DELETE FROM transcripts; END",
    "newer schema": "PRAGMA user_version = 99",
    "foreign app id": "PRAGMA application_id = 1",
}


def _edit(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        conn.executescript(sql)
    finally:
        conn.close()


@pytest.mark.parametrize("name", HAND_EDITS)
def test_hand_edited_colleague_file(pair, name):
    ours, theirs = pair
    _edit(theirs, HAND_EDITS[name])
    _attempt(ours, theirs)


@FUZZ
@given(seed=st.integers(0, 2**32 - 1), flips=st.integers(1, 40))
def test_damaged_colleague_file(pair, seed, flips, tmp_path_factory):
    ours, theirs = pair
    work = tmp_path_factory.mktemp("kopie")
    ours_copy, theirs_copy = work / ours.name, work / theirs.name
    shutil.copy(ours, ours_copy)
    data = bytearray(theirs.read_bytes())
    rng = random.Random(seed)
    for _ in range(flips):
        i = rng.randrange(100, len(data))  # keep the header: damage pages, not the magic string
        data[i] = rng.randrange(256)
    theirs_copy.write_bytes(bytes(data))
    _attempt(ours_copy, theirs_copy)


@pytest.mark.parametrize("payload", [b"", b"not sqlite at all", b"SQLite format 3\x00" + b"\xff" * 4096],
                         ids=["empty", "text", "garbage"])
def test_cli_merge_of_unusable_file(pair, tmp_path, payload):
    ours, _ = pair
    bad = tmp_path / "kapot bestand.miv"
    bad.write_bytes(payload)
    before = dump(ours)
    r = subprocess.run(["mivcode", "merge", str(ours), str(bad)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1, (r.stdout, r.stderr)
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("mivcode: error: ") and "kapot bestand.miv" in lines[0], r.stderr
    assert dump(ours) == before
