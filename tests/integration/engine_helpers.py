"""Driving the real engine process from tests, event by event."""

from __future__ import annotations

import queue
from pathlib import Path

from app.core.messages import ChatMessage, Role
from app.core.sampling import SamplingParams
from app.engine.client import EngineClient
from app.engine.protocol import (
    EngineError,
    Event,
    Finished,
    Generate,
    Loaded,
    LoadModel,
    ReadProgress,
    TokenDelta,
)

TIMEOUT = 60
HELLO = (ChatMessage(Role.USER, "Hello there, how are you?"),)


class EngineProbe:
    """An EngineClient whose events land in a queue the test reads."""

    def __init__(self) -> None:
        self.events: queue.Queue[Event] = queue.Queue()
        self.client = EngineClient(self.events.put)

    def next(self, timeout: float = TIMEOUT) -> Event:
        return self.events.get(timeout=timeout)

    def next_of(self, *kinds: type, timeout: float = TIMEOUT) -> Event:
        """Skip events until one of `kinds` arrives."""
        while True:
            event = self.next(timeout)
            if isinstance(event, kinds):
                return event

    def load(self, model: Path, **options: object) -> Loaded:
        self.client.send(LoadModel(model, **options))  # type: ignore[arg-type]
        event = self.next()
        assert isinstance(event, Loaded), event
        return event

    def load_error(self, model: Path, **options: object) -> EngineError:
        """Load a model that must be refused; the engine stays up for the next request."""
        self.client.send(LoadModel(model, **options))  # type: ignore[arg-type]
        event = self.next()
        assert isinstance(event, EngineError), event
        assert self.client.alive
        return event

    def answer(
        self, request_id: int, messages: tuple[ChatMessage, ...], **sampling: object
    ) -> tuple[Finished, list[str]]:
        """Generate (16 tokens, seed 7 unless told otherwise); the end and the streamed deltas."""
        params = SamplingParams(**{"max_tokens": 16, "seed": 7, **sampling})  # type: ignore[arg-type]
        self.client.send(Generate(request_id, messages, params))
        deltas: list[str] = []
        while True:
            event = self.next()
            if isinstance(event, TokenDelta):
                assert event.request_id == request_id
                deltas.append(event.text)
            elif isinstance(event, Finished):
                return event, deltas
            elif isinstance(event, ReadProgress):
                continue  # a long prompt's reading, reported while it lasts
            else:
                raise AssertionError(f"unexpected {event}")
