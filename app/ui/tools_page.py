"""Settings → Tools: the switch that offers tools to the model, each tool with its plugin and
policy (ask, always, never), the folders file tools may read, limits, and plugins that failed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.qt_bridge.mcp_manager import McpManager
from app.settings import ToolPolicy, ToolSettings
from app.tools.mcp_servers import MCP_CONFIG_FILE
from app.tools.registry import PluginError, Tool
from app.ui.library_page import FolderList
from app.ui.mcp_servers_panel import McpServersPanel

POLICY_CHOICES = (
    ("Ask each time", ToolPolicy.ASK),
    ("Always run", ToolPolicy.ALWAYS),
    ("Never (not offered)", ToolPolicy.NEVER),
)
COLUMNS = ("Tool", "Plugin", "When the model calls it")


class ToolsPage(QWidget):
    def __init__(
        self,
        tools: list[Tool],
        errors: list[PluginError],
        plugins_folder: str,
        mcp: McpManager | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tools = tools
        self.enabled = QCheckBox("Let the model call tools", self)
        self.table = QTableWidget(len(tools), len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.policy_boxes: dict[str, QComboBox] = {}
        for row, tool in enumerate(tools):
            name = QTableWidgetItem(tool.name)
            name.setToolTip(tool.spec.description)
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, QTableWidgetItem(tool.plugin))
            box = QComboBox(self.table)
            for text, policy in POLICY_CHOICES:
                box.addItem(text, policy)
            self.table.setCellWidget(row, 2, box)
            self.policy_boxes[tool.name] = box
        self.folders = FolderList(self)
        self.max_rounds = QSpinBox(self)
        self.max_rounds.setRange(1, 50)
        self.max_rounds.setSuffix(" rounds")
        self.timeout = QSpinBox(self)
        self.timeout.setRange(1, 3600)
        self.timeout.setSuffix(" s")
        self.errors = QListWidget(self)
        self.errors.setMaximumHeight(90)
        for error in errors:
            item = QListWidgetItem(f"{error.plugin}: {error.message}")
            item.setToolTip(error.detail or error.message)
            self.errors.addItem(item)
        self.errors.setVisible(bool(errors))
        has_servers = mcp is not None and bool(mcp.statuses)
        self.servers = McpServersPanel(mcp, self) if mcp is not None and has_servers else None
        hint = QLabel(
            f"Plugins are Python files in {plugins_folder} or installed packages; MCP servers "
            f"are listed in {Path(plugins_folder).parent / MCP_CONFIG_FILE}. See the user guide. "
            "With tools on, each follow-up also re-reads the list of tools.",
            self,
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)

        form = QFormLayout()
        form.addRow("Folders file tools may read", self.folders)
        form.addRow("Calls in a row, at most", self.max_rounds)
        form.addRow("A call may run for", self.timeout)
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        if self.servers is not None:
            layout.addWidget(QLabel("MCP servers:", self))
            layout.addWidget(self.servers)
        if errors:
            layout.addWidget(QLabel("Plugins that could not be loaded:", self))
        layout.addWidget(self.errors)
        layout.addWidget(hint)

    def set_tools(self, settings: ToolSettings) -> None:
        self.enabled.setChecked(settings.enabled)
        for name, box in self.policy_boxes.items():
            box.setCurrentIndex(box.findData(settings.policy(name)))
        self.folders.set_folders(settings.allowed_folders)
        self.max_rounds.setValue(settings.max_rounds)
        self.timeout.setValue(settings.timeout_s)

    def tools(self, before: ToolSettings) -> ToolSettings:
        """The page's values; policies of tools not listed now (a plugin gone) are kept."""
        policies = dict(before.policies)
        for name, box in self.policy_boxes.items():
            policy = ToolPolicy(box.currentData())
            if policy is ToolPolicy.ASK:
                policies.pop(name, None)
            else:
                policies[name] = policy
        return ToolSettings(
            enabled=self.enabled.isChecked(),
            policies=policies,
            allowed_folders=self.folders.folders(),
            max_rounds=self.max_rounds.value(),
            timeout_s=self.timeout.value(),
        )
