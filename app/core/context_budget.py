"""Does a conversation fit the context window, and what to leave out so that it does.

Pure functions over token counts. The window holds `n_ctx` tokens: a fixed overhead (system
prompt, tool specs, template tokens), the messages, and room kept free for the answer.

Leaving out goes by whole exchanges (a user message and the answers and tool results after it),
oldest first, so the conversation still alternates. System messages, exchanges holding a pinned
message, and the exchange of the last user message always stay.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.core.conversation import MessageId, MessageNode
from app.core.messages import Role


@dataclass(frozen=True, slots=True)
class BudgetItem:
    """One message on the path to be sent, with its token count."""

    message_id: MessageId
    role: Role
    tokens: int
    pinned: bool = False


@dataclass(frozen=True, slots=True)
class ContextBudget:
    n_ctx: int
    overhead: int  # tokens sent whatever the messages: system prompt, tools, template
    answer_budget: int  # tokens kept free for the answer

    @property
    def for_messages(self) -> int:
        return self.n_ctx - self.overhead - self.answer_budget


@dataclass(frozen=True, slots=True)
class DropPlan:
    left_out: tuple[MessageId, ...]  # oldest first
    tokens: int  # of the messages that stay
    overflow: int  # tokens still over the budget after leaving out; 0 when it fits

    @property
    def fits(self) -> bool:
        return self.overflow == 0


def total_tokens(items: Sequence[BudgetItem]) -> int:
    return sum(item.tokens for item in items)


def overflow(items: Sequence[BudgetItem], budget: ContextBudget) -> int:
    """How many tokens too many (0 when everything fits with room for the answer)."""
    return max(0, total_tokens(items) - budget.for_messages)


def fits(items: Sequence[BudgetItem], budget: ContextBudget) -> bool:
    return overflow(items, budget) == 0


def exchanges(items: Sequence[BudgetItem]) -> list[list[BudgetItem]]:
    """The items cut before each user message; system messages stand alone."""
    groups: list[list[BudgetItem]] = []
    opened = False
    for item in items:
        if item.role is Role.SYSTEM:
            groups.append([item])
            opened = False
        elif item.role is Role.USER or not opened:
            groups.append([item])
            opened = True
        else:
            groups[-1].append(item)
    return groups


def _droppable(group: list[BudgetItem]) -> bool:
    return not any(item.pinned or item.role is Role.SYSTEM for item in group)


def plan_drop_oldest(items: Sequence[BudgetItem], budget: ContextBudget) -> DropPlan:
    """The fewest oldest exchanges to leave out so the rest fits.

    When even leaving out every exchange that may go is not enough, the plan leaves all of them
    out and reports what is still over (`fits` is False).
    """
    groups = exchanges(items)
    last_user = max(
        (i for i, group in enumerate(groups) if group[0].role is Role.USER), default=len(groups)
    )
    tokens = total_tokens(items)
    left_out: list[MessageId] = []
    for group in groups[:last_user]:
        if tokens <= budget.for_messages:
            break
        if _droppable(group):
            left_out.extend(item.message_id for item in group)
            tokens -= total_tokens(group)
    return DropPlan(tuple(left_out), tokens, max(0, tokens - budget.for_messages))


def uncounted(path: Sequence[MessageNode]) -> list[MessageId]:
    """The messages whose token count is not known yet."""
    return [n.id for n in path if n.token_count is None]


def budget_items(
    path: Sequence[MessageNode], counts: Mapping[MessageId, int] | None = None
) -> list[BudgetItem]:
    """The path's messages with their token counts, from `counts` or else the nodes' own.

    KeyError names a message counted nowhere.
    """
    found = counts or {}
    items = []
    for node in path:
        tokens = found.get(node.id, node.token_count)
        if tokens is None:
            raise KeyError(node.id)
        items.append(BudgetItem(node.id, node.message.role, tokens, node.pinned))
    return items
