"""The schema, as an ordered list of migrations; the version reached is kept in `user_version`.

Each migration runs in one transaction, after a backup of the existing file (SQLite's backup
API, beside the file as `<name>.v<old version>.<time>.bak`). A database written by a newer
Tramontane is refused, untouched.
"""

from __future__ import annotations

import json
import mimetypes
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.core.i18n import translate
from app.store.errors import StoreError, StoreErrorKind


@dataclass(frozen=True)
class Migration:
    description: str
    script: str
    then: Callable[[sqlite3.Connection], None] | None = None  # data moved after the script


V1_CONVERSATIONS_MESSAGES_SEARCH = """
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
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;
"""

V2_ATTACHMENTS_TIMINGS_CONTEXT_CHOICE = """
CREATE TABLE attachments (
    sha256 TEXT PRIMARY KEY,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    path TEXT NOT NULL
);
CREATE TABLE message_attachments (
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    sha256 TEXT NOT NULL REFERENCES attachments(sha256),
    PRIMARY KEY (message_id, position)
);
CREATE INDEX message_attachments_by_sha256 ON message_attachments(sha256);
ALTER TABLE messages ADD COLUMN prompt_tokens_per_s REAL;
ALTER TABLE messages ADD COLUMN finish_reason TEXT;
ALTER TABLE messages ADD COLUMN token_count INTEGER;
ALTER TABLE conversations ADD COLUMN context_choice TEXT;
CREATE INDEX conversations_by_order ON conversations(deleted_at, pinned, updated_at);
"""


def _move_images_to_attachments(db: sqlite3.Connection) -> None:
    """Version 1 kept `[[path, sha256], …]` in messages.images; now they are attachment rows.

    Files stay where they were: an attachment's path is relative to the attachments folder,
    and an absolute one (as these are) is used as it is.
    """
    rows = db.execute("SELECT id, images FROM messages WHERE images IS NOT NULL").fetchall()
    for message_id, images in rows:
        for position, (path, sha256) in enumerate(json.loads(images)):
            file = Path(path)
            size = file.stat().st_size if file.is_file() else 0
            mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            db.execute(
                "INSERT OR IGNORE INTO attachments (sha256, mime, size, path) VALUES (?, ?, ?, ?)",
                (sha256, mime, size, str(file)),
            )
            db.execute(
                "INSERT INTO message_attachments (message_id, position, sha256) VALUES (?, ?, ?)",
                (message_id, position, sha256),
            )
    db.execute("ALTER TABLE messages DROP COLUMN images")


V3_TOOL_NAMES = """
ALTER TABLE messages ADD COLUMN tool_name TEXT;
"""


V4_IMAGE_ORIGINALS = """
CREATE TABLE image_originals (
    sha256 TEXT PRIMARY KEY REFERENCES attachments(sha256) ON DELETE CASCADE,
    original_sha256 TEXT NOT NULL REFERENCES attachments(sha256)
);
"""


V5_PROMPT_DATE = """
ALTER TABLE conversations ADD COLUMN prompt_date TEXT;
UPDATE conversations SET prompt_date = date(created_at, 'unixepoch', 'localtime');
"""


V6_DRAFTING = """
ALTER TABLE messages ADD COLUMN draft_tokens INTEGER;
ALTER TABLE messages ADD COLUMN accepted_tokens INTEGER;
ALTER TABLE messages ADD COLUMN speculative_speedup REAL;
"""


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "conversations, the message tree, full-text search", V1_CONVERSATIONS_MESSAGES_SEARCH
    ),
    Migration(
        "attachments by content hash; prompt speed, finish reason and token count of a message; "
        "remembered context choice",
        V2_ATTACHMENTS_TIMINGS_CONTEXT_CHOICE,
        _move_images_to_attachments,
    ),
    Migration("the name of the tool whose result a message holds", V3_TOOL_NAMES),
    Migration("the file each prepared image was made from", V4_IMAGE_ORIGINALS),
    Migration("the date a conversation's system prompt gives (the day it started)", V5_PROMPT_DATE),
    Migration("what drafting from the conversation gave an answer", V6_DRAFTING),
)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def statements(script: str) -> list[str]:
    """Split a script into statements (triggers hold semicolons inside BEGIN … END)."""
    found, current = [], ""
    for line in script.strip().splitlines():
        current += line + "\n"
        if sqlite3.complete_statement(current):
            found.append(current.strip())
            current = ""
    return found


def backup(db: sqlite3.Connection, path: Path, version: int) -> Path:
    """A consistent copy of the open database beside it, taken with SQLite's backup API."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target_path = path.with_name(f"{path.name}.v{version}.{stamp}.bak")
    target = sqlite3.connect(target_path)
    try:
        db.backup(target)
    finally:
        target.close()
    return target_path


def refuse_newer(version: int) -> None:
    if version > SCHEMA_VERSION:
        raise StoreError(
            StoreErrorKind.NEWER_VERSION,
            translate(
                "StoreError",
                "The conversation database was written by a newer Tramontane (schema {version}; "
                "this one knows up to {known}). Update Tramontane to open it; the file was left "
                "untouched.",
            ).format(version=version, known=SCHEMA_VERSION),
        )


def migrate(db: sqlite3.Connection, path: Path) -> Path | None:
    """Bring the database up to `SCHEMA_VERSION`; returns the backup taken, if any.

    `db` must be in autocommit mode (isolation_level=None); each step is one transaction.
    """
    version = schema_version(db)
    refuse_newer(version)
    if version == SCHEMA_VERSION:
        return None
    saved = backup(db, path, version) if version > 0 else None
    for number in range(version, SCHEMA_VERSION):
        migration = MIGRATIONS[number]
        db.execute("BEGIN IMMEDIATE")
        try:
            for statement in statements(migration.script):
                db.execute(statement)
            if migration.then is not None:
                migration.then(db)
            db.execute(f"PRAGMA user_version = {number + 1}")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
    return saved
