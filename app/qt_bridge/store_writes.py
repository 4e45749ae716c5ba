"""The chat's one policy for store calls: a storage failure is said, a bug is not disguised.

Storage failures are what the disk and the database can do to any call (`StoreError` for the
known ones, any other `sqlite3.Error`, an `OSError` from attachment files): the user is told
and what was written before is kept. Anything else is a programming error and goes up as it
is, never reported as "could not be saved".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TypeVar

from app.core.i18n import translate
from app.store.errors import StoreError

_T = TypeVar("_T")

STORAGE_ERRORS = (StoreError, sqlite3.Error, OSError)

# what is said of a storage failure without words of its own, given the failure
Failure = Callable[[Exception], str]


def not_saved(exc: Exception) -> str:
    return translate("StoreWrites", "The conversation could not be saved: {reason}").format(
        reason=exc
    )


def not_read(exc: Exception) -> str:
    return translate("StoreWrites", "The conversation could not be read: {reason}").format(
        reason=exc
    )


def storage_message(exc: Exception, failure: Failure = not_saved) -> str:
    if isinstance(exc, StoreError):
        return exc.message
    return failure(exc)


class StoreWrites:
    """Runs store calls under the policy; `report` tells the user of a storage failure."""

    def __init__(self, report: Callable[[str], None]) -> None:
        self._report = report

    def attempt(self, work: Callable[[], _T], failure: Failure = not_saved) -> _T | None:
        """`work`'s result, or None when storage failed (and the user was told)."""
        try:
            return work()
        except STORAGE_ERRORS as exc:
            self._report(storage_message(exc, failure))
            return None

    def succeeded(self, work: Callable[[], object], failure: Failure = not_saved) -> bool:
        """Whether `work` ran without a storage failure (which the user was told of)."""
        try:
            work()
        except STORAGE_ERRORS as exc:
            self._report(storage_message(exc, failure))
            return False
        return True
