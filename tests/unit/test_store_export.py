"""Export to Markdown and JSON, import back: new ids, same tree, attachments carried along."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.conversation import AnswerMeta, ConversationId, ConversationSnapshot, MessageState
from app.core.messages import ChatMessage, ImagePart, Role, ToolCall
from app.store import SqliteStore, StoreError, StoreErrorKind

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x01" * 40


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore(tmp_path / "source" / "conversations.sqlite3")
    yield opened
    opened.close()


def fill(store: SqliteStore, tmp_path: Path) -> ConversationId:
    picture = tmp_path / "chart.png"
    picture.write_bytes(PNG)
    c = store.create_conversation("Export me")
    store.set_overrides(c, {"system_prompt": "Be brief."})
    store.set_context_choice(c, "stop")
    store.set_pinned(c, True)
    q = store.add_message(c, None, ChatMessage(Role.USER, "Q", (store.add_attachment(picture),)))
    store.add_message(c, q, ChatMessage(Role.ASSISTANT, "A1"))
    call = ToolCall("abcdefghi", "lookup", '{"x": 1}')
    a2 = store.add_message(c, q, ChatMessage(Role.ASSISTANT, "", tool_calls=(call,)))
    tool = store.add_message(c, a2, ChatMessage(Role.TOOL, "42", tool_call_id="abcdefghi"))
    final = store.add_message(c, tool, ChatMessage(Role.ASSISTANT, "A2 with ```code```"))
    meta = AnswerMeta(10, 5, 20.0, "m-Q4_K_M.gguf", "Q4_K_M", 0.1, 300.0, "stop", 8, 6, 1.7)
    store.update_message(final, content="A2 with ```code```", state=MessageState.LENGTH, meta=meta)
    store.pin_message(q)
    store.set_active_leaf(c, final)
    return c


def test_json_round_trip_keeps_tree_settings_and_attachments(
    store: SqliteStore, tmp_path: Path
) -> None:
    c = fill(store, tmp_path)
    exported = tmp_path / "all.json"
    store.export_conversations_json(None, exported)
    document = json.loads(exported.read_text())
    (attachment,) = document["attachments"].values()
    assert base64.b64decode(attachment["data"]) == PNG

    target = SqliteStore(tmp_path / "target" / "conversations.sqlite3")
    (imported,) = target.import_conversations_json(exported)
    original, copy = store.snapshot(c), target.snapshot(imported)

    def shape(snapshot: ConversationSnapshot) -> list[tuple[object, ...]]:
        return [
            (t.node.message.role, t.node.message.content, t.alternative, t.alternatives,
             t.node.state, t.node.pinned, t.node.meta, t.node.message.tool_calls,
             t.node.message.tool_call_id, [i.sha256 for i in t.node.message.images])
            for t in snapshot.turns()
        ]  # fmt: skip

    assert shape(copy) == shape(original)
    assert len(copy.nodes) == len(original.nodes)
    record, copied = store.conversation(c), target.conversation(imported)
    assert (copied.title, copied.overrides, copied.context_choice, copied.pinned) == (
        record.title,
        record.overrides,
        record.context_choice,
        record.pinned,
    )
    assert copied.updated_at == record.updated_at
    (image,) = copy.active_path[0].message.images
    assert image.path.read_bytes() == PNG and image.path.is_relative_to(tmp_path / "target")
    target.close()


def test_import_into_the_same_store_gives_new_ids(store: SqliteStore, tmp_path: Path) -> None:
    c = fill(store, tmp_path)
    exported = tmp_path / "one.json"
    store.export_conversations_json([c], exported)
    (imported,) = store.import_conversations_json(exported)
    assert imported != c
    old_ids = {n.id for n in store.snapshot(c).nodes}
    assert not old_ids & {n.id for n in store.snapshot(imported).nodes}


def test_a_long_conversation_round_trips(store: SqliteStore, tmp_path: Path) -> None:
    c = store.create_conversation("long")
    parent = None
    for i in range(3000):  # deeper than Python's recursion limit
        role = Role.USER if i % 2 == 0 else Role.ASSISTANT
        parent = store.add_message(c, parent, ChatMessage(role, f"message {i}"))
    exported = tmp_path / "long.json"
    store.export_conversations_json([c], exported)
    (imported,) = store.import_conversations_json(exported)
    path = store.snapshot(imported).active_path
    assert [n.message.content for n in path] == [f"message {i}" for i in range(3000)]


def test_markdown_shows_the_shown_branch(store: SqliteStore, tmp_path: Path) -> None:
    c = fill(store, tmp_path)
    other = store.create_conversation("Second")
    store.add_message(other, None, ChatMessage(Role.USER, "Hello there"))
    one, everything = tmp_path / "one.md", tmp_path / "all.md"
    store.export_conversation_markdown(c, one)
    store.export_conversations_markdown(None, everything)
    text = one.read_text()
    assert text.startswith("# Export me\n")
    assert "## You" in text and "A2 with ```code```" in text and "A1" not in text
    assert "Tool call `lookup`" in text and "*Attached image:" in text
    assert "*(length)*" in text
    both = everything.read_text()
    assert "# Export me" in both and "# Second" in both and "Hello there" in both


def test_a_version_1_export_still_imports(store: SqliteStore, tmp_path: Path) -> None:
    old = {
        "format": "tramontane-conversations",
        "version": 1,
        "conversations": [
            {
                "title": "Old",
                "overrides": None,
                "active_leaf": 2,
                "messages": [
                    {"id": 1, "parent": None, "role": "user", "content": "Q", "state": "complete"},
                    {
                        "id": 2,
                        "parent": 1,
                        "role": "assistant",
                        "content": "A",
                        "state": "streaming",
                    },
                ],
            }
        ],
    }
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old))
    (imported,) = store.import_conversations_json(path)
    turns = store.snapshot(imported).turns()
    assert [t.node.message.content for t in turns] == ["Q", "A"]
    assert turns[1].node.state is MessageState.INTERRUPTED


def broken_exports(store: SqliteStore, tmp_path: Path) -> list[str]:
    fill(store, tmp_path)
    good = tmp_path / "good.json"
    store.export_conversations_json(None, good)
    document = json.loads(good.read_text())
    tampered = json.loads(good.read_text())
    (sha,) = tampered["attachments"]
    tampered["attachments"][sha]["data"] = base64.b64encode(b"other bytes").decode()
    orphan = json.loads(good.read_text())
    orphan["conversations"][0]["messages"][1]["parent"] = 999
    newer = dict(document, version=99)
    return [
        "{not json",
        json.dumps({"messages": []}),
        json.dumps(tampered),
        json.dumps(orphan),
        json.dumps(newer),
    ]


def test_a_bad_file_is_refused_and_imports_nothing(store: SqliteStore, tmp_path: Path) -> None:
    for number, text in enumerate(broken_exports(store, tmp_path)):
        path = tmp_path / f"bad{number}.json"
        path.write_text(text)
        with pytest.raises(StoreError) as caught:
            store.import_conversations_json(path)
        assert caught.value.kind is StoreErrorKind.UNREADABLE, text[:40]
        assert path.name in caught.value.message
    assert [c.title for c in store.list_conversations()] == ["Export me"]


def test_an_image_whose_file_is_gone_is_exported_without_data(
    store: SqliteStore, tmp_path: Path
) -> None:
    picture = tmp_path / "gone.png"
    picture.write_bytes(PNG + b"gone")
    sha = hashlib.sha256(picture.read_bytes()).hexdigest()
    c = store.create_conversation("lost picture")
    store.add_message(c, None, ChatMessage(Role.USER, "see", (ImagePart(picture, sha),)))
    store.attachment(sha).path.unlink()
    exported = tmp_path / "lost.json"
    store.export_conversations_json([c], exported)
    assert json.loads(exported.read_text())["attachments"][sha]["data"] is None
    (imported,) = store.import_conversations_json(exported)
    assert store.snapshot(imported).nodes[0].message.content == "see"
