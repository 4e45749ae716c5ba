"""Driving the real engine process from tests, event by event."""

from __future__ import annotations

import queue
from pathlib import Path

from app.engine.client import EngineClient
from app.engine.protocol import Event, Loaded, LoadModel

TIMEOUT = 60


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
