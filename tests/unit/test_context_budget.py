"""Fitting a conversation into the context: overflow and the plan of what to leave out."""

from __future__ import annotations

import pytest

from app.core.context_budget import (
    BudgetItem,
    ContextBudget,
    budget_items,
    exchanges,
    fits,
    overflow,
    plan_drop_oldest,
    uncounted,
)
from app.core.conversation import MessageNode
from app.core.messages import ChatMessage, Role

S, U, A, T = Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.TOOL


def items(*specs: tuple[Role, int] | tuple[Role, int, bool]) -> list[BudgetItem]:
    return [BudgetItem(i + 1, spec[0], spec[1], len(spec) > 2) for i, spec in enumerate(specs)]


def budget(for_messages: int) -> ContextBudget:
    return ContextBudget(n_ctx=for_messages + 300, overhead=100, answer_budget=200)


def test_fits_and_overflow() -> None:
    conversation = items((U, 50), (A, 50))
    assert budget(100).for_messages == 100
    assert fits(conversation, budget(100)) and overflow(conversation, budget(100)) == 0
    assert not fits(conversation, budget(90)) and overflow(conversation, budget(90)) == 10


def test_exchanges_cut_before_each_user_message() -> None:
    groups = exchanges(items((S, 1), (A, 1), (U, 1), (A, 1), (T, 1), (A, 1), (U, 1)))
    assert [[i.message_id for i in g] for g in groups] == [[1], [2], [3, 4, 5, 6], [7]]


def test_nothing_is_left_out_when_it_fits() -> None:
    plan = plan_drop_oldest(items((U, 10), (A, 10)), budget(100))
    assert plan.left_out == () and plan.fits and plan.tokens == 20


def test_the_oldest_whole_exchanges_go_first() -> None:
    conversation = items((U, 30), (A, 30), (U, 30), (A, 30), (U, 30))
    plan = plan_drop_oldest(conversation, budget(100))
    assert plan.left_out == (1, 2) and plan.fits and plan.tokens == 90


def test_system_and_pinned_stay_and_a_tool_exchange_goes_whole() -> None:
    conversation = items(
        (S, 20), (U, 20, True), (A, 20), (U, 20), (A, 20), (T, 20), (A, 20), (U, 5)
    )
    plan = plan_drop_oldest(conversation, budget(70))
    assert plan.left_out == (4, 5, 6, 7)
    assert plan.tokens == 65 and plan.fits


def test_the_last_user_message_always_stays_even_if_it_cannot_fit() -> None:
    conversation = items((U, 10), (A, 10), (U, 500), (A, 40))  # continuing the last answer
    plan = plan_drop_oldest(conversation, budget(100))
    assert plan.left_out == (1, 2)
    assert not plan.fits and plan.overflow == 440


def test_budget_items_from_counts_or_the_nodes_own() -> None:
    path = [
        MessageNode(7, None, ChatMessage(U, "q"), pinned=True, token_count=3),
        MessageNode(9, 7, ChatMessage(A, "a")),
    ]
    assert uncounted(path) == [9]
    assert budget_items(path, {9: 4}) == [BudgetItem(7, U, 3, True), BudgetItem(9, A, 4)]
    assert budget_items(path, {7: 5, 9: 4})[0].tokens == 5
    with pytest.raises(KeyError):
        budget_items(path)
