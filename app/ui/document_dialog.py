"""Choosing how a document goes into the message, with what each part costs in tokens.

A PDF: one row per page, each going in as text, as an image or left out, with why it was
suggested and its tokens; a text file: the range of lines. The total is checked against the
context left (and the images against the model's limit) before the document can be attached.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.media.documents import (
    DocumentBlock,
    PageMode,
    PdfDocument,
    TextFile,
    page_cost,
    pdf_block,
    pdf_frame,
    text_block,
)

Count = Callable[[str], int]  # the tokens of a text
_MODES = (PageMode.TEXT, PageMode.IMAGE, PageMode.LEFT_OUT)


class _Budget(QLabel):
    """The total against the context left, and whether it fits."""

    def __init__(self, room: int | None, exact: bool, parent: QWidget) -> None:
        super().__init__(parent)
        self.room = room
        self.exact = exact

    def show_total(self, tokens: int, problem: str | None = None, images: int = 0) -> bool:
        about = "" if self.exact else "about "
        pictures = f" ({images} as images)" if images else ""
        text = f"Total: {about}{tokens:,} tokens{pictures}"
        if self.room is not None:
            text += f" of {self.room:,} left in the context"
            if tokens > self.room:
                problem = problem or "too large for the context left; leave out pages or lines"
        if not self.exact:
            text += " (estimated: load a model to count exactly)"
        if problem:
            text += f"\n{problem[0].upper()}{problem[1:]}."
        self.setText(text)
        self.setProperty("problem", bool(problem))
        return problem is None


class PdfPagesDialog(QDialog):
    def __init__(
        self,
        document: PdfDocument,
        count: Count,
        *,
        exact: bool,
        room: int | None,
        image_room: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Attach {document.name}")
        self.document = document
        self._count = count
        self._image_room = image_room
        self._costs = {
            (page.number, mode): page_cost(page, mode, count)
            for page in document.pages
            for mode in (PageMode.TEXT, PageMode.IMAGE)
        }
        self.table = QTableWidget(len(document.pages), 4, self)
        self.table.setHorizontalHeaderLabels(["Page", "Goes in as", "Why", "Tokens"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.combos: list[QComboBox] = []
        for row, page in enumerate(document.pages):
            self.table.setItem(row, 0, _cell(str(page.number)))
            combo = QComboBox(self.table)
            combo.addItems([str(mode) for mode in _MODES])
            combo.setCurrentIndex(_MODES.index(page.suggested))
            combo.currentIndexChanged.connect(self._update)
            self.table.setCellWidget(row, 1, combo)
            self.combos.append(combo)
            self.table.setItem(row, 2, _cell(page.reason))
            self.table.setItem(row, 3, _cell(""))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.currentCellChanged.connect(self._preview_row)
        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.budget = _Budget(room, exact, self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Attach")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.preview)
        splitter.setSizes([360, 540])
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Pages with a usable text layer go in as text; scans, figures and pages whose "
                "text layer is missing or garbled go in as images. Switch any page, or leave it "
                "out.",
                self,
                wordWrap=True,
            )
        )
        layout.addWidget(splitter, 1)
        layout.addWidget(self.budget)
        layout.addWidget(self.buttons)
        self.resize(900, 560)
        self._update()
        self.table.setCurrentCell(0, 0)

    def modes(self) -> list[PageMode]:
        return [_MODES[combo.currentIndex()] for combo in self.combos]

    def set_mode(self, page_number: int, mode: PageMode) -> None:
        self.combos[page_number - 1].setCurrentIndex(_MODES.index(mode))

    def block(self) -> DocumentBlock:
        return pdf_block(self.document, self.modes())

    def image_pages(self) -> list[int]:
        """The 0-based pages that go in as images."""
        return [i for i, mode in enumerate(self.modes()) if mode is PageMode.IMAGE]

    def total(self) -> int:
        """The tokens of the block and the images, as the engine will count them."""
        chosen = [
            (p, m) for p, m in zip(self.document.pages, self.modes(), strict=True)
            if m is not PageMode.LEFT_OUT
        ]  # fmt: skip
        if not chosen:
            return 0
        frame = self._count(pdf_frame(self.document, [p.number for p, _ in chosen]))
        return frame + sum(self._costs[(p.number, m)] for p, m in chosen)

    def _update(self) -> None:
        for row, (page, mode) in enumerate(zip(self.document.pages, self.modes(), strict=True)):
            cost = "" if mode is PageMode.LEFT_OUT else f"{self._costs[(page.number, mode)]:,}"
            item = self.table.item(row, 3)
            if item is not None:
                item.setText(cost)
        images = len(self.image_pages())
        problem = None
        if not any(mode is not PageMode.LEFT_OUT for mode in self.modes()):
            problem = "no page is chosen"
        elif images > self._image_room:
            took = (
                "the model loaded cannot see images, or the message holds its 10 already"
                if self._image_room == 0
                else f"the message takes {self._image_room} more (the model's limit)"
            )
            problem = (
                f"{images} pages go in as images but {took}; switch some to text or leave them out"
            )
        fits = self.budget.show_total(self.total(), problem, images)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(fits)

    def _preview_row(self, row: int, *_: int) -> None:
        if 0 <= row < len(self.document.pages):
            page = self.document.pages[row]
            self.preview.setPlainText(page.text or f"(page {page.number} has no text layer)")


class TextLinesDialog(QDialog):
    """A text file too large to take whole without asking: which lines go in."""

    def __init__(
        self,
        file: TextFile,
        count: Count,
        *,
        exact: bool,
        room: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Attach {file.name}")
        self.file = file
        self._count = count
        lines = max(len(file.lines), 1)
        self.first = QSpinBox(self, minimum=1, maximum=lines, value=1)
        self.last = QSpinBox(self, minimum=1, maximum=lines, value=lines)
        self.first.valueChanged.connect(self._update)
        self.last.valueChanged.connect(self._update)
        self.budget = _Budget(room, exact, self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Attach")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("From line", self.first)
        form.addRow("To line", self.last)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(f"{file.name}: {lines:,} lines, {file.encoding}.", self, wordWrap=True)
        )
        layout.addLayout(form)
        layout.addWidget(self.budget)
        layout.addWidget(self.buttons)
        self._update()

    def block(self) -> DocumentBlock:
        return text_block(self.file, self.first.value(), self.last.value())

    def total(self) -> int:
        return sum(self._count(piece) for piece in self.block().pieces)

    def _update(self) -> None:
        ordered = self.first.value() <= self.last.value()
        problem = None if ordered else "the first line comes after the last"
        fits = self.budget.show_total(self.total() if ordered else 0, problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(fits)


def _cell(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item
