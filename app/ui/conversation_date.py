"""Conversation settings: the date its system prompt gives, and renewing it."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from app.core.i18n import translate


class ConversationDateBox(QWidget):
    def __init__(self, day: date, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(
            translate("ConversationDateBox", "Its date: {date} (the day it started)").format(
                date=f"{day:%A %d %B %Y}"
            ),
            self,
        )
        self.renew = QCheckBox(translate("ConversationDateBox", "Use today's date"), self)
        tip = translate(
            "ConversationDateBox",
            "The model is told the date the conversation started, so that its beginning never "
            "changes by itself and it reopens at once.",
        )
        self.renew.setToolTip(tip)
        self.renew.setAccessibleName(translate("ConversationDateBox", "Use today's date"))
        self.renew.setAccessibleDescription(tip)
        warning = QLabel(
            translate(
                "ConversationDateBox",
                "The conversation will be read again from its first message with its next answer.",
            ),
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
