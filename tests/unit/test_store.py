"""The SQLite conversation store: schema, tree, search, recovery, export, failures."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.conversation import AnswerMeta, MessageState
from app.core.messages import ChatMessage, Role, ToolCall
from app.store import SqliteStore, StoreError, StoreErrorKind, open_store
from app.store.database import SCHEMA_VERSION
from app.store.sqlite_store import fts_query


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "conversations.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[SqliteStore]:
    opened = open_store(db_path)
    yield opened
    opened.close()


def user(text: str) -> ChatMessage:
    return ChatMessage(Role.USER, text)


def answer(text: str) -> ChatMessage:
    return ChatMessage(Role.ASSISTANT, text)


def test_fresh_database_has_the_schema_and_pragmas(store: SqliteStore, db_path: Path) -> None:
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


def test_a_database_from_a_newer_version_is_refused(db_path: Path) -> None:
    open_store(db_path).close()
    raw = sqlite3.connect(db_path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(StoreError) as caught:
        open_store(db_path)
    assert caught.value.kind is StoreErrorKind.NEWER_VERSION
    assert "newer Tramontane" in caught.value.message


def test_conversations_list_pinned_first_then_newest(store: SqliteStore) -> None:
    old = store.create_conversation("old")
    time.sleep(0.01)
    new = store.create_conversation("new")
    time.sleep(0.01)
    pinned = store.create_conversation("pinned")
    store.set_pinned(old, True)
    assert [c.title for c in store.list_conversations()] == ["old", "pinned", "new"]
    store.set_pinned(old, False)
    store.rename_conversation(new, "renamed")
    assert [c.id for c in store.list_conversations()] == [pinned, new, old]
    assert store.conversation(new).title == "renamed"


def test_delete_is_undoable_until_purged(store: SqliteStore) -> None:
    conversation = store.create_conversation("bye")
    message = store.add_message(conversation, None, user("unique-word"))
    store.delete_conversation(conversation)
    assert store.list_conversations() == []
    assert store.search("unique-word") == []
    store.restore_conversation(conversation)
    assert [c.id for c in store.list_conversations()] == [conversation]
    store.delete_conversation(conversation)
    store.purge_deleted()
    with pytest.raises(KeyError):
        store.snapshot(conversation)
    assert store.search("unique-word") == []
    del message


def test_branches_and_alternatives(store: SqliteStore) -> None:
    c = store.create_conversation("tree")
    question = store.add_message(c, None, user("Question"))
    first = store.add_message(c, question, answer("First answer"))
    second = store.add_message(c, question, answer("Second answer"))  # regenerate
    store.set_active_leaf(c, second)
    turns = store.snapshot(c).turns()
    assert [(t.node.message.content, t.alternative, t.alternatives) for t in turns] == [
        ("Question", 1, 1),
        ("Second answer", 2, 2),
    ]
    edited = store.add_message(c, None, user("Edited question"))  # edit makes a sibling root
    store.set_active_leaf(c, edited)
    snapshot = store.snapshot(c)
    assert [t.alternatives for t in snapshot.turns()] == [2]
    assert snapshot.latest_leaf_under(question) == second
    assert first in {n.id for n in snapshot.nodes}


def test_tool_calls_and_metadata_round_trip(store: SqliteStore) -> None:
    c = store.create_conversation("tools")
    q = store.add_message(c, None, user("Weather?"))
    call = ChatMessage(Role.ASSISTANT, "", tool_calls=(ToolCall("abcdefghi", "weather", "{}"),))
    a = store.add_message(c, q, call)
    r = store.add_message(c, a, ChatMessage(Role.TOOL, "sunny", tool_call_id="abcdefghi"))
    final = store.add_message(c, r, answer(""), MessageState.STREAMING)
    meta = AnswerMeta(500, 12, 41.5, "model-Q4_K_M.gguf", "Q4_K_M", 0.12)
    store.update_message(final, content="It is sunny.", state=MessageState.COMPLETE, meta=meta)
    nodes = {n.id: n for n in store.snapshot(c).nodes}
    assert nodes[a].message.tool_calls == call.tool_calls
    assert nodes[r].message.tool_call_id == "abcdefghi"
    assert nodes[final].meta == meta
    assert nodes[final].state is MessageState.COMPLETE


def test_search_highlights_hits(store: SqliteStore) -> None:
    c = store.create_conversation("Alps")
    store.add_message(c, None, user("The tramontane is a cold wind from the north."))
    store.add_message(c, None, user("Nothing to see here."))
    hits = store.search("tramon")
    assert len(hits) == 1
    hit = hits[0]
    start, end = hit.highlights[0]
    assert hit.snippet[start:end].lower() == "tramontane"
    assert hit.title == "Alps"
    assert store.search('"quote" (paren) *star*') == []  # odd input is a query, not an error


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('say "hi" now') == '"say" """hi""" "now"*'
    assert fts_query("   ") == ""


def test_streaming_answers_become_interrupted_after_a_crash(db_path: Path) -> None:
    first = open_store(db_path)
    c = first.create_conversation("crash")
    q = first.add_message(c, None, user("Tell me"))
    a = first.add_message(c, q, answer(""), MessageState.STREAMING)
    first.update_message(a, content="Half an ans", state=MessageState.STREAMING)
    first.close()
    reopened = open_store(db_path)
    node = reopened.snapshot(c).node(a)
    assert node.state is MessageState.INTERRUPTED
    assert node.message.content == "Half an ans"
    reopened.close()


def test_export_and_import_round_trip(store: SqliteStore, tmp_path: Path) -> None:
    c = store.create_conversation("Export me")
    store.set_overrides(c, {"system_prompt": "Be brief."})
    q = store.add_message(c, None, user("Q"))
    store.add_message(c, q, answer("A1"))
    a2 = store.add_message(c, q, answer("A2 with ```code```"))
    store.set_active_leaf(c, a2)
    json_path, md_path = tmp_path / "all.json", tmp_path / "one.md"
    store.export_conversations_json(None, json_path)
    store.export_conversation_markdown(c, md_path)
    assert "## Assistant" in md_path.read_text() and "A2 with" in md_path.read_text()
    (imported,) = store.import_conversations_json(json_path)
    copy = store.snapshot(imported)
    assert [t.node.message.content for t in copy.turns()] == ["Q", "A2 with ```code```"]
    assert [t.alternatives for t in copy.turns()] == [1, 2]
    assert store.conversation(imported).overrides == {"system_prompt": "Be brief."}


def test_import_refuses_a_foreign_file(store: SqliteStore, tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"messages": []}))
    with pytest.raises(StoreError) as caught:
        store.import_conversations_json(path)
    assert caught.value.kind is StoreErrorKind.UNREADABLE
    assert store.list_conversations() == []


def test_a_damaged_file_is_kept_aside_and_a_new_one_started(db_path: Path) -> None:
    db_path.write_bytes(b"this is not a database" * 100)
    opened = open_store(db_path)
    assert opened.notice is not None and "damaged" in opened.notice
    assert list(db_path.parent.glob("*.damaged-*"))
    assert opened.list_conversations() == []
    opened.close()


def test_a_full_disk_is_a_clear_error_and_loses_what_was_saved(db_path: Path) -> None:
    store = open_store(db_path)
    c = store.create_conversation("full")
    kept = store.add_message(c, None, user("saved before the disk filled"))
    raw = store._db
    pages = raw.execute("PRAGMA page_count").fetchone()[0]
    raw.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError) as caught:
        store.add_message(c, kept, answer("x" * 200_000))
    assert caught.value.kind is StoreErrorKind.DISK_FULL
    assert store.snapshot(c).node(kept).message.content == "saved before the disk filled"
    store.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_a_read_only_folder_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(StoreError) as caught:
            open_store(folder / "c.sqlite3")
        assert caught.value.kind is StoreErrorKind.READ_ONLY
    finally:
        folder.chmod(0o700)


WRITER = """
import sys, time
from pathlib import Path
from app.core.conversation import MessageState
from app.core.messages import ChatMessage, Role
from app.store import open_store
store = open_store(Path(sys.argv[1]))
c = store.create_conversation("streaming")
q = store.add_message(c, None, ChatMessage(Role.USER, "go"))
a = store.add_message(c, q, ChatMessage(Role.ASSISTANT, ""), MessageState.STREAMING)
text = ""
checkpoint = time.monotonic()
while True:
    text += "tok "
    if time.monotonic() - checkpoint >= 0.2:
        store.update_message(a, content=text, state=MessageState.STREAMING)
        checkpoint = time.monotonic()
        print(len(text), flush=True)
    time.sleep(0.002)
"""


def test_kill_9_while_streaming_keeps_the_last_checkpoint(db_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    with subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path)], stdout=subprocess.PIPE, text=True, cwd=root
    ) as process:
        assert process.stdout is not None
        lengths = [int(process.stdout.readline()) for _ in range(5)]
        process.send_signal(signal.SIGKILL)
        process.wait()
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()
    store = open_store(db_path)
    (conversation,) = store.list_conversations()
    streamed = store.snapshot(conversation.id).active_path[-1]
    assert streamed.state is MessageState.INTERRUPTED
    assert len(streamed.message.content) >= lengths[-1]  # nothing before the last checkpoint lost
    store.close()
