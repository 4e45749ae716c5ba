"""What an answer must look like beyond free text, and where it must stop.

The engine turns a `StructuredOutput` into a grammar (JSON Schema to GBNF, tool calls in Mistral's
format) and ends an answer at the first of its stop strings, which it does not write.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StructuredOutput:
    json_schema: str | None = None  # the answer is JSON valid for this schema (JSON text)
    tool_names: tuple[str, ...] = ()  # the answer is one call to one of these offered tools


class StopMatcher:
    """Feed an answer's pieces as they come; `feed` gives back what can be shown now, holding
    back text that may be the start of a stop string, and `stopped` says a stop string came."""

    def __init__(self, stops: tuple[str, ...]) -> None:
        self._stops = tuple(stop for stop in stops if stop)
        self._held = ""
        self.stopped = False

    def feed(self, text: str) -> str:
        if not self._stops or self.stopped:
            return "" if self.stopped else text
        held = self._held + text
        ends = [found for stop in self._stops if (found := held.find(stop)) >= 0]
        if ends:
            self.stopped = True
            self._held = ""
            return held[: min(ends)]
        keep = max((_partial_length(held, stop) for stop in self._stops), default=0)
        self._held = held[len(held) - keep :] if keep else ""
        return held[: len(held) - keep]

    def rest(self) -> str:
        """At the end of the answer: what was held back (no stop string came after all)."""
        held, self._held = self._held, ""
        return "" if self.stopped else held


def _partial_length(text: str, stop: str) -> int:
    """The length of the longest end of `text` that begins `stop`."""
    for length in range(min(len(text), len(stop) - 1), 0, -1):
        if stop.startswith(text[-length:]):
            return length
    return 0
