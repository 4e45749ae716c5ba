"""The conversation store: SQLite in the data folder (see `SqliteStore` for the operations)."""

from __future__ import annotations

from pathlib import Path

from app.paths import data_dir
from app.store.errors import StoreError, StoreErrorKind
from app.store.sqlite_store import SqliteStore

DATABASE_NAME = "conversations.sqlite3"


def open_store(path: Path | None = None) -> SqliteStore:
    """Open the store (default: in the data folder). Raises StoreError for what users can fix."""
    return SqliteStore(path or data_dir() / DATABASE_NAME)


__all__ = ["DATABASE_NAME", "SqliteStore", "StoreError", "StoreErrorKind", "open_store"]
