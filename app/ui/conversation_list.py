"""The conversation list and the search results: their models and how their rows are drawn."""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QTextDocument
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app.core.conversation import ConversationId, ConversationRecord, SearchResult
from app.core.i18n import translate
from app.paths import resource

AnyIndex = QModelIndex | QPersistentModelIndex
PIN_ICON = "icons/pin.svg"


def relative_date(moment: datetime, now: datetime) -> str:
    day_gap = (now.date() - moment.date()).days
    if day_gap <= 0:
        return moment.strftime("%H:%M")
    if day_gap == 1:
        return translate("ConversationList", "Yesterday")
    if day_gap < 7:
        return moment.strftime("%A")
    if moment.year == now.year:
        return moment.strftime("%d %b")
    return moment.strftime("%d %b %Y")


def snippet_html(hit: SearchResult) -> str:
    """The snippet as HTML with its matches marked; everything else escaped."""
    parts: list[str] = []
    cursor = 0
    for start, end in sorted(hit.highlights):
        if start < cursor or end <= start:
            continue
        parts.append(html.escape(hit.snippet[cursor:start]))
        parts.append(f"<b class='hit'>{html.escape(hit.snippet[start:end])}</b>")
        cursor = end
    parts.append(html.escape(hit.snippet[cursor:]))
    return "".join(parts).replace("\n", " ")


# ---- models -------------------------------------------------------------------------------------


class ConversationListModel(QAbstractListModel):
    ItemRole = Qt.ItemDataRole.UserRole + 1
    rename_requested = Signal(int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[ConversationRecord] = []

    def set_items(self, items: list[ConversationRecord]) -> None:
        self.beginResetModel()
        self._items = sorted(items, key=lambda c: (not c.pinned, -c.updated_at.timestamp()))
        self.endResetModel()

    def items(self) -> list[ConversationRecord]:
        return list(self._items)

    def row_of(self, conversation_id: ConversationId) -> int | None:
        for row, item in enumerate(self._items):
            if item.id == conversation_id:
                return row
        return None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return item.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.title
        if role == self.ItemRole:
            return item
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        title = str(value).strip()
        item = self._items[index.row()]
        if title and title != item.title:
            self.rename_requested.emit(item.id, title)
        return False  # the list is refreshed from the store once the rename is saved


class SearchResultsModel(QAbstractListModel):
    HitRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchResult] = []

    def set_hits(self, hits: list[SearchResult]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hits(self) -> list[SearchResult]:
        return list(self._hits)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.snippet
        if role == Qt.ItemDataRole.ToolTipRole:
            return hit.title
        if role == self.HitRole:
            return hit
        return None


# ---- painting -----------------------------------------------------------------------------------


def paint_svg(painter: QPainter, path: str, rect: QRect, color: QColor) -> None:
    """Draw a one-color SVG icon from resources in `color` (its `currentColor`)."""
    svg = resource(path).read_text(encoding="utf-8").replace("currentColor", color.name())
    QSvgRenderer(svg.encode("utf-8")).render(painter, rect.toRectF())


def _paint_background(painter: QPainter, option: QStyleOptionViewItem, widget: QWidget) -> None:
    style = widget.style()
    style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget)


class ConversationDelegate(QStyledItemDelegate):
    """Title on the left (pinned ones marked), the date of the last change on the right."""

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        return QSize(200, QFontMetrics(option.font).height() + 18)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        item = index.data(ConversationListModel.ItemRole)
        if not isinstance(item, ConversationRecord):
            return
        widget = option.widget
        self.initStyleOption(option, index)
        option.text = ""
        _paint_background(painter, option, widget)
        rect: QRect = option.rect.adjusted(10, 0, -10, 0)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_color = palette.highlightedText() if selected else palette.text()
        muted = palette.highlightedText() if selected else palette.placeholderText()
        painter.save()
        date_text = relative_date(item.updated_at, datetime.now())
        small = QFont(option.font)
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.85))
        painter.setFont(small)
        painter.setPen(muted.color())
        date_width = QFontMetrics(small).horizontalAdvance(date_text)
        align = Qt.AlignmentFlag.AlignVCenter
        painter.drawText(rect, align | Qt.AlignmentFlag.AlignRight, date_text)
        title_rect = rect.adjusted(0, 0, -(date_width + 8), 0)
        if item.pinned:
            side = QFontMetrics(small).height()
            icon = QRect(title_rect.left(), title_rect.center().y() - side // 2 + 1, side, side)
            paint_svg(painter, PIN_ICON, icon, muted.color())
            title_rect.setLeft(icon.right() + 6)
        title = item.title
        font = QFont(option.font)
        painter.setFont(font)
        painter.setPen(text_color.color())
        elided = QFontMetrics(font).elidedText(
            title, Qt.TextElideMode.ElideRight, title_rect.width()
        )
        painter.drawText(title_rect, align | Qt.AlignmentFlag.AlignLeft, elided)
        painter.restore()


class SearchResultDelegate(QStyledItemDelegate):
    """The conversation's title, then the matching text with the hits in bold."""

    LINES = 3

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        line = QFontMetrics(option.font).lineSpacing()
        return QSize(200, line * self.LINES + 16)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        hit = index.data(SearchResultsModel.HitRole)
        if not isinstance(hit, SearchResult):
            return
        widget = option.widget
        self.initStyleOption(option, index)
        option.text = ""
        _paint_background(painter, option, widget)
        rect: QRect = option.rect.adjusted(10, 6, -10, -6)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text = (palette.highlightedText() if selected else palette.text()).color().name()
        muted = (palette.highlightedText() if selected else palette.placeholderText()).color()
        accent = palette.highlightedText() if selected else palette.link()
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(0)
        document.setTextWidth(rect.width())
        document.setDefaultStyleSheet(
            f"body {{ color: {text}; }} .title {{ color: {muted.name()}; }} "
            f".hit {{ color: {accent.color().name()}; }}"
        )
        document.setHtml(
            f"<div class='title'>{html.escape(hit.title)}</div><div>{snippet_html(hit)}</div>"
        )
        painter.save()
        painter.translate(rect.topLeft())
        painter.setClipRect(QRect(QPoint(0, 0), rect.size()))
        document.drawContents(painter)
        painter.restore()
