"""An in-memory store with the window's store interface, for tests that are about the window.

It keeps what it is told and can be made to fail, so tests can check that every failure
reaches the user and loses nothing.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from app.core.messages import ChatMessage, Role
from app.qt_bridge.chat_ports import (
    AnswerMeta,
    ConversationId,
    ConversationRecord,
    ConversationSnapshot,
    MessageId,
    MessageNode,
    MessageState,
    SearchResult,
)

SNIPPET_CONTEXT = 30


@dataclass
class _Conversation:
    record: ConversationRecord
    active_leaf: MessageId | None = None
    deleted: bool = False


@dataclass
class MemoryStore:
    conversations: dict[ConversationId, _Conversation] = field(default_factory=dict)
    nodes: dict[MessageId, tuple[ConversationId, MessageNode]] = field(default_factory=dict)
    meta: dict[MessageId, AnswerMeta] = field(default_factory=dict)
    updates: list[tuple[MessageId, str, MessageState]] = field(default_factory=list)
    fail_writes: bool = False
    closed: bool = False
    _clock: datetime = field(default_factory=lambda: datetime(2026, 5, 1, 9, 0))
    _next_id: int = 1
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # ---- helpers ----------------------------------------------------------------------------

    def _id(self) -> int:
        with self._lock:
            value = self._next_id
            self._next_id += 1
        return value

    def _now(self) -> datetime:
        self._clock += timedelta(minutes=1)
        return self._clock

    def _write(self) -> None:
        if self.fail_writes:
            raise OSError(28, "No space left on device")

    def _touch(self, conversation_id: ConversationId) -> None:
        conversation = self.conversations[conversation_id]
        conversation.record = replace(conversation.record, updated_at=self._now())

    def node(self, message_id: MessageId) -> MessageNode:
        return self.nodes[message_id][1]

    # ---- ChatStore --------------------------------------------------------------------------

    def create_conversation(self, title: str) -> ConversationId:
        self._write()
        conversation_id = self._id()
        record = ConversationRecord(conversation_id, title, self._now())
        self.conversations[conversation_id] = _Conversation(record)
        return conversation_id

    def conversation(self, conversation_id: ConversationId) -> ConversationRecord:
        return self.conversations[conversation_id].record

    def snapshot(self, conversation_id: ConversationId) -> ConversationSnapshot:
        conversation = self.conversations[conversation_id]
        nodes = tuple(n for c, n in self.nodes.values() if c == conversation_id)
        return ConversationSnapshot(conversation_id, nodes, conversation.active_leaf)

    def add_message(
        self,
        conversation_id: ConversationId,
        parent_id: MessageId | None,
        message: ChatMessage,
        state: MessageState = MessageState.COMPLETE,
    ) -> MessageId:
        self._write()
        message_id = self._id()
        node = MessageNode(message_id, parent_id, message, state, created_at=self._now())
        self.nodes[message_id] = (conversation_id, node)
        self._touch(conversation_id)
        return message_id

    def set_active_leaf(self, conversation_id: ConversationId, message_id: MessageId) -> None:
        self._write()
        self.conversations[conversation_id].active_leaf = message_id

    def update_message(
        self,
        message_id: MessageId,
        *,
        content: str,
        state: MessageState,
        meta: AnswerMeta | None = None,
    ) -> None:
        self._write()
        conversation_id, node = self.nodes[message_id]
        message = replace(node.message, content=content)
        self.nodes[message_id] = (conversation_id, replace(node, message=message, state=state))
        self.updates.append((message_id, content, state))
        if meta is not None:
            self.meta[message_id] = meta

    def set_left_out(self, message_ids: Iterable[MessageId], left_out: bool = True) -> None:
        self._write()
        for message_id in message_ids:
            conversation_id, node = self.nodes[message_id]
            self.nodes[message_id] = (conversation_id, replace(node, left_out=left_out))

    def set_overrides(
        self, conversation_id: ConversationId, overrides: dict[str, object] | None
    ) -> None:
        self._write()
        conversation = self.conversations[conversation_id]
        conversation.record = replace(conversation.record, overrides=overrides)

    def pin_message(self, message_id: MessageId) -> None:
        conversation_id, node = self.nodes[message_id]
        self.nodes[message_id] = (conversation_id, replace(node, pinned=True))

    # ---- ConversationStore ------------------------------------------------------------------

    def list_conversations(self) -> list[ConversationRecord]:
        return [c.record for c in self.conversations.values() if not c.deleted]

    def rename_conversation(self, conversation_id: ConversationId, title: str) -> None:
        self._write()
        conversation = self.conversations[conversation_id]
        conversation.record = replace(conversation.record, title=title)

    def set_pinned(self, conversation_id: ConversationId, pinned: bool) -> None:
        self._write()
        conversation = self.conversations[conversation_id]
        conversation.record = replace(conversation.record, pinned=pinned)

    def delete_conversation(self, conversation_id: ConversationId) -> None:
        self._write()
        self.conversations[conversation_id].deleted = True

    def restore_conversation(self, conversation_id: ConversationId) -> None:
        self._write()
        self.conversations[conversation_id].deleted = False

    def purge_deleted(self) -> None:
        self._write()
        gone = {cid for cid, c in self.conversations.items() if c.deleted}
        for cid in gone:
            del self.conversations[cid]
        self.nodes = {mid: (cid, n) for mid, (cid, n) in self.nodes.items() if cid not in gone}

    def search(self, query: str, limit: int = 50) -> list[SearchResult]:
        results: list[SearchResult] = []
        needle = query.lower()
        for message_id, (conversation_id, node) in self.nodes.items():
            conversation = self.conversations[conversation_id]
            at = node.message.content.lower().find(needle)
            if conversation.deleted or at < 0:
                continue
            start = max(0, at - SNIPPET_CONTEXT)
            snippet = node.message.content[start : at + len(query) + SNIPPET_CONTEXT]
            span = ((at - start, at - start + len(query)),)
            results.append(
                SearchResult(conversation_id, message_id, conversation.record.title, snippet, span)
            )
        return results[:limit]

    def export_conversation_markdown(self, conversation_id: ConversationId, path: Path) -> None:
        snapshot = self.snapshot(conversation_id)
        lines = [f"# {self.conversation(conversation_id).title}", ""]
        for node in snapshot.active_path:
            lines += [f"## {node.message.role.value}", "", node.message.content, ""]
        path.write_text("\n".join(lines), encoding="utf-8")

    def export_conversations_json(
        self, conversation_ids: Sequence[ConversationId] | None, path: Path
    ) -> None:
        ids = (
            list(conversation_ids)
            if conversation_ids is not None
            else [r.id for r in self.list_conversations()]
        )
        data = [
            {
                "title": self.conversation(cid).title,
                "messages": [
                    {"role": n.message.role.value, "content": n.message.content}
                    for n in self.snapshot(cid).active_path
                ],
            }
            for cid in ids
        ]
        path.write_text(json.dumps({"conversations": data}), encoding="utf-8")

    def import_conversations_json(self, path: Path) -> list[ConversationId]:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("conversations"), list):
            raise ValueError("this is not a Tramontane export")
        created: list[ConversationId] = []
        for item in data["conversations"]:
            conversation_id = self.create_conversation(str(item["title"]))
            parent: MessageId | None = None
            for message in item["messages"]:
                parent = self.add_message(
                    conversation_id, parent, ChatMessage(Role(message["role"]), message["content"])
                )
            if parent is not None:
                self.set_active_leaf(conversation_id, parent)
            created.append(conversation_id)
        return created

    def close(self) -> None:
        self.closed = True
