"""A blocking facade over `EngineClient`, for the command line and the benchmark."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from dataclasses import dataclass

from app.engine.client import EngineClient
from app.engine.protocol import (
    Command,
    EngineError,
    Event,
    Finished,
    Generate,
    Loaded,
    LoadModel,
    TokenDelta,
)


class EngineFailed(Exception):
    def __init__(self, error: EngineError) -> None:
        super().__init__(error.message)
        self.error = error


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
            elif isinstance(event, Finished):
                return TimedAnswer(event, sent_at, first, time.perf_counter(), deltas)

    def send(self, command: Command) -> None:
        self.client.send(command)
