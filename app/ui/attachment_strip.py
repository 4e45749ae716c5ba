"""The images and documents attached to the message being written: thumbnails and document
chips, each with a remove button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import tr, translate
from app.core.locale_format import format_size
from app.core.messages import DocumentPart
from app.media.prepare import PreparedImage

THUMBNAIL_SIZE = 64


def _tokens_as_text(n: int) -> str:
    return tr("%n token(s) as text", None, n)


def _tokens(n: int) -> str:
    return tr("%n token(s)", None, n)


def thumbnail_of(image: PreparedImage) -> QPixmap:
    picture = QImage.fromData(image.png)
    return QPixmap.fromImage(picture).scaled(
        THUMBNAIL_SIZE,
        THUMBNAIL_SIZE,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )


class AttachmentStrip(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentStrip")
        self.setAccessibleName(translate("AttachmentStrip", "Attachments"))
        self.setAccessibleDescription(
            translate("AttachmentStrip", "Images and documents to be sent with the message")
        )
        self._images: list[PreparedImage] = []
        self._documents: list[tuple[DocumentPart, QWidget]] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(8)
        self._layout.addStretch(1)
        self.hide()

    @property
    def images(self) -> list[PreparedImage]:
        return list(self._images)

    @property
    def documents(self) -> list[DocumentPart]:
        return [document for document, _ in self._documents]

    def add_document(self, document: DocumentPart, tokens: int) -> None:
        if any(kept.sha256 == document.sha256 for kept in self.documents):
            return
        chip = QFrame(self)
        chip.setObjectName("documentChip")
        extent = f", {document.extent}" if document.extent else ""
        described = translate("AttachmentStrip", "{name}: {tokens}").format(
            name=f"{document.name}{extent}", tokens=_tokens_as_text(tokens)
        )
        chip.setToolTip(described)
        chip.setAccessibleName(
            translate("AttachmentStrip", "Attached document {name}").format(name=document.name)
        )
        chip.setAccessibleDescription(described)
        icon = QLabel(chip)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon).pixmap(24, 24))
        label = QLabel(f"{document.name}\n{_tokens(tokens)}", chip)
        remove = QToolButton(chip)
        remove.setText("✕")
        remove_text = translate("AttachmentStrip", "Remove {name}").format(name=document.name)
        remove.setToolTip(remove_text)
        remove.setAccessibleName(remove_text)
        remove.setAccessibleDescription(
            translate("AttachmentStrip", "Takes this document off the message")
        )
        remove.clicked.connect(lambda: self.remove_document(document))
        layout = QHBoxLayout(chip)
        layout.setContentsMargins(6, 4, 4, 4)
        layout.addWidget(icon)
        layout.addWidget(label)
        layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignTop)
        self._documents.append((document, chip))
        self._layout.insertWidget(self._layout.count() - 1, chip)
        self._update()

    def remove_document(self, document: DocumentPart) -> None:
        for index, (kept, chip) in enumerate(self._documents):
            if kept is document:
                del self._documents[index]
                self._layout.removeWidget(chip)
                chip.deleteLater()
                break
        self._update()

    def add(self, images: list[PreparedImage]) -> None:
        for image in images:
            if any(kept.sha256 == image.sha256 for kept in self._images):
                continue  # the same picture twice is attached once
            self._images.append(image)
            self._layout.insertWidget(len(self._images) - 1, self._tile(image))
        self._update()

    def remove(self, index: int) -> None:
        del self._images[index]
        item = self._layout.takeAt(index)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()
        self._update()

    def clear(self) -> None:
        while self._images:
            self.remove(len(self._images) - 1)
        while self._documents:
            self.remove_document(self._documents[-1][0])

    def remove_buttons(self) -> list[QToolButton]:
        return [
            button for tile in self._tiles() if (button := tile.findChild(QToolButton)) is not None
        ]

    def _tiles(self) -> list[QWidget]:
        tiles = []
        for index in range(len(self._images)):
            item = self._layout.itemAt(index)
            widget = item.widget() if item is not None else None
            if widget is not None:
                tiles.append(widget)
        return tiles

    def _tile(self, image: PreparedImage) -> QWidget:
        tile = QFrame(self)
        tile.setObjectName("attachmentTile")
        size = translate("AttachmentStrip", "{label}, {size}, {width} × {height} pixels").format(
            label=image.label,
            size=format_size(len(image.png)),
            width=image.width,
            height=image.height,
        )
        tile.setToolTip(size)
        tile.setAccessibleName(
            translate("AttachmentStrip", "Attached image {label}").format(label=image.label)
        )
        tile.setAccessibleDescription(size)
        picture = QLabel(tile)
        picture.setPixmap(thumbnail_of(image))
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        picture.setAccessibleName(image.label)
        picture.setAccessibleDescription(size)
        remove = QToolButton(tile)
        remove.setText("✕")
        remove_text = translate("AttachmentStrip", "Remove {name}").format(name=image.label)
        remove.setToolTip(remove_text)
        remove.setAccessibleName(remove_text)
        remove.setAccessibleDescription(
            translate("AttachmentStrip", "Takes this image off the message")
        )
        remove.clicked.connect(lambda: self.remove(self._tiles().index(tile)))
        layout = QVBoxLayout(tile)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(picture)
        return tile

    def _update(self) -> None:
        self.setVisible(bool(self._images or self._documents))
        self.changed.emit()
