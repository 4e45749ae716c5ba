"""The SQLite connection: pragmas, schema version and ordered migrations, damaged-file recovery.

WAL with synchronous=NORMAL: a crash of the program loses nothing committed, a power cut at most
the last transactions. Each migration runs in one transaction, after a backup of the file.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.store.errors import StoreError, StoreErrorKind, translate

MIGRATIONS: tuple[str, ...] = (
    # 1: conversations, the message tree, full-text search
    """
    CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        pinned INTEGER NOT NULL DEFAULT 0,
        deleted_at REAL,
        active_leaf INTEGER,
        overrides TEXT
    );
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        parent_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        content TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL,
        pinned INTEGER NOT NULL DEFAULT 0,
        left_out INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL,
        images TEXT,
        tool_calls TEXT,
        tool_call_id TEXT,
        prompt_tokens INTEGER,
        completion_tokens INTEGER,
        tokens_per_s REAL,
        ttft_s REAL,
        model_file TEXT,
        quant TEXT
    );
    CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
    CREATE INDEX messages_by_parent ON messages(parent_id);
    CREATE VIRTUAL TABLE messages_fts USING fts5(
        content, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
    END;
    CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, content)
            VALUES ('delete', old.id, old.content);
    END;
    CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, content)
            VALUES ('delete', old.id, old.content);
        INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
    END;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class OpenResult:
    connection: sqlite3.Connection
    notice: str | None  # something the user should be told (a damaged file was set aside)


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error; SQLite errors become StoreErrors."""
    try:
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
    except sqlite3.Error as exc:
        known = translate(exc)
        if known is None:
            raise
        raise known from exc


def _backup(connection: sqlite3.Connection, path: Path, version: int) -> None:
    target = sqlite3.connect(path.with_name(f"{path.name}.v{version}.bak"))
    try:
        connection.backup(target)
    finally:
        target.close()


def _migrate(connection: sqlite3.Connection, path: Path) -> None:
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise StoreError(
            StoreErrorKind.NEWER_VERSION,
            f"The conversation database was written by a newer Tramontane (schema {version}, "
            f"this one knows {SCHEMA_VERSION}). Update Tramontane to open it.",
        )
    if version == SCHEMA_VERSION:
        return
    if version > 0:
        _backup(connection, path, version)
    for number in range(version, SCHEMA_VERSION):
        with transaction(connection):
            for statement in _statements(MIGRATIONS[number]):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number + 1}")


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (triggers hold semicolons inside BEGIN…END)."""
    statements, current = [], ""
    for line in script.strip().splitlines():
        current += line + "\n"
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return statements


def _set_aside(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    path.replace(aside)
    for suffix in ("-wal", "-shm"):
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            sidecar.replace(aside.with_name(aside.name + suffix))
    return aside


def open_database(path: Path) -> OpenResult:
    """Open (creating or migrating) the database at `path`.

    A damaged file is moved aside with a timestamp and a new database started; the returned
    notice tells the user where the old file is.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            StoreErrorKind.READ_ONLY, f"Tramontane cannot create its data folder: {exc}."
        ) from exc
    notice = None
    try:
        connection = _connect(path)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        _migrate(connection, path)
        check = connection.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise sqlite3.DatabaseError("database disk image is malformed")
    except sqlite3.DatabaseError as exc:
        known = translate(exc)
        if known is None:
            raise
        if known.kind is not StoreErrorKind.CORRUPT:
            raise known from exc
        aside = _set_aside(path)
        notice = (
            f"The conversation database was damaged. It was kept as {aside.name} and a new, "
            "empty one was started."
        )
        connection = _connect(path)
        _migrate(connection, path)
    return OpenResult(connection, notice)
