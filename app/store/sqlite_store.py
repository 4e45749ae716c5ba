"""Conversations and their message trees in SQLite, with full-text search.

All calls are short transactions (WAL makes them cheap), safe to make from the GUI thread; an
answer being streamed is written only at checkpoints the caller chooses (at most every 2 s),
never per token. Messages still marked as streaming when the store opens were cut short by the
end of the program: they become `INTERRUPTED`, with the text of their last checkpoint.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from app.core.conversation import (
    AnswerMeta,
    ConversationId,
    ConversationRecord,
    ConversationSnapshot,
    MessageId,
    MessageNode,
    MessageState,
    SearchResult,
)
from app.core.messages import ChatMessage, ImagePart, Role, ToolCall
from app.store.database import open_database, transaction
from app.store.errors import StoreError, translate

HIT_START, HIT_END = "\x02", "\x03"
SNIPPET_TOKENS = 16


def _now() -> float:
    return time.time()


def fts_query(text: str) -> str:
    """The user's words as an FTS5 query: every word must appear, the last one as a prefix."""
    words = [w.replace('"', '""') for w in text.split()]
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _highlights(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    start = 0
    length = 0
    for char in marked:
        if char == HIT_START:
            start = length
        elif char == HIT_END:
            spans.append((start, length))
        else:
            plain.append(char)
            length += 1
    return "".join(plain), tuple(spans)


class SqliteStore:
    def __init__(self, path: Path) -> None:
        opened = open_database(path)
        self.path = path
        self.notice = opened.notice
        self._db = opened.connection
        self._lock = threading.RLock()
        with self._write() as db:
            db.execute(
                "UPDATE messages SET state = ? WHERE state = ?",
                (MessageState.INTERRUPTED.value, MessageState.STREAMING.value),
            )

    # ---- plumbing ---------------------------------------------------------------------------

    def _write(self) -> Any:
        return _LockedTransaction(self._db, self._lock)

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                cursor = self._db.execute(sql, params)
                cursor.row_factory = sqlite3.Row
                return cursor.fetchall()
            except sqlite3.Error as exc:
                known = translate(exc)
                if known is None:
                    raise
                raise known from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # ---- conversations ----------------------------------------------------------------------

    def create_conversation(self, title: str) -> ConversationId:
        now = _now()
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?)",
                (title, now, now),
            )
        return int(cursor.lastrowid or 0)

    @staticmethod
    def _record(row: sqlite3.Row) -> ConversationRecord:
        overrides = json.loads(row["overrides"]) if row["overrides"] else None
        return ConversationRecord(
            id=row["id"],
            title=row["title"],
            updated_at=datetime.fromtimestamp(row["updated_at"]),
            pinned=bool(row["pinned"]),
            overrides=overrides,
        )

    def conversation(self, conversation_id: ConversationId) -> ConversationRecord:
        rows = self._read("SELECT * FROM conversations WHERE id = ?", (conversation_id,))
        if not rows:
            raise KeyError(conversation_id)
        return self._record(rows[0])

    def list_conversations(self) -> list[ConversationRecord]:
        rows = self._read(
            "SELECT * FROM conversations WHERE deleted_at IS NULL "
            "ORDER BY pinned DESC, updated_at DESC, id DESC"
        )
        return [self._record(row) for row in rows]

    def rename_conversation(self, conversation_id: ConversationId, title: str) -> None:
        with self._write() as db:
            db.execute("UPDATE conversations SET title = ? WHERE id = ?", (title, conversation_id))

    def set_pinned(self, conversation_id: ConversationId, pinned: bool) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE conversations SET pinned = ? WHERE id = ?", (int(pinned), conversation_id)
            )

    def set_overrides(
        self, conversation_id: ConversationId, overrides: dict[str, object] | None
    ) -> None:
        text = json.dumps(overrides) if overrides else None
        with self._write() as db:
            db.execute(
                "UPDATE conversations SET overrides = ? WHERE id = ?", (text, conversation_id)
            )

    def delete_conversation(self, conversation_id: ConversationId) -> None:
        """Hide the conversation; `restore_conversation` undoes it until `purge_deleted`."""
        with self._write() as db:
            db.execute(
                "UPDATE conversations SET deleted_at = ? WHERE id = ?", (_now(), conversation_id)
            )

    def restore_conversation(self, conversation_id: ConversationId) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE conversations SET deleted_at = NULL WHERE id = ?", (conversation_id,)
            )

    def purge_deleted(self) -> None:
        with self._write() as db:
            db.execute("DELETE FROM conversations WHERE deleted_at IS NOT NULL")

    # ---- messages ---------------------------------------------------------------------------

    def add_message(
        self,
        conversation_id: ConversationId,
        parent_id: MessageId | None,
        message: ChatMessage,
        state: MessageState = MessageState.COMPLETE,
    ) -> MessageId:
        now = _now()
        images = json.dumps([[str(i.path), i.sha256] for i in message.images]) or None
        calls = json.dumps([[c.id, c.name, c.arguments] for c in message.tool_calls])
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO messages (conversation_id, parent_id, role, content, state, "
                "created_at, images, tool_calls, tool_call_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    conversation_id,
                    parent_id,
                    message.role.value,
                    message.content,
                    state.value,
                    now,
                    images if message.images else None,
                    calls if message.tool_calls else None,
                    message.tool_call_id,
                ),
            )
            db.execute(
                "UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id)
            )
        return int(cursor.lastrowid or 0)

    def update_message(
        self,
        message_id: MessageId,
        *,
        content: str,
        state: MessageState,
        meta: AnswerMeta | None = None,
    ) -> None:
        """Save an answer's text and state: a streaming checkpoint, or the final version."""
        with self._write() as db:
            db.execute(
                "UPDATE messages SET content = ?, state = ? WHERE id = ?",
                (content, state.value, message_id),
            )
            if meta is not None:
                db.execute(
                    "UPDATE messages SET prompt_tokens = ?, completion_tokens = ?, "
                    "tokens_per_s = ?, ttft_s = ?, model_file = ?, quant = ? WHERE id = ?",
                    (
                        meta.prompt_tokens,
                        meta.completion_tokens,
                        meta.tokens_per_s,
                        meta.time_to_first_token_s,
                        meta.model_file,
                        meta.quant,
                        message_id,
                    ),
                )

    def answer_meta(self, message_id: MessageId) -> AnswerMeta | None:
        rows = self._read("SELECT * FROM messages WHERE id = ?", (message_id,))
        return self._meta(rows[0]) if rows else None

    @staticmethod
    def _meta(row: sqlite3.Row) -> AnswerMeta | None:
        if row["model_file"] is None:
            return None
        return AnswerMeta(
            row["prompt_tokens"] or 0,
            row["completion_tokens"] or 0,
            row["tokens_per_s"] or 0.0,
            row["model_file"],
            row["quant"],
            row["ttft_s"] or 0.0,
        )

    def delete_message(self, message_id: MessageId) -> None:
        """Remove a message and everything that branched from it."""
        with self._write() as db:
            db.execute("DELETE FROM messages WHERE id = ?", (message_id,))

    def set_active_leaf(self, conversation_id: ConversationId, message_id: MessageId) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE conversations SET active_leaf = ? WHERE id = ?",
                (message_id, conversation_id),
            )

    def set_left_out(self, message_ids: Iterable[MessageId], left_out: bool = True) -> None:
        with self._write() as db:
            db.executemany(
                "UPDATE messages SET left_out = ? WHERE id = ?",
                [(int(left_out), message_id) for message_id in message_ids],
            )

    def pin_message(self, message_id: MessageId, pinned: bool = True) -> None:
        with self._write() as db:
            db.execute("UPDATE messages SET pinned = ? WHERE id = ?", (int(pinned), message_id))

    @staticmethod
    def _node(row: sqlite3.Row) -> MessageNode:
        images = tuple(ImagePart(Path(p), h) for p, h in json.loads(row["images"] or "[]"))
        calls = tuple(ToolCall(i, n, a) for i, n, a in json.loads(row["tool_calls"] or "[]"))
        message = ChatMessage(Role(row["role"]), row["content"], images, calls, row["tool_call_id"])
        return MessageNode(
            id=row["id"],
            parent_id=row["parent_id"],
            message=message,
            state=MessageState(row["state"]),
            pinned=bool(row["pinned"]),
            left_out=bool(row["left_out"]),
            created_at=datetime.fromtimestamp(row["created_at"]),
            meta=SqliteStore._meta(row),
        )

    def snapshot(self, conversation_id: ConversationId) -> ConversationSnapshot:
        record = self._read(
            "SELECT active_leaf FROM conversations WHERE id = ?", (conversation_id,)
        )
        if not record:
            raise KeyError(conversation_id)
        rows = self._read(
            "SELECT * FROM messages WHERE conversation_id = ? ORDER BY id", (conversation_id,)
        )
        nodes = tuple(self._node(row) for row in rows)
        leaf = record[0]["active_leaf"]
        if leaf is None and nodes:
            leaf = nodes[-1].id
        return ConversationSnapshot(conversation_id, nodes, leaf)

    # ---- search -----------------------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[SearchResult]:
        match = fts_query(query)
        if not match:
            return []
        rows = self._read(
            "SELECT m.id, m.conversation_id, c.title, "
            f"snippet(messages_fts, 0, '{HIT_START}', '{HIT_END}', '…', {SNIPPET_TOKENS}) AS s "
            "FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid "
            "JOIN conversations c ON c.id = m.conversation_id "
            "WHERE messages_fts MATCH ? AND c.deleted_at IS NULL "
            "ORDER BY rank LIMIT ?",
            (match, limit),
        )
        results = []
        for row in rows:
            snippet, spans = _highlights(row["s"])
            results.append(
                SearchResult(row["conversation_id"], row["id"], row["title"], snippet, spans)
            )
        return results

    # ---- export / import --------------------------------------------------------------------

    def export_conversation_markdown(self, conversation_id: ConversationId, path: Path) -> None:
        from app.store.export import conversation_markdown, write_atomically

        text = conversation_markdown(
            self.conversation(conversation_id), self.snapshot(conversation_id)
        )
        write_atomically(path, text)

    def export_conversations_json(
        self, conversation_ids: Sequence[ConversationId] | None, path: Path
    ) -> None:
        from app.store.export import conversations_json, write_atomically

        ids = (
            list(conversation_ids)
            if conversation_ids is not None
            else [record.id for record in self.list_conversations()]
        )
        items = [(self.conversation(i), self.snapshot(i)) for i in ids]
        write_atomically(path, conversations_json(items))

    def import_conversations_json(self, path: Path) -> list[ConversationId]:
        from app.store.export import parse_export

        created: list[ConversationId] = []
        for title, overrides, messages, active in parse_export(path):
            conversation_id = self.create_conversation(title)
            self.set_overrides(conversation_id, overrides)
            new_ids: dict[int, MessageId] = {}
            for old_id, parent, message, state in messages:
                new_parent = new_ids.get(parent) if parent is not None else None
                new_ids[old_id] = self.add_message(conversation_id, new_parent, message, state)
            if active is not None and active in new_ids:
                self.set_active_leaf(conversation_id, new_ids[active])
            created.append(conversation_id)
        return created


class _LockedTransaction:
    """A write transaction that also holds the store's thread lock."""

    def __init__(self, db: sqlite3.Connection, lock: threading.RLock) -> None:
        self._db = db
        self._lock = lock
        self._inner: Any = None

    def __enter__(self) -> sqlite3.Connection:
        self._lock.acquire()
        try:
            self._inner = transaction(self._db)
            return self._inner.__enter__()  # type: ignore[no-any-return]
        except BaseException:
            self._lock.release()
            raise

    def __exit__(self, *exc_info: Any) -> None:
        try:
            self._inner.__exit__(*exc_info)
        finally:
            self._lock.release()


__all__ = ["SqliteStore", "StoreError"]
