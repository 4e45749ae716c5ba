"""Attached images: thumbnails in a message, and an image at full size in a window of its own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImageReader, QKeyEvent, QMouseEvent, QPixmap
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.core.i18n import translate
from app.core.messages import ImagePart
from app.ui.message_text import image_description, image_title

THUMBNAIL_HEIGHT = 96


class ClickableThumbnail(QLabel):
    """A picture that acts as a button: a left click (press and release on it), Enter or
    Space opens it. Screen readers get its title as its name, its file and size as its
    description."""

    clicked = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() is Qt.MouseButton.LeftButton:
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() is not Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        event.accept()
        if self.rect().contains(event.position().toPoint()):
            self.clicked.emit()


def thumbnail_row(
    images: tuple[ImagePart, ...], open_image: Callable[[Path, str], object]
) -> QHBoxLayout:
    """A row of thumbnails, loaded once the event loop runs; activating one opens it."""
    row = QHBoxLayout()
    row.setSpacing(6)
    for number, image in enumerate(images, start=1):
        title = image_title(number, len(images))
        thumbnail = ClickableThumbnail()
        thumbnail.setObjectName("thumbnail")
        thumbnail.setText(translate("ClickableThumbnail", "image"))
        thumbnail.setToolTip(translate("ClickableThumbnail", "Click to see it at full size"))
        thumbnail.setAccessibleName(title)
        thumbnail.setAccessibleDescription(image_description(image.path))
        thumbnail.setCursor(Qt.CursorShape.PointingHandCursor)
        thumbnail.clicked.connect(lambda p=image.path, t=title: open_image(p, t))
        QTimer.singleShot(0, thumbnail, lambda t=thumbnail, p=image: load_thumbnail(t, p))
        row.addWidget(thumbnail)
    row.addStretch(1)
    return row


def load_thumbnail(label: QLabel, image: ImagePart) -> None:
    reader = QImageReader(str(image.path))
    size = reader.size()
    if size.isValid() and size.height() > THUMBNAIL_HEIGHT:
        reader.setScaledSize(
            size.scaled(10_000, THUMBNAIL_HEIGHT, Qt.AspectRatioMode.KeepAspectRatio)
        )
    picture = reader.read()
    if picture.isNull():
        label.setText(translate("ClickableThumbnail", "Image missing"))
        return
    label.setPixmap(QPixmap.fromImage(picture))
    if size.isValid():
        label.setAccessibleDescription(image_description(image.path, size.width(), size.height()))


class ImageViewer(QDialog):
    def __init__(self, path: Path, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.picture = QLabel(self)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pixmap = QPixmap(str(path))
        self.picture.setAccessibleName(title)
        if pixmap.isNull():
            self.picture.setText(
                translate(
                    "ImageViewer", "{title} cannot be shown: its file is missing or damaged."
                ).format(title=title)
            )
        else:
            self.picture.setPixmap(pixmap)
            self.picture.setAccessibleDescription(
                image_description(path, pixmap.width(), pixmap.height())
            )
        scroll = QScrollArea(self)
        scroll.setWidget(self.picture)
        scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        screen = QGuiApplication.primaryScreen().availableSize()
        wanted = pixmap.size() if not pixmap.isNull() else self.picture.sizeHint()
        self.resize(
            min(wanted.width() + 24, int(screen.width() * 0.9)),
            min(wanted.height() + 24, int(screen.height() * 0.9)),
        )
