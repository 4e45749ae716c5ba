"""One message on screen: role, markdown body, code blocks, actions, alternatives, statistics."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.conversation import AnswerMeta, MessageState, TurnView
from app.core.markdown_stream import Block, MarkdownStream, render_markdown
from app.core.messages import Role

STATE_MARKS = {
    MessageState.CANCELLED: "Stopped",
    MessageState.LENGTH: "Cut off at the length limit",
    MessageState.REPETITION: "Stopped: the model was repeating itself",
    MessageState.ERROR: "The engine failed while writing this answer",
    MessageState.INTERRUPTED: "Interrupted: Tramontane closed while this was written",
}
SEGMENT_BLOCKS = 24
CONTINUABLE = {MessageState.LENGTH, MessageState.CANCELLED, MessageState.INTERRUPTED}


def describe_meta(meta: AnswerMeta) -> str:
    parts = [meta.model_file]
    if meta.quant:
        parts[0] = f"{meta.model_file} · {meta.quant}" if meta.model_file else meta.quant
    parts.append(f"{meta.completion_tokens} tokens")
    parts.append(f"{meta.tokens_per_s:.1f} tokens/s")
    if meta.time_to_first_token_s:
        parts.append(f"first token {meta.time_to_first_token_s:.2f} s")
    return "  ·  ".join(p for p in parts if p)


class ProseLabel(QTextBrowser):
    """Rich text that takes exactly the height of its content.

    Unlike a word-wrapping QLabel, its height is computed once per text or width change and then
    answered from a fixed size, so laying out a long conversation stays cheap while one message
    grows.
    """

    def __init__(self, markup: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setOpenExternalLinks(True)
        self.viewport().setAutoFillBackground(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().setDocumentMargin(0)
        self._width = -1
        self.setText(markup)

    def setText(self, markup: str) -> None:
        self.setHtml(markup)
        self._fit(force=True)

    def text(self) -> str:
        return self.toPlainText()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self, force: bool = False) -> None:
        width = self.viewport().width()
        if width <= 0 or (width == self._width and not force):
            return
        self._width = width
        self.document().setTextWidth(width)
        self.setFixedHeight(int(self.document().size().height()) + 2)


class CodeBlockWidget(QFrame):
    """A highlighted code block with its language and a copy button."""

    def __init__(self, block: Block, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = block.code or ""
        self.setObjectName("codeBlock")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        header = QHBoxLayout()
        language = QLabel(block.language or "code")
        language.setObjectName("codeLanguage")
        header.addWidget(language)
        header.addStretch(1)
        self.copy_button = QToolButton()
        self.copy_button.setText("Copy")
        self.copy_button.setToolTip("Copy this code")
        self.copy_button.clicked.connect(self._copy)
        header.addWidget(self.copy_button)
        layout.addLayout(header)
        self.body = ProseLabel(block.html)
        self.body.setObjectName("codeBody")
        layout.addWidget(self.body)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.code)
        self.copy_button.setText("Copied")


class MessageBody(QWidget):
    """The rendered blocks of a message; while streaming, only the open tail is redrawn."""

    def __init__(self, code_style: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._code_style = code_style
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self._tail: QWidget | None = None
        self._tail_block: Block | None = None
        self._stream: MarkdownStream | None = None
        self._segment: QVBoxLayout | None = None  # where the next finished block goes
        self._segment_size = 0

    def show_text(self, text: str) -> None:
        """A finished message: consecutive prose blocks share one label."""
        prose: list[str] = []
        for block in render_markdown(text, self._code_style):
            if block.code is None:
                prose.append(block.html)
                continue
            if prose:
                self._layout.addWidget(ProseLabel("".join(prose)))
                prose = []
            self._layout.addWidget(CodeBlockWidget(block))
        if prose:
            self._layout.addWidget(ProseLabel("".join(prose)))

    def start_stream(self, text: str) -> None:
        self.clear()
        self._stream = MarkdownStream(self._code_style)
        self.append(text)

    def clear(self) -> None:
        while (item := self._layout.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                _discard(widget)
        self._tail = self._tail_block = self._segment = None
        self._segment_size = 0

    def append(self, text: str) -> None:
        stream = self._stream
        if stream is None:
            return
        for block in stream.append(text):
            self._insert(self._widget_for(block))
        self._set_tail(stream.tail())

    def finish_stream(self) -> None:
        self._stream = None

    def _widget_for(self, block: Block) -> QWidget:
        return CodeBlockWidget(block) if block.code is not None else ProseLabel(block.html)

    def _insert(self, widget: QWidget) -> None:
        """Finished blocks go into segments of SEGMENT_BLOCKS, so a growing tail re-lays out
        a few segments (whose size Qt caches), not every block of a long answer."""
        if self._segment is None or self._segment_size >= SEGMENT_BLOCKS:
            holder = QWidget()
            self._segment = QVBoxLayout(holder)
            self._segment.setContentsMargins(0, 0, 0, 0)
            self._segment.setSpacing(self._layout.spacing())
            self._segment_size = 0
            index = self._layout.count() - (1 if self._tail is not None else 0)
            self._layout.insertWidget(index, holder)
        self._segment.addWidget(widget)
        self._segment_size += 1

    def _set_tail(self, block: Block | None) -> None:
        if block is None:
            if self._tail is not None:
                _discard(self._tail)
                self._tail = None
            return
        kind_changed = self._tail_block is None or (block.code is None) != (
            self._tail_block.code is None
        )
        self._tail_block = block
        if self._tail is not None and not kind_changed:
            if isinstance(self._tail, CodeBlockWidget):
                self._tail.body.setText(block.html)
                self._tail.code = block.code or ""
            elif isinstance(self._tail, ProseLabel):
                self._tail.setText(block.html)
            return
        if self._tail is not None:
            _discard(self._tail)
        self._tail = self._widget_for(block)
        self._layout.addWidget(self._tail)


def _discard(widget: QWidget) -> None:
    """Take a widget off the screen now; Qt frees it once control is back in the event loop."""
    widget.hide()
    widget.setParent(None)
    widget.deleteLater()


class MessageWidget(QFrame):
    copy_requested = Signal(int)
    edit_requested = Signal(int)
    regenerate_requested = Signal(int)
    continue_requested = Signal(int)
    alternative_requested = Signal(int, int)
    delete_requested = Signal(int)

    def __init__(self, turn: TurnView, code_style: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        node = turn.node
        self.message_id = node.id
        self.role = node.message.role
        self.text = node.message.content
        self.setObjectName("userMessage" if self.role is Role.USER else "answerMessage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)

        header = QHBoxLayout()
        title = QLabel(
            {Role.USER: "You", Role.ASSISTANT: "Mistral", Role.TOOL: "Tool"}.get(
                self.role, "System"
            )
        )
        title.setObjectName("messageRole")
        header.addWidget(title)
        if turn.alternatives > 1:
            header.addWidget(
                self._button(
                    "‹",
                    "Previous version",
                    lambda: self.alternative_requested.emit(self.message_id, -1),
                )
            )
            position = QLabel(f"{turn.alternative}/{turn.alternatives}")
            position.setObjectName("alternativePosition")
            header.addWidget(position)
            header.addWidget(
                self._button(
                    "›", "Next version", lambda: self.alternative_requested.emit(self.message_id, 1)
                )
            )
        header.addStretch(1)
        if node.left_out:
            left_out = QLabel("Left out of the context")
            left_out.setObjectName("leftOutMark")
            header.addWidget(left_out)
        self.copy_button = self._button("Copy", "Copy this message", self._copy)
        header.addWidget(self.copy_button)
        if self.role is Role.USER:
            header.addWidget(
                self._button(
                    "Edit",
                    "Edit and resend (keeps the original as an alternative)",
                    lambda: self.edit_requested.emit(self.message_id),
                )
            )
        elif self.role is Role.ASSISTANT:
            self.continue_button = self._button(
                "Continue",
                "Continue this answer",
                lambda: self.continue_requested.emit(self.message_id),
            )
            self.continue_button.setVisible(node.state in CONTINUABLE)
            header.addWidget(self.continue_button)
            header.addWidget(
                self._button(
                    "Regenerate",
                    "Write another answer (keeps this one)",
                    lambda: self.regenerate_requested.emit(self.message_id),
                )
            )
        header.addWidget(
            self._button(
                "Delete",
                "Delete this message and what follows it",
                lambda: self.delete_requested.emit(self.message_id),
            )
        )
        layout.addLayout(header)

        self.body = MessageBody(code_style)
        layout.addWidget(self.body)
        self.state_label = QLabel()
        self.state_label.setObjectName("stateMark")
        layout.addWidget(self.state_label)
        self.footer = QLabel()
        self.footer.setObjectName("answerStats")
        layout.addWidget(self.footer)
        self.set_state(node.state)
        self.set_meta(node.meta if self.role is Role.ASSISTANT else None)

    def _button(self, text: str, tip: str, slot: object) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text)

    def set_state(self, state: MessageState) -> None:
        mark = STATE_MARKS.get(state, "")
        self.state_label.setText(mark)
        self.state_label.setVisible(bool(mark))
        if self.role is Role.ASSISTANT:
            self.continue_button.setVisible(state in CONTINUABLE)

    def set_meta(self, meta: AnswerMeta | None) -> None:
        self.footer.setText(describe_meta(meta) if meta else "")
        self.footer.setVisible(meta is not None)
