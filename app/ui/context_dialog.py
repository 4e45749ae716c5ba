"""Asks what to do when a conversation no longer fits the context window. Never decides alone."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.qt_bridge.chat_ports import ContextOverflowDecision, ContextOverflowFacts
from app.settings import ContextOverflow


def explain(facts: ContextOverflowFacts) -> str:
    room = max(0, facts.n_ctx - facts.answer_budget)
    text = (
        f"This conversation takes {facts.prompt_tokens:,} tokens, but the context window holds "
        f"{facts.n_ctx:,}, of which {facts.answer_budget:,} are kept for the answer, "
        f"leaving {room:,} for the conversation."
    )
    if facts.dropped_messages:
        text += (
            f"\n\nThe {facts.dropped_messages} oldest messages can be left out of what the model "
            "sees (the system prompt and pinned messages stay). They stay in the conversation and "
            "are marked as left out."
        )
    else:
        text += (
            "\n\nEven the newest message alone does not fit. Shorten it, lower the answer length, "
            "or load the model with a larger context."
        )
    return text


class ContextLimitDialog(QDialog):
    def __init__(self, facts: ContextOverflowFacts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("The conversation is too long")
        self._choice = ContextOverflow.STOP
        label = QLabel(explain(facts), self)
        label.setWordWrap(True)
        label.setObjectName("contextExplanation")
        self._remember = QCheckBox("Remember my choice (can be changed in Settings)", self)
        buttons = QDialogButtonBox(self)
        self.drop_button: QPushButton | None = None
        if facts.dropped_messages:
            self.drop_button = buttons.addButton(
                "Leave out the oldest messages", QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.drop_button.setDefault(True)
            self.drop_button.clicked.connect(self._drop)
        self.stop_button = buttons.addButton("Don't send", QDialogButtonBox.ButtonRole.RejectRole)
        self.stop_button.clicked.connect(self.reject)
        self._remember.setVisible(bool(facts.dropped_messages))
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self._remember)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def _drop(self) -> None:
        self._choice = ContextOverflow.DROP_OLDEST
        self.accept()

    def decision(self) -> ContextOverflowDecision:
        return ContextOverflowDecision(self._choice, self._remember.isChecked())

    def set_remember(self, remember: bool) -> None:
        self._remember.setChecked(remember)


def ask_context_overflow(facts: ContextOverflowFacts, parent: QWidget) -> ContextOverflowDecision:
    """Ask over `parent`, and wait for the answer."""
    dialog = ContextLimitDialog(facts, parent)
    dialog.exec()
    return dialog.decision()
