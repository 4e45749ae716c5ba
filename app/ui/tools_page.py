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

from app.core.i18n import translate
from app.qt_bridge.mcp_manager import McpManager
from app.settings import ToolPolicy, ToolSettings
from app.tools.mcp_servers import MCP_CONFIG_FILE
from app.tools.registry import PluginError, Tool
from app.ui.library_page import FolderList
from app.ui.mcp_servers_panel import McpServersPanel


def policy_choices() -> tuple[tuple[str, ToolPolicy], ...]:
    return (
        (translate("ToolsPage", "Ask each time"), ToolPolicy.ASK),
        (translate("ToolsPage", "Always run"), ToolPolicy.ALWAYS),
        (translate("ToolsPage", "Never (not offered)"), ToolPolicy.NEVER),
    )


def _columns() -> list[str]:
    return [
        translate("ToolsPage", "Tool"),
        translate("ToolsPage", "Plugin"),
        translate("ToolsPage", "When the model calls it"),
    ]


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
        self.enabled = QCheckBox(translate("ToolsPage", "Let the model call tools"), self)
        self.enabled.setAccessibleName(translate("ToolsPage", "Let the model call tools"))
        self.enabled.setAccessibleDescription(
            translate("ToolsPage", "Offers the tools below to the model in every conversation")
        )
        columns = _columns()
        self.table = QTableWidget(len(tools), len(columns), self)
        self.table.setHorizontalHeaderLabels(columns)
        self.table.setAccessibleName(translate("ToolsPage", "Tools"))
        self.table.setAccessibleDescription(
            translate("ToolsPage", "Each tool with its plugin and when it runs")
        )
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
            for text, policy in policy_choices():
                box.addItem(text, policy)
            box.setAccessibleName(
                translate("ToolsPage", "When the model calls {tool}").format(tool=tool.name)
            )
            box.setAccessibleDescription(
                translate("ToolsPage", "Ask each time, always run, or never offer {tool}").format(
                    tool=tool.name
                )
            )
            self.table.setCellWidget(row, 2, box)
            self.policy_boxes[tool.name] = box
        self.folders = FolderList(self)
        self.folders.list.setAccessibleName(translate("ToolsPage", "Folders file tools may read"))
        self.folders.list.setAccessibleDescription(
            translate("ToolsPage", "File tools read only inside these folders")
        )
        self.max_rounds = QSpinBox(self)
        self.max_rounds.setRange(1, 50)
        self.max_rounds.setSuffix(translate("ToolsPage", " rounds"))
        self.max_rounds.setAccessibleName(translate("ToolsPage", "Calls in a row, at most"))
        self.max_rounds.setAccessibleDescription(
            translate("ToolsPage", "How many rounds of tool calls one answer may make")
        )
        self.timeout = QSpinBox(self)
        self.timeout.setRange(1, 3600)
        self.timeout.setSuffix(translate("ToolsPage", " s"))
        self.timeout.setAccessibleName(translate("ToolsPage", "A call may run for"))
        self.timeout.setAccessibleDescription(
            translate("ToolsPage", "Seconds a tool call may run before it is stopped")
        )
        self.errors = QListWidget(self)
        self.errors.setAccessibleName(translate("ToolsPage", "Plugins that could not be loaded"))
        self.errors.setAccessibleDescription(
            translate("ToolsPage", "Each plugin that failed, with why")
        )
        self.errors.setMaximumHeight(90)
        for error in errors:
            item = QListWidgetItem(f"{error.plugin}: {error.message}")
            item.setToolTip(error.detail or error.message)
            self.errors.addItem(item)
        self.errors.setVisible(bool(errors))
        has_servers = mcp is not None and bool(mcp.statuses)
        self.servers = McpServersPanel(mcp, self) if mcp is not None and has_servers else None
        hint = QLabel(
            translate(
                "ToolsPage",
                "Plugins are Python files in {plugins} or installed packages; MCP servers are "
                "listed in {mcp_file}. See the user guide. With tools on, each follow-up also "
                "re-reads the list of tools.",
            ).format(
                plugins=plugins_folder, mcp_file=Path(plugins_folder).parent / MCP_CONFIG_FILE
            ),
            self,
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)

        form = QFormLayout()
        form.addRow(translate("ToolsPage", "Folders file tools may read"), self.folders)
        form.addRow(translate("ToolsPage", "Calls in a row, at most"), self.max_rounds)
        form.addRow(translate("ToolsPage", "A call may run for"), self.timeout)
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        if self.servers is not None:
            layout.addWidget(QLabel(translate("ToolsPage", "MCP servers:"), self))
            layout.addWidget(self.servers)
        if errors:
            layout.addWidget(
                QLabel(translate("ToolsPage", "Plugins that could not be loaded:"), self)
            )
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
