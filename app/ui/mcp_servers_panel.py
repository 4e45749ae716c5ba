"""The MCP servers in Settings → Tools: each with its state, protocol version and tools, kept up
to date while the dialog is open, and a button that restarts the selected one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QWidget

from app.qt_bridge.mcp_manager import McpManager
from app.tools.mcp_servers import McpState, McpStatus


def server_text(status: McpStatus) -> str:
    names = ", ".join(spec.name for spec in status.tools) or "no tools"
    protocol = f", protocol {status.protocol}" if status.protocol else ""
    retry = f"; tried again in {status.retry_in_s:g} s" if status.retry_in_s is not None else ""
    return {
        McpState.STARTING: f"{status.server}: starting…",
        McpState.READY: f"{status.server}: running{protocol} ({names})"
        + (f"; {status.message}" if status.message else ""),
        McpState.FAILED: f"{status.server}: not available ({status.message}){retry}",
        McpState.STOPPED: f"{status.server}: stopped",
    }[status.state]


class McpServersPanel(QWidget):
    def __init__(self, manager: McpManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._manager = manager
        self.list = QListWidget(self)
        self.list.setMaximumHeight(90)
        self.restart = QPushButton("Restart", self)
        self.restart.setToolTip("Connect to the selected server again now")
        self.restart.setEnabled(False)
        self.restart.clicked.connect(self._restart_selected)
        self.list.currentRowChanged.connect(lambda row: self.restart.setEnabled(row >= 0))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.restart, 0, Qt.AlignmentFlag.AlignTop)
        self._rows: dict[str, QListWidgetItem] = {}
        for status in manager.statuses.values():
            self._show(status)
        manager.status_changed.connect(self._show)

    def _show(self, status: McpStatus) -> None:
        item = self._rows.get(status.server)
        if item is None:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, status.server)
            self.list.addItem(item)
            self._rows[status.server] = item
        text = server_text(status)
        item.setText(text)
        item.setToolTip(text)
        running = status.state is McpState.READY
        item.setForeground(self.palette().text() if running else self.palette().placeholderText())

    def _restart_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._manager.restart(str(item.data(Qt.ItemDataRole.UserRole)))
