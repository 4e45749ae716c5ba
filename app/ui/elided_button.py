"""A flat button whose text gives way to an ellipsis when its bar is too narrow for it.

Large text makes the status bar wider than the window; the model's name, the longest item,
shortens instead of pushing the rest out of sight. `text()` is still the whole text, and so is
the accessible name a screen reader reads.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

LEAST_CHARACTERS = 12  # the narrowest it gets, in average characters


class ElidedButton(QPushButton):
    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._full = text
        self.setAccessibleName(text)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def setText(self, text: str) -> None:
        self._full = text
        super().setText(text)
        self.setAccessibleName(text)
        self.updateGeometry()
        self._elide()

    def text(self) -> str:
        return self._full

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        metrics = self.fontMetrics()
        missing = metrics.horizontalAdvance(self._full) - metrics.horizontalAdvance(super().text())
        return QSize(hint.width() + missing, hint.height())

    def minimumSizeHint(self) -> QSize:
        hint = self.sizeHint()
        least = LEAST_CHARACTERS * self.fontMetrics().averageCharWidth()
        return QSize(min(hint.width(), least), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        whole = self.sizeHint().width()
        chrome = whole - self.fontMetrics().horizontalAdvance(self._full)
        room = max(0, self.width() - chrome)
        shown = (
            self._full
            if self.width() >= whole
            else self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, room)
        )
        if shown != super().text():
            super().setText(shown)
