"""Streamed text handed on at most about 30 times a second, whatever the token rate."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

FLUSH_INTERVAL_MS = 33


class TextBatcher(QObject):
    """Collects pieces of text and hands them on together when the interval has passed."""

    flushed = Signal(str)

    def __init__(self, interval_ms: int = FLUSH_INTERVAL_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pieces: list[str] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.flush)

    def push(self, text: str) -> None:
        self._pieces.append(text)
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Hand on what is waiting now (also called when the stream ends)."""
        self._timer.stop()
        if self._pieces:
            text = "".join(self._pieces)
            self._pieces.clear()
            self.flushed.emit(text)

    def discard(self) -> None:
        self._timer.stop()
        self._pieces.clear()
