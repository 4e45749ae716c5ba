"""The conversation on screen: one widget per message, newest at the bottom.

Opening a long conversation builds only its last `PAGE` messages; "Show earlier messages" adds
the previous page, so the time to show a conversation does not grow with its length. A streaming
answer redraws only its open markdown block per update. The view follows new text only while it
is scrolled to the bottom.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core.conversation import MessageId, MessageState, TurnView
from app.core.messages import Role
from app.ui.message_widget import MessageWidget

PAGE = 6  # messages built when a conversation opens; more as the user scrolls up
USER_INDENT = 160
BOTTOM_SLACK = 24  # pixels from the end that still count as "at the bottom"


class ChatView(QScrollArea):
    """Signals: `edit_submitted(message_id, text)`, `regenerate_requested(message_id)`,
    `continue_requested(message_id)`, `delete_requested(message_id)`,
    `alternative_requested(message_id, step)`."""

    edit_submitted = Signal(int, str)
    delete_requested = Signal(int)
    regenerate_requested = Signal(int)
    continue_requested = Signal(int)
    alternative_requested = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatView")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._content = QWidget()
        self._content.setObjectName("chatContent")
        self._layout = QVBoxLayout(self._content)
        self._layout.setContentsMargins(24, 16, 24, 16)
        self._layout.setSpacing(12)
        self._earlier = QPushButton("Show earlier messages")
        self._earlier.setObjectName("showEarlier")
        self._earlier.clicked.connect(self.show_earlier)
        self._layout.addWidget(self._earlier, 0, Qt.AlignmentFlag.AlignHCenter)
        self._placeholder = QLabel("Ask Mistral anything.")
        self._placeholder.setObjectName("emptyConversation")
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self._placeholder, 1)
        self._layout.addStretch(0)
        self.setWidget(self._content)
        self._turns: list[TurnView] = []
        self._first_shown = 0
        self._widgets: dict[MessageId, MessageWidget] = {}
        self._streaming: dict[MessageId, MessageWidget] = {}
        self._follow = True
        self._apply_style()
        self.verticalScrollBar().rangeChanged.connect(self._keep_following)
        self.verticalScrollBar().valueChanged.connect(self._note_position)

    # ---- what the controllers call ----------------------------------------------------------

    def show_turns(self, turns: Sequence[TurnView], focus_message_id: MessageId | None) -> None:
        self._clear()
        self._turns = list(turns)
        start = max(0, len(self._turns) - PAGE)
        if focus_message_id is not None:
            index = next(
                (i for i, t in enumerate(self._turns) if t.node.id == focus_message_id), None
            )
            if index is not None:
                start = min(start, max(0, index - 2))
        self._first_shown = len(self._turns)
        self._add_range(start, len(self._turns))
        self._placeholder.setVisible(not self._turns)
        if focus_message_id is not None and focus_message_id in self._widgets:
            target = self._widgets[focus_message_id]
            self._follow = False
            QTimer.singleShot(0, lambda: self.ensureWidgetVisible(target, 0, 40))
        else:
            self.scroll_to_bottom()

    def begin_streaming(self, message_id: MessageId, initial_text: str) -> None:
        widget = self._widgets.get(message_id)
        if widget is None:
            return
        widget.body.start_stream(initial_text)
        widget.text = initial_text
        widget.set_state(MessageState.STREAMING)
        self._streaming[message_id] = widget

    def append_streaming(self, message_id: MessageId, text: str) -> None:
        widget = self._streaming.get(message_id)
        if widget is None:
            return
        widget.text += text
        widget.body.append(text)

    def end_streaming(self, message_id: MessageId, state: MessageState) -> None:
        widget = self._streaming.pop(message_id, None)
        if widget is not None:
            widget.body.finish_stream()
            widget.set_state(state)

    # ---- paging and scrolling ---------------------------------------------------------------

    @property
    def message_widgets(self) -> list[MessageWidget]:
        return [self._widgets[t.node.id] for t in self._turns if t.node.id in self._widgets]

    def show_earlier(self) -> None:
        start = max(0, self._first_shown - PAGE)
        anchor = self.verticalScrollBar().maximum() - self.verticalScrollBar().value()
        self._add_range(start, self._first_shown)
        self._follow = False
        QTimer.singleShot(
            0,
            lambda: self.verticalScrollBar().setValue(self.verticalScrollBar().maximum() - anchor),
        )

    def scroll_to_bottom(self) -> None:
        self._follow = True
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def at_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - BOTTOM_SLACK

    def _note_position(self, value: int) -> None:
        self._follow = self.at_bottom()
        if value == 0 and self._first_shown > 0 and self.verticalScrollBar().maximum() > 0:
            self.show_earlier()

    def _keep_following(self, _minimum: int, maximum: int) -> None:
        if self._follow:
            self.verticalScrollBar().setValue(maximum)

    # ---- building ---------------------------------------------------------------------------

    def _code_style(self) -> str:
        return "monokai" if self.palette().window().color().lightness() < 128 else "default"

    def _add_range(self, start: int, end: int) -> None:
        style = self._code_style()
        insert_at = 1  # after the "show earlier" button
        for turn in self._turns[start:end]:
            widget = self._make(turn, style)
            if turn.node.message.role is Role.USER:  # a bubble indented from the left
                holder = QWidget()
                row = QVBoxLayout(holder)
                row.setContentsMargins(USER_INDENT, 0, 0, 0)
                row.addWidget(widget)
                widget.destroyed.connect(holder.deleteLater)
                self._layout.insertWidget(insert_at, holder)
            else:
                self._layout.insertWidget(insert_at, widget)
            insert_at += 1
        self._first_shown = start
        self._earlier.setVisible(start > 0)

    def _make(self, turn: TurnView, style: str) -> MessageWidget:
        widget = MessageWidget(turn, style)
        widget.body.show_text(turn.node.message.content)
        widget.edit_requested.connect(self._edit)
        widget.regenerate_requested.connect(self.regenerate_requested)
        widget.continue_requested.connect(self.continue_requested)
        widget.delete_requested.connect(self._confirm_delete)
        widget.alternative_requested.connect(self.alternative_requested)
        self._widgets[turn.node.id] = widget
        return widget

    def _edit(self, message_id: MessageId) -> None:
        widget = self._widgets[message_id]
        text, accepted = QInputDialog.getMultiLineText(
            self,
            "Edit message",
            "The edited message is sent again; the original stays as an alternative.",
            widget.text,
        )
        if accepted and text.strip() and text != widget.text:
            self.edit_submitted.emit(message_id, text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_style()
        super().changeEvent(event)

    def _apply_style(self) -> None:
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        bubble = palette.color(QPalette.ColorRole.AlternateBase)
        code = palette.color(QPalette.ColorRole.Window)
        border = palette.color(QPalette.ColorRole.Mid)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        self.setStyleSheet(
            f"#chatContent {{ background: {base.name()}; }}"
            f"#userMessage {{ background: {bubble.name()}; border-radius: 12px; }}"
            f"#codeBlock {{ background: {code.name()}; border: 1px solid {border.name()};"
            " border-radius: 6px; }"
            "#messageRole { font-weight: bold; }"
            f"#answerStats, #stateMark, #codeLanguage, #leftOutMark {{ color: {muted.name()}; }}"
            f"#emptyConversation {{ color: {muted.name()}; font-size: 15pt; }}"
        )

    def _confirm_delete(self, message_id: MessageId) -> None:
        answer = QMessageBox.question(
            self,
            "Delete message",
            "Delete this message and everything written after it on this branch?",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_requested.emit(message_id)

    def _clear(self) -> None:
        for widget in self._widgets.values():
            widget.deleteLater()
        self._widgets.clear()
        self._streaming.clear()
