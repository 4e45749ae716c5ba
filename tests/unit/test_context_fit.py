"""Fitting a conversation into the context: what may be left out, and how the count decides."""

from __future__ import annotations

from collections.abc import Callable

from app.core.context_fit import (
    ContextFit,
    ContextOverflow,
    FitPolicy,
    PromptFit,
    fit_prompt,
)
from app.core.conversation import MessageNode
from app.core.messages import ChatMessage, Role


def node(i: int, role: Role, text: str = "text", pinned: bool = False) -> MessageNode:
    return MessageNode(i, i - 1 if i > 1 else None, ChatMessage(role, text), pinned=pinned)


def words_counter(
    messages: list[int], n_words: dict[int, int]
) -> tuple[Callable[[frozenset[int]], int], list[frozenset[int]]]:
    """A count of the messages not left out: their words plus two for the frame."""
    asked: list[frozenset[int]] = []

    def count(left_out: frozenset[int]) -> int:
        asked.append(left_out)
        return 2 + sum(n_words[i] for i in messages if i not in left_out)

    return count, asked


def test_a_prompt_that_fits_is_counted_once() -> None:
    count, asked = words_counter([0, 1, 2], {0: 10, 1: 10, 2: 10})
    fit = fit_prompt(FitPolicy(answer_budget=50, turns=((0, 1),), leave_out=True), 100, count)
    assert fit == PromptFit(full_tokens=32, tokens=32, left_out_turns=0, fits=True)
    assert asked == [frozenset()]


def test_oldest_turns_are_left_out_until_the_answer_has_room() -> None:
    count, asked = words_counter([0, 1, 2, 3, 4], {0: 30, 1: 30, 2: 30, 3: 30, 4: 5})
    policy = FitPolicy(answer_budget=50, turns=((0, 1), (2, 3)), leave_out=True, agreed=True)
    fit = fit_prompt(policy, 120, count)
    assert isinstance(fit, PromptFit)
    assert (fit.full_tokens, fit.tokens, fit.left_out_turns, fit.fits) == (127, 67, 1, True)
    assert asked == [frozenset(), frozenset({0, 1})]
    assert fit.sendable(policy)
    assert not fit.sendable(FitPolicy(50, policy.turns, leave_out=True, agreed=False))


def test_without_leave_to_leave_out_a_long_prompt_is_only_counted() -> None:
    count, asked = words_counter([0, 1, 2], {0: 80, 1: 80, 2: 5})
    fit = fit_prompt(FitPolicy(answer_budget=50, turns=((0, 1),), leave_out=False), 120, count)
    assert isinstance(fit, PromptFit)
    assert (fit.left_out_turns, fit.fits) == (0, False)
    assert asked == [frozenset()]


def test_an_error_of_the_count_is_returned_as_it_is() -> None:
    def failing(left_out: frozenset[int]) -> int | str:
        return "the template failed" if left_out else 500

    policy = FitPolicy(answer_budget=50, turns=((0,),), leave_out=True)
    assert fit_prompt(policy, 100, failing) == "the template failed"


def test_the_policy_names_sent_messages_and_the_facts_count_stored_ones() -> None:
    path = [
        node(1, Role.USER),
        node(2, Role.ASSISTANT, ""),  # wrote nothing: not sent, left out with its turn
        node(3, Role.USER, pinned=True),
        node(4, Role.ASSISTANT),
        node(5, Role.USER),
        node(6, Role.ASSISTANT),
        node(7, Role.USER),
    ]
    fit = ContextFit(path, answer_budget=64, keep_last=1)
    assert [m.role for m in fit.messages()] == [Role.USER] + [Role.USER, Role.ASSISTANT] * 2 + [
        Role.USER
    ]
    policy = fit.policy(ContextOverflow.ASK)
    assert policy.turns == ((0,), (3, 4)) and policy.leave_out and not policy.agreed
    assert fit.policy(ContextOverflow.DROP_OLDEST).agreed
    assert not fit.policy(ContextOverflow.STOP).leave_out
    assert fit.left_out(1) == [1, 2]
    facts = fit.facts(PromptFit(900, 700, 1, True), n_ctx=800)
    assert (facts.prompt_tokens, facts.dropped_messages, facts.answer_budget) == (900, 2, 64)
    assert fit.facts(PromptFit(900, 900, 2, False), n_ctx=800).dropped_messages == 0
    kept = fit.without(1)
    assert [n.id for n in kept.path] == [3, 4, 5, 6, 7] and kept.policy(
        ContextOverflow.ASK
    ).turns == ()
