"""One message on screen: a user bubble or a full-width answer, with its actions and marks."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImageReader, QKeyEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.conversation import AnswerMeta, MessageId, MessageState, TurnView
from app.core.i18n import translate
from app.core.locale_format import format_count, format_number, format_percent
from app.core.markdown_render import RenderTheme
from app.core.messages import ImagePart, Role
from app.ui.document_viewer import document_chips
from app.ui.image_viewer import ClickableThumbnail, ImageViewer
from app.ui.markdown_widgets import COPIED_FEEDBACK_MS, MarkdownBody, copy_to_clipboard

STATE_MARKS = {
    MessageState.CANCELLED: "Stopped",
    MessageState.LENGTH: "Cut off at the length limit",
    MessageState.REPETITION: "Stopped: the model was repeating itself",
    MessageState.ERROR: "The engine failed while writing this answer",
    MessageState.INTERRUPTED: "Interrupted: Tramontane closed while this was written",
}
CONTINUABLE = {
    MessageState.LENGTH,
    MessageState.CANCELLED,
    MessageState.INTERRUPTED,
    MessageState.ERROR,
}
BUBBLE_SHARE = 0.8  # the widest a user bubble gets, as a share of the row
THUMBNAIL_HEIGHT = 96
MEASURED_CHARS = 300  # enough of a line to know that it fills the widest bubble


def describe_meta(meta: AnswerMeta) -> str:
    """The footer of an answer: model and quant, tokens, speed, time to first token."""
    model = " · ".join(part for part in (meta.model_file, meta.quant or "") if part)
    first_token = meta.time_to_first_token_s
    parts = [
        model,
        translate("MessageWidget", "{tokens} tokens").format(
            tokens=format_count(meta.completion_tokens)
        ),
        translate("MessageWidget", "{speed} tokens/s").format(
            speed=format_number(meta.tokens_per_s, 1)
        ),
        translate("MessageWidget", "first token {seconds} s").format(
            seconds=format_number(first_token, 2)
        )
        if first_token
        else "",
        describe_drafts(meta),
    ]
    return "  ·  ".join(part for part in parts if part)


def describe_drafts(meta: AnswerMeta) -> str:
    """How much drafting from the conversation helped, when it was tried."""
    if not meta.draft_tokens:
        return ""
    kept = meta.accepted_tokens / meta.draft_tokens
    return translate("MessageWidget", "{kept} of drafted tokens kept, {speedup}× the speed").format(
        kept=format_percent(kept), speedup=format_number(meta.speculative_speedup, 2)
    )


def action_button(text: str, tip: str, name: str = "messageAction") -> QToolButton:
    button = QToolButton()
    button.setObjectName(name)
    button.setText(text)
    button.setToolTip(tip)
    button.setAccessibleName(tip)
    button.setAutoRaise(True)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


def muted_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.hide()
    return label


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
        self.editor.installEventFilter(self)
        layout.addWidget(self.editor)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancelled)
        self.send_button = QPushButton("Send")
        self.send_button.setDefault(True)
        self.send_button.setToolTip("Send the edited message (Ctrl+Enter); the original stays")
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


class MessageWidget(QWidget):
    """A message and its actions. Copy is handled here; everything else is a signal that
    carries the message id. Answers can stream: `begin_stream`, `append`, `end_stream`."""

    edit_submitted = Signal(int, str)
    regenerate_requested = Signal(int)
    continue_requested = Signal(int)
    alternative_requested = Signal(int, int)
    delete_requested = Signal(int)

    def __init__(
        self,
        turn: TurnView,
        theme: RenderTheme,
        *,
        last: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        node = turn.node
        self.message_id: MessageId = node.id
        self.role = node.message.role
        self.turn = turn
        self._last = last
        self._actions_enabled = True
        self._editor: EditBox | None = None
        self._tool_text = ""
        self._longest_line = ""  # of a user message: the bubble is as wide as it needs
        self.setObjectName(
            {Role.USER: "userMessage", Role.ASSISTANT: "answerMessage"}.get(
                self.role, "otherMessage"
            )
        )
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)

        self.body = MarkdownBody(theme)
        self.plain_label: QLabel | None = None
        self.bubble: QFrame | None = None
        if self.role is Role.USER:
            self._build_bubble(turn)
        else:
            self._build_full_width(turn)
        self._build_actions()
        self.update_turn(turn, last=last)

    # ---- building -------------------------------------------------------------------------

    def _build_bubble(self, turn: TurnView) -> None:
        bubble = QFrame()
        bubble.setObjectName("userBubble")
        bubble.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        inside = QVBoxLayout(bubble)
        self._bubble_layout = inside
        inside.setContentsMargins(14, 10, 14, 10)
        images = turn.node.message.images
        if images:
            inside.addLayout(self._thumbnails(images))
        if turn.node.message.documents:
            inside.addLayout(document_chips(turn.node.message.documents, self))
        label = QLabel(turn.node.message.content)
        label.setObjectName("userText")
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        inside.addWidget(label)
        lines = turn.node.message.content.splitlines() or [""]
        self._longest_line = max(lines, key=len)[:MEASURED_CHARS]
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(bubble)
        self._layout.addLayout(row)
        self.plain_label, self.bubble = label, bubble

    def _thumbnails(self, images: tuple[ImagePart, ...]) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(6)
        for number, image in enumerate(images, start=1):
            title = f"Attached image {number} of {len(images)}"
            thumbnail = ClickableThumbnail("image")
            thumbnail.setObjectName("thumbnail")
            thumbnail.setToolTip("Click to see it at full size")
            thumbnail.setCursor(Qt.CursorShape.PointingHandCursor)
            thumbnail.clicked.connect(lambda p=image.path, t=title: self.show_image(p, t))
            QTimer.singleShot(0, thumbnail, lambda t=thumbnail, p=image: _load_thumbnail(t, p))
            row.addWidget(thumbnail)
        row.addStretch(1)
        return row

    def show_image(self, path: Path, title: str) -> ImageViewer:
        viewer = ImageViewer(path, title, self.window())
        viewer.show()
        return viewer

    def _build_full_width(self, turn: TurnView) -> None:
        message = turn.node.message
        if self.role is Role.TOOL:
            self.result_toggle = QToolButton()
            self.result_toggle.setObjectName("toolResultToggle")
            self.result_toggle.setText(f"Tool result · {message.name or 'tool'}")
            self.result_toggle.setCheckable(True)
            self.result_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            self.result_toggle.setArrowType(Qt.ArrowType.RightArrow)
            self.result_toggle.toggled.connect(self._show_result)
            self._layout.addWidget(self.result_toggle)
            if message.images:  # what the tool showed the model, always in sight
                self._layout.addLayout(self._thumbnails(message.images))
        elif self.role is not Role.ASSISTANT:
            title = QLabel("System prompt")
            title.setObjectName("messageTitle")
            self._layout.addWidget(title)
        self._layout.addWidget(self.body)
        if self.role is Role.TOOL:
            self.body.setVisible(False)  # collapsed: a click on the title shows it
        self.writing_label = muted_label("writingMark")
        self.writing_label.setText("Writing…")
        self._layout.addWidget(self.writing_label)
        for call in message.tool_calls:
            call_label = QLabel(f"Called {call.name} with {call.arguments}")
            call_label.setObjectName("toolCall")
            call_label.setWordWrap(True)
            call_label.setTextFormat(Qt.TextFormat.PlainText)
            self._layout.addWidget(call_label)
        self.state_label = muted_label("stateMark")
        self._layout.addWidget(self.state_label)
        self.footer = muted_label("answerStats")
        self._layout.addWidget(self.footer)
        self._show_body_text(message.content)

    def _show_result(self, shown: bool) -> None:
        self.body.setVisible(shown)
        self.result_toggle.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )

    def _show_body_text(self, text: str) -> None:
        if self.role is Role.TOOL:
            fence = "`" * max(3, _longest_backtick_run(text) + 1)
            self.body.show_markdown(f"{fence}\n{text}\n{fence}")
            self._tool_text = text
        else:
            self.body.show_markdown(text)

    def _build_actions(self) -> None:
        row = QHBoxLayout()
        row.setSpacing(2)
        self.left_out_mark = muted_label("leftOutMark")
        self.left_out_mark.setWordWrap(False)
        self.left_out_mark.setText("Left out of the context")
        self.left_out_mark.setToolTip(
            "Left out of what the model reads, so that the conversation fits its context"
        )
        self.previous_button = action_button("‹", "Previous version", "alternativeButton")
        self.previous_button.clicked.connect(
            lambda: self.alternative_requested.emit(self.message_id, -1)
        )
        self.position_label = QLabel()
        self.position_label.setObjectName("alternativePosition")
        self.next_button = action_button("›", "Next version", "alternativeButton")
        self.next_button.clicked.connect(
            lambda: self.alternative_requested.emit(self.message_id, 1)
        )
        self.copy_button = action_button("Copy", "Copy this message")
        self.copy_button.clicked.connect(self.copy)
        self._copy_feedback = QTimer(self)
        self._copy_feedback.setSingleShot(True)
        self._copy_feedback.setInterval(COPIED_FEEDBACK_MS)
        self._copy_feedback.timeout.connect(lambda: self.copy_button.setText("Copy"))
        self.edit_button = action_button("Edit", "Edit and send again (the original stays)")
        self.edit_button.clicked.connect(self.start_edit)
        self.regenerate_button = action_button("Regenerate", "Write another answer (kept too)")
        self.regenerate_button.clicked.connect(
            lambda: self.regenerate_requested.emit(self.message_id)
        )
        self.continue_button = action_button("Continue", "Continue this answer")
        self.continue_button.clicked.connect(lambda: self.continue_requested.emit(self.message_id))
        self.delete_button = action_button("Delete", "Delete this message and what follows it")
        self.delete_button.clicked.connect(lambda: self.delete_requested.emit(self.message_id))
        alternatives = [self.previous_button, self.position_label, self.next_button]
        if self.role is Role.USER:
            row.addStretch(1)
            row.addWidget(self.left_out_mark)
            widgets = [*alternatives, self.edit_button, self.copy_button, self.delete_button]
        else:
            widgets = [
                self.copy_button,
                self.regenerate_button,
                self.continue_button,
                self.delete_button,
                *alternatives,
            ]
        for widget in widgets:
            row.addWidget(widget)
        if self.role is not Role.USER:
            row.addWidget(self.left_out_mark)
            row.addStretch(1)
        self._layout.addLayout(row)

    # ---- state ----------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The markdown (or plain text) the message holds now, streamed text included."""
        if self.role is Role.USER:
            return self.turn.node.message.content
        if self.role is Role.TOOL:
            return self._tool_text
        return self.body.text

    @property
    def streaming(self) -> bool:
        return self.body.streaming

    def shows_content_of(self, turn: TurnView) -> bool:
        """Whether this widget already shows `turn`'s text (so only its marks need updating)."""
        if turn.node.id != self.message_id or turn.node.message != self.turn.node.message:
            return self.streaming and turn.node.id == self.message_id
        return True

    def update_turn(self, turn: TurnView, *, last: bool) -> None:
        """Show the marks of `turn`: alternatives, state, statistics, left out, last or not."""
        self.turn, self._last = turn, last
        node = turn.node
        several = turn.alternatives > 1
        self.position_label.setText(f"{turn.alternative}/{turn.alternatives}")
        for widget in (self.previous_button, self.position_label, self.next_button):
            widget.setVisible(several)
        self.left_out_mark.setVisible(node.left_out)
        answer = self.role is Role.ASSISTANT
        self.edit_button.setVisible(self.role is Role.USER)
        self.regenerate_button.setVisible(answer and last)
        if self.role is not Role.USER:
            self.set_state(node.state)
            self.set_meta(node.meta if answer else None)
        self._enable_actions()

    def set_state(self, state: MessageState) -> None:
        mark = STATE_MARKS.get(state, "")
        self.state_label.setText(mark)
        self.state_label.setVisible(bool(mark))
        self.state_label.setProperty("error", state is MessageState.ERROR)
        self.state_label.style().polish(self.state_label)
        answer = self.role is Role.ASSISTANT
        self.continue_button.setVisible(answer and self._last and state in CONTINUABLE)
        self.writing_label.setVisible(state is MessageState.STREAMING and not self.body.text)

    def set_meta(self, meta: AnswerMeta | None) -> None:
        self.footer.setText(describe_meta(meta) if meta else "")
        self.footer.setVisible(meta is not None)

    def set_actions_enabled(self, enabled: bool) -> None:
        """Off while an answer is written: edits, regenerating and deleting wait for it."""
        self._actions_enabled = enabled
        self._enable_actions()

    def _enable_actions(self) -> None:
        enabled = self._actions_enabled
        for button in (self.edit_button, self.regenerate_button, self.continue_button):
            button.setEnabled(enabled)
        self.delete_button.setEnabled(enabled and not self.streaming)
        self.previous_button.setEnabled(enabled and self.turn.alternative > 1)
        self.next_button.setEnabled(enabled and self.turn.alternative < self.turn.alternatives)

    def set_theme(self, theme: RenderTheme) -> None:
        self.body.set_theme(theme)

    # ---- streaming ------------------------------------------------------------------------

    def begin_stream(self, text: str) -> None:
        self.body.start_stream(text)
        self.set_state(MessageState.STREAMING)
        self.set_meta(None)
        self._enable_actions()

    def append(self, delta: str) -> None:
        self.body.append(delta)
        if self.writing_label.isVisible() and self.body.text:
            self.writing_label.hide()

    def end_stream(self, state: MessageState) -> None:
        self.body.finish_stream()
        self.set_state(state)
        self._enable_actions()

    # ---- actions --------------------------------------------------------------------------

    def copy(self) -> None:
        copy_to_clipboard(self.text)
        self.copy_button.setText("Copied")
        self._copy_feedback.start()

    def start_edit(self) -> None:
        if self.role is not Role.USER or self._editor is not None or self.bubble is None:
            return
        assert self.plain_label is not None
        editor = EditBox(self.text)
        editor.submitted.connect(self._submit_edit)
        editor.cancelled.connect(self.cancel_edit)
        self.plain_label.hide()
        self._bubble_layout.addWidget(editor)
        self.bubble.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._editor = editor
        editor.editor.setFocus()

    @property
    def edit_box(self) -> EditBox | None:
        """The inline editor while the message is being edited."""
        return self._editor

    def cancel_edit(self) -> None:
        editor, self._editor = self._editor, None
        if editor is None or self.bubble is None or self.plain_label is None:
            return
        editor.hide()
        editor.deleteLater()
        self.plain_label.show()
        self.bubble.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def _submit_edit(self, text: str) -> None:
        changed = text.strip() and text.strip() != self.text.strip()
        self.cancel_edit()
        if changed and self._actions_enabled:
            self.edit_submitted.emit(self.message_id, text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        if self.bubble is not None and self.plain_label is not None:
            widest = max(120, int(event.size().width() * BUBBLE_SHARE))
            self.bubble.setMaximumWidth(widest)
            margins = self.bubble.contentsMargins()
            room = widest - margins.left() - margins.right() - 28
            natural = self.plain_label.fontMetrics().horizontalAdvance(self._longest_line) + 4
            self.plain_label.setMinimumWidth(max(0, min(natural, room)))
        super().resizeEvent(event)


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


def _load_thumbnail(label: QLabel, image: ImagePart) -> None:
    reader = QImageReader(str(image.path))
    size = reader.size()
    if size.isValid() and size.height() > THUMBNAIL_HEIGHT:
        reader.setScaledSize(
            size.scaled(10_000, THUMBNAIL_HEIGHT, Qt.AspectRatioMode.KeepAspectRatio)
        )
    picture = reader.read()
    if picture.isNull():
        label.setText("Image missing")
        return
    label.setPixmap(QPixmap.fromImage(picture))
