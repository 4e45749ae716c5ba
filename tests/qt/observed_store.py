"""The real SQLite store, with what tests need to watch it and to make its writes fail."""

from __future__ import annotations

from pathlib import Path

from app.core.conversation import (
    AnswerMeta,
    ConversationId,
    ConversationSnapshot,
    MessageId,
    MessageNode,
    MessageState,
)
from app.core.messages import ChatMessage, ToolCall
from app.store import SqliteStore, StoreError, StoreErrorKind


class ObservedStore(SqliteStore):
    """Records every message update and counts reads of whole conversations; `fail_writes`
    makes new messages fail as on a full disk (or with `write_error`, when set)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.updates: list[tuple[MessageId, str, MessageState]] = []
        self.snapshot_reads = 0
        self.fail_writes = False
        self.write_error: Exception | None = None

    def _refuse(self) -> None:
        if self.fail_writes:
            raise self.write_error or StoreError(
                StoreErrorKind.DISK_FULL, "The disk is full (simulated)."
            )

    def snapshot(self, conversation_id: ConversationId) -> ConversationSnapshot:
        self.snapshot_reads += 1
        return super().snapshot(conversation_id)

    def create_conversation(self, title: str) -> ConversationId:
        self._refuse()
        return super().create_conversation(title)

    def add_message(
        self,
        conversation_id: ConversationId,
        parent_id: MessageId | None,
        message: ChatMessage,
        state: MessageState = MessageState.COMPLETE,
    ) -> MessageId:
        self._refuse()
        return super().add_message(conversation_id, parent_id, message, state)

    def update_message(
        self,
        message_id: MessageId,
        *,
        content: str,
        state: MessageState,
        meta: AnswerMeta | None = None,
        tool_calls: tuple[ToolCall, ...] = (),
    ) -> None:
        self._refuse()
        super().update_message(
            message_id, content=content, state=state, meta=meta, tool_calls=tool_calls
        )
        self.updates.append((message_id, content, state))

    def checkpoint(self, message_id: MessageId, text: str) -> bool:
        self._refuse()
        written = super().checkpoint(message_id, text)
        if written:
            self.updates.append((message_id, text, MessageState.STREAMING))
        return written

    def node_in(self, conversation_id: ConversationId, message_id: MessageId) -> MessageNode:
        return self.snapshot(conversation_id).node(message_id)
