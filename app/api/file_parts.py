"""OpenAI's `file` content parts: a PDF or a text file sent inline (base64), made into the same
document block the window attaches. A PDF's pages with a usable text layer go in as text, the
others as images; a text file as text, fenced when it is code or data."""

from __future__ import annotations

import base64
import binascii
import tempfile
from dataclasses import replace
from pathlib import Path

from app.media.documents import (
    MAX_TEXT_BYTES,
    is_pdf,
    is_text_file,
    pdf_block,
    read_pdf,
    text_block,
    text_file_of,
)
from app.media.prepare import MediaError, PreparedImage, prepare_file


def document_of(part: dict[str, object], number: int) -> tuple[str, tuple[PreparedImage, ...]]:
    """The block of a `{"type": "file", "file": {"filename", "file_data"}}` part, and the
    images of its pages that go in as images. A `MediaError` says what is wrong with it."""
    file = part.get("file")
    if not isinstance(file, dict):
        raise MediaError(f"file part {number} has no file")
    name = Path(str(file.get("filename") or f"file {number}")).name
    data = _decoded(str(file.get("file_data", "")), name)
    if is_text_file(Path(name)):
        if len(data) > MAX_TEXT_BYTES:
            raise MediaError(f"{name} is larger than {MAX_TEXT_BYTES // 2**20} MB")
        return text_block(text_file_of(data, Path(name))).text, ()
    if is_pdf(Path(name)):
        return _pdf(data, name)
    raise MediaError(f"{name}: only PDF and text files can be sent as file parts")


def _decoded(url: str, name: str) -> bytes:
    encoded = url.split(";base64,", 1)[1] if url.startswith("data:") else url
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise MediaError(f"{name} is not valid base64") from None


def _pdf(data: bytes, name: str) -> tuple[str, tuple[PreparedImage, ...]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        document = read_pdf(path)
        modes = [page.suggested for page in document.pages]
        scans = [page.number - 1 for page in document.pages if not page.usable]
        images = prepare_file(path, scans) if scans else []
        return pdf_block(document, modes).text, tuple(replace(i, original=None) for i in images)
