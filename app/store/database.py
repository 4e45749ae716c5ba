"""The SQLite connection: pragmas, short transactions, opening with migration and recovery.

WAL with synchronous=NORMAL: a crash of the program loses nothing committed, a power cut at most
the last transactions. Foreign keys are enforced. A damaged file is moved aside (with a time
stamp in its name) and a new database started; the caller gets a notice to show.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.core.i18n import translate
from app.store.errors import StoreError, StoreErrorKind, known_error, translated
from app.store.migrations import migrate, refuse_newer

SQLITE_MAGIC = b"SQLite format 3\0"
_USER_VERSION_OFFSET = 60  # where SQLite's header keeps `PRAGMA user_version`


class Database:
    """One connection shared by all threads, one statement or transaction at a time."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.path = path
        self._connection = connection
        self._lock = threading.RLock()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error; known failures as StoreErrors."""
        connection = self._connection
        with self._lock, translated():
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise

    def read(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        with self._lock, translated():
            return self._connection.execute(sql, params).fetchall()

    def pragma(self, name: str) -> object:
        """A pragma's value (for checks and tests)."""
        with self._lock, translated():
            return self._connection.execute(f"PRAGMA {name}").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._connection.close()


@dataclass(frozen=True)
class Opened:
    database: Database
    notice: str | None  # to tell the user (a damaged file was set aside)
    backup: Path | None  # taken before migrating an older schema


def connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5)
    try:
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        connection.close()
        raise
    return connection


def _prepare(path: Path) -> tuple[sqlite3.Connection, Path | None]:
    connection = connect(path)
    try:
        backup = migrate(connection, path)
        if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("database disk image is malformed")
    except BaseException:
        connection.close()
        raise
    return connection, backup


def set_aside(path: Path) -> Path:
    """Move a damaged database (and its WAL files) out of the way; returns its new name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    path.replace(aside)
    for suffix in ("-wal", "-shm"):
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            sidecar.replace(aside.with_name(aside.name + suffix))
    return aside


def stored_schema_version(path: Path) -> int | None:
    """The schema version in the file's header, read without SQLite (which would create -wal and
    -shm files beside it, or switch its journal); None when there is no database file yet."""
    try:
        with path.open("rb") as stream:
            header = stream.read(100)
    except FileNotFoundError:
        return None
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return None  # empty, or damaged: opening it tells which
    return int.from_bytes(header[_USER_VERSION_OFFSET : _USER_VERSION_OFFSET + 4], "big")


def _is_damage(exc: sqlite3.Error) -> bool:
    known = known_error(exc)
    if known is not None:
        return known.kind is StoreErrorKind.CORRUPT
    return "malformed" in str(exc)  # quick_check's own finding


def open_database(path: Path) -> Opened:
    """Open (creating or migrating) the database at `path`.

    Raises StoreError: READ_ONLY (folder or file not writable), NEWER_VERSION, LOCKED,
    DISK_FULL. A damaged file is set aside and a new database started, with a notice.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            StoreErrorKind.READ_ONLY,
            translate(
                "StoreError", "Tramontane cannot create its data folder {folder}: {reason}."
            ).format(folder=path.parent, reason=exc.strerror),
        ) from exc
    try:
        version = stored_schema_version(path)
    except OSError as exc:
        raise StoreError(
            StoreErrorKind.READ_ONLY,
            translate(
                "StoreError", "The conversation database {path} cannot be read: {reason}."
            ).format(path=path, reason=exc.strerror),
        ) from exc
    if version is not None:
        refuse_newer(version)  # before SQLite opens it: the file is left exactly as it is
    notice = None
    try:
        with translated():
            try:
                connection, backup = _prepare(path)
            except sqlite3.DatabaseError as exc:
                if not _is_damage(exc):
                    raise
                aside = set_aside(path)
                notice = translate(
                    "Database",
                    "The conversation database was damaged. It was kept as {name} in {folder} "
                    "and a new, empty one was started.",
                ).format(name=aside.name, folder=path.parent)
                connection, backup = _prepare(path)
    except OSError as exc:  # setting the damaged file aside failed
        raise StoreError(
            StoreErrorKind.READ_ONLY,
            translate(
                "StoreError",
                "The conversation database is damaged and could not be moved aside: {reason}.",
            ).format(reason=exc.strerror),
        ) from exc
    return Opened(Database(connection, path), notice, backup)
