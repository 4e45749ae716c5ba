"""The images attached to the message being written: thumbnails, each with a remove button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from app.media.prepare import PreparedImage

THUMBNAIL_SIZE = 64


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
        self._images: list[PreparedImage] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(8)
        self._layout.addStretch(1)
        self.hide()

    @property
    def images(self) -> list[PreparedImage]:
        return list(self._images)

    def add(self, images: list[PreparedImage]) -> None:
        for image in images:
            if any(kept.sha256 == image.sha256 for kept in self._images):
                continue  # the same picture twice is attached once
            self._images.append(image)
            self._layout.insertWidget(self._layout.count() - 1, self._tile(image))
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

    def remove_buttons(self) -> list[QToolButton]:
        return [
            button for tile in self._tiles() if (button := tile.findChild(QToolButton)) is not None
        ]

    def _tiles(self) -> list[QWidget]:
        tiles = []
        for index in range(self._layout.count()):
            item = self._layout.itemAt(index)
            widget = item.widget() if item is not None else None
            if widget is not None:
                tiles.append(widget)
        return tiles

    def _tile(self, image: PreparedImage) -> QWidget:
        tile = QFrame(self)
        tile.setObjectName("attachmentTile")
        tile.setToolTip(f"{image.label} ({image.width} × {image.height})")
        picture = QLabel(tile)
        picture.setPixmap(thumbnail_of(image))
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        remove = QToolButton(tile)
        remove.setText("✕")
        remove.setToolTip(f"Remove {image.label}")
        remove.clicked.connect(lambda: self.remove(self._tiles().index(tile)))
        layout = QVBoxLayout(tile)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(picture)
        return tile

    def _update(self) -> None:
        self.setVisible(bool(self._images))
        self.changed.emit()
