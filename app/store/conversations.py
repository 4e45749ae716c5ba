"""Conversations: list, titles, pins, per-conversation settings, undoable delete."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import date, datetime

from app.core.conversation import ConversationId, ConversationRecord, MessageId
from app.store import attachments
from app.store.attachments import AttachmentFiles
from app.store.database import Database

LIST_ORDER = "pinned DESC, updated_at DESC, id DESC"


def insert_conversation(
    db: sqlite3.Connection,
    title: str,
    created_at: float,
    overrides: dict[str, object] | None = None,
    context_choice: str | None = None,
) -> ConversationId:
    day = datetime.fromtimestamp(created_at).date().isoformat()
    cursor = db.execute(
        "INSERT INTO conversations "
        "(title, created_at, updated_at, overrides, context_choice, prompt_date) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (title, created_at, created_at, _overrides_text(overrides), context_choice, day),
    )
    return int(cursor.lastrowid or 0)


def _overrides_text(overrides: dict[str, object] | None) -> str | None:
    return json.dumps(overrides, ensure_ascii=False) if overrides else None


def read_record(row: sqlite3.Row) -> ConversationRecord:
    return ConversationRecord(
        id=row["id"],
        title=row["title"],
        updated_at=datetime.fromtimestamp(row["updated_at"]),
        pinned=bool(row["pinned"]),
        overrides=json.loads(row["overrides"]) if row["overrides"] else None,
        created_at=datetime.fromtimestamp(row["created_at"]),
        context_choice=row["context_choice"],
        prompt_date=_date_or_none(row["prompt_date"]),
    )


def _date_or_none(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


class ConversationTable:
    """The conversation operations of `SqliteStore`."""

    _db: Database
    _files: AttachmentFiles

    def create_conversation(self, title: str) -> ConversationId:
        with self._db.write() as db:
            return insert_conversation(db, title, time.time())

    def conversation(self, conversation_id: ConversationId) -> ConversationRecord:
        """One conversation (also a deleted one, until purged); KeyError if there is none."""
        rows = self._db.read("SELECT * FROM conversations WHERE id = ?", (conversation_id,))
        if not rows:
            raise KeyError(conversation_id)
        return read_record(rows[0])

    def list_conversations(self) -> list[ConversationRecord]:
        """Pinned first, then the most recently active first; deleted ones are not listed."""
        rows = self._db.read(
            f"SELECT * FROM conversations WHERE deleted_at IS NULL ORDER BY {LIST_ORDER}"
        )
        return [read_record(row) for row in rows]

    def rename_conversation(self, conversation_id: ConversationId, title: str) -> None:
        self._set(conversation_id, "title", title)

    def set_pinned(self, conversation_id: ConversationId, pinned: bool) -> None:
        self._set(conversation_id, "pinned", int(pinned))

    def set_overrides(
        self, conversation_id: ConversationId, overrides: dict[str, object] | None
    ) -> None:
        """The conversation's own settings (system prompt, sampling) as JSON; None clears."""
        self._set(conversation_id, "overrides", _overrides_text(overrides))

    def set_context_choice(self, conversation_id: ConversationId, choice: str | None) -> None:
        """Remember what to do when this conversation no longer fits the context window."""
        self._set(conversation_id, "context_choice", choice)

    def set_prompt_date(self, conversation_id: ConversationId, day: date) -> None:
        """The date the conversation's system prompt gives from now on."""
        self._set(conversation_id, "prompt_date", day.isoformat())

    def set_active_leaf(self, conversation_id: ConversationId, message_id: MessageId) -> None:
        """Show the path from the root to `message_id`."""
        self._set(conversation_id, "active_leaf", message_id)

    def delete_conversation(self, conversation_id: ConversationId) -> None:
        """Hide the conversation; `restore_conversation` undoes it until `purge_deleted`."""
        self._set(conversation_id, "deleted_at", time.time())

    def restore_conversation(self, conversation_id: ConversationId) -> None:
        self._set(conversation_id, "deleted_at", None)

    def purge_deleted(self, older_than_s: float = 0.0) -> None:
        """Remove conversations deleted at least `older_than_s` ago for good, and the
        attachment files no message uses any more."""
        cutoff = time.time() - older_than_s
        with self._db.write() as db:
            db.execute(
                "DELETE FROM conversations WHERE deleted_at IS NOT NULL AND deleted_at <= ?",
                (cutoff,),
            )
            unused = attachments.orphans(db)
            gone = [(sha,) for sha, _ in unused]
            db.executemany("DELETE FROM image_originals WHERE sha256 = ?", gone)
            db.executemany("DELETE FROM attachments WHERE sha256 = ?", gone)
        for _, stored_path in unused:
            self._files.remove(stored_path)

    def _set(self, conversation_id: ConversationId, column: str, value: object) -> None:
        with self._db.write() as db:
            db.execute(
                f"UPDATE conversations SET {column} = ? WHERE id = ?", (value, conversation_id)
            )
