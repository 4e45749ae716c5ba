"""Rendered markdown on screen: prose labels, code blocks with a copy button, a message body.

A `MarkdownBody` shows the blocks of one message. Finished prose blocks share a label up to
`MERGE_LIMIT` characters of HTML (so text can be selected across paragraphs); a code block is
a `CodeBlockWidget`. While a message streams only the widget of the open tail block changes,
and a code block changes only in its last chunk.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAccessible, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from app.core.i18n import translate
from app.core.markdown_render import (
    COPY_SCHEME,
    Block,
    CodeBlock,
    CodeSnippet,
    ProseBlock,
    RenderTheme,
)
from app.core.markdown_stream import MarkdownStream, StreamUpdate, render_markdown, renderer_for
from app.ui.accessibility import expose
from app.ui.rich_text import RichText

MERGE_LIMIT = 4000  # characters of HTML that consecutive prose blocks may share one label with
OPENED_SCHEMES = {"http", "https", "mailto"}
COPIED_FEEDBACK_MS = 1500


def copy_to_clipboard(text: str) -> None:
    QGuiApplication.clipboard().setText(text)


def discard(widget: QWidget) -> None:
    """Take a widget off the screen now and delete it when control returns to the loop."""
    widget.hide()
    widget.setParent(None)
    widget.deleteLater()


class RichTextLabel(RichText):
    """Rendered markdown. Web links open in the browser; `copy-code:` links copy code."""

    code_copied = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.link_activated.connect(self.activate_link)
        self._snippets: dict[str, str] = {}

    def set_content(self, html: str, snippets: Iterable[CodeSnippet] = ()) -> None:
        self._snippets = {snippet.key: snippet.code for snippet in snippets}
        self.set_html(html)

    def add_content(self, html: str, snippets: Iterable[CodeSnippet] = ()) -> None:
        self._snippets.update({snippet.key: snippet.code for snippet in snippets})
        self.set_html(self.html + html)

    def activate_link(self, href: str) -> None:
        scheme, _, key = href.partition(":")
        if scheme == COPY_SCHEME:
            code = self._snippets.get(key)
            if code is not None:
                copy_to_clipboard(code)
                self.code_copied.emit(code)
            return
        url = QUrl(href)
        if url.scheme().lower() in OPENED_SCHEMES:
            QDesktopServices.openUrl(url)


def _copy_text() -> str:
    return translate("CodeBlockWidget", "Copy")


@expose(QAccessible.Role.Grouping)
class CodeBlockWidget(QFrame):
    """A highlighted code block: language, a copy button, the code in separately laid-out
    chunks (a long block that grows while streaming re-lays out only its last chunk).
    Screen readers get it as one group named after its language, whose value is the code."""

    def __init__(self, block: CodeBlock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codeBlock")
        self.code = ""
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 8)
        layout.setSpacing(0)
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 2)
        self.language_label = QLabel()
        self.language_label.setObjectName("codeLanguage")
        header.addWidget(self.language_label)
        header.addStretch(1)
        self.copy_button = QToolButton()
        self.copy_button.setObjectName("codeCopy")
        self.copy_button.setText(_copy_text())
        self.copy_button.setToolTip(translate("CodeBlockWidget", "Copy this code"))
        self.copy_button.setAccessibleName(translate("CodeBlockWidget", "Copy code"))
        self.copy_button.setAccessibleDescription(
            translate("CodeBlockWidget", "Copies this code block to the clipboard")
        )
        self.copy_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the message's keys reach it
        self.copy_button.setAutoRaise(True)
        self.copy_button.clicked.connect(self.copy)
        header.addWidget(self.copy_button)
        layout.addLayout(header)
        self._chunks: list[RichTextLabel] = []
        self._feedback = QTimer(self)
        self._feedback.setSingleShot(True)
        self._feedback.setInterval(COPIED_FEEDBACK_MS)
        self._feedback.timeout.connect(lambda: self.copy_button.setText(_copy_text()))
        self.set_block(block)

    @property
    def chunk_labels(self) -> list[RichTextLabel]:
        return list(self._chunks)

    def set_block(self, block: CodeBlock) -> None:
        """Show `block`; only chunks whose HTML changed are laid out again."""
        self.code = block.code
        self.language_label.setText(block.language or translate("CodeBlockWidget", "code"))
        name = (
            translate("CodeBlockWidget", "{language} code").format(language=block.language)
            if block.language
            else translate("CodeBlockWidget", "Code")
        )
        if name != self.accessibleName():
            self.setAccessibleName(name)
        for index, chunk in enumerate(block.chunks):
            if index == len(self._chunks):
                label = RichTextLabel()
                label.setObjectName("codeChunk")
                self._chunks.append(label)
                self._layout.addWidget(label)
            self._chunks[index].set_content(chunk)
        while len(self._chunks) > len(block.chunks):
            discard(self._chunks.pop())

    def accessible_value(self) -> str:
        return self.code

    def copy(self) -> None:
        copy_to_clipboard(self.code)
        self.copy_button.setText(translate("CodeBlockWidget", "Copied"))
        self._feedback.start()


class MarkdownBody(QWidget):
    """The rendered markdown of one message, shown at once or streamed in pieces."""

    def __init__(self, theme: RenderTheme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self._finished: list[QWidget] = []
        self._tail: QWidget | None = None
        self._stream: MarkdownStream | None = None
        self._text = ""

    @property
    def text(self) -> str:
        return self._stream.text if self._stream is not None else self._text

    @property
    def streaming(self) -> bool:
        return self._stream is not None

    @property
    def block_widgets(self) -> list[QWidget]:
        return [*self._finished, *([self._tail] if self._tail is not None else [])]

    def plain_text(self) -> str:
        """The text as shown, without markup: what a screen reader reads."""
        parts = []
        for block in self.block_widgets:
            if isinstance(block, CodeBlockWidget):
                parts.append(block.code)
            elif isinstance(block, RichText):
                parts.append(block.plain_text())
        return "\n\n".join(part for part in parts if part)

    def show_markdown(self, text: str, theme: RenderTheme | None = None) -> None:
        """Show a finished text (its blocks come from the render cache when seen before)."""
        self._theme = theme or self._theme
        self._clear()
        self._text = text
        for block in render_markdown(text, self._theme):
            self._add_finished(block)

    def start_stream(self, text: str = "") -> None:
        self._clear()
        self._stream = MarkdownStream(renderer_for(self._theme))
        self._apply(self._stream.append(text))

    def append(self, delta: str) -> None:
        if self._stream is not None and delta:
            self._apply(self._stream.append(delta))

    def finish_stream(self) -> None:
        stream = self._stream
        if stream is None:
            return
        self._apply(stream.finish())
        self._text = stream.text
        self._stream = None

    def set_theme(self, theme: RenderTheme) -> None:
        """Render again in other colors (a streaming message goes on streaming)."""
        if theme == self._theme:
            return
        self._theme = theme
        if self._stream is None:
            self.show_markdown(self._text)
            return
        text = self._stream.text
        self.start_stream(text)

    # ---- widgets of blocks ----------------------------------------------------------------

    def _apply(self, update: StreamUpdate) -> None:
        for block in update.finished:
            self._add_finished(block)
        self._set_tail(update.tail)

    def _add_finished(self, block: Block) -> None:
        tail, self._tail = self._tail, None
        previous = self._finished[-1] if self._finished else None
        if isinstance(block, ProseBlock):
            if isinstance(previous, RichTextLabel) and (
                len(previous.html) + len(block.html) <= MERGE_LIMIT
            ):
                previous.add_content(block.html, block.snippets)
                if tail is not None:
                    discard(tail)
                return
            if isinstance(tail, RichTextLabel):
                tail.set_content(block.html, block.snippets)
                self._finished.append(tail)
                return
        elif isinstance(tail, CodeBlockWidget):
            tail.set_block(block)
            self._finished.append(tail)
            return
        if tail is not None:
            discard(tail)
        widget = self._widget_for(block)
        self._finished.append(widget)
        self._layout.addWidget(widget)

    def _set_tail(self, block: Block | None) -> None:
        tail = self._tail
        if isinstance(block, ProseBlock) and isinstance(tail, RichTextLabel):
            tail.set_content(block.html, block.snippets)
        elif isinstance(block, CodeBlock) and isinstance(tail, CodeBlockWidget):
            tail.set_block(block)
        else:
            if tail is not None:
                discard(tail)
            self._tail = self._widget_for(block) if block is not None else None
            if self._tail is not None:
                self._layout.addWidget(self._tail)

    def _widget_for(self, block: Block) -> QWidget:
        if isinstance(block, CodeBlock):
            return CodeBlockWidget(block)
        label = RichTextLabel()
        label.set_content(block.html, block.snippets)
        return label

    def _clear(self) -> None:
        for widget in self.block_widgets:
            discard(widget)
        self._finished.clear()
        self._tail = None
        self._stream = None
        self._text = ""
