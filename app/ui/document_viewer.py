"""Documents attached to a sent message: a compact chip each, which opens the text the model
read."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPlainTextEdit,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import translate
from app.core.messages import DocumentPart


class DocumentViewer(QDialog):
    def __init__(self, document: DocumentPart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        extent = f" ({document.extent})" if document.extent else ""
        self.setWindowTitle(f"{document.name}{extent}")
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlainText(document.text)
        self.text.setAccessibleName(
            translate("DocumentViewer", "Text of {name}").format(name=document.name)
        )
        self.text.setAccessibleDescription(
            translate("DocumentViewer", "The text the model was given, read only")
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(760, 600)


def document_chips(documents: tuple[DocumentPart, ...], owner: QWidget) -> QHBoxLayout:
    """A row of chips, one per document; a click shows the document's text."""
    row = QHBoxLayout()
    row.setSpacing(6)
    for document in documents:
        chip = QToolButton(owner)
        chip.setObjectName("documentChip")
        extent = f" · {document.extent}" if document.extent else ""
        chip.setText(f"{document.name}{extent}")
        chip.setIcon(owner.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon))
        chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        chip.setToolTip(translate("DocumentViewer", "Click to read the text the model was given"))
        chip.setAccessibleName(
            translate("DocumentViewer", "Attached document {name}").format(name=chip.text())
        )
        chip.setAccessibleDescription(
            translate("DocumentViewer", "Opens the text the model was given")
        )
        chip.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # reached from inside its message
        chip.clicked.connect(lambda _=False, d=document: DocumentViewer(d, owner.window()).show())
        row.addWidget(chip)
    row.addStretch(1)
    return row
