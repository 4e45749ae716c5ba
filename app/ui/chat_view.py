"""The conversation on screen: one widget per message, built only where the user looks.

Opening a conversation builds its newest messages (about a screen: `INITIAL_CHARS` characters);
earlier ones are built a screen at a time, in steps of a few milliseconds, as the user scrolls
towards them, so opening costs the same for ten messages or a thousand. Each message's markdown
is rendered once and cached; a streaming answer re-renders only its open block. Reloading the
same conversation (after each answer) keeps every widget whose message did not change.

For the keyboard the conversation is one stop between the conversation list and the message
field: Tab lands on the message last read (else the newest), the arrow keys move between
messages (building those not built yet), and Tab again goes on to the message field.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAccessible, QFocusEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QMessageBox,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.code_highlight import COMMON_LANGUAGES, prepare_lexer
from app.core.conversation import MessageId, MessageState, TurnView
from app.core.i18n import translate
from app.ui.accessibility import expose
from app.ui.chat_style import render_theme, style_sheet
from app.ui.markdown_widgets import discard
from app.ui.message_widget import MessageWidget
from app.ui.shortcuts import MessageKey
from app.ui.tab_order import focus_outside

MAX_COLUMN = 880  # the widest the conversation column gets, in pixels
SIDE_MARGIN = 20
INITIAL_CHARS = 3000  # characters of the newest messages built at once (about a screen)
STEP_CHARS = 3000  # characters of messages built per step while the user scrolls
STEP_SECONDS = 0.008  # the most one building step may take before the event loop runs again
REBUILD_LIMIT = 40  # changed messages rebuilt in place; more and the view starts afresh
FOCUS_BEFORE = 2  # messages shown above a message jumped to
FOCUS_OFFSET = 16  # pixels between the top of the screen and a message jumped to
BOTTOM_SLACK = 24  # pixels from the end that still count as "at the bottom"
PREPARE_DELAY_MS = 300  # after the view first shows, code highlighting is prepared while idle


@expose(QAccessible.Role.List)
class MessageList(QWidget):
    """The column of messages: a list for screen readers, each message one of its items."""


class ChatView(QScrollArea):
    """The messages of one conversation, driven by the chat controller.

    Showing and streaming:
      - `show_turns(turns, focus_message_id)`: show these messages (the active path). Calling
        it again with the same conversation keeps the widgets of unchanged messages and the
        scroll position; `focus_message_id` scrolls to that message (a search hit).
      - `begin_streaming(message_id, initial_text)`, `append_streaming(message_id, text)`,
        `end_streaming(message_id, state)`: an answer being written (text is appended in
        coalesced pieces; `initial_text` is the text already there when continuing). While
        one streams, the actions that would start another answer are disabled.
    Scrolling: new text scrolls the view only while it is at the bottom;
      `scroll_to_bottom()`, `at_bottom()`.
    Looks: `set_font_point_size(points)`, `font_point_size()`; colors follow the palette
      (light and dark) when it changes.
    Signals, each with the id of the message acted on (copying is done here):
      `edit_submitted(message_id, text)`, `regenerate_requested(message_id)`,
      `continue_requested(message_id)`, `alternative_requested(message_id, step)` with step
      -1 or +1, `delete_requested(message_id)` (after the user confirmed: the message and
      what follows it on its branch).
    Regenerate and Continue are offered on the last answer only; Continue only when it was
    cut off, stopped, interrupted or failed.
    For tests and tools: `message_widget(message_id)`, `message_widgets`, `built_range`.
    """

    edit_submitted = Signal(int, str)
    regenerate_requested = Signal(int)
    continue_requested = Signal(int)
    alternative_requested = Signal(int, int)
    delete_requested = Signal(int)

    _lexers_prepared = False  # once per program

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatView")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(translate("ChatView", "Conversation"))
        self.setAccessibleDescription(
            translate(
                "ChatView",
                "Up and Down move between messages; Enter goes into a message; F1 lists the keys",
            )
        )
        self._content = MessageList()
        self._content.setObjectName("chatContent")
        self._content.setAccessibleName(translate("ChatView", "Messages"))
        self._layout = QVBoxLayout(self._content)
        self._layout.setSpacing(18)
        self._placeholder = QLabel(translate("ChatView", "Ask Mistral anything."))
        self._placeholder.setObjectName("emptyConversation")
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._placeholder.setMinimumHeight(200)
        self._layout.addWidget(self._placeholder)
        self._layout.addStretch(1)
        self.setWidget(self._content)

        self._turns: list[TurnView] = []
        self._index: dict[MessageId, int] = {}
        self._rows: list[MessageWidget] = []  # built messages, turns[lo:hi], in order
        self._widgets: dict[MessageId, MessageWidget] = {}
        self._lo = self._hi = 0
        self._streaming_id: MessageId | None = None
        self._current: MessageId | None = None  # the message the keyboard was last on
        self._follow = True
        self._pin: tuple[MessageWidget, int] | None = None  # a message kept at a screen offset
        self._font_points: float | None = None
        self._adjusting = False
        self._fill_pending = False
        self._styling = False

        self._jump = QToolButton(self)
        self._jump.setObjectName("jumpToBottom")
        self._jump.setText("↓")
        self._jump.setToolTip(translate("ChatView", "Scroll to the newest message"))
        self._jump.setAccessibleName(translate("ChatView", "Newest message"))
        self._jump.setAccessibleDescription(translate("ChatView", "Scroll to the newest message"))
        self._jump.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # End does it from the keyboard
        self._jump.clicked.connect(self.scroll_to_bottom)
        self._jump.hide()

        self._theme = render_theme(self.palette())
        self._apply_style()
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(self._on_range_changed)
        bar.valueChanged.connect(self._on_value_changed)

    # ---- what the controllers call ----------------------------------------------------------

    def show_turns(
        self, turns: Sequence[TurnView], focus_message_id: MessageId | None = None
    ) -> None:
        self._turns = list(turns)
        self._index = {turn.node.id: i for i, turn in enumerate(self._turns)}
        count = len(self._turns)
        kept = sorted(self._index[i] for i in self._widgets if i in self._index)
        focus = self._index.get(focus_message_id) if focus_message_id is not None else None
        fresh = False
        if focus is not None:
            lo = max(0, focus - FOCUS_BEFORE)
            hi = self._end_of_budget(focus, INITIAL_CHARS)
            if self._streaming_id in self._index:
                hi = count
        elif kept and self._changed_between(kept[0], count) <= REBUILD_LIMIT:
            lo, hi = kept[0], count
        else:
            lo, hi, fresh = self._start_of_budget(count, INITIAL_CHARS), count, True
        had_focus = self._holds_focus()
        self._rebuild(lo, hi)
        self._placeholder.setVisible(not self._turns)
        if had_focus and not self._holds_focus() and self._turns:  # its message was replaced
            current = self._current if self._current in self._index else None
            self.focus_message(current if current is not None else self._turns[-1].node.id)
        if focus is not None:
            self._follow = False
            self._pin = (self._widgets[self._turns[focus].node.id], FOCUS_OFFSET)
            self._restore_position()
        elif fresh:
            self.scroll_to_bottom()

    def begin_streaming(self, message_id: MessageId, initial_text: str) -> None:
        index = self._index.get(message_id)
        if index is None:
            return
        if message_id not in self._widgets:  # the answer is below what is built: build to it
            self._rebuild(self._lo, len(self._turns))
        self._streaming_id = message_id
        self._widgets[message_id].begin_stream(initial_text)
        self._set_busy(True)

    def append_streaming(self, message_id: MessageId, text: str) -> None:
        if message_id == self._streaming_id:
            self._widgets[message_id].append(text)

    def end_streaming(self, message_id: MessageId, state: MessageState) -> None:
        if message_id != self._streaming_id:
            return
        self._streaming_id = None
        self._widgets[message_id].end_stream(state)
        self._set_busy(False)

    # ---- looks ----------------------------------------------------------------------------

    def set_font_point_size(self, points: float) -> None:
        """The size of the conversation's text (its own: the rest of the window keeps its)."""
        self._font_points = points
        self._apply_style()

    def font_point_size(self) -> float:
        return self._font_points or self.font().pointSizeF()

    # ---- reading the view -----------------------------------------------------------------

    def message_widget(self, message_id: MessageId) -> MessageWidget | None:
        return self._widgets.get(message_id)

    @property
    def message_widgets(self) -> list[MessageWidget]:
        """The messages built now, top to bottom."""
        return list(self._rows)

    @property
    def built_range(self) -> tuple[int, int]:
        """Indices [first, end) of the turns that have widgets."""
        return self._lo, self._hi

    # ---- scrolling ------------------------------------------------------------------------

    def at_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - BOTTOM_SLACK

    def scroll_to_bottom(self) -> None:
        if self._hi < len(self._turns):
            self._rebuild(self._lo, len(self._turns))
        self._follow = True
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _restore_position(self) -> None:
        """Stay at the bottom when following, else keep the pinned message where it was."""
        bar = self.verticalScrollBar()
        self._adjusting = True
        if self._follow:
            bar.setValue(bar.maximum())
        elif self._pin is not None and self._pin[0] in self._rows:
            widget, offset = self._pin
            bar.setValue(widget.y() - offset)
        self._adjusting = False

    def _pin_visible(self) -> None:
        """Remember which message is at the top of the screen, and where."""
        value = self.verticalScrollBar().value()
        self._pin = next(
            ((w, w.y() - value) for w in self._rows if w.y() + w.height() > value), None
        )

    def _on_range_changed(self, _minimum: int, _maximum: int) -> None:
        self._restore_position()  # layout above or below the screen changed: hold the view
        self._after_scroll()

    def _on_value_changed(self, _value: int) -> None:
        if not self._adjusting:  # the user scrolled
            self._follow = self.at_bottom() and self._hi == len(self._turns)
            if not self._follow:
                self._pin_visible()
        self._after_scroll()

    def _after_scroll(self) -> None:
        self._jump.setVisible(bool(self._turns) and not (self.at_bottom() and self._follow))
        self._schedule_fill()

    def _schedule_fill(self) -> None:
        if not self._fill_pending:
            self._fill_pending = True
            QTimer.singleShot(0, self, self._fill)

    def _fill(self) -> None:
        """Build messages the user is scrolling towards, for at most STEP_SECONDS."""
        self._fill_pending = False
        if not self.isVisible():
            return
        bar = self.verticalScrollBar()
        screen = self.viewport().height()
        deadline = time.perf_counter() + STEP_SECONDS
        if self._lo > 0 and bar.value() < screen:
            self._build_step(at_top=True, deadline=deadline)
            self._schedule_fill()
        elif self._hi < len(self._turns) and bar.maximum() - bar.value() < screen:
            self._build_step(at_top=False, deadline=deadline)
            self._schedule_fill()

    def _build_step(self, *, at_top: bool, deadline: float) -> None:
        """Build messages just above (or below) the built ones: STEP_CHARS or the deadline."""
        count, total = len(self._turns), 0
        while total < STEP_CHARS and time.perf_counter() < deadline:
            if at_top and self._lo > 0:
                self._lo -= 1
                index, position = self._lo, 0
            elif not at_top and self._hi < count:
                index, position = self._hi, len(self._rows)
                self._hi += 1
            else:
                return
            turn = self._turns[index]
            widget = self._make(turn, last=index == count - 1)
            self._widgets[widget.message_id] = widget
            self._rows.insert(position, widget)
            self._layout.insertWidget(1 + position, widget)
            total += len(turn.node.message.content)

    # ---- building -------------------------------------------------------------------------

    def _start_of_budget(self, end: int, chars: int) -> int:
        """The first index of the messages before `end` that make up about `chars` characters."""
        start, total = end, 0
        while start > 0 and (total < chars or start == end):
            start -= 1
            total += len(self._turns[start].node.message.content)
        return start

    def _end_of_budget(self, start: int, chars: int) -> int:
        end, total = start, 0
        while end < len(self._turns) and (total < chars or end == start):
            total += len(self._turns[end].node.message.content)
            end += 1
        return end

    def _changed_between(self, lo: int, hi: int) -> int:
        changed = 0
        for turn in self._turns[lo:hi]:
            widget = self._widgets.get(turn.node.id)
            changed += widget is None or not widget.shows_content_of(turn)
        return changed

    def _rebuild(self, lo: int, hi: int) -> None:
        """Make the widgets of turns[lo:hi] (reusing unchanged ones) and lay them out."""
        count = len(self._turns)
        old = self._widgets
        rows: list[MessageWidget] = []
        for index in range(lo, hi):
            turn = self._turns[index]
            widget = old.pop(turn.node.id, None)
            if widget is not None and widget.shows_content_of(turn):
                widget.update_turn(turn, last=index == count - 1)
            else:
                if widget is not None:
                    self._forget(widget)
                widget = self._make(turn, last=index == count - 1)
            rows.append(widget)
        for widget in old.values():
            self._forget(widget)
        self._widgets = {widget.message_id: widget for widget in rows}
        self._place(rows)
        self._lo, self._hi = lo, hi

    def _place(self, rows: list[MessageWidget]) -> None:
        """Put `rows` in the layout in order, moving as few widgets as possible."""
        wanted = {id(widget) for widget in rows}
        order = [widget for widget in self._rows if id(widget) in wanted]
        for position, widget in enumerate(rows):
            if position < len(order) and order[position] is widget:
                continue
            if widget in order:
                order.remove(widget)
                self._layout.removeWidget(widget)
            self._layout.insertWidget(1 + position, widget)  # after the placeholder
            order.insert(position, widget)
        self._rows = rows

    def _make(self, turn: TurnView, *, last: bool) -> MessageWidget:
        widget = MessageWidget(turn, self._theme, last=last)
        widget.set_actions_enabled(self._streaming_id is None)
        widget.edit_submitted.connect(self.edit_submitted)
        widget.regenerate_requested.connect(self.regenerate_requested)
        widget.continue_requested.connect(self.continue_requested)
        widget.alternative_requested.connect(self.alternative_requested)
        widget.delete_requested.connect(self._confirm_delete)
        widget.navigate_requested.connect(self._navigate)
        widget.focused.connect(self._remember_current)
        return widget

    def _confirm_delete(self, message_id: MessageId) -> None:
        answer = QMessageBox.question(
            self,
            translate("ChatView", "Delete message"),
            translate(
                "ChatView", "Delete this message and everything written after it on this branch?"
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_requested.emit(message_id)

    def _forget(self, widget: MessageWidget) -> None:
        if widget.message_id == self._streaming_id:
            self._streaming_id = None
            self._set_busy(False)
        discard(widget)

    def _set_busy(self, busy: bool) -> None:
        for widget in self._rows:
            widget.set_actions_enabled(not busy)

    # ---- the keyboard ---------------------------------------------------------------------

    def focus_message(self, message_id: MessageId) -> MessageWidget | None:
        """Give the keyboard focus to a message (built first if it is not) and show it."""
        index = self._index.get(message_id)
        if index is None:
            return None
        if index < self._lo or index >= self._hi:
            self._rebuild(min(index, self._lo), max(index + 1, self._hi))
        widget = self._widgets[message_id]
        if not widget.isVisible():
            widget.show()  # built just now, its showing still queued: focus needs it shown
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        self.ensureWidgetVisible(widget, 0, FOCUS_OFFSET)
        return widget

    def _navigate(self, message_id: MessageId, key: str) -> None:
        index = self._index.get(message_id)
        if index is None or not self._turns:
            return
        target = {
            MessageKey.PREVIOUS: index - 1,
            MessageKey.NEXT: index + 1,
            MessageKey.FIRST: 0,
            MessageKey.LAST: len(self._turns) - 1,
        }.get(MessageKey(key), index)
        target = max(0, min(len(self._turns) - 1, target))
        self.focus_message(self._turns[target].node.id)

    def _holds_focus(self) -> bool:
        focus = QApplication.focusWidget()
        return focus is not None and (focus is self or self.isAncestorOf(focus))

    def _remember_current(self, message_id: MessageId) -> None:
        self._current = message_id

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Tab lands on the message last read, else on the newest one."""
        super().focusInEvent(event)
        if not self._turns:
            return
        current = self._current if self._current in self._index else None
        self.focus_message(current if current is not None else self._turns[-1].node.id)

    def focusNextPrevChild(self, next: bool) -> bool:
        """From the conversation Tab goes on to the next control of the window outside it (the
        message field), Shift+Tab back to the one before it (the conversation list)."""
        return focus_outside(self, forward=next)

    # ---- Qt events ------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width = self.viewport().width()
        side = max(SIDE_MARGIN, (width - MAX_COLUMN) // 2)
        self._layout.setContentsMargins(side, 16, side, 24)
        hint = self._jump.sizeHint()
        self._jump.move(
            self.viewport().x() + width - hint.width() - 16,
            self.viewport().y() + self.viewport().height() - hint.height() - 16,
        )
        self._schedule_fill()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._schedule_fill()
        if not ChatView._lexers_prepared:
            ChatView._lexers_prepared = True
            QTimer.singleShot(PREPARE_DELAY_MS, self, lambda: self._prepare_lexers(0))

    def _prepare_lexers(self, index: int) -> None:
        """While idle after the window shows, one language per turn of the event loop."""
        if index < len(COMMON_LANGUAGES):
            prepare_lexer(COMMON_LANGUAGES[index])
            QTimer.singleShot(0, self, lambda: self._prepare_lexers(index + 1))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and not self._styling:
            self._apply_style()

    def _apply_style(self) -> None:
        self._styling = True
        theme = render_theme(self.palette())
        sheet = style_sheet(self.palette(), theme, self.font_point_size())
        if self._font_points is not None:  # style sheets, not fonts, reach every child here
            sheet = f"QWidget {{ font-size: {self._font_points:g}pt; }}\n{sheet}"
        self.setStyleSheet(sheet)
        if theme != self._theme:
            self._theme = theme
            for widget in self._rows:
                widget.set_theme(theme)
        self._styling = False
