"""Hostile images given to the window: it keeps answering and says why they were not attached."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.media.prepare import page_count
from app.ui.main_window import MainWindow
from tests.fixtures.tiff import tiff_pages
from tests.qt.stall import MAX_STALL_S, measured_stalls


def test_a_tiff_of_thousands_of_pages_or_a_huge_page_stalls_nothing(
    qtbot: QtBot, seeing: MainWindow, tmp_path: Path
) -> None:
    many = tiff_pages(tmp_path / "many.tiff", [(1, 1)] * 14_418)
    huge = tiff_pages(tmp_path / "huge.tiff", [(32, 32), (20_000, 20_000)])
    page_count(tiff_pages(tmp_path / "warm.tiff", [(1, 1)]))  # Pillow's first open loads plugins
    with measured_stalls() as stalls:
        seeing.attacher.add_files([many])
        qtbot.waitUntil(lambda: "many.tiff has more than" in seeing.notice.text, timeout=5000)
        seeing.attacher.add_files([huge])
        qtbot.waitUntil(
            lambda: "huge.tiff, page 2 is 20,000 x 20,000 pixels" in seeing.notice.text,
            timeout=10000,
        )
    assert seeing.composer.attachments.images == []
    assert stalls.longest_s < MAX_STALL_S, f"the window stalled {stalls.longest_s:.3f} s"
