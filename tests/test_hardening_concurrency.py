"""Two processes, one project file; and projects that may only be read.

Two coders coding at once (or a writer and a reader/exporter) must be
serialised by SQLite's lock and busy timeout: every coding either written
exactly once or refused with a clear one-line message — never lost, never
duplicated, never a corrupt file.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from mivcode.core.errors import ProjectError, ReadOnlyError
from mivcode.core.project import Project
from mivcode.core.store import connection

TRANSCRIPT = "fg_roc_studenten"
CODES = ["discriminatie", "racisme", "agressie_geweld", "geaccepteerde_onveiligheid"]

WRITER = textwrap.dedent(
    """
    import sys
    from mivcode.core.project import Project
    path, coder, n, turns = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    codes = sys.argv[5].split(",")
    done = 0
    for i in range(n):
        # a fresh open per action, as separate CLI calls and a TUI next to them do
        with Project.open(path) as p:
            p.add_coding("%s", i %% turns, codes[(i // turns) %% len(codes)], coder)
            done += 1
        print("OK", i, flush=True)
    """ % TRANSCRIPT
)


def _env(**extra) -> dict:
    env = dict(os.environ)
    env.update(extra)
    return env


def _integrity(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def _one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("mivcode: error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_two_coders_writing_at_once_lose_nothing(project: Project):
    path = project.path
    turns = len(project.transcript(TRANSCRIPT).turns)
    project.close()
    n = 2 * turns  # every turn twice, with two different codes: 14 distinct codings per coder
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), coder, str(n), str(turns), ",".join(CODES)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
        for coder in ("anna", "bram", "chris")
    ]
    # a reader listing codings the whole time: always a valid, complete answer
    reads = []
    while any(p.poll() is None for p in procs):
        r = subprocess.run(["mivcode", "codings", str(path), "--json"], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        reads.append(len(r.stdout.splitlines()))
    outs = [p.communicate() for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert out.count("OK") == n
    assert reads == sorted(reads), "a reader saw codings disappear"
    _integrity(path)
    with Project.open(path) as p:
        for coder in ("anna", "bram", "chris"):
            mine = p.codings(coder=coder)
            assert len(mine) == n
            assert len({(c.turn, c.code) for c in mine}) == n
            assert sum(1 for e in p.events(coder) if e.action == "do") == n


def test_two_cli_processes_coding_the_same_turns(project: Project):
    """The same coder in two terminals coding the same turns: each coding once, the loser told so."""
    path = project.path
    turns = len(project.transcript(TRANSCRIPT).turns)
    project.close()
    results: list[subprocess.CompletedProcess] = []

    def loop():
        for turn in range(turns):
            results.append(subprocess.run(["mivcode", "code", str(path), TRANSCRIPT, str(turn), "discriminatie",
                                           "--coder", "anna"], capture_output=True, text=True))

    threads = [threading.Thread(target=loop) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2 * turns
    for r in results:
        if r.returncode != 0:
            assert r.returncode == 1
            line = _one_error_line(r.stderr)
            assert "already coded" in line or "another mivcode is writing" in line
    assert sum(r.returncode == 0 for r in results) >= turns
    _integrity(path)
    with Project.open(path) as p:
        got = p.codings(coder="anna")
        assert sorted(c.turn for c in got) == list(range(turns))


def test_writer_waits_for_a_lock_held_briefly(project: Project):
    """A second writer waits (busy timeout) while another transaction is open, then writes."""
    holder = sqlite3.connect(project.path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.4, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        coding = project.add_coding(TRANSCRIPT, 1, "racisme", "anna")
    finally:
        release.join()
        holder.close()
    assert coding.id is not None
    assert [c.turn for c in project.codings(coder="anna")] == [1]


def test_writer_gets_clear_message_when_lock_is_never_released(project: Project, monkeypatch):
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 150)
    path = project.path
    project.close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Project.open(path) as p:
            with pytest.raises(ProjectError, match="another mivcode is writing to this project; try again"):
                p.add_coding(TRANSCRIPT, 1, "racisme", "anna")
            # a reader is not blocked by the writer (WAL)
            assert p.codings() == []
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Project.open(path) as p:
        assert p.codings() == []
        p.add_coding(TRANSCRIPT, 1, "racisme", "anna")  # and it works once the lock is gone
        assert len(p.codings()) == 1
    _integrity(path)


# -- read-only projects --------------------------------------------------------------------------


def test_open_readonly_refuses_every_write(project: Project):
    path = project.path
    project.add_coding(TRANSCRIPT, 0, "discriminatie", "anna")
    project.close()
    before = path.read_bytes()
    with Project.open(path, readonly=True) as p:
        assert p.readonly
        assert len(p.codings()) == 1
        for write in (
            lambda: p.add_coding(TRANSCRIPT, 2, "racisme", "anna"),
            lambda: p.remove_codings(TRANSCRIPT, 0, "discriminatie", "anna"),
            lambda: p.set_turn_memo(TRANSCRIPT, 0, "memo", "anna"),
            lambda: p.undo("anna"),
        ):
            with pytest.raises(ReadOnlyError, match="read-only; changes are not possible"):
                write()
    assert path.read_bytes() == before


def test_unwritable_file_opens_readonly_automatically(project: Project, monkeypatch, capsys):
    """As root chmod does not stop writes, so the permission check itself is simulated."""
    path = project.path
    project.close()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode & os.W_OK else real_access(p, mode, **kw))
    with Project.open(path) as p:
        assert p.readonly
        assert p.store.readonly_reason and "not writable" in p.store.readonly_reason
        with pytest.raises(ReadOnlyError, match="not writable, so it was opened read-only"):
            p.add_coding(TRANSCRIPT, 0, "discriminatie", "anna")
    # the CLI says so in one line, exit 1
    from click.testing import CliRunner

    from mivcode.cli import main

    r = CliRunner().invoke(main, ["code", str(path), TRANSCRIPT, "0", "discriminatie"])
    assert r.exit_code == 1
    assert r.output.strip().startswith("mivcode: error: ") and "not writable" in r.output
    r = CliRunner().invoke(main, ["codings", str(path)])
    assert r.exit_code == 0, r.output


def _chattr(flag: str, *paths: Path) -> bool:
    if shutil.which("chattr") is None:
        return False
    r = subprocess.run(["chattr", flag, *map(str, paths)], capture_output=True)
    return r.returncode == 0


@pytest.fixture
def immutable_folder(tmp_path: Path):
    """A truly read-only folder even for root (chattr +i), where the filesystem allows it."""
    folder = tmp_path / "gedeelde map"
    folder.mkdir()
    yield folder
    _chattr("-i", folder, *folder.iterdir())


def test_project_in_a_readonly_folder_opens_for_reading(project: Project, immutable_folder: Path):
    """No -shm can be created there: SQLite alone would fail ("unable to open"), misreported as corrupt."""
    project.add_coding(TRANSCRIPT, 0, "discriminatie", "anna")
    project.close()
    target = immutable_folder / "project.miv"
    shutil.copy(project.path, target)
    if not _chattr("+i", target, immutable_folder):
        pytest.skip("cannot make a read-only folder here (chattr +i not permitted)")
    with Project.open(target) as p:
        assert p.readonly
        assert [c.code for c in p.codings()] == ["discriminatie"]
        with pytest.raises(ReadOnlyError, match="not writable"):
            p.add_coding(TRANSCRIPT, 1, "racisme", "anna")
    r = subprocess.run(["mivcode", "codings", str(target), "--json"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert '"discriminatie"' in r.stdout
    r = subprocess.run(["mivcode", "code", str(target), TRANSCRIPT, "1", "racisme"], capture_output=True, text=True)
    assert r.returncode == 1
    assert "not writable" in _one_error_line(r.stderr)


def test_readonly_folder_with_unmerged_wal_is_not_silently_stale(project: Project, immutable_folder: Path):
    """A -wal left by a crash holds committed codings: reading without it would hide them, so refuse clearly."""
    folder = immutable_folder
    target = folder / "project.miv"
    project.close()
    shutil.copy(project.path, target)
    writer = sqlite3.connect(target, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("INSERT INTO meta(key, value) VALUES ('x', 'y')")
    # simulate the crash: keep the -wal, lose the -shm
    shutil.copy(folder / "project.miv-wal", folder / "saved-wal")
    writer.close()
    os.replace(folder / "saved-wal", folder / "project.miv-wal")
    for extra in (folder / "project.miv-shm",):
        if extra.exists():
            extra.unlink()
    if not (folder / "project.miv-wal").stat().st_size:
        pytest.skip("could not produce a -wal file")
    if not _chattr("+i", target, folder / "project.miv-wal", folder):
        pytest.skip("cannot make a read-only folder here (chattr +i not permitted)")
    with pytest.raises(ProjectError, match="holds changes not yet merged"):
        Project.open(target)


def test_exports_while_another_coder_writes(project: Project, tmp_path: Path):
    """A long writer and CLI exports at once: every export succeeds and is a consistent snapshot."""
    import csv
    import zipfile

    path = project.path
    turns = len(project.transcript(TRANSCRIPT).turns)
    project.close()
    n = 4 * turns
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path), "anna", str(n), str(turns), ",".join(CODES)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    first = writer.stdout.readline()  # anna has a coding: before it, `--coder anna` is rightly refused
    rounds = 0
    while writer.poll() is None or rounds < 2:
        rounds += 1
        for out in (tmp_path / f"uit {rounds}.csv", tmp_path / f"uit {rounds}.qdpx"):
            r = subprocess.run(["mivcode", "export", str(path), str(out), "--coder", "anna"], capture_output=True,
                               text=True, timeout=120)
            assert r.returncode == 0, r.stderr
            if out.suffix == ".csv":
                with open(out, newline="", encoding="utf-8-sig") as fh:
                    rows = list(csv.reader(fh))
                assert rows and len(rows) - 1 <= n
            else:
                with zipfile.ZipFile(out) as zf:
                    assert zf.testzip() is None
    out_, err = writer.communicate()
    assert writer.returncode == 0, err
    assert (first + out_).count("OK") == n
    _integrity(path)
    with Project.open(path) as p:
        assert len(p.codings(coder="anna")) == n


@pytest.mark.parametrize("folder", ["map met spaties", "é ü 😀", "a#b?c%20d&e=f", "x'y\"z"])
def test_odd_project_paths_read_only_and_writable(tmp_path: Path, small_codebook: Path, small_transcript: Path,
                                                   folder: str):
    """Read-only opening goes through a file: URI — characters like # ? % must not cut the path short."""
    d = tmp_path / folder
    d.mkdir()
    path = d / f"project {folder}.miv"
    with Project.create(path, small_codebook) as p:
        p.import_files([small_transcript])
        p.add_coding(TRANSCRIPT, 1, "racisme", "anna")
    with Project.open(path, readonly=True) as p:
        assert [c.code for c in p.codings()] == ["racisme"]
    r = subprocess.run(["mivcode", "codings", str(path), "--json"], capture_output=True, text=True)
    assert r.returncode == 0 and '"racisme"' in r.stdout, r.stderr
    r = subprocess.run(["mivcode", "code", str(path), TRANSCRIPT, "2", "racisme", "--coder", "anna"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in d.iterdir()) == [path.name]  # no stray files (a URI misread makes new ones)
