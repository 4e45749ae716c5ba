"""Conversation settings: the date its system prompt gives, and renewing it."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget


class ConversationDateBox(QWidget):
    def __init__(self, day: date, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(f"Its date: {day:%A %d %B %Y} (the day it started)", self)
        self.renew = QCheckBox("Use today's date", self)
        self.renew.setToolTip(
            "The model is told the date the conversation started, so that its beginning never "
            "changes by itself and it reopens at once."
        )
        warning = QLabel(
            "The conversation will be read again from its first message with its next answer.",
            self,
        )
        warning.setObjectName("hint")
        warning.setWordWrap(True)
        warning.setVisible(False)
        self.renew.toggled.connect(warning.setVisible)
        self.renew.setEnabled(day != today)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.renew)
        layout.addWidget(warning)
        self.warning = warning
