"""The MCP servers in Settings → Tools: each with its state, protocol version and tools, kept up
to date while the dialog is open, and a button that restarts the selected one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QWidget

from app.core.i18n import translate
from app.qt_bridge.mcp_manager import McpManager
from app.tools.mcp_servers import McpState, McpStatus


def server_text(status: McpStatus) -> str:
    server = status.server
    if status.state is McpState.STARTING:
        return translate("McpServersPanel", "{server}: starting…").format(server=server)
    if status.state is McpState.STOPPED:
        return translate("McpServersPanel", "{server}: stopped").format(server=server)
    if status.state is McpState.FAILED:
        if status.retry_in_s is None:
            return translate("McpServersPanel", "{server}: not available ({reason})").format(
                server=server, reason=status.message
            )
        return translate(
            "McpServersPanel", "{server}: not available ({reason}); tried again in {seconds} s"
        ).format(server=server, reason=status.message, seconds=f"{status.retry_in_s:g}")
    names = ", ".join(spec.name for spec in status.tools) or translate(
        "McpServersPanel", "no tools"
    )
    text = (
        translate("McpServersPanel", "{server}: running, protocol {protocol} ({tools})")
        if status.protocol
        else translate("McpServersPanel", "{server}: running ({tools})")
    ).format(server=server, protocol=status.protocol, tools=names)
    return f"{text}; {status.message}" if status.message else text


class McpServersPanel(QWidget):
    def __init__(self, manager: McpManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._manager = manager
        self.list = QListWidget(self)
        self.list.setMaximumHeight(90)
        self.list.setAccessibleName(translate("McpServersPanel", "MCP servers"))
        self.list.setAccessibleDescription(
            translate("McpServersPanel", "Each MCP server with its state and its tools")
        )
        self.restart = QPushButton(translate("McpServersPanel", "Restart"), self)
        tip = translate("McpServersPanel", "Connect to the selected server again now")
        self.restart.setToolTip(tip)
        self.restart.setAccessibleName(translate("McpServersPanel", "Restart the server"))
        self.restart.setAccessibleDescription(tip)
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
