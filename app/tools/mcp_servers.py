"""MCP servers as tool plugins: configured in `mcp.json` (the common `mcpServers` shape), each
kept connected by a thread with its own asyncio loop, their tools offered like any other.

A server that fails to start, or dies later, is reported with the reason; its tools are then
unavailable until the next start.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from app.core.messages import ToolSpec
from app.tools.registry import Tool, callable_specs

MCP_CONFIG_FILE = "mcp.json"
START_TIMEOUT_S = 30.0
PING_INTERVAL_S = 5.0


class McpConfigError(ValueError):
    """An `mcp.json` that cannot be used, and why."""


@dataclass(frozen=True, slots=True)
class McpServerConfig:
    name: str
    command: str | None = None  # stdio: the program and its arguments
    args: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    url: str | None = None  # streamable HTTP


def read_mcp_config(path: Path) -> list[McpServerConfig]:
    """The servers of `path`; none when the file does not exist."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise McpConfigError(f"{path} cannot be read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise McpConfigError(f"{path} is not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    servers = data.get("mcpServers") if isinstance(data, dict) else None
    if not isinstance(servers, dict):
        raise McpConfigError(f'{path} has no "mcpServers" object')
    return [_server(name, entry, path) for name, entry in servers.items()]


def _server(name: str, entry: object, path: Path) -> McpServerConfig:
    if not isinstance(entry, dict):
        raise McpConfigError(f"{path}: the server {name!r} is not an object")
    command, url = entry.get("command"), entry.get("url")
    args, env = entry.get("args", []), entry.get("env", {})
    if isinstance(url, str) and url:
        return McpServerConfig(name, url=url)
    if not isinstance(command, str) or not command:
        raise McpConfigError(f'{path}: the server {name!r} needs a "command" or a "url"')
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        raise McpConfigError(f'{path}: the "args" of {name!r} must be a list of strings')
    if not isinstance(env, dict) or not all(isinstance(v, str) for v in env.values()):
        raise McpConfigError(f'{path}: the "env" of {name!r} must map names to strings')
    return McpServerConfig(name, command, tuple(args), dict(env))


class McpState(StrEnum):
    STARTING = "starting"
    READY = "ready"
    FAILED = "failed"  # did not start, or stopped on its own
    STOPPED = "stopped"  # stopped by the app


@dataclass(frozen=True, slots=True)
class McpStatus:
    server: str
    state: McpState
    message: str = ""
    tools: tuple[ToolSpec, ...] = ()  # the tools it offers (or offered, before it failed)


StatusListener = Callable[[McpStatus], None]


class McpConnection:
    """One server, connected from a thread of its own; `call` blocks the calling thread."""

    def __init__(self, config: McpServerConfig, on_status: StatusListener) -> None:
        self.config = config
        self._on_status = on_status
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: Any = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self.status = McpStatus(config.name, McpState.STARTING)
        self._thread = threading.Thread(target=self._run, name=f"mcp-{config.name}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wait_ready(self, timeout_s: float = START_TIMEOUT_S) -> bool:
        """Wait until the server is ready or has failed: True when ready."""
        self._ready.wait(timeout_s)
        return self.status.state is McpState.READY

    def _report(self, status: McpStatus) -> None:
        self.status = status
        if status.state is not McpState.STARTING:
            self._ready.set()
        self._on_status(status)

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # the server's failure is reported, never raised here
            tools = self.status.tools
            self._report(McpStatus(self.config.name, McpState.FAILED, _reason(exc), tools))

    async def _serve(self) -> None:
        from mcp import Client  # the SDK is imported only when a server is configured
        from mcp.client.stdio import StdioServerParameters

        config = self.config
        target: Any = config.url or StdioServerParameters(
            command=config.command or "", args=list(config.args), env=dict(config.env) or None
        )
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with Client(target) as client:
            self._client = client
            listing = await client.list_tools()
            tools, refused = callable_specs(
                ToolSpec(tool.name, tool.description or tool.title or tool.name, tool.input_schema)
                for tool in listing.tools
            )
            skipped = "; ".join(f"skipped: {reason}" for reason in refused)
            self._report(McpStatus(config.name, McpState.READY, skipped, tools))
            while not self._stop.is_set():  # a ping now and then notices a server that died
                try:
                    await asyncio.wait_for(self._stop.wait(), PING_INTERVAL_S)
                except TimeoutError:
                    await client.send_ping()
        self._client = None
        if self.status.state is not McpState.FAILED:
            self._report(McpStatus(config.name, McpState.STOPPED, "", self.status.tools))

    def call(self, name: str, arguments: dict[str, Any], timeout_s: float) -> str:
        """Call a tool of this server; raises with the server's words when it fails."""
        loop, client = self._loop, self._client
        if loop is None or client is None or self.status.state is not McpState.READY:
            raise RuntimeError(f"the MCP server {self.config.name} is not running")
        future = asyncio.run_coroutine_threadsafe(client.call_tool(name, arguments), loop)
        try:
            result = future.result(timeout_s)
        except FutureTimeout:
            future.cancel()  # cancels the request on the server's side too
            raise TimeoutError(f"{name} did not answer within {timeout_s:g} s") from None
        except Exception as exc:
            if "closed" in str(exc).lower():  # the server is gone: say so at once
                stopped = f"the server stopped ({_reason(exc)})"
                self._report(
                    McpStatus(self.config.name, McpState.FAILED, stopped, self.status.tools)
                )
                self.stop()
            raise
        text = "\n".join(
            str(getattr(item, "text", "")) or f"[{getattr(item, 'type', 'content')}]"
            for item in result.content
        )
        if result.is_error:
            raise RuntimeError(text or "the server reported an error")
        if not text and result.structured_content is not None:
            return json.dumps(result.structured_content, ensure_ascii=False)
        return text

    def stop(self) -> None:
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(stop.set)

    def join(self, timeout_s: float) -> None:
        self._thread.join(timeout_s)

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


def _reason(exc: BaseException) -> str:
    """The innermost useful message of an exception (task groups wrap the real one)."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if type(exc).__name__ not in text else text
