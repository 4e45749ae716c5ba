from __future__ import annotations

import pytest

from app.models.progress import DownloadProgress, DownloadState, TransferMeter


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_speed_is_measured_over_the_last_seconds_and_gives_the_time_left() -> None:
    clock = Clock()
    meter = TransferMeter(clock, window_s=5.0)
    assert meter.bytes_per_s() == 0.0 and meter.eta_s(0, 1000) is None
    for second in range(11):
        clock.now = 100.0 + second
        meter.add(second * 1_000_000 if second <= 5 else 5_000_000 + (second - 5) * 100_000)
    # the first five fast seconds have left the window: only the slow rate counts
    assert meter.bytes_per_s() == pytest.approx(100_000, rel=0.2)
    eta = meter.eta_s(5_500_000, 6_500_000)
    assert eta is not None and eta == pytest.approx(10, rel=0.2)


def test_a_restart_forgets_the_old_rate() -> None:
    clock = Clock()
    meter = TransferMeter(clock)
    meter.add(0)
    clock.now += 1
    meter.add(1000)
    meter.restart()
    assert meter.bytes_per_s() == 0.0


def test_progress_fraction() -> None:
    progress = DownloadProgress("f", DownloadState.DOWNLOADING, 25, 100, 10.0, 7.5)
    assert progress.fraction == 0.25
    assert DownloadProgress("f", DownloadState.DOWNLOADING, 25, None, 0.0, None).fraction is None
