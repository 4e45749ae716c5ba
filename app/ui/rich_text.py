"""A read-only rich text widget that lays its text out once per width.

`QLabel` answers a layout's height-for-width questions by laying its document out again for
every width asked, and nested layouts ask many; with a long conversation that dominates the
time to open it and to stream into it. `RichText` lays its document out when its width or its
text changes, then fixes its own height to the result, so the layouts around it never ask.
It paints the document itself and offers what a reader needs: selection with mouse and
keyboard, copy, select all, and links (emitted, never followed here). Screen readers read it as
static text whose name and value are its plain text; reached by the keyboard it shows a focus
frame.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QAccessible,
    QClipboard,
    QContextMenuEvent,
    QFocusEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QMenu, QSizePolicy, QWidget

from app.core.i18n import translate
from app.core.markdown_render import COPY_SCHEME
from app.ui.accessibility import expose

UNLAID_WIDTH = 480  # the width assumed until a layout gives the widget its own


@expose(QAccessible.Role.StaticText)
class RichText(QWidget):
    """Selectable rich text whose height follows its width. Clicking a link emits
    `link_activated(href)`."""

    link_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = QTextDocument(self)
        self._document.setDocumentMargin(0)
        self._document.setUndoRedoEnabled(False)
        option = self._document.defaultTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self._document.setDefaultTextOption(option)
        self._document.setDefaultFont(self.font())
        self._html = ""
        self._width = -1  # the width the document is laid out for
        self._cursor = QTextCursor(self._document)  # the selection
        self._pressed_link = ""
        self._selecting = False
        self._keyboard_focus = False  # focus came from the keyboard: the frame shows it
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.IBeamCursor)
        self.setFixedHeight(0)

    # ---- content --------------------------------------------------------------------------

    @property
    def html(self) -> str:
        return self._html

    @property
    def document(self) -> QTextDocument:
        return self._document

    def set_html(self, html: str) -> None:
        if html == self._html:
            return
        self._html = html
        self._document.setHtml(html.strip())  # a trailing newline would end in a space
        self._cursor = QTextCursor(self._document)
        if self._width > 0:
            self._fit_height()
        self.update()

    def plain_text(self) -> str:
        return self._document.toPlainText()

    def accessible_value(self) -> str:
        return self.plain_text()

    def selected_text(self) -> str:
        return self._cursor.selection().toPlainText() if self._cursor.hasSelection() else ""

    def select_all(self) -> None:
        self._cursor.select(QTextCursor.SelectionType.Document)
        self.update()

    def copy_selection(self) -> None:
        text = self.selected_text()
        if text:
            QGuiApplication.clipboard().setText(text)

    def link_at(self, position: QPointF) -> str:
        layout = self._document.documentLayout()
        return layout.anchorAt(position) if layout is not None else ""

    # ---- size -----------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(self._width if self._width > 0 else UNLAID_WIDTH, self.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != self._width:
            self._width = event.size().width()
            self._fit_height()

    def _fit_height(self) -> None:
        self._document.setTextWidth(self._width)
        height = math.ceil(self._document.size().height()) if self._html else 0
        if height != self.height():
            self.setFixedHeight(height)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._document.setDefaultFont(self.font())
            if self._width > 0:
                self._fit_height()

    # ---- painting -------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        layout = self._document.documentLayout()
        if layout is None:
            return
        painter = QPainter(self)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette = self.palette()
        context.clip = QRectF(event.rect())
        if self._cursor.hasSelection():
            selection = QAbstractTextDocumentLayout.Selection()
            selection.cursor = self._cursor
            highlight = QTextCharFormat()
            highlight.setBackground(self.palette().brush(QPalette.ColorRole.Highlight))
            highlight.setForeground(self.palette().brush(QPalette.ColorRole.HighlightedText))
            selection.format = highlight
            context.selections = [selection]
        layout.draw(painter, context)
        if self._keyboard_focus and self.hasFocus():
            painter.setPen(self.palette().color(QPalette.ColorRole.Highlight))
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))

    # ---- mouse and keyboard ---------------------------------------------------------------

    def _position_at(self, point: QPointF) -> int:
        layout = self._document.documentLayout()
        hit = layout.hitTest(point, Qt.HitTestAccuracy.FuzzyHit) if layout is not None else -1
        return max(0, hit)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        position = self._position_at(event.position())
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._cursor.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
        else:
            self._cursor.setPosition(position)
        self._pressed_link = self.link_at(event.position())
        self._selecting = True
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        link = self.link_at(event.position())
        self.setCursor(Qt.CursorShape.PointingHandCursor if link else Qt.CursorShape.IBeamCursor)
        self.setToolTip(link if link and not link.startswith(f"{COPY_SCHEME}:") else "")
        if self._selecting and event.buttons() & Qt.MouseButton.LeftButton:
            position = self._position_at(event.position())
            self._cursor.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        self._selecting = False
        link = self.link_at(event.position())
        if link and link == self._pressed_link and not self._cursor.hasSelection():
            self.link_activated.emit(link)
        elif self._cursor.hasSelection():
            clipboard = QGuiApplication.clipboard()
            if clipboard.supportsSelection():
                clipboard.setText(self.selected_text(), QClipboard.Mode.Selection)
        self._pressed_link = ""

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._cursor.setPosition(self._position_at(event.position()))
            self._cursor.select(QTextCursor.SelectionType.WordUnderCursor)
            self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
        elif event.matches(QKeySequence.StandardKey.SelectAll):
            self.select_all()
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._keyboard_focus = event.reason() != Qt.FocusReason.MouseFocusReason
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()
        if event.reason() != Qt.FocusReason.PopupFocusReason and self._cursor.hasSelection():
            self._cursor.clearSelection()
            self.update()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        copy = menu.addAction(translate("RichText", "Copy"), self.copy_selection)
        copy.setEnabled(self._cursor.hasSelection())
        link = self.link_at(QPointF(event.pos()))
        if link and not link.startswith(f"{COPY_SCHEME}:"):
            menu.addAction(
                translate("RichText", "Copy link address"),
                lambda: QGuiApplication.clipboard().setText(link),
            )
        menu.addAction(translate("RichText", "Select all"), self.select_all)
        menu.exec(event.globalPos())
