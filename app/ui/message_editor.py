"""The inline editor of a sent message."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from app.core.i18n import translate


class EditBox(QFrame):
    """Inline editor of a user message: Ctrl+Enter sends, Escape cancels."""

    submitted = Signal(str)
    cancelled = Signal()

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.editor = QPlainTextEdit(text)
        self.editor.setObjectName("messageEditor")
        self.editor.setAccessibleName(translate("EditBox", "Edited message"))
        self.editor.setAccessibleDescription(
            translate("EditBox", "Ctrl+Enter sends it as a new version; Escape cancels")
        )
        self.editor.installEventFilter(self)
        layout.addWidget(self.editor)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(translate("EditBox", "Cancel"))
        self.cancel_button.setAccessibleDescription(
            translate("EditBox", "Leave the message as it was")
        )
        self.cancel_button.clicked.connect(self.cancelled)
        self.send_button = QPushButton(translate("EditBox", "Send"))
        self.send_button.setDefault(True)
        tip = translate("EditBox", "Send the edited message (Ctrl+Enter); the original stays")
        self.send_button.setToolTip(tip)
        self.send_button.setAccessibleDescription(tip)
        self.send_button.clicked.connect(lambda: self.submitted.emit(self.editor.toPlainText()))
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.send_button)
        layout.addLayout(buttons)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        key_press = isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress
        if watched is self.editor and key_press:
            assert isinstance(event, QKeyEvent)
            enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.submitted.emit(self.editor.toPlainText())
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.cancelled.emit()
                return True
        return super().eventFilter(watched, event)
