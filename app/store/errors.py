"""Store failures, split into what the user can act on and what is a bug."""

from __future__ import annotations

import sqlite3
from enum import StrEnum


class StoreErrorKind(StrEnum):
    DISK_FULL = "disk_full"
    READ_ONLY = "read_only"
    CORRUPT = "corrupt"
    NEWER_VERSION = "newer_version"
    LOCKED = "locked"
    UNREADABLE = "unreadable"  # an import file that is not a Tramontane export


class StoreError(Exception):
    def __init__(self, kind: StoreErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def translate(exc: sqlite3.Error) -> StoreError | None:
    """The user-facing error for a known SQLite failure, or None for a bug."""
    text = str(exc).lower()
    if "database or disk is full" in text or "disk i/o error" in text:
        return StoreError(
            StoreErrorKind.DISK_FULL,
            "The disk is full: Tramontane could not save the conversation. "
            "Free some space; nothing shown in the window is lost yet.",
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return StoreError(
            StoreErrorKind.READ_ONLY,
            "Tramontane cannot write its conversation database: the data folder is read-only.",
        )
    if "malformed" in text or "not a database" in text:
        return StoreError(StoreErrorKind.CORRUPT, "The conversation database is damaged.")
    if "locked" in text or "busy" in text:
        return StoreError(
            StoreErrorKind.LOCKED, "The conversation database is in use by another program."
        )
    return None
