"""Detects a model stuck in a loop: the same run of tokens repeated over and over.

For every period p up to `max_period`, `_matches[p]` counts how many tokens in a row equal the
token p places earlier. A stretch of `_matches[p] + p` tokens is then exactly periodic. The guard
fires when such a stretch is both long (`min_span` tokens) and made of several repeats
(`min_repeats`), which ordinary lists, tables and code do not produce. Each token costs
O(max_period) integer comparisons, independent of the answer's length.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RepetitionGuard:
    max_period: int = 256
    min_span: int = 320
    min_repeats: int = 4
    _history: list[int] = field(default_factory=list, repr=False)
    _matches: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._matches = [0] * (self.max_period + 1)

    def feed(self, token: int) -> bool:
        """Add the next generated token; True when the output has become a loop."""
        history, matches = self._history, self._matches
        size = len(history)
        fired = False
        for period in range(1, min(self.max_period, size) + 1):
            if history[size - period] == token:
                run = matches[period] + 1
                matches[period] = run
                span = run + period
                if span >= self.min_span and span >= self.min_repeats * period:
                    fired = True
            else:
                matches[period] = 0
        history.append(token)
        return fired
