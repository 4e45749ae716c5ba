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


class DraftFiles:
    """The prepared images of a message still being written, as files the engine can read
    ahead of the message being sent; each is written once and removed with the draft."""

    def __init__(self) -> None:
        self._folder: tempfile.TemporaryDirectory[str] | None = None

    def parts(self, images: Sequence[PreparedImage]) -> tuple[ImagePart, ...]:
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="tramontane-draft-")
        folder = Path(self._folder.name)
        parts = tuple(ImagePart(folder / f"{image.sha256}.png", image.sha256) for image in images)
        for written in folder.glob("*.png"):
            if written.name not in {part.path.name for part in parts}:
                written.unlink(missing_ok=True)
        for part, image in zip(parts, images, strict=True):
            if not part.path.exists():
                part.path.write_bytes(image.png)
        return parts

    def close(self) -> None:
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None
