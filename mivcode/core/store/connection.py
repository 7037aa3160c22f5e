"""Opening a project file: checks, WAL, foreign keys, migrations, transactions.

Every user action is one `BEGIN IMMEDIATE … COMMIT`, so a crash loses at most
the action in flight and a second process waits (busy timeout) instead of
interleaving half-written actions. There is no "save": the file on disk is
always the state the researcher last saw confirmed.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mivcode import __version__
from mivcode.core.clock import now_iso  # noqa: F401  (the store modules take it from here)
from mivcode.core.errors import ProjectError, ReadOnlyError
from mivcode.core.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

BUSY_TIMEOUT_MS = 10_000


class ProjectStore:
    """The one place that talks SQL. Front ends and engines go through `Project`."""

    def __init__(self, path: str | Path, *, create: bool = False, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        self.backup_path: Path | None = None
        self._lock = threading.RLock()
        self._depth = 0
        if create:
            if self.path.exists() and self.path.stat().st_size > 0:
                raise ProjectError(f"{self.path}: already exists; open it instead of creating it")
            if not self.path.parent.exists():
                raise ProjectError(f"{self.path}: folder {self.path.parent} does not exist")
        elif not self.path.exists():
            raise ProjectError(f"{self.path}: no such project file (create one with `mivcode init`)")
        self.readonly_reason: str | None = "opened read-only" if readonly else None
        if not create:
            self._check_header()
            if not readonly and not _writable(self.path):
                self.readonly = True
                self.readonly_reason = "the file or its folder is not writable, so it was opened read-only"
        self.conn = self._connect()
        if create:
            self._migrate(0)
            with self.tx():
                self.conn.execute("INSERT INTO meta(key, value) VALUES ('created_with', ?)", (__version__,))
                self.conn.execute("INSERT INTO meta(key, value) VALUES ('created_at', ?)", (now_iso(),))
        else:
            self._check_and_upgrade()

    # -- opening -------------------------------------------------------------

    def _check_header(self) -> None:
        try:
            with open(self.path, "rb") as fh:
                head = fh.read(100)
        except OSError as exc:
            raise ProjectError(f"{self.path}: cannot read ({exc.strerror})") from None
        if len(head) == 0:
            raise ProjectError(f"{self.path}: empty file, not a mivcode project")
        if not head.startswith(b"SQLite format 3\x00"):
            raise ProjectError(f"{self.path}: not a mivcode project (not an SQLite file)")

    def _connect(self) -> sqlite3.Connection:
        if self.readonly:
            conn = self._connect_readonly()
        else:
            conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not self.readonly:
            try:
                # never switch another program's SQLite file to WAL: check whose file it is first
                if self.path.stat().st_size > 0 and conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                    conn.close()
                    raise ProjectError(f"{self.path}: not a mivcode project (an SQLite file of another program)")
                conn.execute("PRAGMA journal_mode = WAL")
            except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
                conn.close()
                raise ProjectError(f"{self.path}: not a mivcode project ({_why(exc)})") from None
            conn.execute("PRAGMA synchronous = FULL")
        return conn

    def _connect_readonly(self) -> sqlite3.Connection:
        """`mode=ro`; in a read-only folder SQLite cannot create the WAL index (-shm) and fails to read.

        No -shm file there means no other process has the project open in WAL mode, so reading the file as
        immutable is then safe — unless a -wal file holds committed changes that only a writer can recover.
        """
        uri = self.path.resolve().as_uri()
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # a damaged schema page can hold bad UTF-8
            conn.close()
            if not isinstance(exc, sqlite3.OperationalError) or "unable to open" not in str(exc):
                raise ProjectError(f"{self.path}: corrupt or not a mivcode project ({_why(exc)})") from None
        wal = self.path.with_name(self.path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise ProjectError(
                f"{self.path}: the folder is read-only and {wal.name} holds changes not yet merged into the "
                "project; open it once where it is writable (or copy the folder) to recover them"
            )
        return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None,
                               check_same_thread=False)

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _check_and_upgrade(self) -> None:
        try:
            app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
            version = self.schema_version()
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            self.conn.close()
            raise ProjectError(f"{self.path}: corrupt or not a mivcode project ({_why(exc)})") from None
        if app_id != APPLICATION_ID:
            self.conn.close()
            raise ProjectError(f"{self.path}: not a mivcode project (an SQLite file of another program)")
        if version > SCHEMA_VERSION:
            written = self.meta("written_with") or "a newer version"
            self.conn.close()
            raise ProjectError(
                f"{self.path}: written by mivcode {written} (schema {version}); "
                f"this is mivcode {__version__} (schema {SCHEMA_VERSION}): please upgrade mivcode"
            )
        self._check_schema(version)
        if version < SCHEMA_VERSION:
            if self.readonly:
                self.conn.close()
                raise ProjectError(
                    f"{self.path}: schema {version} needs an upgrade to {SCHEMA_VERSION}, but the file is read-only"
                )
            self.backup_path = self._backup(version)
            self._migrate(version)

    def _check_schema(self, version: int) -> None:
        """Every table and column this version needs is there (a hand-edited or damaged file may lack them)."""
        try:
            for table, columns in expected_columns(version).items():
                have = {r[1] for r in self.conn.execute(f'PRAGMA table_info("{table}")')}
                missing = sorted(columns - have)
                if missing:
                    what = f"table {table}" if not have else f"table {table} lacks column(s) {', '.join(missing)}"
                    raise ProjectError(f"{self.path}: damaged or hand-edited project ({what}"
                                       f"{' is missing' if not have else ''})")
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            self.conn.close()
            raise ProjectError(f"{self.path}: corrupt or not a mivcode project ({_why(exc)})") from None
        except ProjectError:
            self.conn.close()
            raise

    def _backup(self, version: int) -> Path:
        """Copy the file before upgrading it, with SQLite's online backup (consistent even in WAL mode)."""
        target = self.path.with_name(f"{self.path.name}.schema{version}.bak")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.schema{version}.{n}.bak")
        dest = sqlite3.connect(str(target))
        try:
            self.conn.backup(dest)
        finally:
            dest.close()
        return target

    def _migrate(self, from_version: int) -> None:
        for version in range(from_version + 1, SCHEMA_VERSION + 1):
            script = MIGRATIONS[version - 1]
            with self.tx():
                for statement in _split_sql(script):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {version}")
                self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                self.conn.execute(
                    "INSERT INTO meta(key, value) VALUES ('written_with', ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (__version__,),
                )

    # -- transactions --------------------------------------------------------

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One user action: all of it reaches the disk, or none of it. Nested calls join the outer one."""
        if self.readonly:
            raise ReadOnlyError(f"{self.path}: {self.readonly_reason or 'opened read-only'}; changes are not possible")
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise ProjectError(
                        f"{self.path}: another mivcode is writing to this project; try again in a moment"
                    ) from None
                if "readonly" in str(exc) or "read-only" in str(exc):
                    raise ReadOnlyError(f"{self.path}: the file is read-only") from None
                raise
            self._depth = 1
            try:
                yield self.conn
            except sqlite3.OperationalError as exc:
                self._rollback()
                if _disk_trouble(exc):
                    raise ProjectError(f"{self.path}: {_why(exc)}: this action was not saved, the project is as "
                                       "it was; free some disk space and try again") from None
                raise
            except BaseException:
                self._rollback()
                raise
            else:
                try:
                    self.conn.execute("COMMIT")
                except sqlite3.IntegrityError as exc:  # a deferred foreign key: e.g. undoing onto a removed code
                    self._rollback()
                    raise ProjectError(f"{self.path}: this action no longer fits the project (it refers to a code, "
                                       f"transcript or coder that is gone: {_why(exc)}); nothing was changed") from None
                except sqlite3.DatabaseError as exc:
                    self._rollback()
                    raise ProjectError(f"{self.path}: could not save this action ({_why(exc)}); the project is "
                                       "as it was") from None
            finally:
                self._depth = 0

    def _rollback(self) -> None:
        """Roll back what is still open: after SQLITE_FULL or an I/O error SQLite may already have done so,
        and a failing ROLLBACK must not hide the error that caused it."""
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.OperationalError:
                pass

    # -- small helpers -------------------------------------------------------

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        with self._lock:
            cur = self.conn.execute(sql, params)
            cols = [d[0] for d in cur.description or ()]
            return [dict(zip(cols, row)) for row in cur.fetchall()]

    def scalar(self, sql: str, params: tuple | dict = ()):
        with self._lock:
            row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def meta(self, key: str) -> str | None:
        try:
            return self.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        except sqlite3.DatabaseError:
            return None

    def integrity_ok(self) -> bool:
        return self.scalar("PRAGMA integrity_check") == "ok"

    def problems(self, *, quick: bool = False, foreign_keys: bool = True) -> list[str]:
        """What SQLite's integrity check (`quick`: the faster quick_check) and foreign-key check find."""
        with self._lock:
            rows = [str(r[0]) for r in self.conn.execute(f"PRAGMA {'quick_check' if quick else 'integrity_check'}")]
            out = [] if rows == ["ok"] else rows
            if foreign_keys:
                out += [f"broken reference in table {r[0]} (row {r[1]} -> {r[2]})"
                        for r in self.conn.execute("PRAGMA foreign_key_check")]
        return out

    def damage(self, exc: Exception) -> str | None:
        """Why a failing query means a damaged file, or None when the file checks out (then it is a bug)."""
        if self.conn.in_transaction:  # judge the file, not the half-done action
            self._rollback()
        if isinstance(exc, (UnicodeDecodeError, json.JSONDecodeError)) or "decode" in str(exc):
            return "text that is not valid UTF-8 or JSON"  # mivcode never writes either
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, (sqlite3.IntegrityError,
                                                                         sqlite3.ProgrammingError)):
            if "malformed" in str(exc) or "mismatch" in str(exc) or "corrupt" in str(exc):
                return " ".join(str(exc).split())[:160]
        try:
            rows = self.conn.execute("PRAGMA quick_check").fetchall()
            broken = self.conn.execute("PRAGMA foreign_key_check").fetchall()
        except sqlite3.DatabaseError as check_exc:
            return " ".join(str(check_exc).split())[:160]
        if [r[0] for r in rows] != ["ok"]:
            return " ".join(str(rows[0][0]).split())[:160]
        if broken:  # mivcode writes with foreign keys on: a dangling reference is damage or a hand edit
            return f"{len(broken)} broken reference(s), e.g. in table {broken[0][0]}"
        return None

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass


def where(*conditions: tuple[str, object]) -> tuple[str, tuple]:
    """A WHERE clause and its parameters from (sql, value) pairs, leaving out those whose value is None.

    A list value fills the `{}` of an `IN ({})` with one placeholder per item (an empty list is left out);
    a tuple gives one value per `?` (`BETWEEN ? AND ?`). Written here rather than taken from sqlite-utils,
    whose `rows_where` wants the finished fragment for one table, while ours filter joins.
    """
    parts: list[str] = []
    params: list = []
    for sql, value in conditions:
        if value is None or (isinstance(value, list) and not value):
            continue
        if isinstance(value, list):
            parts.append(sql.format(",".join("?" * len(value))))
            params.extend(value)
        elif isinstance(value, tuple):
            parts.append(sql)
            params.extend(value)
        else:
            parts.append(sql)
            params.append(value)
    return (" WHERE " + " AND ".join(parts) if parts else ""), tuple(params)


def _disk_trouble(exc: Exception) -> bool:
    text = str(exc)
    return "disk is full" in text or "disk I/O error" in text


def _why(exc: Exception) -> str:
    """SQLite's message on one line (a damaged schema is quoted with its line breaks), not too long."""
    if isinstance(exc, UnicodeDecodeError):
        return "damaged text"
    text = " ".join(str(exc).split())
    return text if len(text) <= 160 else text[:159] + "…"


_EXPECTED: dict[int, dict[str, set[str]]] = {}


def expected_columns(version: int) -> dict[str, set[str]]:
    """Tables and columns a project at `version` has: the shipped migrations applied to an empty database."""
    if version not in _EXPECTED:
        mem = sqlite3.connect(":memory:")
        try:
            for script in MIGRATIONS[:version]:
                for statement in _split_sql(script):
                    mem.execute(statement)
            tables = [r[0] for r in mem.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                                " AND name NOT LIKE 'sqlite_%'")]
            _EXPECTED[version] = {t: {r[1] for r in mem.execute(f'PRAGMA table_info("{t}")')} for t in tables}
        finally:
            mem.close()
    return _EXPECTED[version]


def _writable(path: Path) -> bool:
    import os

    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buf: list[str] = []
    for line in script.strip().splitlines():
        buf.append(line)
        candidate = "\n".join(buf).strip()
        if candidate.endswith(";") and sqlite3.complete_statement(candidate):
            statements.append(candidate)
            buf = []
    if "\n".join(buf).strip():
        statements.append("\n".join(buf).strip())
    return statements
