"""A chat view for tests: it shows plain text and remembers what the controller asked of it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from app.core.conversation import MessageId, MessageState, TurnView


class RecordingChatView(QPlainTextEdit):
    edit_submitted = Signal(int, str)
    regenerate_requested = Signal(int)
    continue_requested = Signal(int)
    alternative_requested = Signal(int, int)
    delete_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.turns: list[TurnView] = []
        self.focused: MessageId | None = None
        self.streams: dict[MessageId, str] = {}
        self.ended: list[tuple[MessageId, MessageState]] = []
        self.appends = 0

    def show_turns(self, turns: Sequence[TurnView], focus_message_id: MessageId | None) -> None:
        self.turns = list(turns)
        self.focused = focus_message_id
        self.setPlainText(
            "\n\n".join(f"{t.node.message.role.value}: {t.node.message.content}" for t in turns)
        )

    def begin_streaming(self, message_id: MessageId, initial_text: str) -> None:
        self.streams[message_id] = initial_text

    def append_streaming(self, message_id: MessageId, text: str) -> None:
        self.streams[message_id] += text
        self.appends += 1

    def end_streaming(self, message_id: MessageId, state: MessageState) -> None:
        self.ended.append((message_id, state))

    def contents(self) -> list[tuple[str, str]]:
        return [(t.node.message.role.value, t.node.message.content) for t in self.turns]
