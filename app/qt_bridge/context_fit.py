"""Fitting a conversation into the context window by leaving out its oldest turns.

The engine counts tokens exactly; this keeps track of what was tried. Whole turns (a user
message and what follows it) are left out together so the conversation still alternates;
system messages, pinned messages and the newest turn always stay.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.conversation import MessageId, MessageNode
from app.core.messages import ChatMessage, Role
from app.qt_bridge.chat_ports import ContextOverflowFacts


def droppable_turns(path: list[MessageNode], keep_from: int) -> list[list[MessageId]]:
    """Oldest first: each user message with what follows it, before index `keep_from`.

    Turns holding a system or a pinned message are kept.
    """
    turns: list[list[MessageNode]] = []
    for node in path[:keep_from]:
        if node.message.role is Role.USER or not turns:
            turns.append([node])
        else:
            turns[-1].append(node)
    return [
        [n.id for n in turn]
        for turn in turns
        if not any(n.pinned or n.message.role is Role.SYSTEM for n in turn)
    ]


@dataclass
class ContextFit:
    path: list[MessageNode]  # what the answer is for, minus what was already left out
    answer_budget: int  # tokens kept free for the answer
    keep_last: int  # messages at the end that must stay (the question; the answer continued)
    dropped: list[MessageId] = field(default_factory=list)
    full_tokens: int | None = None  # the first count, before anything was left out

    def messages(self) -> tuple[ChatMessage, ...]:
        """What is sent. An answer that ended before writing anything (stopped, failed) is not:
        Mistral's format has no empty answer, and the questions around it are read together."""
        last = self.path[-1].id if self.path else None
        return tuple(
            n.message
            for n in self.path
            if n.id not in self.dropped and (n.id == last or not _empty_answer(n.message))
        )

    def note_count(self, tokens: int, n_ctx: int) -> bool:
        """Record a count of `messages()`; True when they fit with room for the answer."""
        if self.full_tokens is None:
            self.full_tokens = tokens
        return tokens <= n_ctx - self.answer_budget

    def leave_out_next(self) -> bool:
        """Leave out the oldest turn still in; False when none can go."""
        keep_from = len(self.path) - self.keep_last
        for turn in droppable_turns(self.path, keep_from):
            if not set(turn) & set(self.dropped):
                self.dropped.extend(turn)
                return True
        return False

    def facts(self, n_ctx: int) -> ContextOverflowFacts:
        return ContextOverflowFacts(
            prompt_tokens=self.full_tokens or 0,
            n_ctx=n_ctx,
            answer_budget=self.answer_budget,
            dropped_messages=len(self.dropped),
        )


def _empty_answer(message: ChatMessage) -> bool:
    return message.role is Role.ASSISTANT and not message.content and not message.tool_calls
