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

from app.core.i18n import tr, translate
from app.core.locale_format import format_count
from app.qt_bridge.chat_ports import ContextOverflowDecision, ContextOverflowFacts
from app.settings import ContextOverflow


def explain(facts: ContextOverflowFacts) -> str:
    room = max(0, facts.n_ctx - facts.answer_budget)
    text = translate(
        "ContextLimitDialog",
        "This conversation takes {prompt} tokens, but the context window holds {n_ctx}, of which "
        "{answer} are kept for the answer, leaving {room} for the conversation.",
    ).format(
        prompt=format_count(facts.prompt_tokens),
        n_ctx=format_count(facts.n_ctx),
        answer=format_count(facts.answer_budget),
        room=format_count(room),
    )
    if facts.dropped_messages:
        return f"{text}\n\n{_left_out(facts.dropped_messages)}"
    return (
        text
        + "\n\n"
        + translate(
            "ContextLimitDialog",
            "Even the newest message alone does not fit. Shorten it, lower the answer length, "
            "or load the model with a larger context.",
        )
    )


def _left_out(messages: int) -> str:
    return tr(
        "The %n oldest message(s) can be left out of what the model sees (the system prompt and "
        "pinned messages stay). They stay in the conversation and are marked as left out.",
        None,
        messages,
    )


class ContextLimitDialog(QDialog):
    def __init__(self, facts: ContextOverflowFacts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("ContextLimitDialog", "The conversation is too long"))
        self._choice = ContextOverflow.STOP
        label = QLabel(explain(facts), self)
        label.setWordWrap(True)
        label.setObjectName("contextExplanation")
        self._remember = QCheckBox(
            translate("ContextLimitDialog", "Remember my choice (can be changed in Settings)"),
            self,
        )
        self._remember.setAccessibleName(translate("ContextLimitDialog", "Remember my choice"))
        self._remember.setAccessibleDescription(
            translate(
                "ContextLimitDialog",
                "Does the same without asking next time; Settings can change it",
            )
        )
        buttons = QDialogButtonBox(self)
        self.drop_button: QPushButton | None = None
        if facts.dropped_messages:
            self.drop_button = buttons.addButton(
                translate("ContextLimitDialog", "Leave out the oldest messages"),
                QDialogButtonBox.ButtonRole.AcceptRole,
            )
            self.drop_button.setAccessibleName(
                translate("ContextLimitDialog", "Leave out the oldest messages")
            )
            self.drop_button.setAccessibleDescription(
                translate(
                    "ContextLimitDialog",
                    "Sends the message without the oldest messages, which stay in the conversation",
                )
            )
            self.drop_button.setDefault(True)
            self.drop_button.clicked.connect(self._drop)
        self.stop_button = buttons.addButton(
            translate("ContextLimitDialog", "Don't send"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.stop_button.setAccessibleName(translate("ContextLimitDialog", "Don't send"))
        self.stop_button.setAccessibleDescription(
            translate(
                "ContextLimitDialog", "Keeps your message in the conversation, without an answer"
            )
        )
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
