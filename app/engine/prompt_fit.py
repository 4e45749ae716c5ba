"""A `Generate` with a fit policy, fitted where the prompt is rendered: one request per answer.

The engine renders the prompt to count it, leaves out the oldest turns as the policy allows,
and answers `PromptFitted` before the first token; the prompt it counted last is the one it
generates from, so a turn renders its template once when nothing has to be left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from app.core.context_fit import FitPolicy, fit_prompt
from app.engine.protocol import EngineError, Generate, PromptFitted

_P = TypeVar("_P")  # a rendered prompt


@dataclass(frozen=True, slots=True)
class Fitted(Generic[_P]):
    command: Generate  # without the messages left out
    prompt: _P  # its rendering
    report: PromptFitted


def fit_generate(
    command: Generate,
    policy: FitPolicy,
    n_ctx: int,
    render: Callable[[Generate], _P | EngineError],
    size: Callable[[_P], int],
) -> Fitted[_P] | EngineError:
    """Render `command`, leaving out turns as `policy` allows; an error of `render` is
    returned."""
    last: list[tuple[Generate, _P]] = []  # the prompt counted last: the one to send

    def count(left_out: frozenset[int]) -> int | EngineError:
        kept = tuple(m for i, m in enumerate(command.messages) if i not in left_out)
        trimmed = replace(command, messages=kept)
        prompt = render(trimmed)
        if isinstance(prompt, EngineError):
            return prompt
        last[:] = [(trimmed, prompt)]
        return size(prompt)

    fit = fit_prompt(policy, n_ctx, count)
    if isinstance(fit, EngineError):
        return fit
    ((trimmed, prompt),) = last
    report = PromptFitted(command.request_id, n_ctx, fit, sent=fit.sendable(policy))
    return Fitted(trimmed, prompt, report)
