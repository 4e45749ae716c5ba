"""The chat's policy for store calls: storage failures are said, programming errors go up."""

from __future__ import annotations

import sqlite3

import pytest

from app.qt_bridge.store_writes import StoreWrites, not_read
from app.store.errors import StoreError, StoreErrorKind, message_for


def test_a_known_store_error_is_said_in_its_own_words() -> None:
    said: list[str] = []

    def full_disk() -> int:
        raise StoreError(StoreErrorKind.DISK_FULL, message_for(StoreErrorKind.DISK_FULL))

    assert StoreWrites(said.append).attempt(full_disk) is None
    assert said == [message_for(StoreErrorKind.DISK_FULL)]


@pytest.mark.parametrize(
    "error", [sqlite3.OperationalError("database is locked"), OSError(28, "No space left")]
)
def test_other_sqlite_and_file_errors_are_said_as_storage_failures(error: Exception) -> None:
    said: list[str] = []

    def failing() -> None:
        raise error

    assert not StoreWrites(said.append).succeeded(failing)
    assert len(said) == 1 and said[0].startswith("The conversation could not be saved: ")
    assert StoreWrites(said.append).attempt(failing, not_read) is None
    assert said[1].startswith("The conversation could not be read: ")


@pytest.mark.parametrize("error", [TypeError("bad argument"), KeyError(7), AttributeError("x")])
def test_a_programming_error_is_not_disguised_as_a_save_failure(error: Exception) -> None:
    said: list[str] = []

    def buggy() -> None:
        raise error

    with pytest.raises(type(error)):
        StoreWrites(said.append).attempt(buggy)
    assert said == []


def test_what_the_call_returns_is_passed_on() -> None:
    writes = StoreWrites(lambda _text: None)
    assert writes.attempt(lambda: 42) == 42
    assert writes.succeeded(lambda: None)
