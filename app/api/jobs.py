"""A request on its way to the engine and its events on their way back, between the server's
event loop and the thread that runs the engine (the window's)."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Protocol

from app.api.openai_format import ChatRequest
from app.engine.protocol import EngineError, Finished

JobEvent = str | Finished | EngineError  # a piece of the answer, its end, or why it failed


@dataclass(eq=False)
class Job:
    request: ChatRequest
    loop: asyncio.AbstractEventLoop
    _events: asyncio.Queue[JobEvent] = field(default_factory=asyncio.Queue)

    def put(self, event: JobEvent) -> None:
        """Hand an event to the server; safe from any thread, a no-op once the server stopped."""
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is waiting
            self.loop.call_soon_threadsafe(self._events.put_nowait, event)

    async def next_event(self) -> JobEvent:
        return await self._events.get()


class JobRunner(Protocol):
    """Where jobs go: both calls are made on the server's thread and must not block."""

    def submit(self, job: Job) -> None: ...

    def cancel(self, job: Job) -> None: ...
