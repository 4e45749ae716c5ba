"""The MCP servers of `mcp.json` for the window: started in the background when the window
opens, their tools handed to the tool box while they run, their state shown in Settings, where
each can be restarted."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.core.i18n import translate
from app.qt_bridge.tool_box import ToolBox
from app.tools.mcp_servers import (
    McpConfigError,
    McpConnection,
    McpState,
    McpStatus,
    read_mcp_config,
)

STOP_WAIT_S = 3.0


class McpManager(QObject):
    status_changed = Signal(object)  # McpStatus, on the GUI thread
    failed = Signal(str)  # a server or the configuration could not be used

    def __init__(
        self, config_path: Path, tools: ToolBox, timeout_s: float, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.config_path = config_path
        self._tools = tools
        self._timeout_s = timeout_s
        self._connections: dict[str, McpConnection] = {}
        self.statuses: dict[str, McpStatus] = {}
        self._said_unavailable: set[str] = set()  # told once until it runs again
        self.status_changed.connect(self._on_status)

    def start(self) -> None:
        """Start every configured server (each connects in a thread of its own)."""
        try:
            configs = read_mcp_config(self.config_path)
        except McpConfigError as exc:
            self.failed.emit(
                translate("McpManager", "MCP servers were not started: {reason}.").format(
                    reason=exc
                )
            )
            return
        for config in configs:
            connection = McpConnection(config, self.status_changed.emit)
            self._connections[config.name] = connection
            self.statuses[config.name] = connection.status
            connection.start()

    def restart(self, server: str) -> None:
        """Connect to `server` again now (a failed one is not left waiting for its next try)."""
        connection = self._connections.get(server)
        if connection is not None:
            connection.restart()

    def stop(self) -> None:
        for connection in self._connections.values():
            connection.stop()
        for connection in self._connections.values():
            connection.join(STOP_WAIT_S)

    def _on_status(self, status: McpStatus) -> None:
        self.statuses[status.server] = status
        if status.state is McpState.READY:
            self._said_unavailable.discard(status.server)
        if status.state is McpState.FAILED and status.server not in self._said_unavailable:
            self._said_unavailable.add(status.server)
            if status.retry_in_s is None:
                text = translate(
                    "McpManager",
                    "The MCP server {server} is not available: {reason}. "
                    "Settings → Tools can restart it.",
                )
            else:
                text = translate(
                    "McpManager",
                    "The MCP server {server} is not available: {reason}. Tramontane tries "
                    "again in {seconds} s; Settings → Tools can restart it.",
                )
            self.failed.emit(
                text.format(
                    server=status.server,
                    reason=status.message,
                    seconds=f"{status.retry_in_s:g}" if status.retry_in_s is not None else "",
                )
            )
        self._tools.set_extra_tools(
            [
                tool
                for connection in self._connections.values()
                if connection.status.state is McpState.READY
                for tool in connection.tools(self._timeout_s)
            ]
        )
