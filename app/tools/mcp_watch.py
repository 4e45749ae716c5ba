"""A transport whose end is noticed without asking the server anything: the end of what it
reads (a stdio server that exited or closed its output, an HTTP connection that closed) or a
transport error marks the connection lost. The 2026-07-28 protocol has no ping, so these and
the SDK's own errors on a call are the signals."""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import Any

import anyio

from app.core.i18n import translate


def is_transport_error(error: BaseException) -> bool:
    """An error of the connection itself (not of one message): the server is gone."""
    if isinstance(error, OSError | anyio.BrokenResourceError | anyio.ClosedResourceError):
        return True
    return any(  # httpx's and httpcore's transport errors, without importing either
        cls.__name__ in ("TransportError", "NetworkError") for cls in type(error).__mro__
    )


class WatchedTransport:
    """Wraps an MCP transport (an async context manager giving a read and a write stream)."""

    def __init__(self, inner: AbstractAsyncContextManager[tuple[Any, Any]]) -> None:
        self._inner = inner
        self.lost = asyncio.Event()
        self.reason = ""

    def mark_lost(self, reason: str) -> None:
        if not self.lost.is_set():
            self.reason = reason
            self.lost.set()

    async def __aenter__(self) -> tuple[Any, Any]:
        read, write = await self._inner.__aenter__()
        return WatchedReadStream(read, self), write

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool | None:
        return await self._inner.__aexit__(exc_type, exc, traceback)


class WatchedReadStream:
    """The transport's read stream, telling its owner when it ends or brings a transport error."""

    def __init__(self, inner: Any, owner: WatchedTransport) -> None:
        self._inner = inner
        self._owner = owner

    async def receive(self) -> Any:
        try:
            item = await self._inner.receive()
        except (anyio.EndOfStream, anyio.ClosedResourceError):
            self._owner.mark_lost(translate("McpConnection", "the server closed the connection"))
            raise
        if isinstance(item, BaseException) and is_transport_error(item):
            self._owner.mark_lost(
                translate("McpConnection", "the connection failed: {reason}").format(
                    reason=f"{type(item).__name__}: {item}"
                )
            )
        return item

    async def aclose(self) -> None:
        await self._inner.aclose()

    def __aiter__(self) -> WatchedReadStream:
        return self

    async def __anext__(self) -> Any:
        try:
            return await self.receive()
        except anyio.EndOfStream:
            raise StopAsyncIteration from None

    async def __aenter__(self) -> WatchedReadStream:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool | None:
        await self.aclose()
        return None

    def __getattr__(self, name: str) -> Any:  # what else the SDK reads (`last_context`)
        return getattr(self._inner, name)
