"""A conversation as stored and shown: a tree of messages, the path on screen, its alternatives.

Editing a user message or regenerating an answer adds a sibling; the *active leaf* picks the path
shown. Qt-free: the store builds these, the controllers and the view read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from app.core.messages import ChatMessage, Role

ConversationId = int
MessageId = int


class MessageState(StrEnum):
    COMPLETE = "complete"
    STREAMING = "streaming"  # being written now
    CANCELLED = "cancelled"  # stopped by the user
    LENGTH = "length"  # cut off at the answer length: can be continued
    REPETITION = "repetition"  # stopped by the repetition guard
    ERROR = "error"  # the engine failed; the text is what was written before
    INTERRUPTED = "interrupted"  # the program ended while it streamed: text up to the last save


@dataclass(frozen=True, slots=True)
class AnswerMeta:
    """What is kept with a finished answer."""

    prompt_tokens: int
    completion_tokens: int
    tokens_per_s: float
    model_file: str
    quant: str | None
    time_to_first_token_s: float = 0.0


@dataclass(frozen=True, slots=True)
class MessageNode:
    id: MessageId
    parent_id: MessageId | None
    message: ChatMessage
    state: MessageState = MessageState.COMPLETE
    pinned: bool = False  # kept in the context when older turns are left out
    left_out: bool = False  # left out of the context to make the conversation fit
    created_at: datetime | None = None
    meta: AnswerMeta | None = None  # for answers: what wrote it and how fast


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


class ExportFormat(StrEnum):
    MARKDOWN = "markdown"
    JSON = "json"
