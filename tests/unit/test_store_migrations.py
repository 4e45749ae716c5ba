"""Opening the store: pragmas, a fresh schema, upgrades with a backup, newer files refused."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from app.core.messages import ChatMessage, ImagePart, Role
from app.store import SqliteStore, StoreError, StoreErrorKind, migrations
from app.store.migrations import MIGRATIONS, SCHEMA_VERSION, Migration


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "conversations.sqlite3"


def user_version(path: Path) -> int:
    raw = sqlite3.connect(path)
    try:
        return int(raw.execute("PRAGMA user_version").fetchone()[0])
    finally:
        raw.close()


def write_version_1(path: Path, image: Path) -> None:
    """A database as version 1 wrote it, with one message holding an image."""
    raw = sqlite3.connect(path, isolation_level=None)
    for statement in migrations.statements(MIGRATIONS[0].script):
        raw.execute(statement)
    raw.execute("PRAGMA user_version = 1")
    raw.execute(
        "INSERT INTO conversations (id, title, created_at, updated_at) VALUES (1, 'Old', 1, 2)"
    )
    sha = hashlib.sha256(image.read_bytes()).hexdigest()
    raw.execute(
        "INSERT INTO messages (id, conversation_id, role, content, state, created_at, images) "
        "VALUES (1, 1, 'user', 'What is in this picture of a lighthouse?', 'complete', 1, ?)",
        (json.dumps([[str(image), sha]]),),
    )
    raw.close()


def test_a_fresh_database_has_the_schema_and_the_pragmas(db_path: Path) -> None:
    store = SqliteStore(db_path)
    assert store.backup is None and store.notice is None
    assert store._db.pragma("journal_mode") == "wal"
    assert store._db.pragma("synchronous") == 1  # NORMAL
    assert store._db.pragma("foreign_keys") == 1
    assert store._db.pragma("user_version") == SCHEMA_VERSION
    store.close()


def test_an_older_database_is_upgraded_after_a_backup(db_path: Path, tmp_path: Path) -> None:
    image = tmp_path / "lighthouse.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"pixels" * 50)
    write_version_1(db_path, image)

    store = SqliteStore(db_path)

    assert user_version(db_path) == SCHEMA_VERSION
    assert store.backup is not None and store.backup.name.startswith(f"{db_path.name}.v1.")
    assert user_version(store.backup) == 1
    saved = sqlite3.connect(store.backup)
    assert saved.execute("SELECT content FROM messages").fetchall() == [
        ("What is in this picture of a lighthouse?",)
    ]
    saved.close()
    (node,) = store.snapshot(1).nodes
    sha = hashlib.sha256(image.read_bytes()).hexdigest()
    assert node.message.images == (ImagePart(image, sha),)
    assert store.attachment(sha).mime == "image/png"
    assert store.attachment(sha).size == image.stat().st_size
    assert [hit.message_id for hit in store.search("lighthouse")] == [1]
    store.close()


def test_a_failing_migration_leaves_the_database_as_it_was(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    SqliteStore(db_path).close()
    broken = Migration("broken", "CREATE TABLE extra (x INTEGER);\nINSERT INTO nowhere VALUES (1);")
    monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS, broken))
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(sqlite3.OperationalError):
        SqliteStore(db_path)
    assert user_version(db_path) == SCHEMA_VERSION
    raw = sqlite3.connect(db_path)
    assert raw.execute("SELECT name FROM sqlite_master WHERE name = 'extra'").fetchall() == []
    raw.close()


def test_a_database_from_a_newer_version_is_refused_untouched(db_path: Path) -> None:
    SqliteStore(db_path).close()
    raw = sqlite3.connect(db_path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError) as caught:
        SqliteStore(db_path)
    assert caught.value.kind is StoreErrorKind.NEWER_VERSION
    assert "newer Tramontane" in caught.value.message
    assert db_path.read_bytes() == before
    assert not list(db_path.parent.glob("*.bak"))


def test_a_file_that_is_no_database_is_set_aside(db_path: Path) -> None:
    db_path.write_bytes(b"this is not a database" * 100)
    store = SqliteStore(db_path)
    (aside,) = db_path.parent.glob(f"{db_path.name}.damaged-*")
    assert aside.read_bytes() == b"this is not a database" * 100
    assert store.notice is not None and aside.name in store.notice
    assert store.list_conversations() == []
    store.create_conversation("a new start")
    store.close()


def test_a_database_with_damaged_pages_is_set_aside(db_path: Path) -> None:
    store = SqliteStore(db_path)
    conversation = store.create_conversation("soon damaged")
    for i in range(200):
        store.add_message(
            conversation, None, ChatMessage(Role.USER, f"message {i} " + "text " * 40)
        )
    store.close()
    data = bytearray(db_path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for page in range(2, len(data) // page_size):  # every page after the schema page
        start = page * page_size
        data[start : start + 64] = b"\xa5" * 64
    db_path.write_bytes(bytes(data))

    reopened = SqliteStore(db_path)

    assert reopened.notice is not None and "damaged" in reopened.notice
    assert list(db_path.parent.glob(f"{db_path.name}.damaged-*"))
    assert reopened.list_conversations() == []
    reopened.close()


def test_a_newer_database_is_refused_before_sqlite_opens_it(db_path: Path) -> None:
    """Not switched to WAL, no -wal or -shm file made: the refusal touches nothing."""
    raw = sqlite3.connect(db_path)
    raw.execute("CREATE TABLE later_things (x)")
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 3}")
    raw.close()
    assert db_path.read_bytes()[18:20] == b"\x01\x01"  # a rollback journal, not WAL
    before = db_path.read_bytes()
    with pytest.raises(StoreError) as caught:
        SqliteStore(db_path)
    assert caught.value.kind is StoreErrorKind.NEWER_VERSION
    assert "the file was left untouched" in caught.value.message
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]
