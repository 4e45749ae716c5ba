"""Screenshots, photos and scanned pages made ready for the vision encoder.

Accepts PNG, JPEG, WebP, BMP, GIF (first frame), TIFF (one image per page) and PDF (each page
rendered). Each image is turned upright (EXIF orientation), its transparency is flattened onto
white, and it is scaled down so its longest side is at most 1540 pixels (the encoder's size),
keeping its proportions. The result is a PNG: lossless, so the model sees what the user sees.
Anything that cannot be read gives a `MediaError` with a message for the user.

Every page and frame is measured before it is decoded: its pixel count and the memory its
decoding would take are bounded, and counting a TIFF's pages stops after MAX_TIFF_PAGES pages or
COUNT_TIME_S, whichever comes first. `prepare_bytes` is the entry for images that arrive as
data (pasted, or sent to the local API); `prepare_file` for files.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import time
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

import pypdfium2 as pdfium
from PIL import Image, ImageMode, ImageOps, UnidentifiedImageError

from app.core.i18n import translate

MAX_SIDE = 1540
MAX_IMAGES = 10  # Mistral Small 3.2 takes up to 10 images in a message
MAX_DIMENSION = 30_000  # a side longer than this is no screenshot, photo or scan
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a page scanned at 600 dpi, a 40-megapixel photo
MAX_DECODE_BYTES = 512 * 1024 * 1024  # a frame decoded, plus the copies made to prepare it
PREPARE_BYTES_PER_PIXEL = 7  # the RGBA and RGB copies made to flatten it
MAX_TIFF_PAGES = 50  # longer documents come as PDFs, whose pages are counted at once
COUNT_TIME_S = 0.05  # pages are counted when a file is dropped, while the window waits
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".tif", ".tiff"}
PDF_SUFFIX = ".pdf"
SUPPORTED_SUFFIXES = IMAGE_SUFFIXES | {PDF_SUFFIX}
_PDFIUM = threading.RLock()


def file_filter() -> str:
    """The file dialog's filter for the images and scans that can be attached."""
    patterns = "*.png *.jpg *.jpeg *.webp *.bmp *.gif *.tif *.tiff *.pdf"
    return translate("FileFilter", "Images and scans ({patterns})").format(patterns=patterns)


class MediaError(ValueError):
    """A file that cannot be attached, and why, in words for the user."""


@dataclass(frozen=True, slots=True)
class PreparedImage:
    label: str  # "scan.pdf, page 2"
    png: bytes  # what the model sees
    width: int
    height: int
    original: Path | None = None  # the file it was made from, kept beside it

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.png).hexdigest()


def page_count(path: Path) -> int:
    """How many images `path` gives: its pages for a PDF or a multi-page TIFF, else 1."""
    if path.suffix.lower() == PDF_SUFFIX:
        with open_pdf(path) as document:
            return len(document)
    with _opened(path) as image:
        return _tiff_pages(image, path.name) if _is_tiff(image) else 1


def prepare_file(path: Path, pages: Sequence[int] | None = None) -> list[PreparedImage]:
    """The images of `path`; for a PDF or a TIFF, only `pages` (0-based) when given."""
    _check_file(path)
    if path.suffix.lower() == PDF_SUFFIX:
        return _prepare_pdf(path, pages)
    with _opened(path) as image:
        if _is_tiff(image):
            count = _tiff_pages(image, path.name)
            if count == 1:
                return [replace(finish(image, path.name), original=path)]
            chosen = _chosen(pages, count, path.name)
            return [
                replace(_prepare_frame(image, i, f"{path.name}, page {i + 1}"), original=path)
                for i in chosen
            ]
        image.seek(0)  # a GIF: its first frame
        return [replace(finish(image, path.name), original=path)]


def prepare_bytes(data: bytes, label: str) -> PreparedImage:
    """An image that arrives as data: pasted, dropped, or sent to the local API (its first page
    or frame). Bounded like a file: size, pixels and decoding memory are checked first."""
    if not data:
        raise MediaError(translate("MediaError", "{name} is empty").format(name=label))
    if len(data) > MAX_FILE_BYTES:
        raise MediaError(
            translate("MediaError", "{name} is larger than {size} MB").format(
                name=label, size=MAX_FILE_BYTES // 2**20
            )
        )
    with _open_image(io.BytesIO(data), label) as image:
        image.seek(0)
        return finish(image, label)


def check_decodable(image: Image.Image, name: str) -> None:
    """Refuse a frame (the one `image` is at) whose decoding would take too many pixels or too
    much memory; nothing of it is decoded yet."""
    width, height = image.size
    pixels = width * height
    if max(width, height) > MAX_DIMENSION or pixels > MAX_PIXELS:
        raise MediaError(
            translate(
                "MediaError",
                "{name} is {width} x {height} pixels: too large to be a screenshot, a photo or "
                "a scan (at most {millions} million pixels)",
            ).format(
                name=name,
                width=f"{width:,}",
                height=f"{height:,}",
                millions=MAX_PIXELS // 1_000_000,
            )
        )
    try:
        mode = ImageMode.getmode(image.mode)
        per_pixel = len(mode.bands) * int(mode.typestr[-1])
    except (KeyError, ValueError):
        per_pixel = 8  # a mode Pillow does not describe: assume the widest
    if pixels * (per_pixel + PREPARE_BYTES_PER_PIXEL) > MAX_DECODE_BYTES:
        raise MediaError(
            translate(
                "MediaError",
                "{name} is {width} x {height} pixels of {mode}: opening it would take more "
                "than {size} MB",
            ).format(
                name=name,
                width=f"{width:,}",
                height=f"{height:,}",
                mode=image.mode,
                size=MAX_DECODE_BYTES // 2**20,
            )
        )


def _tiff_pages(image: Image.Image, name: str) -> int:
    """A TIFF's page count, walking its pages without decoding them, within bounds."""
    deadline = time.monotonic() + COUNT_TIME_S
    count = 1
    try:
        while True:
            image.seek(count)
            count += 1
            if count > MAX_TIFF_PAGES or time.monotonic() > deadline:
                raise MediaError(
                    translate(
                        "MediaError",
                        "{name} has more than {count} pages, more than Tramontane reads from a "
                        "TIFF; save the pages wanted as a PDF",
                    ).format(name=name, count=min(count - 1, MAX_TIFF_PAGES))
                )
    except EOFError:
        pass
    except MediaError:
        raise
    except (OSError, ValueError, SyntaxError) as exc:
        raise MediaError(
            translate("MediaError", "{name} is damaged or incomplete ({reason})").format(
                name=name, reason=exc
            )
        ) from None
    finally:
        _seek_first(image, name)
    return count


def _seek_first(image: Image.Image, name: str) -> None:
    try:
        image.seek(0)
    except (EOFError, OSError, ValueError, SyntaxError) as exc:
        raise MediaError(
            translate("MediaError", "{name} is damaged or incomplete ({reason})").format(
                name=name, reason=exc
            )
        ) from None


def finish(image: Image.Image, label: str) -> PreparedImage:
    """Upright, opaque, at most MAX_SIDE pixels a side, as PNG."""
    try:
        upright = ImageOps.exif_transpose(image)
        flat = _flatten(upright)
        flat.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        flat.save(out, "PNG", optimize=False)
    except (OSError, ValueError, SyntaxError) as exc:
        raise MediaError(
            translate("MediaError", "{name} is damaged or incomplete ({reason})").format(
                name=label, reason=exc
            )
        ) from None
    return PreparedImage(label, out.getvalue(), flat.width, flat.height)


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


def _prepare_frame(image: Image.Image, index: int, label: str) -> PreparedImage:
    try:
        image.seek(index)
    except EOFError:
        raise MediaError(
            translate("MediaError", "{name} is missing from the file").format(name=label)
        ) from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise MediaError(
            translate("MediaError", "{name} is damaged or incomplete ({reason})").format(
                name=label, reason=exc
            )
        ) from None
    check_decodable(image, label)
    return finish(image, label)


def _is_tiff(image: Image.Image) -> bool:
    return image.format == "TIFF"


def _chosen(pages: Sequence[int] | None, count: int, name: str) -> list[int]:
    if count == 0:
        raise MediaError(translate("MediaError", "{name} has no pages").format(name=name))
    if pages is None:
        return list(range(count))
    wrong = [page + 1 for page in pages if not 0 <= page < count]
    if wrong:
        raise MediaError(
            translate("MediaError", "{name} has {count} pages; there is no page {page}").format(
                name=name, count=count, page=wrong[0]
            )
        )
    return list(pages)


def _check_file(path: Path) -> None:
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise MediaError(
            translate(
                "MediaError",
                "{name} is not an image or a PDF scan (PNG, JPEG, WebP, BMP, GIF, TIFF and PDF "
                "can be attached)",
            ).format(name=path.name)
        )
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise MediaError(
            translate("MediaError", "{name} does not exist").format(name=path.name)
        ) from None
    except OSError as exc:
        raise MediaError(
            translate("MediaError", "{name} cannot be read: {reason}").format(
                name=path.name, reason=exc.strerror or exc
            )
        ) from None
    if size == 0:
        raise MediaError(
            translate("MediaError", "{name} is empty (0 bytes)").format(name=path.name)
        )
    if size > MAX_FILE_BYTES:
        raise MediaError(
            translate("MediaError", "{name} is larger than {size} MB").format(
                name=path.name, size=MAX_FILE_BYTES // 2**20
            )
        )


@contextmanager
def _opened(path: Path) -> Iterator[Image.Image]:
    """An image file opened with the pixel limit as an error, closed after use."""
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise MediaError(
            translate("MediaError", "{name} cannot be read: {reason}").format(
                name=path.name, reason=exc.strerror or exc
            )
        ) from None
    with stream, _open_image(stream, path.name) as image:
        yield image


def _open_image(stream: IO[bytes], name: str) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(stream)
            check_decodable(image, name)
            if image.format == "JPEG":  # decoded at the smallest scale still above MAX_SIDE
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))
            image.load()  # reads the first frame now: a truncated file fails here
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise MediaError(
                translate(
                    "MediaError",
                    "{name} has too many pixels to open safely (a decompression bomb?)",
                ).format(name=name)
            ) from None
        except UnidentifiedImageError:
            raise MediaError(
                translate("MediaError", "{name} is not an image Tramontane can read").format(
                    name=name
                )
            ) from None
        except (OSError, SyntaxError, ValueError) as exc:
            raise MediaError(
                translate("MediaError", "{name} is damaged or incomplete ({reason})").format(
                    name=name, reason=exc
                )
            ) from None
    return image


@contextmanager
def open_pdf(path: Path) -> Iterator[pdfium.PdfDocument]:
    """A PDF document, opened with pypdfium2 (which renders the scanned pages). PDFium is not
    thread-safe: one document is open at a time (the window's attacher and the local API may
    both read PDFs)."""
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(path)
        except pdfium.PdfiumError as exc:
            # PDFium's error code can be left over from an earlier document: read the file.
            raise MediaError(_pdf_problem(path, exc)) from None
        try:
            yield document
        finally:
            document.close()


def _pdf_problem(path: Path, exc: Exception) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        return translate("MediaError", "{name} cannot be read: {reason}").format(
            name=path.name, reason=error.strerror or error
        )
    if b"/Encrypt" in data:
        return translate(
            "MediaError", "{name} is protected by a password; save an unprotected copy"
        ).format(name=path.name)
    if re.search(rb"/Type\s*/Pages\b[^>]*/Count\s+0\b", data):
        return translate("MediaError", "{name} has no pages").format(name=path.name)
    return translate("MediaError", "{name} is not a readable PDF ({reason})").format(
        name=path.name, reason=exc
    )


def _prepare_pdf(path: Path, pages: Sequence[int] | None) -> list[PreparedImage]:
    with open_pdf(path) as document:
        chosen = _chosen(pages, len(document), path.name)
        return [
            replace(_render_page(document, i, f"{path.name}, page {i + 1}"), original=path)
            for i in chosen
        ]


def _render_page(document: pdfium.PdfDocument, index: int, label: str) -> PreparedImage:
    page = document[index]
    width, height = page.get_size()
    scale = MAX_SIDE / max(width, height, 1)
    bitmap = page.render(scale=scale)
    return finish(bitmap.to_pil(), label)
