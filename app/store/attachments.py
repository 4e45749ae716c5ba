"""Attachment files, kept once per content: `attachments/<sha256[:2]>/<sha256><suffix>`.

The database holds one row per content hash (mime type, size, path relative to the attachments
folder) and links messages to them in order; a message's `ImagePart` points at the kept file.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.core.i18n import translate
from app.store.errors import StoreError, StoreErrorKind

FOLDER_NAME = "attachments"
DOCUMENT_MIME = "text/plain"  # a document's block, as the model reads it
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
)


@dataclass(frozen=True, slots=True)
class Attachment:
    sha256: str
    mime: str
    size: int
    path: Path  # where the file is now


def sniff_mime(head: bytes, name: str) -> str:
    """The type from the first bytes (the common image formats), else from the file name."""
    for signature, mime in _SIGNATURES:
        if head.startswith(signature):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class AttachmentFiles:
    """The attachments folder beside the database."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def resolve(self, stored_path: str) -> Path:
        """A stored path: relative to the folder, or absolute (files kept where they were)."""
        return self.folder / stored_path

    def keep(self, data: bytes, name: str, mime: str | None = None) -> tuple[str, str, str]:
        """Write `data` once; returns (sha256, mime, stored path)."""
        digest = sha256_of(data)
        kind = mime or sniff_mime(data[:16], name)
        suffix = mimetypes.guess_extension(kind) or Path(name).suffix
        relative = f"{digest[:2]}/{digest}{suffix}"
        target = self.folder / relative
        if not target.is_file():
            partial = target.with_name(target.name + ".partial")
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                partial.write_bytes(data)
                os.replace(partial, target)
            except OSError as exc:
                partial.unlink(missing_ok=True)
                raise _file_error(exc) from exc
        return digest, kind, relative

    def read(self, source: Path) -> bytes:
        try:
            return source.read_bytes()
        except OSError as exc:
            raise StoreError(
                StoreErrorKind.UNREADABLE,
                translate(
                    "StoreError", "The attachment {path} could not be read: {reason}."
                ).format(path=source, reason=exc),
            ) from exc

    def remove(self, stored_path: str) -> None:
        """Delete a kept file (only inside the folder; files outside it are the user's)."""
        if not Path(stored_path).is_absolute():
            (self.folder / stored_path).unlink(missing_ok=True)


def _file_error(exc: OSError) -> StoreError:
    if exc.errno == 28:  # ENOSPC
        return StoreError(
            StoreErrorKind.DISK_FULL,
            translate("StoreError", "The disk is full: the attachment could not be saved."),
        )
    return StoreError(
        StoreErrorKind.READ_ONLY,
        translate("StoreError", "The attachment could not be saved: {reason}.").format(
            reason=exc.strerror
        ),
    )


def record(db: sqlite3.Connection, sha256: str, mime: str, size: int, stored_path: str) -> None:
    """Add an attachment row, or point a known one at where its file now is."""
    db.execute(
        "INSERT INTO attachments (sha256, mime, size, path) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (sha256) DO UPDATE SET path = excluded.path",
        (sha256, mime, size, stored_path),
    )


def link(db: sqlite3.Connection, message_id: int, hashes: Sequence[str]) -> None:
    """A message's images, then its documents, in order."""
    db.executemany(
        "INSERT INTO message_attachments (message_id, position, sha256) VALUES (?, ?, ?)",
        [(message_id, position, sha256) for position, sha256 in enumerate(hashes)],
    )


def known_hashes(db: sqlite3.Connection, hashes: list[str]) -> set[str]:
    marks = ",".join("?" * len(hashes))
    rows = db.execute(f"SELECT sha256 FROM attachments WHERE sha256 IN ({marks})", hashes)
    return {row[0] for row in rows}


def orphans(db: sqlite3.Connection) -> list[tuple[str, str]]:
    """(sha256, stored path) of attachments no message refers to any more, neither as an image
    nor as the original file an image was made from."""
    rows = db.execute(
        "SELECT sha256, path FROM attachments WHERE sha256 NOT IN "
        "(SELECT sha256 FROM message_attachments) AND sha256 NOT IN "
        "(SELECT o.original_sha256 FROM image_originals o "
        "JOIN message_attachments m ON m.sha256 = o.sha256)"
    ).fetchall()
    return [(row[0], row[1]) for row in rows]


def remember_original(db: sqlite3.Connection, sha256: str, original_sha256: str) -> None:
    db.execute(
        "INSERT INTO image_originals (sha256, original_sha256) VALUES (?, ?) "
        "ON CONFLICT (sha256) DO NOTHING",
        (sha256, original_sha256),
    )
