"""Prepared images written to files for the store to keep (it keeps each content once)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from app.core.messages import ImagePart
from app.media.prepare import PreparedImage


@contextmanager
def staged(images: Sequence[PreparedImage]) -> Iterator[tuple[ImagePart, ...]]:
    """The images as files in a private temporary folder, removed afterwards."""
    if not images:
        yield ()
        return
    with tempfile.TemporaryDirectory(prefix="tramontane-") as folder:
        parts = []
        for image in images:
            path = Path(folder) / f"{image.sha256}.png"
            path.write_bytes(image.png)
            parts.append(ImagePart(path, image.sha256))
        yield tuple(parts)
