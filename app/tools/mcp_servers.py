"""MCP servers as tool plugins: configured in `mcp.json`, each kept connected by a thread with its
own asyncio loop, their tools offered like any other.

The protocol version is negotiated by the SDK (the 2026-07-28 discovery, or the older initialize
handshake). Nothing is sent just to check a server: a connection is lost when its transport ends
or fails (see `mcp_watch`). A server that fails to start or is lost is tried again after a delay
that doubles up to `RETRY_MAX_S`; `restart` tries at once.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.core.i18n import translate
from app.core.messages import ToolSpec
from app.tools.mcp_config import MCP_CONFIG_FILE, McpConfigError, McpServerConfig, read_mcp_config
from app.tools.mcp_content import tool_output
from app.tools.mcp_watch import WatchedTransport, is_transport_error
from app.tools.registry import Tool, ToolOutput, callable_specs

__all__ = [
    "MCP_CONFIG_FILE",
    "McpConfigError",
    "McpConnection",
    "McpServerConfig",
    "McpState",
    "McpStatus",
    "read_mcp_config",
]

START_TIMEOUT_S = 30.0
RETRY_FIRST_S = 2.0
RETRY_MAX_S = 300.0
HTTP_TIMEOUT_S = 30.0
HTTP_READ_TIMEOUT_S = 300.0  # a tool may stream its answer for a while
STEADY_S = 60.0  # a connection that lasted this long starts the delays from the first again


class McpState(StrEnum):
    STARTING = "starting"
    READY = "ready"
    FAILED = "failed"  # did not start, or was lost; tried again after `retry_in_s`
    STOPPED = "stopped"  # stopped by the app


@dataclass(frozen=True, slots=True)
class McpStatus:
    server: str
    state: McpState
    message: str = ""
    tools: tuple[ToolSpec, ...] = ()  # the tools it offers (or offered, before it failed)
    protocol: str = ""  # the protocol version agreed with the server
    retry_in_s: float | None = None  # when FAILED: the next try comes after this long


StatusListener = Callable[[McpStatus], None]


class McpConnection:
    """One server, connected from a thread of its own; `call` blocks the calling thread."""

    def __init__(
        self,
        config: McpServerConfig,
        on_status: StatusListener,
        *,
        retry_first_s: float = RETRY_FIRST_S,
        retry_max_s: float = RETRY_MAX_S,
    ) -> None:
        self.config = config
        self._on_status = on_status
        self._retry_first_s = retry_first_s
        self._retry_max_s = retry_max_s
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: Any = None
        self._watched: WatchedTransport | None = None
        self._attempt: asyncio.Task[str | None] | None = None
        self._start_limit: asyncio.TimerHandle | None = None
        self._wake: asyncio.Event | None = None  # stop or restart asked
        self._stopping = False
        self._restart = False
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self.status = McpStatus(config.name, McpState.STARTING)

    # ---- from any thread ------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stopping = False
        self._ready.clear()
        self._thread = threading.Thread(
            target=self._run, name=f"mcp-{self.config.name}", daemon=True
        )
        self._thread.start()

    def restart(self) -> None:
        """Connect again now: a running server is closed first, a waiting one is not waited for."""
        if self._thread is None or not self._thread.is_alive():
            self.start()
            return
        self._ready.clear()
        self._restart = True
        self._interrupt()

    def stop(self) -> None:
        self._stopping = True
        self._interrupt()

    def join(self, timeout_s: float) -> None:
        if self._thread is not None:
            self._thread.join(timeout_s)

    def wait_ready(self, timeout_s: float = START_TIMEOUT_S) -> bool:
        """Wait until the server is ready or has failed: True when ready."""
        self._ready.wait(timeout_s)
        return self.status.state is McpState.READY

    def call(self, name: str, arguments: dict[str, Any], timeout_s: float) -> ToolOutput:
        """Call a tool of this server; raises with the server's words when it fails."""
        loop, client, watched = self._loop, self._client, self._watched
        if loop is None or client is None or self.status.state is not McpState.READY:
            raise RuntimeError(f"the MCP server {self.config.name} is not running")
        future = asyncio.run_coroutine_threadsafe(client.call_tool(name, arguments), loop)
        try:
            result = future.result(timeout_s)
        except FutureTimeout:
            future.cancel()  # cancels the request on the server's side too
            raise TimeoutError(f"{name} did not answer within {timeout_s:g} s") from None
        except Exception as exc:
            if watched is not None and (is_transport_error(exc) or "closed" in str(exc).lower()):
                reason = translate("McpConnection", "the server stopped ({reason})").format(
                    reason=_reason(exc)
                )
                loop.call_soon_threadsafe(watched.mark_lost, reason)
            raise
        output = tool_output(result.content, result.structured_content)
        if result.is_error:
            raise RuntimeError(output.text or "the server reported an error")
        return output

    def tools(self, timeout_s: float) -> list[Tool]:
        """This server's tools as tools of the app."""
        plugin = f"MCP: {self.config.name}"
        return [
            Tool(spec, plugin, self._caller(spec.name, timeout_s)) for spec in self.status.tools
        ]

    def _caller(self, name: str, timeout_s: float) -> Callable[[dict[str, Any]], object]:
        def invoke(arguments: dict[str, Any]) -> object:
            return self.call(name, arguments, timeout_s)

        return invoke

    def _interrupt(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with suppress(RuntimeError):  # the loop closed in between: nothing left to wake
                loop.call_soon_threadsafe(self._wake_up)

    # ---- on the connection's own thread ---------------------------------------------------

    def _report(self, status: McpStatus) -> None:
        self.status = status
        if status.state is not McpState.STARTING:
            self._ready.set()
        self._on_status(status)

    def _wake_up(self) -> None:
        if self._wake is not None:
            self._wake.set()
        attempt = self._attempt
        if attempt is not None and self.status.state is McpState.STARTING:
            attempt.cancel()  # a server still starting is not waited for

    def _run(self) -> None:
        try:
            asyncio.run(self._keep_connected())
        except BaseException as exc:  # a failure is reported, never raised on this thread
            self._report(self._failed(_reason(exc), None))
        finally:
            self._loop = None

    async def _keep_connected(self) -> None:
        loop = asyncio.get_running_loop()
        self._loop, self._wake = loop, asyncio.Event()
        failures = 0
        while not self._stopping:
            self._restart = False
            self._wake.clear()
            ready_since: list[float] = []
            reason = await self._attempt_once(ready_since)
            if self._stopping:
                break
            if reason is None or self._restart:  # asked to connect again
                failures = 0
                continue
            steady = bool(ready_since) and time.monotonic() - ready_since[0] >= STEADY_S
            failures = 1 if steady else failures + 1
            delay = min(self._retry_max_s, self._retry_first_s * 2 ** (failures - 1))
            self._report(self._failed(reason, delay))
            with suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)
            if self._restart:
                failures = 0
        self._report(McpStatus(self.config.name, McpState.STOPPED, "", self.status.tools))

    async def _attempt_once(self, ready_since: list[float]) -> str | None:
        """One connection, from start to end: None when the app ended it, else the reason."""
        self._report(McpStatus(self.config.name, McpState.STARTING, "", self.status.tools))
        attempt = asyncio.ensure_future(self._connected(ready_since))
        self._attempt = attempt
        self._start_limit = asyncio.get_running_loop().call_later(START_TIMEOUT_S, attempt.cancel)
        try:
            return await attempt
        except asyncio.CancelledError:
            if self._stopping or self._restart:
                return None
            if not ready_since:
                return translate("McpConnection", "it did not answer within {seconds} s").format(
                    seconds=f"{START_TIMEOUT_S:g}"
                )
            raise
        except Exception as exc:
            return _reason(exc)
        finally:
            if self._start_limit is not None:
                self._start_limit.cancel()
            self._attempt = None
            self._client = self._watched = None

    async def _connected(self, ready_since: list[float]) -> str | None:
        from mcp import Client  # the SDK is imported only when a server is configured

        assert self._wake is not None
        watched = WatchedTransport(_transport(self.config))
        async with Client(watched, mode="auto") as client:  # the newest protocol both speak
            tools, refused = callable_specs(await _list_tools(client))
            self._client, self._watched = client, watched
            ready_since.append(time.monotonic())
            if self._start_limit is not None:  # running now: the start-up limit no longer applies
                self._start_limit.cancel()
            self._attempt = None
            self._report(
                McpStatus(
                    self.config.name,
                    McpState.READY,
                    "; ".join(
                        translate("McpConnection", "skipped: {reason}").format(reason=reason)
                        for reason in refused
                    ),
                    tools,
                    client.protocol_version,
                )
            )
            waits = [
                asyncio.ensure_future(self._wake.wait()),
                asyncio.ensure_future(watched.lost.wait()),
            ]
            try:
                await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for wait in waits:
                    wait.cancel()
            self._client = None
        return watched.reason if watched.lost.is_set() and not self._stopping else None

    def _failed(self, reason: str, retry_in_s: float | None) -> McpStatus:
        status = self.status
        return McpStatus(
            self.config.name, McpState.FAILED, reason, status.tools, status.protocol, retry_in_s
        )


async def _list_tools(client: Any) -> tuple[ToolSpec, ...]:
    """Every tool the server offers, page after page."""
    specs: list[ToolSpec] = []
    cursor: str | None = None
    while True:
        listing = await client.list_tools(cursor=cursor)
        specs.extend(
            ToolSpec(tool.name, tool.description or tool.title or tool.name, tool.input_schema)
            for tool in listing.tools
        )
        cursor = listing.next_cursor
        if not cursor:
            return tuple(specs)


def _transport(config: McpServerConfig) -> AbstractAsyncContextManager[Any]:
    """The SDK's transport for a configured server: stdio, or streamable HTTP with its headers."""
    if config.url:
        return _http_transport(config.url, dict(config.headers))
    from mcp.client.stdio import StdioServerParameters, stdio_client

    params = StdioServerParameters(
        command=config.command or "", args=list(config.args), env=dict(config.env) or None
    )
    return stdio_client(params)


@asynccontextmanager
async def _http_transport(url: str, headers: dict[str, str]) -> AsyncIterator[Any]:
    """Streamable HTTP through an HTTP client of our own, which carries the configured headers
    (the SDK's way to add them) with the SDK's usual time limits."""
    import httpx2
    from mcp.client.streamable_http import streamable_http_client

    timeout = httpx2.Timeout(HTTP_TIMEOUT_S, read=HTTP_READ_TIMEOUT_S)
    async with (
        httpx2.AsyncClient(headers=headers, timeout=timeout) as http,
        streamable_http_client(url, http_client=http) as streams,
    ):
        yield streams


def _reason(exc: BaseException) -> str:
    """The innermost useful message of an exception (task groups wrap the real one)."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if type(exc).__name__ not in text else text
