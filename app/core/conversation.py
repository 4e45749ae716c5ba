"""A conversation as stored and shown: a tree of messages, the path on screen, its alternatives.

Regenerating an answer adds a sibling answer under the same user message; editing a user
message adds a sibling user message under the same parent. The *active leaf* picks the path
shown, from the root to that leaf. Qt-free: the store builds these, the controllers and the view
read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
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
    """What is kept with a finished answer: its size, speed, and what wrote it."""

    prompt_tokens: int
    completion_tokens: int
    tokens_per_s: float  # generation speed
    model_file: str
    quant: str | None
    time_to_first_token_s: float = 0.0
    prompt_tokens_per_s: float = 0.0
    finish_reason: str | None = None  # as the engine reported it ("stop", "length", …)
    draft_tokens: int = 0  # drafted from the conversation and checked
    accepted_tokens: int = 0
    speculative_speedup: float = 1.0


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
    token_count: int | None = None  # the message's own tokens, once counted


@dataclass(frozen=True, slots=True)
class ConversationRecord:
    id: ConversationId
    title: str
    updated_at: datetime
    pinned: bool = False
    overrides: dict[str, object] | None = None  # the conversation's own system prompt, sampling
    created_at: datetime | None = None
    context_choice: str | None = None  # remembered answer to "the conversation is too long"
    prompt_date: date | None = None  # the date its system prompt gives: the day it started


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
    highlights: tuple[tuple[int, int], ...]  # (start, end) of each hit in `snippet`


@dataclass(frozen=True, slots=True)
class ConversationSnapshot:
    """All messages of one conversation and the leaf of the path shown."""

    conversation_id: ConversationId
    nodes: tuple[MessageNode, ...]
    active_leaf: MessageId | None
    _by_id: dict[MessageId, MessageNode] = field(init=False, repr=False, compare=False)
    _children: dict[MessageId | None, list[MessageNode]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        children: dict[MessageId | None, list[MessageNode]] = {}
        for node in sorted(self.nodes, key=lambda n: n.id):
            children.setdefault(node.parent_id, []).append(node)
        object.__setattr__(self, "_by_id", {node.id: node for node in self.nodes})
        object.__setattr__(self, "_children", children)

    def node(self, message_id: MessageId) -> MessageNode:
        try:
            return self._by_id[message_id]
        except KeyError:
            raise KeyError(message_id) from None

    def path_to(self, message_id: MessageId | None) -> list[MessageNode]:
        """From the root down to `message_id` (empty for None or an unknown id)."""
        path: list[MessageNode] = []
        current = self._by_id.get(message_id) if message_id is not None else None
        while current is not None:
            path.append(current)
            current = self._by_id.get(current.parent_id) if current.parent_id is not None else None
        path.reverse()
        return path

    @property
    def active_path(self) -> list[MessageNode]:
        return self.path_to(self.active_leaf)

    def siblings(self, message_id: MessageId) -> list[MessageNode]:
        """The message and its alternatives (same parent), oldest first."""
        return list(self._children.get(self.node(message_id).parent_id, []))

    def children(self, message_id: MessageId | None) -> list[MessageNode]:
        return list(self._children.get(message_id, []))

    def latest_leaf_under(self, message_id: MessageId) -> MessageId:
        """The leaf reached by always following the newest child: where a branch left off."""
        current = message_id
        while children := self._children.get(current):
            current = children[-1].id
        return current

    def alternative_leaf(self, message_id: MessageId, step: int) -> MessageId | None:
        """The leaf to show after moving `step` alternatives from `message_id` (‹ or ›).

        The path descends to the most recent leaf under that alternative; None when there is
        no alternative that far.
        """
        siblings = self.siblings(message_id)
        index = next(i for i, s in enumerate(siblings) if s.id == message_id) + step
        if not 0 <= index < len(siblings):
            return None
        return self.latest_leaf_under(siblings[index].id)

    def turns(self) -> list[TurnView]:
        shown: list[TurnView] = []
        for node in self.active_path:
            siblings = self._children.get(node.parent_id, [node])
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
