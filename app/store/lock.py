"""One Tramontane at a time: an exclusive operating-system lock on a file beside the database.

The lock belongs to the open file, so it dies with the process: a lock file left behind by a
crash never blocks the next start.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType

from app.core.i18n import translate
from app.store.errors import StoreError, StoreErrorKind


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


class InstanceLock:
    """`acquire()` raises StoreError(ALREADY_RUNNING) while another process holds the lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        if self._fd is not None:
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(
                StoreErrorKind.READ_ONLY,
                translate(
                    "StoreError",
                    "Tramontane cannot write in its data folder {folder}: {reason}. Check the "
                    "folder's permissions.",
                ).format(folder=self.path.parent, reason=exc.strerror),
            ) from exc
        if not _try_lock(fd):
            os.close(fd)
            raise StoreError(
                StoreErrorKind.ALREADY_RUNNING,
                translate(
                    "StoreError",
                    "Tramontane is already running. Switch to its window, or close it first.",
                ),
            )
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())  # for people looking; the lock is what counts
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
