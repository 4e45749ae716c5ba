"""Fitting a conversation into the context window by leaving out its oldest turns.

The window describes what may be left out (`FitPolicy`, sent with the answer's request); the
engine counts exactly and leaves out turns, oldest first, until the prompt leaves room for the
answer (`fit_prompt`). Whole turns (a user message and what follows it) are left out together
so the conversation still alternates; system messages, pinned messages and the newest turn
always stay.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from app.core.conversation import MessageId, MessageNode
from app.core.messages import ChatMessage, Role

_E = TypeVar("_E")


class ContextOverflow(StrEnum):
    """What to do when a conversation no longer fits the context window."""

    ASK = "ask"
    DROP_OLDEST = "drop_oldest"
    STOP = "stop"


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


@dataclass(frozen=True, slots=True)
class FitPolicy:
    """What the engine may do with a prompt that leaves too little room for the answer."""

    answer_budget: int  # tokens kept free for the answer
    turns: tuple[tuple[int, ...], ...] = ()  # what may be left out, oldest first: message indices
    leave_out: bool = False  # leave out turns until the prompt fits
    agreed: bool = False  # the answer may be written with turns left out (else only reported)


@dataclass(frozen=True, slots=True)
class PromptFit:
    """How a prompt fits: its counts before and after leaving out the oldest turns."""

    full_tokens: int  # the whole prompt, as first counted
    tokens: int  # with `left_out_turns` left out
    left_out_turns: int  # the policy's first turns that were left out
    fits: bool  # room is left for the answer

    def sendable(self, policy: FitPolicy) -> bool:
        return self.fits and (self.left_out_turns == 0 or policy.agreed)


def fit_prompt(
    policy: FitPolicy, n_ctx: int, count: Callable[[frozenset[int]], int | _E]
) -> PromptFit | _E:
    """Count the prompt without the messages given to `count`, leaving out whole turns, oldest
    first, while it does not fit and the policy allows; an error of `count` is returned."""
    room = n_ctx - policy.answer_budget
    full = count(frozenset())
    if not isinstance(full, int):
        return full
    tokens, left_out = full, 0
    if policy.leave_out:
        dropped: set[int] = set()
        while tokens > room and left_out < len(policy.turns):
            dropped.update(policy.turns[left_out])
            left_out += 1
            counted = count(frozenset(dropped))
            if not isinstance(counted, int):
                return counted
            tokens = counted
    return PromptFit(full, tokens, left_out, tokens <= room)


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


@dataclass(frozen=True)
class ContextFit:
    """The messages an answer is for, and the turns of them that may be left out."""

    path: list[MessageNode]  # what the answer is for, minus what was already left out
    answer_budget: int  # tokens kept free for the answer
    keep_last: int  # messages at the end that must stay (the question; the answer continued)

    def _sent(self) -> list[MessageNode]:
        """An answer that ended before writing anything (stopped, failed) is not sent:
        Mistral's format has no empty answer, and the questions around it are read together."""
        last = self.path[-1].id if self.path else None
        return [n for n in self.path if n.id == last or not _empty_answer(n.message)]

    def messages(self) -> tuple[ChatMessage, ...]:
        return tuple(n.message for n in self._sent())

    def _turns(self) -> list[list[MessageId]]:
        return droppable_turns(self.path, len(self.path) - self.keep_last)

    def policy(self, overflow: ContextOverflow) -> FitPolicy:
        """What the engine may leave out under the user's choice for a conversation too long."""
        index = {node.id: i for i, node in enumerate(self._sent())}
        turns = tuple(tuple(index[i] for i in turn if i in index) for turn in self._turns())
        return FitPolicy(
            answer_budget=self.answer_budget,
            turns=turns,
            leave_out=overflow is not ContextOverflow.STOP,
            agreed=overflow is ContextOverflow.DROP_OLDEST,
        )

    def left_out(self, turns: int) -> list[MessageId]:
        """The messages of the first `turns` turns that may be left out."""
        return [message_id for turn in self._turns()[:turns] for message_id in turn]

    def without(self, turns: int) -> ContextFit:
        """The same answer with its first `turns` turns left out, nothing more to leave out."""
        gone = set(self.left_out(turns))
        kept = [n for n in self.path if n.id not in gone]
        return ContextFit(kept, self.answer_budget, keep_last=len(kept))

    def facts(self, fit: PromptFit, n_ctx: int) -> ContextOverflowFacts:
        return ContextOverflowFacts(
            prompt_tokens=fit.full_tokens,
            n_ctx=n_ctx,
            answer_budget=self.answer_budget,
            dropped_messages=len(self.left_out(fit.left_out_turns)) if fit.fits else 0,
        )


def _empty_answer(message: ChatMessage) -> bool:
    return message.role is Role.ASSISTANT and not message.content and not message.tool_calls
