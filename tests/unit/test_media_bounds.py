"""Images made to exhaust the memory or the patience: every page and frame is measured before
it is decoded, and a TIFF's pages are counted within a bounded time."""

from __future__ import annotations

import io
import time
import tracemalloc
from pathlib import Path

import pytest
from PIL import Image

from app.media import prepare
from app.media.prepare import (
    MAX_TIFF_PAGES,
    MediaError,
    page_count,
    prepare_bytes,
    prepare_file,
)
from tests.fixtures.tiff import tiff_pages


def test_a_huge_later_page_of_a_tiff_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    path = tiff_pages(tmp_path / "scan.tiff", [(64, 64), (20_000, 20_000), (64, 64)])
    assert page_count(path) == 3
    tracemalloc.start()
    with pytest.raises(MediaError, match=r"scan.tiff, page 2 is 20,000 x 20,000 pixels: too"):
        prepare_file(path)
    with pytest.raises(MediaError, match="page 2"):
        prepare_file(path, [1])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 32 * 1024**2, f"{peak:,} bytes"
    [first, third] = prepare_file(path, [0, 2])  # the other pages are fine
    assert (first.width, third.width) == (64, 64)


def test_a_page_that_would_take_too_much_memory_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prepare, "MAX_DECODE_BYTES", 1024**2)
    path = tiff_pages(tmp_path / "wide.tif", [(32, 32), (1000, 1000)])
    with pytest.raises(MediaError, match=r"page 2 is 1,000 x 1,000 pixels of L: opening it would"):
        prepare_file(path, [1])


def test_counting_the_pages_of_a_tiff_of_thousands_of_pages_is_bounded(tmp_path: Path) -> None:
    path = tiff_pages(tmp_path / "many.tiff", [(1, 1)] * 14_418)
    started = time.perf_counter()
    with pytest.raises(MediaError, match=r"many.tiff has more than \d+ pages, more than Tram"):
        page_count(path)
    assert time.perf_counter() - started < 0.15
    with pytest.raises(MediaError, match="save the pages wanted as a PDF"):
        prepare_file(path)
    few = tiff_pages(tmp_path / "few.tiff", [(2, 2)] * MAX_TIFF_PAGES)
    assert page_count(few) == MAX_TIFF_PAGES


def test_an_image_sent_as_data_is_measured_before_it_is_decoded() -> None:
    """The entry the local API uses: a 9000 x 9000 PNG of 99 KB decodes to 243 MB; refused."""
    out = io.BytesIO()
    Image.new("L", (9000, 9000)).save(out, "PNG")
    data = out.getvalue()
    assert len(data) < 200_000
    tracemalloc.start()
    with pytest.raises(MediaError, match="image 1 is 9,000 x 9,000 pixels: too large"):
        prepare_bytes(data, "image 1")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 16 * 1024**2, f"{peak:,} bytes"


def test_a_tiff_sent_as_data_gives_its_first_page(tmp_path: Path) -> None:
    data = tiff_pages(tmp_path / "two.tiff", [(40, 30), (20_000, 20_000)]).read_bytes()
    prepared = prepare_bytes(data, "image 2")
    assert (prepared.width, prepared.height) == (40, 30)
