"""A blocking facade over `EngineClient`, for the command line and the benchmark."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from app.engine.client import EngineClient
from app.engine.protocol import (
    Command,
    EngineError,
    ErrorKind,
    Event,
    Finished,
    FinishReason,
    Generate,
    Loaded,
    LoadModel,
    PromptFitted,
    QueryStatus,
    StatusReport,
    TokenDelta,
)

ERROR_GRACE_S = 10.0

_E = TypeVar("_E")


class EngineFailed(Exception):
    def __init__(self, error: EngineError, partial: str = "") -> None:
        super().__init__(error.message)
        self.error = error
        self.partial = partial  # what was streamed before the engine failed


@dataclass(frozen=True)
class TimedAnswer:
    finished: Finished
    sent_at: float
    first_delta_at: float | None
    finished_at: float
    deltas: int


class BlockingEngine:
    def __init__(self) -> None:
        self._events: queue.Queue[Event] = queue.Queue()
        self.client = EngineClient(self._events.put)

    def __enter__(self) -> BlockingEngine:
        self.client.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.client.stop()

    def _next(self, timeout: float) -> Event:
        event = self._events.get(timeout=timeout)
        if isinstance(event, EngineError):
            raise EngineFailed(event)
        return event

    def load(self, command: LoadModel, timeout: float = 600) -> Loaded:
        self.client.send(command)
        while True:
            event = self._next(timeout)
            if isinstance(event, Loaded):
                return event

    def generate(
        self,
        command: Generate,
        on_text: Callable[[str], None] = lambda _: None,
        timeout: float = 600,
    ) -> TimedAnswer:
        sent_at = time.perf_counter()
        self.send(command)
        first: float | None = None
        deltas = 0
        while True:
            event = self._next(timeout)
            if isinstance(event, TokenDelta):
                if first is None:
                    first = time.perf_counter()
                deltas += 1
                on_text(event.text)
            elif isinstance(event, PromptFitted) and not event.sent:
                raise EngineFailed(
                    EngineError(
                        ErrorKind.PROMPT_TOO_LONG,
                        "The prompt does not fit the context with room for the answer.",
                        event.request_id,
                    )
                )
            elif isinstance(event, Finished):
                finished_at = time.perf_counter()
                if event.reason is FinishReason.ERROR:
                    self._raise_following_error(event.text)
                return TimedAnswer(event, sent_at, first, finished_at, deltas)

    def _raise_following_error(self, partial: str) -> None:
        """An answer that ended in an error is followed by the error itself."""
        try:
            event = self._events.get(timeout=ERROR_GRACE_S)
        except queue.Empty:
            event = EngineError(ErrorKind.INTERNAL, "The answer ended with an error.")
        if isinstance(event, EngineError):
            raise EngineFailed(event, partial)
        self._events.put(event)

    def next_event(self, kind: type[_E], timeout: float = 600) -> _E:
        """The next event of `kind`; others before it are dropped."""
        while not isinstance(event := self._next(timeout), kind):
            pass
        return event

    def round_trip_us(self, samples: int) -> float:
        """Microseconds for a command to reach the engine process and its answer to come back."""
        started = time.perf_counter()
        for _ in range(samples):
            self.send(QueryStatus())
            while not isinstance(self._next(ERROR_GRACE_S), StatusReport):
                pass
        return (time.perf_counter() - started) / samples * 1e6

    def send(self, command: Command) -> None:
        self.client.send(command)
