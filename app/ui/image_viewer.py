"""An attached image at full size, in a window of its own."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QMouseEvent, QPixmap
from PySide6.QtWidgets import QDialog, QLabel, QScrollArea, QVBoxLayout, QWidget


class ClickableThumbnail(QLabel):
    """A picture that acts as a button: a left click (press and release on it) opens it."""

    clicked = Signal()

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


class ImageViewer(QDialog):
    def __init__(self, path: Path, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.picture = QLabel(self)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pixmap = QPixmap(str(path))
        if pixmap.isNull():
            self.picture.setText(f"{title} cannot be shown: its file is missing or damaged.")
        else:
            self.picture.setPixmap(pixmap)
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
