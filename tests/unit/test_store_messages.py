"""Messages in the store: the branch tree, answer data, attachments, checkpoints, recovery."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.conversation import AnswerMeta, MessageState
from app.core.messages import ChatMessage, ImagePart, Role, ToolCall
from app.store import SqliteStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore(tmp_path / "conversations.sqlite3")
    yield opened
    opened.close()


def user(text: str, *images: ImagePart) -> ChatMessage:
    return ChatMessage(Role.USER, text, images)


def answer(text: str) -> ChatMessage:
    return ChatMessage(Role.ASSISTANT, text)


def test_regenerate_and_edit_make_siblings(store: SqliteStore) -> None:
    c = store.create_conversation("tree")
    question = store.add_message(c, None, user("Question"))
    first = store.add_message(c, question, answer("First answer"))
    second = store.add_message(c, question, answer("Second answer"))
    store.set_active_leaf(c, second)
    turns = store.snapshot(c).turns()
    assert [(t.node.message.content, t.alternative, t.alternatives) for t in turns] == [
        ("Question", 1, 1),
        ("Second answer", 2, 2),
    ]
    edited = store.add_message(c, store.snapshot(c).node(question).parent_id, user("Edited"))
    store.set_active_leaf(c, edited)
    snapshot = store.snapshot(c)
    assert [(t.alternative, t.alternatives) for t in snapshot.turns()] == [(2, 2)]
    assert snapshot.alternative_leaf(edited, -1) == second  # back to where that branch ended
    assert first in {n.id for n in snapshot.nodes}


def test_deleting_a_message_removes_its_branch(store: SqliteStore) -> None:
    c = store.create_conversation("tree")
    question = store.add_message(c, None, user("Q"))
    doomed = store.add_message(c, question, answer("A1"))
    store.add_message(c, doomed, user("follow-up"))
    kept = store.add_message(c, question, answer("A2"))
    store.set_active_leaf(c, doomed)
    store.delete_message(doomed)
    snapshot = store.snapshot(c)
    assert {n.id for n in snapshot.nodes} == {question, kept}
    assert snapshot.active_leaf == kept  # the shown leaf was gone: the newest branch is shown


def test_tool_calls_flags_and_answer_data_round_trip(store: SqliteStore) -> None:
    c = store.create_conversation("tools")
    q = store.add_message(c, None, user("Weather?"))
    call = ChatMessage(Role.ASSISTANT, "", tool_calls=(ToolCall("abcdefghi", "weather", "{}"),))
    a = store.add_message(c, q, call)
    r = store.add_message(c, a, ChatMessage(Role.TOOL, "sunny", tool_call_id="abcdefghi"))
    final = store.add_message(c, r, answer(""), MessageState.STREAMING)
    meta = AnswerMeta(
        500, 12, 41.5, "model-Q4_K_M.gguf", "Q4_K_M", 0.12, 812.0, "stop", 40, 31, 2.4
    )
    store.update_message(final, content="It is sunny.", state=MessageState.COMPLETE, meta=meta)
    store.pin_message(q)
    store.set_left_out([a, r])
    nodes = {n.id: n for n in store.snapshot(c).nodes}
    assert nodes[a].message.tool_calls == call.tool_calls
    assert nodes[r].message.tool_call_id == "abcdefghi"
    assert nodes[final].meta == meta == store.answer_meta(final)
    assert nodes[final].state is MessageState.COMPLETE
    assert nodes[q].pinned and not nodes[a].pinned
    assert nodes[a].left_out and nodes[r].left_out and not nodes[q].left_out
    store.set_left_out([a], left_out=False)
    assert not store.snapshot(c).node(a).left_out


def test_token_counts_are_kept_until_the_text_changes(store: SqliteStore) -> None:
    c = store.create_conversation("counted")
    q = store.add_message(c, None, user("Question"))
    a = store.add_message(c, q, answer("Answer"), MessageState.LENGTH)
    store.set_token_counts({q: 4, a: 3})
    assert [n.token_count for n in store.snapshot(c).nodes] == [4, 3]
    store.update_message(a, content="Answer, continued", state=MessageState.COMPLETE)
    assert [n.token_count for n in store.snapshot(c).nodes] == [4, None]


def test_attachments_are_kept_once_by_content(store: SqliteStore, tmp_path: Path) -> None:
    picture = tmp_path / "picture.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    sha = hashlib.sha256(picture.read_bytes()).hexdigest()
    c = store.create_conversation("pictures")
    first = store.add_message(c, None, user("one", ImagePart(picture, sha)))
    part = store.add_attachment(picture)
    second = store.add_message(c, first, user("same again", part, part))
    picture.unlink()  # the user's file goes; the kept copy stays

    nodes = {n.id: n for n in store.snapshot(c).nodes}
    (image,) = nodes[first].message.images
    assert image.sha256 == sha and image.path.read_bytes()[:4] == b"\x89PNG"
    assert nodes[second].message.images == (image, image)
    kept = store.attachment(sha)
    assert (kept.mime, kept.size, kept.path) == ("image/png", 264, image.path)
    assert len(list(image.path.parent.iterdir())) == 1

    store.delete_conversation(c)
    store.purge_deleted()
    assert not image.path.exists()
    with pytest.raises(KeyError):
        store.attachment(sha)


def test_the_original_of_an_image_is_kept_as_long_as_the_image(
    store: SqliteStore, tmp_path: Path
) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 a scanned letter")
    page = tmp_path / "page.png"
    page.write_bytes(b"\x89PNG\r\n\x1a\n the rendered page")
    sha = hashlib.sha256(page.read_bytes()).hexdigest()
    c = store.create_conversation("letter")
    store.add_message(c, None, user("read it", ImagePart(page, sha)))
    store.keep_original(sha, scan)
    scan.unlink()

    original = store.original_of(sha)
    assert original is not None and original.read_bytes() == b"%PDF-1.4 a scanned letter"
    store.purge_deleted()  # still used: kept
    assert original.exists()

    store.delete_conversation(c)
    store.purge_deleted()
    assert not original.exists()
    assert store.original_of(sha) is None


def test_checkpoints_save_a_streaming_answer_and_never_a_finished_one(store: SqliteStore) -> None:
    c = store.create_conversation("stream")
    q = store.add_message(c, None, user("Tell me"))
    a = store.add_message(c, q, answer(""), MessageState.STREAMING)

    def saved() -> str:
        return store.snapshot(c).node(a).message.content

    assert store.checkpoint(a, "one")
    assert saved() == "one"
    assert store.checkpoint(a, "one two three")
    assert saved() == "one two three"
    store.update_message(a, content="one two three four.", state=MessageState.COMPLETE)
    assert not store.checkpoint(a, "late")
    assert saved() == "one two three four."


def test_an_answer_left_streaming_is_interrupted_on_the_next_open(tmp_path: Path) -> None:
    path = tmp_path / "conversations.sqlite3"
    first = SqliteStore(path)
    c = first.create_conversation("cut short")
    q = first.add_message(c, None, user("Tell me"))
    a = first.add_message(c, q, answer(""), MessageState.STREAMING)
    first.checkpoint(a, "Half an ans")
    first.close()

    reopened = SqliteStore(path)
    assert reopened.interrupted == 1
    node = reopened.snapshot(c).node(a)
    assert node.state is MessageState.INTERRUPTED
    assert node.message.content == "Half an ans"
    reopened.close()
