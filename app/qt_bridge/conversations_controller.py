"""The list of conversations: refresh, rename, pin, delete with undo, search, export, import."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from app.core.conversation import ConversationId, ExportFormat
from app.core.i18n import tr, translate
from app.qt_bridge.background import BackgroundTasks
from app.qt_bridge.chat_ports import ConversationStore
from app.store.errors import StoreError

SEARCH_LIMIT = 100

_T = TypeVar("_T")


def explain(failure: str, exc: Exception, **values: object) -> str:
    """The store's own words when it has them (they say what to do), else what failed and why:
    `failure` is a sentence with a `{reason}` placeholder (and any of `values`)."""
    return exc.message if isinstance(exc, StoreError) else failure.format(reason=exc, **values)


def _imported(count: int) -> str:
    return tr("Imported %n conversation(s).", None, count)


def safe_file_name(title: str) -> str:
    """A file name that every desktop system accepts, from a conversation title."""
    name = re.sub(r"[^\w\- ]+", "", title, flags=re.UNICODE).strip()
    name = re.sub(r"\s+", " ", name)[:80].strip()
    return name or "conversation"


class ConversationsController(QObject):
    list_changed = Signal(list, object)  # list[ConversationRecord], the current id or None
    search_finished = Signal(str, list)  # query, list[SearchResult]
    deleted = Signal(int, str)  # id, title: offer to undo
    restored = Signal(int)
    failed = Signal(str)
    info = Signal(str)

    def __init__(self, store: ConversationStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._tasks = BackgroundTasks(self)
        self._current: ConversationId | None = None
        self._deleted: list[ConversationId] = []
        self._titles: dict[ConversationId, str] = {}

    @property
    def tasks(self) -> BackgroundTasks:
        return self._tasks

    def refresh(self, current: ConversationId | None = None) -> None:
        self._current = current
        records = self._fetch(
            self._store.list_conversations,
            translate("ConversationsController", "The conversations could not be read: {reason}"),
        )
        if records is None:
            return
        self._titles = {r.id: r.title for r in records}
        self.list_changed.emit(records, current)

    def rename(self, conversation_id: ConversationId, title: str) -> None:
        title = title.strip()
        if title and self._run(
            lambda: self._store.rename_conversation(conversation_id, title),
            translate("ConversationsController", "The conversation could not be renamed: {reason}"),
        ):
            self.refresh(self._current)

    def pin(self, conversation_id: ConversationId, pinned: bool) -> None:
        if self._run(
            lambda: self._store.set_pinned(conversation_id, pinned),
            translate("ConversationsController", "The conversation could not be pinned: {reason}"),
        ):
            self.refresh(self._current)

    def delete(self, conversation_id: ConversationId) -> None:
        """Delete, keeping the conversation restorable until the undo offer expires."""
        title = self._titles.get(
            conversation_id, translate("ConversationsController", "The conversation")
        )
        if not self._run(
            lambda: self._store.delete_conversation(conversation_id),
            translate("ConversationsController", "The conversation could not be deleted: {reason}"),
        ):
            return
        self._deleted.append(conversation_id)
        if self._current == conversation_id:
            self._current = None
        self.refresh(self._current)
        self.deleted.emit(conversation_id, title)

    def undo_delete(self) -> None:
        if not self._deleted:
            return
        conversation_id = self._deleted.pop()
        if self._run(
            lambda: self._store.restore_conversation(conversation_id),
            translate(
                "ConversationsController", "The conversation could not be restored: {reason}"
            ),
        ):
            self.refresh(conversation_id)
            self.restored.emit(conversation_id)

    def forget_deleted(self) -> None:
        """The undo offer is over: remove deleted conversations for good."""
        if self._deleted:
            self._deleted.clear()
            self._run(
                self._store.purge_deleted,
                translate(
                    "ConversationsController",
                    "Deleted conversations could not be removed: {reason}",
                ),
            )

    def search(self, query: str) -> None:
        query = query.strip()
        if not query:
            return
        results = self._fetch(
            lambda: self._store.search(query, SEARCH_LIMIT),
            translate("ConversationsController", "The search could not be run: {reason}"),
        )
        if results is None:
            return
        self.search_finished.emit(query, results)

    def title_of(self, conversation_id: ConversationId) -> str | None:
        return self._titles.get(conversation_id)

    def file_name_for(self, conversation_id: ConversationId) -> str:
        return safe_file_name(self._titles.get(conversation_id, "conversation"))

    # ---- export and import (off the GUI thread) -------------------------------------------

    def export_conversation(
        self, conversation_id: ConversationId, export_format: ExportFormat, path: Path
    ) -> None:
        def work() -> None:
            if export_format is ExportFormat.MARKDOWN:
                self._store.export_conversation_markdown(conversation_id, path)
            else:
                self._store.export_conversations_json([conversation_id], path)

        self._in_background(
            work,
            translate("ConversationsController", "Exported to {path}.").format(path=path),
            translate("ConversationsController", "Export to {path} failed: {reason}"),
            path=path,
        )

    def export_all(self, path: Path) -> None:
        self._in_background(
            lambda: self._store.export_conversations_json(None, path),
            translate(
                "ConversationsController", "All conversations were exported to {path}."
            ).format(path=path),
            translate("ConversationsController", "Export to {path} failed: {reason}"),
            path=path,
        )

    def import_file(self, path: Path) -> None:
        def done(result: object) -> None:
            count = len(result) if isinstance(result, list) else 0
            self.info.emit(_imported(count))
            self.refresh(self._current)

        self._tasks.run(
            lambda: self._store.import_conversations_json(path),
            done,
            lambda exc: self.failed.emit(
                explain(
                    translate("ConversationsController", "{name} could not be imported: {reason}"),
                    exc,
                    name=path.name,
                )
            ),
        )

    def _in_background(
        self, work: Callable[[], object], success: str, failure: str, **values: object
    ) -> None:
        self._tasks.run(
            work,
            lambda _result: self.info.emit(success),
            lambda exc: self.failed.emit(explain(failure, exc, **values)),
        )

    def _run(self, work: Callable[[], object], failure: str) -> bool:
        """Run a store action; a failure becomes a message for the user."""
        try:
            work()
        except Exception as exc:
            self.failed.emit(explain(failure, exc))
            return False
        return True

    def _fetch(self, work: Callable[[], _T], failure: str) -> _T | None:
        """Run a store query; None (and a message for the user) when it fails."""
        try:
            return work()
        except Exception as exc:
            self.failed.emit(explain(failure, exc))
            return None
