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

from app.core.i18n import tr, translate
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


def _mode_names() -> list[str]:
    return [
        translate("DocumentDialog", "text"),
        translate("DocumentDialog", "image"),
        translate("DocumentDialog", "left out"),
    ]


def _tokens_phrase(tokens: int, images: int) -> str:
    """ "1,234 tokens", with how many pages go in as images."""
    if images:
        return tr("{tokens} tokens (%n as image(s))", None, images).format(tokens=f"{tokens:,}")
    return translate("DocumentDialog", "{tokens} tokens").format(tokens=f"{tokens:,}")


def _total_sentence(total: str, room: int | None, exact: bool) -> str:
    if room is None:
        sentence = (
            translate("DocumentDialog", "Total: {total}")
            if exact
            else translate(
                "DocumentDialog", "Total: about {total} (estimated: load a model to count exactly)"
            )
        )
        return sentence.format(total=total)
    sentence = (
        translate("DocumentDialog", "Total: {total} of {room} left in the context")
        if exact
        else translate(
            "DocumentDialog",
            "Total: about {total} of {room} left in the context (estimated: load a model to "
            "count exactly)",
        )
    )
    return sentence.format(total=total, room=f"{room:,}")


def _no_image_room(images: int) -> str:
    return tr(
        "%n page(s) go in as images but the model loaded cannot see images, or the message holds "
        "its 10 already; switch some to text or leave them out.",
        None,
        images,
    )


class _Budget(QLabel):
    """The total against the context left, and whether it fits."""

    def __init__(self, room: int | None, exact: bool, parent: QWidget) -> None:
        super().__init__(parent)
        self.room = room
        self.exact = exact

    def show_total(self, tokens: int, problem: str | None = None, images: int = 0) -> bool:
        """Show the total; `problem` is a whole sentence saying why it cannot be attached."""
        text = _total_sentence(_tokens_phrase(tokens, images), self.room, self.exact)
        if self.room is not None and tokens > self.room:
            problem = problem or translate(
                "DocumentDialog", "Too large for the context left; leave out pages or lines."
            )
        if problem:
            text += f"\n{problem}"
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
        self.setWindowTitle(translate("PdfPagesDialog", "Attach {file}").format(file=document.name))
        self.document = document
        self._count = count
        self._image_room = image_room
        self._costs = {
            (page.number, mode): page_cost(page, mode, count)
            for page in document.pages
            for mode in (PageMode.TEXT, PageMode.IMAGE)
        }
        self.table = QTableWidget(len(document.pages), 4, self)
        self.table.setHorizontalHeaderLabels(
            [
                translate("PdfPagesDialog", "Page"),
                translate("PdfPagesDialog", "Goes in as"),
                translate("PdfPagesDialog", "Why"),
                translate("PdfPagesDialog", "Tokens"),
            ]
        )
        self.table.setAccessibleName(translate("PdfPagesDialog", "Pages"))
        self.table.setAccessibleDescription(
            translate(
                "PdfPagesDialog",
                "Each page of the document: how it goes in, why, and the tokens it takes",
            )
        )
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.combos: list[QComboBox] = []
        for row, page in enumerate(document.pages):
            self.table.setItem(row, 0, _cell(str(page.number)))
            combo = QComboBox(self.table)
            combo.addItems(_mode_names())
            combo.setAccessibleName(
                translate("PdfPagesDialog", "Page {number}").format(number=page.number)
            )
            combo.setAccessibleDescription(
                translate(
                    "PdfPagesDialog", "Whether page {number} goes in as text, as an image, or not"
                ).format(number=page.number)
            )
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
        self.preview.setAccessibleName(translate("PdfPagesDialog", "Page text"))
        self.preview.setAccessibleDescription(
            translate("PdfPagesDialog", "The text layer of the selected page")
        )
        self.budget = _Budget(room, exact, self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        _name_buttons(self.buttons, self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.preview)
        splitter.setSizes([360, 540])
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                translate(
                    "PdfPagesDialog",
                    "Pages with a usable text layer go in as text; scans, figures and pages whose "
                    "text layer is missing or garbled go in as images. Switch any page, or leave "
                    "it out.",
                ),
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
            problem = translate("PdfPagesDialog", "No page is chosen.")
        elif images > self._image_room and self._image_room == 0:
            problem = _no_image_room(images)
        elif images > self._image_room:
            problem = translate(
                "PdfPagesDialog",
                "{images} pages go in as images but the message takes {room} more (the model's "
                "limit); switch some to text or leave them out.",
            ).format(images=images, room=self._image_room)
        fits = self.budget.show_total(self.total(), problem, images)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(fits)

    def _preview_row(self, row: int, *_: int) -> None:
        if 0 <= row < len(self.document.pages):
            page = self.document.pages[row]
            self.preview.setPlainText(
                page.text
                or translate("PdfPagesDialog", "(page {number} has no text layer)").format(
                    number=page.number
                )
            )


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
        self.setWindowTitle(translate("TextLinesDialog", "Attach {file}").format(file=file.name))
        self.file = file
        self._count = count
        lines = max(len(file.lines), 1)
        self.first = QSpinBox(self, minimum=1, maximum=lines, value=1)
        self.last = QSpinBox(self, minimum=1, maximum=lines, value=lines)
        self.first.valueChanged.connect(self._update)
        self.last.valueChanged.connect(self._update)
        self.first.setAccessibleName(translate("TextLinesDialog", "From line"))
        self.first.setAccessibleDescription(
            translate("TextLinesDialog", "The first line of the file that goes in")
        )
        self.last.setAccessibleName(translate("TextLinesDialog", "To line"))
        self.last.setAccessibleDescription(
            translate("TextLinesDialog", "The last line of the file that goes in")
        )
        self.budget = _Budget(room, exact, self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        _name_buttons(self.buttons, self)
        form = QFormLayout()
        form.addRow(translate("TextLinesDialog", "From line"), self.first)
        form.addRow(translate("TextLinesDialog", "To line"), self.last)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                translate("TextLinesDialog", "{file}: {lines} lines, {encoding}.").format(
                    file=file.name, lines=f"{lines:,}", encoding=file.encoding
                ),
                self,
                wordWrap=True,
            )
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
        problem = (
            None
            if ordered
            else translate("TextLinesDialog", "The first line comes after the last.")
        )
        fits = self.budget.show_total(self.total() if ordered else 0, problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(fits)


def _name_buttons(buttons: QDialogButtonBox, dialog: QDialog) -> None:
    """Attach and Cancel, with what each does, and their signals."""
    attach = buttons.button(QDialogButtonBox.StandardButton.Ok)
    attach.setText(translate("DocumentDialog", "Attach"))
    attach.setAccessibleName(translate("DocumentDialog", "Attach"))
    attach.setAccessibleDescription(
        translate("DocumentDialog", "Adds the chosen part of the document to the message")
    )
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    cancel.setAccessibleName(translate("DocumentDialog", "Cancel"))
    cancel.setAccessibleDescription(translate("DocumentDialog", "Attaches nothing"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)


def _cell(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item
