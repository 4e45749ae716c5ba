"""Full-text search: hits marked in snippets, kept in step with edits and deletes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.conversation import MessageState
from app.core.messages import ChatMessage, Role
from app.store import SqliteStore
from app.store.search import fts_query, highlights


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore(tmp_path / "conversations.sqlite3")
    yield opened
    opened.close()


def test_hits_are_marked_in_the_snippet(store: SqliteStore) -> None:
    c = store.create_conversation("Alps")
    hit_id = store.add_message(c, None, ChatMessage(Role.USER, "The tramontane is a cold wind."))
    store.add_message(c, None, ChatMessage(Role.USER, "Nothing to see here."))
    (hit,) = store.search("tramon")
    assert (hit.conversation_id, hit.message_id, hit.title) == (c, hit_id, "Alps")
    ((start, end),) = hit.highlights
    assert hit.snippet[start:end] == "tramontane"
    assert hit.snippet == "The tramontane is a cold wind."


def test_every_word_must_appear_and_accents_do_not_matter(store: SqliteStore) -> None:
    c = store.create_conversation("words")
    store.add_message(c, None, ChatMessage(Role.USER, "Le café est chaud"))
    store.add_message(c, None, ChatMessage(Role.USER, "Le thé est chaud"))
    assert [h.snippet for h in store.search("cafe chaud")] == ["Le café est chaud"]
    assert len(store.search("chaud")) == 2
    assert store.search('"quote" (paren) *star* AND') == []  # odd input is text, not syntax
    assert store.search("   ") == []


def test_the_index_follows_streamed_text_and_deletes(store: SqliteStore) -> None:
    c = store.create_conversation("stream")
    q = store.add_message(c, None, ChatMessage(Role.USER, "go"))
    a = store.add_message(c, q, ChatMessage(Role.ASSISTANT, ""), MessageState.STREAMING)
    store.checkpoint(a, "a first draft")
    store.update_message(a, content="the final zeppelin", state=MessageState.COMPLETE)
    assert store.search("draft") == []
    assert [h.message_id for h in store.search("zeppelin")] == [a]
    store.delete_message(a)
    assert store.search("zeppelin") == []


def test_long_messages_give_a_short_snippet_around_the_hit(store: SqliteStore) -> None:
    c = store.create_conversation("long")
    text = " ".join(["filler"] * 200 + ["needle"] + ["filler"] * 200)
    store.add_message(c, None, ChatMessage(Role.USER, text))
    (hit,) = store.search("needle")
    assert len(hit.snippet) < 200 and hit.snippet.startswith("…")
    ((start, end),) = hit.highlights
    assert hit.snippet[start:end] == "needle"


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('say "hi" now') == '"say" """hi""" "now"*'
    assert fts_query("   ") == ""


def test_highlights_turn_marks_into_spans() -> None:
    assert highlights("a \x02b\x03 c \x02dd\x03") == ("a b c dd", ((2, 3), (6, 8)))
