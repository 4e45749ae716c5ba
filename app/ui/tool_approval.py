"""The bar above the message field where the user approves a tool call: the tool, its plugin and
its arguments (editable JSON) with Run and Skip; then, while it runs, Cancel."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import translate
from app.core.messages import ToolCall
from app.qt_bridge.chat_controller import ToolApproval


def pretty_arguments(arguments: str) -> str:
    """The arguments indented for reading and editing; kept as they are if not valid JSON."""
    try:
        return json.dumps(json.loads(arguments), indent=2, ensure_ascii=False)
    except (json.JSONDecodeError, TypeError):
        return arguments


def same_json(left: str, right: str) -> bool:
    try:
        return bool(json.loads(left) == json.loads(right))
    except (json.JSONDecodeError, TypeError):
        return left.strip() == right.strip()


class ToolApprovalBar(QWidget):
    run_requested = Signal(object)  # the arguments to run with: str, or None when unchanged
    skip_requested = Signal()
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        frame = QFrame(self)
        frame.setObjectName("toolBanner")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 8, 16, 0)
        outer.addWidget(frame)
        self.title = QLabel(frame)
        self.title.setObjectName("toolTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.description = QLabel(frame)
        self.description.setObjectName("hint")
        self.description.setWordWrap(True)
        self.arguments = QPlainTextEdit(frame)
        self.arguments.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.arguments.setMaximumHeight(120)
        arguments_tip = translate(
            "ToolApprovalBar", "The arguments the tool gets; you may change them before Run"
        )
        self.arguments.setToolTip(arguments_tip)
        self.arguments.setAccessibleName(translate("ToolApprovalBar", "Arguments"))
        self.arguments.setAccessibleDescription(arguments_tip)
        self.run_button = QPushButton(translate("ToolApprovalBar", "Run"), frame)
        self.run_button.setObjectName("primaryButton")
        self.run_button.setAccessibleName(translate("ToolApprovalBar", "Run"))
        self.run_button.setAccessibleDescription(
            translate("ToolApprovalBar", "Runs the tool with these arguments")
        )
        self.skip_button = QPushButton(translate("ToolApprovalBar", "Skip"), frame)
        self.skip_button.setAccessibleName(translate("ToolApprovalBar", "Skip"))
        self.skip_button.setAccessibleDescription(
            translate("ToolApprovalBar", "Does not run the tool; the model is told it was skipped")
        )
        self.cancel_button = QPushButton(translate("ToolApprovalBar", "Cancel"), frame)
        self.cancel_button.setAccessibleName(translate("ToolApprovalBar", "Cancel"))
        self.cancel_button.setAccessibleDescription(
            translate("ToolApprovalBar", "Stops the tool while it runs")
        )
        self.run_button.clicked.connect(self._run)
        self.skip_button.clicked.connect(self.skip_requested)
        self.cancel_button.clicked.connect(self.cancel_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.cancel_button, self.skip_button, self.run_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.description)
        layout.addWidget(self.arguments)
        layout.addLayout(buttons)
        self._call: ToolCall | None = None
        self.hide()

    def ask(self, approval: ToolApproval) -> None:
        self._call = approval.call
        self.title.setText(
            translate("ToolApprovalBar", "The model wants to run {tool} ({plugin})").format(
                tool=approval.call.name, plugin=approval.plugin
            )
        )
        self.description.setText(approval.description)
        self.arguments.setReadOnly(False)
        self.arguments.setPlainText(pretty_arguments(approval.call.arguments))
        self.arguments.show()
        self.run_button.show()
        self.skip_button.show()
        self.cancel_button.hide()
        self.show()
        self.run_button.setFocus()

    def show_running(self, call: ToolCall) -> None:
        self._call = call
        self.title.setText(translate("ToolApprovalBar", "Running {tool}…").format(tool=call.name))
        self.description.setText("")
        self.arguments.setPlainText(pretty_arguments(call.arguments))
        self.arguments.setReadOnly(True)
        self.run_button.hide()
        self.skip_button.hide()
        self.cancel_button.show()
        self.show()

    def _run(self) -> None:
        if self._call is None:
            return
        text = self.arguments.toPlainText()
        self.run_requested.emit(None if same_json(text, self._call.arguments) else text.strip())
