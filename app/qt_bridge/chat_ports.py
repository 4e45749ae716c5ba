"""What the chat and conversation controllers need from the store and from the chat view.

The controllers are written against these small interfaces; `app.qt_bridge.store_adapter`
and the chat view provide them. A conversation is a tree of messages: editing a user message
or regenerating an answer adds a sibling, and the *active leaf* picks the path shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Protocol, runtime_checkable

from PySide6.QtCore import SignalInstance

from app.core.messages import ChatMessage, Role
from app.settings import ContextOverflow

ConversationId = int
MessageId = int


class MessageState(StrEnum):
    COMPLETE = "complete"
    STREAMING = "streaming"  # being written, or cut short by a crash of the whole program
    CANCELLED = "cancelled"  # stopped by the user
    LENGTH = "length"  # cut off at the answer length: can be continued
    REPETITION = "repetition"  # stopped by the repetition guard
    ERROR = "error"  # the engine failed; the text is what was written before


@dataclass(frozen=True, slots=True)
class AnswerMeta:
    """What is kept with a finished answer."""

    prompt_tokens: int
    completion_tokens: int
    tokens_per_s: float
    model_file: str
    quant: str | None


@dataclass(frozen=True, slots=True)
class MessageNode:
    id: MessageId
    parent_id: MessageId | None
    message: ChatMessage
    state: MessageState = MessageState.COMPLETE
    pinned: bool = False  # kept in the context when older turns are left out
    left_out: bool = False  # left out of the context to make the conversation fit
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ConversationRecord:
    id: ConversationId
    title: str
    updated_at: datetime
    pinned: bool = False
    overrides: dict[str, object] | None = None


@dataclass(frozen=True, slots=True)
class TurnView:
    """One message on the shown path, with its place among its alternatives (2 of 3)."""

    node: MessageNode
    alternative: int  # 1-based
    alternatives: int


@dataclass(frozen=True, slots=True)
class SearchResult:
    conversation_id: ConversationId
    message_id: MessageId
    title: str
    snippet: str
    highlights: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class ConversationSnapshot:
    """All messages of one conversation and the leaf of the path shown."""

    conversation_id: ConversationId
    nodes: tuple[MessageNode, ...]
    active_leaf: MessageId | None

    def node(self, message_id: MessageId) -> MessageNode:
        for node in self.nodes:
            if node.id == message_id:
                return node
        raise KeyError(message_id)

    def path_to(self, message_id: MessageId | None) -> list[MessageNode]:
        by_id = {node.id: node for node in self.nodes}
        path: list[MessageNode] = []
        current = by_id.get(message_id) if message_id is not None else None
        while current is not None:
            path.append(current)
            current = by_id.get(current.parent_id) if current.parent_id is not None else None
        path.reverse()
        return path

    @property
    def active_path(self) -> list[MessageNode]:
        return self.path_to(self.active_leaf)

    def siblings(self, message_id: MessageId) -> list[MessageNode]:
        parent = self.node(message_id).parent_id
        return sorted((n for n in self.nodes if n.parent_id == parent), key=lambda n: n.id)

    def children(self, message_id: MessageId | None) -> list[MessageNode]:
        return sorted((n for n in self.nodes if n.parent_id == message_id), key=lambda n: n.id)

    def latest_leaf_under(self, message_id: MessageId) -> MessageId:
        """The leaf reached by always following the newest child: where a branch left off."""
        current = message_id
        while children := self.children(current):
            current = children[-1].id
        return current

    def turns(self) -> list[TurnView]:
        shown: list[TurnView] = []
        for node in self.active_path:
            siblings = self.siblings(node.id)
            index = next(i for i, s in enumerate(siblings) if s.id == node.id)
            shown.append(TurnView(node, index + 1, len(siblings)))
        return shown

    @property
    def last_answer(self) -> MessageNode | None:
        for node in reversed(self.active_path):
            if node.message.role is Role.ASSISTANT:
                return node
        return None


@dataclass(frozen=True, slots=True)
class ContextOverflowFacts:
    prompt_tokens: int  # the whole conversation as it would be sent
    n_ctx: int
    answer_budget: int  # tokens kept free for the answer
    dropped_messages: int  # messages left out if the oldest turns are dropped (0: cannot fit)


@dataclass(frozen=True, slots=True)
class ContextOverflowDecision:
    choice: ContextOverflow  # DROP_OLDEST or STOP
    remember: bool


class ExportFormat(StrEnum):
    MARKDOWN = "markdown"
    JSON = "json"


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
    def update_message(
        self,
        message_id: MessageId,
        *,
        content: str,
        state: MessageState,
        meta: AnswerMeta | None = None,
    ) -> None: ...
    def set_left_out(self, message_ids: Iterable[MessageId], left_out: bool = True) -> None: ...
    def set_overrides(
        self, conversation_id: ConversationId, overrides: dict[str, object] | None
    ) -> None: ...


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
    `regenerate_requested(message_id)`, `continue_requested(message_id)` and
    `alternative_requested(message_id, step)` with step -1 or +1.
    """

    edit_submitted: SignalInstance
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
