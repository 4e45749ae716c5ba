"""Bounds checked from an image's header, before any pixel is decoded: what decoding would cost
is known from the size the header declares."""

from __future__ import annotations

import io
import warnings

from PIL import Image, UnidentifiedImageError

from app.media.prepare import MAX_DIMENSION, MediaError

MAX_PIXELS = 40_000_000  # a page scanned at 600 dpi, a 40-megapixel photo


def check_image_header(data: bytes, label: str, max_pixels: int = MAX_PIXELS) -> tuple[int, int]:
    """The width and height `data` declares; raises `MediaError` when it is no image or decoding
    it would cost more than `max_pixels` pixels. Reads the header only."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise MediaError(f"{label} has too many pixels to open safely") from None
        except UnidentifiedImageError:
            raise MediaError(f"{label} is not an image Tramontane can read") from None
        except (OSError, SyntaxError, ValueError) as exc:
            raise MediaError(f"{label} is damaged or incomplete ({exc})") from None
    if max(width, height) > MAX_DIMENSION or width * height > max_pixels:
        raise MediaError(
            f"{label} is {width:,} x {height:,} pixels: more than the "
            f"{max_pixels / 1e6:g} million pixels an image may have"
        )
    return width, height
