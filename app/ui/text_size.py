"""Sizes that grow with the text: a dialog laid out for the usual font keeps its proportions
when the font is twice as large, and never opens larger than the screen."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QProgressBar, QSizePolicy, QWidget

from app.settings import AppearanceSettings

DESIGN_POINTS = AppearanceSettings().font_size  # the font size the pixel sizes were chosen at
METER_MIN_CHARACTERS = 20  # the context meter's least width, in average characters


def text_scale(widget: QWidget) -> float:
    """How much larger the widget's text is than the design size (at least 1)."""
    return max(1.0, widget.font().pointSizeF() / DESIGN_POINTS)


def scaled_size(widget: QWidget, width: int, height: int) -> QSize:
    """`width` x `height` (pixels at the design font size) grown with the widget's text,
    within the available part of its screen."""
    scale = text_scale(widget)
    wanted = QSize(round(width * scale), round(height * scale))
    screen = widget.screen()
    if screen is None:
        return wanted
    return wanted.boundedTo(screen.availableGeometry().size())


class TextMeter(QProgressBar):
    """A progress bar as wide as its text needs (in the font it has now), and no wider."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def setFormat(self, format: str) -> None:
        super().setFormat(format)
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        metrics = QFontMetrics(self.font())
        text = metrics.horizontalAdvance(self.text()) + 2 * metrics.horizontalAdvance("M")
        least = METER_MIN_CHARACTERS * metrics.averageCharWidth()
        return QSize(max(hint.width(), text, least), hint.height())
