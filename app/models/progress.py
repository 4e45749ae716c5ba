"""Download progress as a user sees it: bytes, speed over the last seconds, time left."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from app.core.i18n import translate
from app.models.errors import format_bytes


class DownloadState(StrEnum):
    CHECKING = "checking"  # re-reading a partial file left by an earlier run
    DOWNLOADING = "downloading"
    RETRYING = "retrying"  # the connection dropped; reconnecting
    PAUSED = "paused"
    VERIFYING = "verifying"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class DownloadProgress:
    filename: str
    state: DownloadState
    downloaded: int
    total: int | None
    bytes_per_s: float
    eta_s: float | None  # None while the speed is unknown

    @property
    def fraction(self) -> float | None:
        return self.downloaded / self.total if self.total else None


ProgressCallback = Callable[[DownloadProgress], None]


class TransferMeter:
    """Speed over a sliding window, so a stall shows quickly and a burst does not linger."""

    def __init__(self, clock: Callable[[], float], window_s: float = 5.0) -> None:
        self._clock = clock
        self._window_s = window_s
        self._samples: deque[tuple[float, int]] = deque()

    def restart(self) -> None:
        """Forget the samples (after a pause or a reconnect the old rate means nothing)."""
        self._samples.clear()

    def add(self, done: int) -> None:
        now = self._clock()
        self._samples.append((now, done))
        while len(self._samples) > 2 and now - self._samples[1][0] >= self._window_s:
            self._samples.popleft()

    def bytes_per_s(self) -> float:
        if len(self._samples) < 2:
            return 0.0
        (t0, b0), (t1, b1) = self._samples[0], self._samples[-1]
        return (b1 - b0) / (t1 - t0) if t1 > t0 else 0.0

    def eta_s(self, done: int, total: int | None) -> float | None:
        speed = self.bytes_per_s()
        if total is None or speed <= 0:
            return None
        return max(total - done, 0) / speed


def duration_text(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def progress_text(progress: DownloadProgress) -> str:
    """ "Q4_K_M.gguf: 3.2 GB of 14.3 GB, 41.0 MB/s, 4 min left"."""
    done = format_bytes(progress.downloaded)
    parts = [
        translate("DownloadProgress", "{name}: {done} of {total}").format(
            name=progress.filename, done=done, total=format_bytes(progress.total)
        )
        if progress.total
        else f"{progress.filename}: {done}"
    ]
    if progress.state is DownloadState.DOWNLOADING:
        if progress.bytes_per_s:
            parts.append(
                translate("DownloadProgress", "{size}/s").format(
                    size=format_bytes(int(progress.bytes_per_s))
                )
            )
        if progress.eta_s is not None:
            parts.append(
                translate("DownloadProgress", "{duration} left").format(
                    duration=duration_text(progress.eta_s)
                )
            )
        return ", ".join(parts)
    return translate("DownloadProgress", "{progress} ({state})").format(
        progress=parts[0], state=_state_words(progress.state)
    )


def _state_words(state: DownloadState) -> str:
    if state is DownloadState.CHECKING:
        return translate("DownloadProgress", "checking what was downloaded before")
    if state is DownloadState.RETRYING:
        return translate("DownloadProgress", "the connection dropped, reconnecting")
    if state is DownloadState.PAUSED:
        return translate("DownloadProgress", "paused")
    if state is DownloadState.VERIFYING:
        return translate("DownloadProgress", "verifying")
    return translate("DownloadProgress", "done")
