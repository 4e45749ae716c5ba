"""One message on screen: a user bubble or a full-width answer, with its actions and marks.

A message is one object for screen readers (a list item named "Mistral, 12:04", whose value is
its text without markup and whose description holds its state and statistics) and one stop for
the keyboard: the keys of `conversation_keys()` act on the focused message, Enter goes inside it,
where Tab moves through its text, code, images and buttons, and Escape comes back out.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAccessible,
    QContextMenuEvent,
    QFocusEvent,
    QKeyEvent,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.core.conversation import AnswerMeta, MessageId, MessageState, TurnView
from app.core.i18n import translate
from app.core.markdown_render import RenderTheme
from app.core.messages import Role
from app.ui.accessibility import announce, expose
from app.ui.document_viewer import document_chips
from app.ui.image_viewer import ImageViewer, thumbnail_row
from app.ui.markdown_widgets import COPIED_FEEDBACK_MS, MarkdownBody, copy_to_clipboard
from app.ui.message_actions import (
    NAVIGATION,
    FocusWatch,
    act_on,
    actions_menu,
    copy_text,
    inner_stops,
    lay_out_actions,
    make_action_buttons,
    paint_focus_frame,
    step_inside,
    tool_result_toggle,
)
from app.ui.message_editor import EditBox
from app.ui.message_text import (
    accessible_description,
    accessible_name,
    describe_call,
    describe_meta,
    speaker,
    state_mark,
)
from app.ui.rich_text import RichText
from app.ui.shortcuts import MessageKey, message_key

CONTINUABLE = {
    MessageState.LENGTH,
    MessageState.CANCELLED,
    MessageState.INTERRUPTED,
    MessageState.ERROR,
}
BUBBLE_SHARE = 0.8  # the widest a user bubble gets, as a share of the row
MEASURED_CHARS = 300  # enough of a line to know that it fills the widest bubble
FOCUS_MARGIN = 4  # room around a message for its focus frame


def muted_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.hide()
    return label


@expose(QAccessible.Role.ListItem)
class MessageWidget(QWidget):
    """A message and its actions. Copy is handled here; everything else is a signal that
    carries the message id. Answers can stream: `begin_stream`, `append`, `end_stream`.
    `navigate_requested(message_id, key)` asks the view to move the focus to another message;
    `focused(message_id)` tells it which message the keyboard is on."""

    edit_submitted = Signal(int, str)
    regenerate_requested = Signal(int)
    continue_requested = Signal(int)
    alternative_requested = Signal(int, int)
    delete_requested = Signal(int)
    navigate_requested = Signal(int, str)
    focused = Signal(int)

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
        names = {Role.USER: "userMessage", Role.ASSISTANT: "answerMessage"}
        self.setObjectName(names.get(self.role, "otherMessage"))
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Tab reaches the conversation, not each
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(*(FOCUS_MARGIN,) * 4)
        self._layout.setSpacing(4)

        self.body = MarkdownBody(theme)
        self.plain_label: QLabel | None = None
        self.bubble: QFrame | None = None
        if self.role is Role.USER:
            self._build_bubble(turn)
        else:
            self._build_full_width(turn)
        self._build_actions()
        FocusWatch(self).watch(inner_stops(self))  # parts other than text, whose frame it draws
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
            inside.addLayout(thumbnail_row(images, self.show_image))
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
        label.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # reached from inside the message
        inside.addWidget(label)
        lines = turn.node.message.content.splitlines() or [""]
        self._longest_line = max(lines, key=len)[:MEASURED_CHARS]
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(bubble)
        self._layout.addLayout(row)
        self.plain_label, self.bubble = label, bubble

    def show_image(self, path: Path, title: str) -> ImageViewer:
        viewer = ImageViewer(path, title, self.window())
        viewer.show()
        return viewer

    def _build_full_width(self, turn: TurnView) -> None:
        message = turn.node.message
        if self.role is Role.TOOL:
            self.result_toggle = tool_result_toggle(message.name or "")
            self.result_toggle.toggled.connect(self._show_result)
            self._layout.addWidget(self.result_toggle)
            if message.images:  # what the tool showed the model, always in sight
                self._layout.addLayout(thumbnail_row(message.images, self.show_image))
        elif self.role is not Role.ASSISTANT:
            title = QLabel(translate("MessageWidget", "System prompt"))
            title.setObjectName("messageTitle")
            self._layout.addWidget(title)
        self._layout.addWidget(self.body)
        if self.role is Role.TOOL:
            self.body.setVisible(False)  # collapsed: a click on the title shows it
        self.writing_label = muted_label("writingMark")
        self.writing_label.setText(translate("MessageWidget", "Writing…"))
        self._layout.addWidget(self.writing_label)
        for call in message.tool_calls:
            call_label = QLabel(describe_call(call))
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
        self.left_out_mark.setText(translate("MessageWidget", "Left out of the context"))
        self.left_out_mark.setToolTip(
            translate(
                "MessageWidget",
                "Left out of what the model reads, so that the conversation fits its context",
            )
        )
        self.action_buttons = actions = make_action_buttons()
        self.previous_button, self.next_button = actions.previous, actions.next
        self.previous_button.clicked.connect(
            lambda: self.alternative_requested.emit(self.message_id, -1)
        )
        self.next_button.clicked.connect(
            lambda: self.alternative_requested.emit(self.message_id, 1)
        )
        self.position_label = QLabel()
        self.position_label.setObjectName("alternativePosition")
        self.copy_button = actions.copy
        self.copy_button.clicked.connect(self.copy)
        self._copy_feedback = QTimer(self)
        self._copy_feedback.setSingleShot(True)
        self._copy_feedback.setInterval(COPIED_FEEDBACK_MS)
        self._copy_feedback.timeout.connect(lambda: self.copy_button.setText(copy_text()))
        self.edit_button = actions.edit
        self.edit_button.clicked.connect(self.start_edit)
        self.regenerate_button = actions.regenerate
        self.regenerate_button.clicked.connect(
            lambda: self.regenerate_requested.emit(self.message_id)
        )
        self.continue_button = actions.continue_
        self.continue_button.clicked.connect(lambda: self.continue_requested.emit(self.message_id))
        self.delete_button = actions.delete
        self.delete_button.clicked.connect(lambda: self.delete_requested.emit(self.message_id))
        lay_out_actions(
            row, actions, self.position_label, self.left_out_mark, user=self.role is Role.USER
        )
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
        self.position_label.setAccessibleName(
            translate("MessageWidget", "Version {number} of {count}").format(
                number=turn.alternative, count=turn.alternatives
            )
        )
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
        self._describe()

    def _describe(self) -> None:
        """Name and description for screen readers (never per streamed piece: they speak
        every change)."""
        name = accessible_name(self.turn.node)
        description = accessible_description(self.turn, streaming=self.streaming)
        if name != self.accessibleName():
            self.setAccessibleName(name)
        if description != self.accessibleDescription():
            self.setAccessibleDescription(description)

    def accessible_value(self) -> str:
        """The message as shown, without markup."""
        if self.role is Role.ASSISTANT:
            calls = [describe_call(call) for call in self.turn.node.message.tool_calls]
            return "\n\n".join(part for part in (self.body.plain_text(), *calls) if part)
        return self.text

    def set_state(self, state: MessageState) -> None:
        mark = state_mark(state)
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
        self._describe()
        announce(
            self,
            translate("MessageWidget", "{speaker} is writing.").format(
                speaker=speaker(self.turn.node)
            ),
        )

    def append(self, delta: str) -> None:
        self.body.append(delta)
        if self.writing_label.isVisible() and self.body.text:
            self.writing_label.hide()

    def end_stream(self, state: MessageState) -> None:
        """The answer is written: screen readers are told it once, whole, with its state."""
        self.body.finish_stream()
        self.set_state(state)
        self._enable_actions()
        self._describe()
        said = translate("MessageWidget", "{speaker} answered: {text}").format(
            speaker=speaker(self.turn.node), text=self.accessible_value()
        )
        mark = state_mark(state)
        announce(self, f"{said}\n{mark}" if mark else said)

    # ---- actions --------------------------------------------------------------------------

    def copy(self) -> None:
        copy_to_clipboard(self.text)
        self.copy_button.setText(translate("MessageWidget", "Copied"))
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

    # ---- the keyboard ---------------------------------------------------------------------

    def _inside(self) -> bool:
        """Whether the keyboard is on a part of the message rather than on the message."""
        focus = QApplication.focusWidget()
        return focus is not None and focus is not self and self.isAncestorOf(focus)

    def event(self, event: QEvent) -> bool:
        """Escape inside a message comes back to it, before the window's Escape (Stop)."""
        override = event.type() == QEvent.Type.ShortcutOverride
        leaves = isinstance(event, QKeyEvent) and message_key(event) is MessageKey.LEAVE
        if override and leaves and self._inside():
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = message_key(event)
        inside = self._inside()
        if key is MessageKey.LEAVE and inside:
            self.setFocus(Qt.FocusReason.OtherFocusReason)
        elif key is not None and not inside and self.act(key):
            return
        else:
            super().keyPressEvent(event)

    def act(self, key: MessageKey) -> bool:
        """Do what `key` means for this message; False when it means nothing here now."""
        if key in NAVIGATION:
            self.navigate_requested.emit(self.message_id, key.value)
            return True
        return act_on(self, self.action_buttons, key, self.plain_label)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        actions_menu(self, self.action_buttons).popup(event.globalPos())

    def focusNextPrevChild(self, next: bool) -> bool:
        """Inside the message Tab goes round its parts; from the message itself, out of the
        conversation (the view decides where)."""
        focus = QApplication.focusWidget()
        if focus is None or not self._inside():
            return super().focusNextPrevChild(next)
        stops = inner_stops(self, self.plain_label)
        if not stops:
            return super().focusNextPrevChild(next)
        step_inside(stops, focus, next)
        return True

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focused.emit(self.message_id)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        focus = QApplication.focusWidget()
        if self.hasFocus() or (self._inside() and not isinstance(focus, RichText)):
            paint_focus_frame(self, None if self.hasFocus() else focus)

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
