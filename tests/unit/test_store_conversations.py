"""Conversations in the store: create, list order, settings kept with them, delete and undo."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.messages import ChatMessage, Role
from app.store import SqliteStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore(tmp_path / "conversations.sqlite3")
    yield opened
    opened.close()


def test_create_read_rename(store: SqliteStore) -> None:
    before = time.time()
    conversation = store.create_conversation("First")
    record = store.conversation(conversation)
    assert record.title == "First" and not record.pinned and record.overrides is None
    assert record.created_at is not None and record.created_at.timestamp() >= before - 1
    store.rename_conversation(conversation, "Renamed")
    assert store.conversation(conversation).title == "Renamed"
    with pytest.raises(KeyError):
        store.conversation(conversation + 1)


def test_list_is_pinned_first_then_newest(store: SqliteStore) -> None:
    old = store.create_conversation("old")
    middle = store.create_conversation("middle")
    new = store.create_conversation("new")
    store.set_pinned(old, True)
    assert [c.id for c in store.list_conversations()] == [old, new, middle]
    store.set_pinned(old, False)
    store.add_message(middle, None, ChatMessage(Role.USER, "activity makes it newest"))
    assert [c.id for c in store.list_conversations()] == [middle, new, old]


def test_overrides_and_context_choice_are_kept(store: SqliteStore) -> None:
    conversation = store.create_conversation("tuned")
    overrides: dict[str, object] = {"system_prompt": "Be brief.", "sampling": {"temperature": 0.7}}
    store.set_overrides(conversation, overrides)
    store.set_context_choice(conversation, "drop_oldest")
    record = store.conversation(conversation)
    assert record.overrides == overrides
    assert record.context_choice == "drop_oldest"
    store.set_overrides(conversation, None)
    assert store.conversation(conversation).overrides is None


def test_delete_is_undone_by_restore_until_purged(store: SqliteStore) -> None:
    kept = store.create_conversation("kept")
    gone = store.create_conversation("gone")
    store.add_message(gone, None, ChatMessage(Role.USER, "unique-word"))
    store.delete_conversation(gone)
    assert [c.id for c in store.list_conversations()] == [kept]
    assert store.search("unique-word") == []
    store.restore_conversation(gone)
    assert {c.id for c in store.list_conversations()} == {kept, gone}
    assert len(store.search("unique-word")) == 1

    store.delete_conversation(gone)
    store.purge_deleted(older_than_s=3600)  # deleted just now: still undoable
    assert store.conversation(gone).title == "gone"
    store.purge_deleted()
    with pytest.raises(KeyError):
        store.snapshot(gone)
    store.restore_conversation(gone)  # nothing left to restore; no error
    assert [c.id for c in store.list_conversations()] == [kept]
    assert store.search("unique-word") == []
