"""Store failures, split into what the user can act on (a `StoreError`) and what is a bug."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum

from app.core.i18n import translate

# SQLite's primary result codes (the low byte of an extended code).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26


class StoreErrorKind(StrEnum):
    DISK_FULL = "disk_full"
    READ_ONLY = "read_only"
    CORRUPT = "corrupt"
    NEWER_VERSION = "newer_version"
    LOCKED = "locked"  # the database file is held by another program
    ALREADY_RUNNING = "already_running"
    DISK_ERROR = "disk_error"  # the operating system failed to read or write the file
    UNREADABLE = "unreadable"  # an import file that is not a Tramontane export


class StoreError(Exception):
    """A failure the user can understand and act on; `message` says what and what to do."""

    def __init__(self, kind: StoreErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def message_for(kind: StoreErrorKind) -> str:
    """What a known SQLite failure of this kind means to the user, and what to do."""
    if kind is StoreErrorKind.DISK_FULL:
        return translate(
            "StoreError",
            "The disk is full: Tramontane could not save the conversation. "
            "Free some space; what was saved before is kept.",
        )
    if kind is StoreErrorKind.READ_ONLY:
        return translate(
            "StoreError",
            "Tramontane cannot write its conversation database: the data folder or the file is "
            "read-only. Check its permissions.",
        )
    if kind is StoreErrorKind.CORRUPT:
        return translate(
            "StoreError",
            "The conversation database is damaged. Restart Tramontane: it keeps the damaged file "
            "aside and starts a new one.",
        )
    if kind is StoreErrorKind.LOCKED:
        return translate(
            "StoreError",
            "The conversation database is in use by another program. Close it and try again.",
        )
    return translate(
        "StoreError",
        "The conversation database could not be read or written (a disk error). "
        "Check the disk; what was saved before is kept.",
    )


_KIND_OF_CODE = {
    SQLITE_FULL: StoreErrorKind.DISK_FULL,
    SQLITE_READONLY: StoreErrorKind.READ_ONLY,
    SQLITE_CANTOPEN: StoreErrorKind.READ_ONLY,
    SQLITE_CORRUPT: StoreErrorKind.CORRUPT,
    SQLITE_NOTADB: StoreErrorKind.CORRUPT,
    SQLITE_BUSY: StoreErrorKind.LOCKED,
    SQLITE_LOCKED: StoreErrorKind.LOCKED,
    SQLITE_IOERR: StoreErrorKind.DISK_ERROR,
}


def known_error(exc: sqlite3.Error) -> StoreError | None:
    """The user-facing error for a known SQLite failure, or None for a bug."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return None
    kind = _KIND_OF_CODE.get(code & 0xFF)
    return StoreError(kind, message_for(kind)) if kind is not None else None


@contextmanager
def translated() -> Iterator[None]:
    """Turn known SQLite failures into `StoreError`s; anything else goes up as it is."""
    try:
        yield
    except sqlite3.Error as exc:
        known = known_error(exc)
        if known is None:
            raise
        raise known from exc
