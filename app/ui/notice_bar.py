"""A bar above the message field that tells what went wrong (or needs attention) in plain words.
Screen readers are told each notice as it shows: errors at once, other notices politely."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.core.i18n import translate
from app.ui.accessibility import announce


class Severity(Enum):
    INFO = "info"
    ERROR = "error"


class NoticeBar(QWidget):
    """Hidden until there is something to say; dismissed by its close button or its action."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._frame = QFrame(self)
        self._frame.setAccessibleName(translate("NoticeBar", "Notice"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 8, 16, 0)
        outer.addWidget(self._frame)
        self._label = QLabel(self._frame)
        self._label.setObjectName("errorText")
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_button = QPushButton(self._frame)
        self.action_button.setObjectName("primaryButton")
        self.action_button.setAccessibleDescription(
            translate("NoticeBar", "Does what the notice offers, then closes it")
        )
        self.action_button.clicked.connect(self._run_action)
        close = QPushButton("✕", self._frame)
        close.setObjectName("linkButton")
        close.setToolTip(translate("NoticeBar", "Dismiss"))
        close.setAccessibleName(translate("NoticeBar", "Dismiss"))
        close.setAccessibleDescription(translate("NoticeBar", "Closes this notice"))
        close.setFlat(True)
        close.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self._frame)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.addWidget(self._label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(close)
        self._action: Callable[[], object] | None = None
        self._severity = Severity.INFO
        self.hide()

    @property
    def text(self) -> str:
        return self._label.text()

    @property
    def severity(self) -> Severity:
        return self._severity

    def show_notice(
        self,
        text: str,
        severity: Severity = Severity.ERROR,
        *,
        detail: str = "",
        action: tuple[str, Callable[[], object]] | None = None,
    ) -> None:
        self._severity = severity
        self._frame.setObjectName("errorBanner" if severity is Severity.ERROR else "composerBanner")
        self._label.setText(text)
        self._label.setToolTip(detail[-2000:] if detail else "")
        self._action = action[1] if action else None
        self.action_button.setText(action[0] if action else "")
        self.action_button.setVisible(action is not None)
        self._frame.style().unpolish(self._frame)
        self._frame.style().polish(self._frame)
        self.show()
        announce(self._label, text, assertive=severity is Severity.ERROR)

    def dismiss(self) -> None:
        self._action = None
        self.hide()

    def _run_action(self) -> None:
        action = self._action
        self.dismiss()
        if action is not None:
            action()
