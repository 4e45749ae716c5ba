"""The conversation store: SQLite (WAL) in the data folder, attachments beside it.

Open it with `open_store(path=None)` (default `data_dir() / "conversations.sqlite3"`; takes the
single-instance lock). It returns a `SqliteStore`; `store.notice` is a sentence to show when a
damaged file was set aside, `store.backup` the copy taken before a schema migration,
`store.interrupted` how many answers were left streaming by the last run. Types come from
`app.core.conversation` (ids are ints).

Conversations
    create_conversation(title) -> ConversationId
    conversation(id) -> ConversationRecord                      (KeyError if unknown)
    list_conversations() -> list[ConversationRecord]            pinned first, then newest
    rename_conversation(id, title); set_pinned(id, pinned)
    set_overrides(id, dict | None)                              system prompt, sampling (JSON)
    set_context_choice(id, str | None)                          remembered overflow choice
    set_prompt_date(id, date)                                   the date its system prompt gives
    set_active_leaf(id, message_id)                             the branch shown
    delete_conversation(id); restore_conversation(id)           soft delete, undo
    purge_deleted(older_than_s=0.0)                             removes them and unused files

Messages (a tree: a regenerated answer or an edited question is a sibling)
    add_message(conversation_id, parent_id | None, ChatMessage, state=COMPLETE) -> MessageId
        images (ImagePart) are copied in once per SHA-256 and linked in order
    add_attachment(source: Path, mime=None) -> ImagePart        keep a file before sending it
    attachment(sha256) -> Attachment                            mime, size, path
    checkpoint(message_id, text) -> bool                        save an answer still streaming
                                                                (never over a finished one);
                                                                True if it wrote
    update_message(message_id, *, content, state, meta: AnswerMeta | None = None)
    delete_message(message_id)                                  with everything under it
    set_left_out(message_ids, left_out=True); pin_message(message_id, pinned=True)
    set_token_counts({message_id: tokens})                      kept until the text changes
    snapshot(conversation_id) -> ConversationSnapshot           tree, active path, turns()
    answer_meta(message_id) -> AnswerMeta | None
    recover_interrupted() -> int                                (done on open)

Search
    search(query, limit=50) -> list[SearchResult]               every word, last one a prefix;
                                                                snippet with (start, end) hits

Export and import
    export_conversation_markdown(id, path)
    export_conversations_markdown(ids | None, path)             None: every listed one
    export_conversations_json(ids | None, path)                 whole trees, attachments base64
    import_conversations_json(path) -> list[ConversationId]     new ids, tree kept

close() releases the database and the lock.

Failures a user can act on raise `StoreError(kind, message)` with a readable message; kinds:
DISK_FULL, READ_ONLY, CORRUPT, NEWER_VERSION, LOCKED, ALREADY_RUNNING, DISK_ERROR, UNREADABLE.
"""

from __future__ import annotations

from pathlib import Path

from app.core.i18n import translate
from app.paths import data_dir
from app.store.errors import StoreError, StoreErrorKind
from app.store.sqlite_store import SqliteStore

DATABASE_NAME = "conversations.sqlite3"


def open_store(path: Path | None = None) -> SqliteStore:
    """Open the store for the program (one program at a time). Raises StoreError."""
    if path is None:
        try:
            path = data_dir() / DATABASE_NAME
        except OSError as exc:
            raise StoreError(
                StoreErrorKind.READ_ONLY,
                translate(
                    "StoreError", "Tramontane cannot create its data folder: {reason}."
                ).format(reason=exc.strerror),
            ) from exc
    return SqliteStore(path, single_instance=True)


__all__ = ["DATABASE_NAME", "SqliteStore", "StoreError", "StoreErrorKind", "open_store"]
