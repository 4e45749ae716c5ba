"""The tools of this session for the window: discovered once, offered by policy, and run one
call at a time with a timeout and a cancel.

Discovered Python tools (the built-in ones and plugins) run in a process of their own, killed at
the timeout or on cancel, so no call can hold the window. MCP tools are called from a worker
thread and cancelled on their server. A tool made in the program itself (no module to find it
by) runs in a worker thread; when cancelled it is left to end and its late result is ignored.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.messages import ToolCall, ToolSpec
from app.paths import data_dir
from app.settings import ToolPolicy, ToolSettings
from app.tools.isolated import IsolatedCall
from app.tools.registry import PLUGINS_FOLDER, PluginError, Tool, ToolCatalog, discover
from app.tools.runner import ToolResult, error_result, execute

Discover = Callable[[], ToolCatalog]


def default_discovery() -> ToolCatalog:
    return discover(data_dir() / PLUGINS_FOLDER)


class ToolBox(QObject):
    finished = Signal(object)  # ToolResult of the running call
    catalog_changed = Signal()
    _done = Signal(int, object)  # run number, ToolResult: from the worker thread

    def __init__(
        self, discovery: Discover = default_discovery, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._discovery = discovery
        self._catalog: ToolCatalog | None = None
        self._extra: dict[str, Tool] = {}  # tools of MCP servers, by name
        self._running: ToolCall | None = None
        self._generation = 0  # a late result of an abandoned run is recognised and dropped
        self._isolated: IsolatedCall | None = None  # the process of the running call, if any
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._timed_out)
        self._timeout_s = 0
        self._done.connect(self._deliver)

    # ---- what there is --------------------------------------------------------------------

    @property
    def catalog(self) -> ToolCatalog:
        if self._catalog is None:
            self._catalog = self._discovery()
        return self._catalog

    @property
    def errors(self) -> list[PluginError]:
        return self.catalog.errors

    def tools(self) -> list[Tool]:
        return [*self.catalog.tools.values(), *self._extra.values()]

    def tool(self, name: str) -> Tool | None:
        return self.catalog.tools.get(name) or self._extra.get(name)

    def set_extra_tools(self, tools: Sequence[Tool]) -> None:
        """Tools that come and go with their servers (MCP)."""
        self._extra = {tool.name: tool for tool in tools if tool.name not in self.catalog.tools}
        self.catalog_changed.emit()

    def offered(self, settings: ToolSettings) -> tuple[ToolSpec, ...]:
        """What the model is told it may call: with tools on, each tool whose policy is not
        "never"."""
        if not settings.enabled:
            return ()
        return tuple(
            tool.spec for tool in self.tools() if settings.policy(tool.name) is not ToolPolicy.NEVER
        )

    # ---- running --------------------------------------------------------------------------

    @property
    def running(self) -> ToolCall | None:
        return self._running

    def run(self, call: ToolCall, settings: ToolSettings) -> None:
        """Run `call` in a worker thread; `finished` brings its result (or its timeout)."""
        if self._running is not None:
            raise RuntimeError("a tool is already running")
        tool = self.tool(call.name)
        self._running = call
        self._generation += 1
        generation = self._generation
        folders: tuple[Path, ...] = settings.allowed_folders
        timeout_s = settings.timeout_s
        isolated = None
        if tool is not None and tool.locator is not None:
            isolated = IsolatedCall(tool.locator, call, folders)
        self._isolated = isolated

        def work() -> None:
            if isolated is not None:  # the process is killed at the latest one second late
                self._done.emit(generation, isolated.wait(timeout_s + 1))
            else:
                self._done.emit(generation, execute(tool, call, folders))

        self._timeout_s = timeout_s
        self._timer.start(timeout_s * 1000)
        threading.Thread(target=work, name=f"tool-{call.name}", daemon=True).start()

    def cancel(self) -> None:
        call = self._running
        if call is not None:
            self._finish(error_result(call, "the user cancelled this tool before it finished"))

    def _timed_out(self) -> None:
        call = self._running
        if call is not None:
            ended = "stopped" if self._isolated is not None else "abandoned"
            message = f"{call.name} did not finish within {self._timeout_s} s and was {ended}"
            self._finish(error_result(call, message))

    def _deliver(self, generation: int, result: ToolResult) -> None:
        if generation == self._generation and self._running is not None:
            self._finish(result)

    def _finish(self, result: ToolResult) -> None:
        self._timer.stop()
        isolated, self._isolated = self._isolated, None
        if isolated is not None:
            isolated.stop()
        self._running = None
        self._generation += 1
        self.finished.emit(result)
