"""How long the window's event loop went without a turn: a timer that ticks every few
milliseconds notes the longest gap between two ticks while a test drives the window."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QTimer

MAX_STALL_S = 0.1  # the window never stops answering for longer than this


class StallMeter:
    def __init__(self, interval_ms: int = 5) -> None:
        self.longest_s = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest_s = max(self.longest_s, now - self._last)
        self._last = now

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._tick()
        self._timer.stop()

    def reset(self) -> None:
        """Measure from now on (what the test itself did before does not count)."""
        self.longest_s = 0.0
        self._last = time.perf_counter()

    def check(self, limit_s: float = MAX_STALL_S) -> None:
        """Stop measuring (before the window closes) and fail on a stall over `limit_s`."""
        self.stop()
        assert self.longest_s < limit_s, (
            f"the window's event loop stalled {self.longest_s * 1000:.0f} ms"
        )


def running_meter() -> StallMeter:
    """A meter measuring from now until its `check`."""
    meter = StallMeter()
    meter.start()
    return meter


@contextmanager
def measured_stalls() -> Iterator[StallMeter]:
    """The longest stall of the event loop within the block (in `longest_s`)."""
    meter = StallMeter()
    meter.start()
    try:
        yield meter
    finally:
        meter.stop()
