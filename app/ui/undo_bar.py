"""A bar that says what was just done and offers to undo it for a few seconds."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app.core.i18n import translate
from app.ui.accessibility import announce

UNDO_SECONDS = 10


class UndoBar(QFrame):
    """“Conversation deleted  [Undo]”, hidden again after a few seconds (and told to screen
    readers as it shows)."""

    undo_requested = Signal()
    expired = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("undoBar")
        self._label = QLabel(self)
        self._label.setWordWrap(True)
        self.undo_button = QPushButton(translate("UndoBar", "Undo"), self)
        self.undo_button.setAccessibleDescription(translate("UndoBar", "Undoes what was just done"))
        self.undo_button.setObjectName("linkButton")
        self.undo_button.clicked.connect(self._undo)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._expire)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self._label, 1)
        layout.addWidget(self.undo_button)
        self.hide()

    @property
    def message(self) -> str:
        return self._label.text()

    def show_message(self, text: str, seconds: int = UNDO_SECONDS) -> None:
        self._label.setText(text)
        self._timer.start(seconds * 1000)
        self.show()
        announce(self._label, text)

    def _undo(self) -> None:
        self._timer.stop()
        self.hide()
        self.undo_requested.emit()

    def _expire(self) -> None:
        self.hide()
        self.expired.emit()
