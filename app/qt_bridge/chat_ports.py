"""What the chat and conversation controllers need from the store and from the chat view.

The controllers are written against these small interfaces; `app.store.SqliteStore` and the
chat view provide them. The conversation types themselves are in `app.core.conversation`, the
context-fit facts and decisions (named here for the window) in `app.core.context_fit`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Protocol, runtime_checkable

from PySide6.QtCore import SignalInstance

from app.core.context_fit import ContextOverflowDecision as ContextOverflowDecision
from app.core.context_fit import ContextOverflowFacts as ContextOverflowFacts
from app.core.conversation import (
    AnswerMeta,
    ConversationId,
    ConversationRecord,
    ConversationSnapshot,
    MessageId,
    MessageState,
    SearchResult,
    TurnView,
)
from app.core.messages import ChatMessage, ToolCall


class ChatStore(Protocol):
    def create_conversation(self, title: str) -> ConversationId: ...
    def conversation(self, conversation_id: ConversationId) -> ConversationRecord: ...
    def snapshot(self, conversation_id: ConversationId) -> ConversationSnapshot: ...
    def add_message(
        self,
        conversation_id: ConversationId,
        parent_id: MessageId | None,
        message: ChatMessage,
        state: MessageState = MessageState.COMPLETE,
    ) -> MessageId: ...
    def set_active_leaf(self, conversation_id: ConversationId, message_id: MessageId) -> None: ...
    def delete_message(self, message_id: MessageId) -> None: ...
    def update_message(
        self,
        message_id: MessageId,
        *,
        content: str,
        state: MessageState,
        meta: AnswerMeta | None = None,
        tool_calls: tuple[ToolCall, ...] = (),
    ) -> None: ...
    def checkpoint(self, message_id: MessageId, text: str) -> bool: ...
    def set_left_out(self, message_ids: Iterable[MessageId], left_out: bool = True) -> None: ...
    def keep_original(self, sha256: str, original: Path) -> None: ...
    def set_overrides(
        self, conversation_id: ConversationId, overrides: dict[str, object] | None
    ) -> None: ...
    def set_prompt_date(self, conversation_id: ConversationId, day: date) -> None: ...


class ConversationStore(Protocol):
    def list_conversations(self) -> list[ConversationRecord]: ...
    def rename_conversation(self, conversation_id: ConversationId, title: str) -> None: ...
    def set_pinned(self, conversation_id: ConversationId, pinned: bool) -> None: ...
    def delete_conversation(self, conversation_id: ConversationId) -> None: ...
    def restore_conversation(self, conversation_id: ConversationId) -> None: ...
    def purge_deleted(self) -> None: ...
    def search(self, query: str, limit: int = 50) -> list[SearchResult]: ...
    def export_conversation_markdown(self, conversation_id: ConversationId, path: Path) -> None: ...
    def export_conversations_json(
        self, conversation_ids: Sequence[ConversationId] | None, path: Path
    ) -> None: ...
    def import_conversations_json(self, path: Path) -> list[ConversationId]: ...


@runtime_checkable
class ChatSurface(Protocol):
    """The chat view as the controllers drive it, and the requests it makes of them.

    Its signals: `edit_submitted(message_id, text)` for a changed user message,
    `regenerate_requested(message_id)`, `continue_requested(message_id)`,
    `delete_requested(message_id)` and `alternative_requested(message_id, step)` with step -1
    or +1.
    """

    edit_submitted: SignalInstance
    delete_requested: SignalInstance
    regenerate_requested: SignalInstance
    continue_requested: SignalInstance
    alternative_requested: SignalInstance

    def show_turns(self, turns: Sequence[TurnView], focus_message_id: MessageId | None) -> None: ...
    def begin_streaming(self, message_id: MessageId, initial_text: str) -> None: ...
    def append_streaming(self, message_id: MessageId, text: str) -> None: ...
    def end_streaming(self, message_id: MessageId, state: MessageState) -> None: ...


class WindowStore(ChatStore, ConversationStore, Protocol):
    """Everything the window's controllers need from the store."""

    def close(self) -> None: ...
