"""`SqliteStore`: the conversation store, its operations gathered from the modules beside it."""

from __future__ import annotations

from pathlib import Path

from app.store.attachments import FOLDER_NAME, AttachmentFiles
from app.store.database import open_database
from app.store.export import ExportImport
from app.store.lock import InstanceLock
from app.store.search import MessageSearch


class SqliteStore(ExportImport, MessageSearch):
    """Conversations and their message trees in SQLite, with attachments beside the file.

    Every call is one short transaction (WAL makes them cheap), safe from any thread. Opening
    turns answers left streaming by an ended program into INTERRUPTED ones.

    `single_instance` takes an exclusive lock (`<database>.lock`) first, so a second program
    gets StoreError(ALREADY_RUNNING) before it touches the database.
    """

    def __init__(
        self,
        path: Path,
        *,
        single_instance: bool = False,
    ) -> None:
        self.path = path
        self._lock = InstanceLock(path.with_name(path.name + ".lock")) if single_instance else None
        if self._lock is not None:
            self._lock.acquire()
        try:
            opened = open_database(path)
        except BaseException:
            self._release()
            raise
        self.notice = opened.notice  # a sentence for the user, or None
        self.backup = opened.backup  # the copy taken before a migration, or None
        self._db = opened.database
        self._files = AttachmentFiles(path.parent / FOLDER_NAME)
        self.interrupted = self.recover_interrupted()  # answers cut short last time

    def close(self) -> None:
        self._db.close()
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()
