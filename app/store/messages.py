"""Messages: the tree of one conversation, streaming checkpoints, attachments, context flags."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path

from app.core.conversation import (
    AnswerMeta,
    ConversationId,
    ConversationSnapshot,
    MessageId,
    MessageNode,
    MessageState,
)
from app.core.messages import ChatMessage, DocumentPart, ImagePart, Role, ToolCall
from app.store import attachments
from app.store.attachments import Attachment, AttachmentFiles
from app.store.database import Database


def insert_message(
    db: sqlite3.Connection,
    conversation_id: ConversationId,
    parent_id: MessageId | None,
    message: ChatMessage,
    state: MessageState,
    created_at: float,
    *,
    pinned: bool = False,
    left_out: bool = False,
) -> MessageId:
    """One message row with its attachment links (the attachments must be recorded)."""
    calls = [[c.id, c.name, c.arguments] for c in message.tool_calls]
    cursor = db.execute(
        "INSERT INTO messages (conversation_id, parent_id, role, content, state, created_at, "
        "tool_calls, tool_call_id, tool_name, pinned, left_out) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            conversation_id,
            parent_id,
            message.role.value,
            message.content,
            state.value,
            created_at,
            json.dumps(calls) if calls else None,
            message.tool_call_id,
            message.name,
            int(pinned),
            int(left_out),
        ),
    )
    message_id = int(cursor.lastrowid or 0)
    hashes = [*(i.sha256 for i in message.images), *(d.sha256 for d in message.documents)]
    attachments.link(db, message_id, hashes)
    db.execute(
        "UPDATE conversations SET updated_at = max(updated_at, ?) WHERE id = ?",
        (created_at, conversation_id),
    )
    return message_id


def write_meta(db: sqlite3.Connection, message_id: MessageId, meta: AnswerMeta) -> None:
    db.execute(
        "UPDATE messages SET prompt_tokens = ?, completion_tokens = ?, tokens_per_s = ?, "
        "ttft_s = ?, prompt_tokens_per_s = ?, model_file = ?, quant = ?, finish_reason = ?, "
        "draft_tokens = ?, accepted_tokens = ?, speculative_speedup = ? WHERE id = ?",
        (
            meta.prompt_tokens,
            meta.completion_tokens,
            meta.tokens_per_s,
            meta.time_to_first_token_s,
            meta.prompt_tokens_per_s,
            meta.model_file,
            meta.quant,
            meta.finish_reason,
            meta.draft_tokens,
            meta.accepted_tokens,
            meta.speculative_speedup,
            message_id,
        ),
    )


def read_meta(row: sqlite3.Row) -> AnswerMeta | None:
    if row["model_file"] is None:
        return None
    return AnswerMeta(
        prompt_tokens=row["prompt_tokens"] or 0,
        completion_tokens=row["completion_tokens"] or 0,
        tokens_per_s=row["tokens_per_s"] or 0.0,
        model_file=row["model_file"],
        quant=row["quant"],
        time_to_first_token_s=row["ttft_s"] or 0.0,
        prompt_tokens_per_s=row["prompt_tokens_per_s"] or 0.0,
        finish_reason=row["finish_reason"],
        draft_tokens=row["draft_tokens"] or 0,
        accepted_tokens=row["accepted_tokens"] or 0,
        speculative_speedup=row["speculative_speedup"] or 1.0,
    )


def read_node(
    row: sqlite3.Row, images: tuple[ImagePart, ...], documents: tuple[DocumentPart, ...] = ()
) -> MessageNode:
    calls = tuple(ToolCall(i, n, a) for i, n, a in json.loads(row["tool_calls"] or "[]"))
    message = ChatMessage(
        Role(row["role"]),
        row["content"],
        images,
        calls,
        row["tool_call_id"],
        row["tool_name"],
        documents,
    )
    return MessageNode(
        id=row["id"],
        parent_id=row["parent_id"],
        message=message,
        state=MessageState(row["state"]),
        pinned=bool(row["pinned"]),
        left_out=bool(row["left_out"]),
        created_at=datetime.fromtimestamp(row["created_at"]),
        meta=read_meta(row),
        token_count=row["token_count"],
    )


class MessageTable:
    """The message operations of `SqliteStore`."""

    _db: Database
    _files: AttachmentFiles

    # ---- writing ----------------------------------------------------------------------------

    def add_message(
        self,
        conversation_id: ConversationId,
        parent_id: MessageId | None,
        message: ChatMessage,
        state: MessageState = MessageState.COMPLETE,
    ) -> MessageId:
        """Add a message under `parent_id` (None: a root). Its images and documents are kept
        by content."""
        kept = [self._keep(image) for image in message.images]
        texts = [d.text.encode("utf-8") for d in message.documents]
        documents = [self._files.keep(t, "document.txt", attachments.DOCUMENT_MIME) for t in texts]
        stored = ChatMessage(
            message.role,
            message.content,
            tuple(ImagePart(a.path, a.sha256) for a in kept),
            message.tool_calls,
            message.tool_call_id,
            message.name,
            message.documents,
        )
        with self._db.write() as db:
            for a in kept:
                attachments.record(db, a.sha256, a.mime, a.size, self._stored_path(a.path))
            for (digest, mime, relative), text in zip(documents, texts, strict=True):
                attachments.record(db, digest, mime, len(text), relative)
            return insert_message(db, conversation_id, parent_id, stored, state, time.time())

    def add_attachment(self, source: Path, mime: str | None = None) -> ImagePart:
        """Keep a copy of a file (once per content); the part points at the copy."""
        data = self._files.read(source)
        digest, kind, relative = self._files.keep(data, source.name, mime)
        with self._db.write() as db:
            attachments.record(db, digest, kind, len(data), relative)
        return ImagePart(self._files.resolve(relative), digest)

    def keep_original(self, sha256: str, original: Path) -> None:
        """Keep the file an attached image was made from (a photo, a scanned PDF), once per
        content, beside the image the model sees."""
        kept = self.add_attachment(original)
        if kept.sha256 != sha256:
            with self._db.write() as db:
                attachments.remember_original(db, sha256, kept.sha256)

    def original_of(self, sha256: str) -> Path | None:
        rows = self._db.read(
            "SELECT a.path FROM image_originals o JOIN attachments a "
            "ON a.sha256 = o.original_sha256 WHERE o.sha256 = ?",
            (sha256,),
        )
        return self._files.resolve(rows[0]["path"]) if rows else None

    def attachment(self, sha256: str) -> Attachment:
        rows = self._db.read("SELECT * FROM attachments WHERE sha256 = ?", (sha256,))
        if not rows:
            raise KeyError(sha256)
        row = rows[0]
        return Attachment(row["sha256"], row["mime"], row["size"], self._files.resolve(row["path"]))

    def update_message(
        self,
        message_id: MessageId,
        *,
        content: str,
        state: MessageState,
        meta: AnswerMeta | None = None,
        tool_calls: tuple[ToolCall, ...] = (),
    ) -> None:
        """Save an answer's text, state and calls: the start of a continuation, or the final
        version."""
        calls = [[c.id, c.name, c.arguments] for c in tool_calls]
        with self._db.write() as db:
            db.execute(
                "UPDATE messages SET content = ?, state = ?, tool_calls = ?, token_count = NULL "
                "WHERE id = ?",
                (content, state.value, json.dumps(calls) if calls else None, message_id),
            )
            if meta is not None:
                write_meta(db, message_id, meta)

    def checkpoint(self, message_id: MessageId, text: str) -> bool:
        """Save the text of an answer still streaming; True when written. An answer already
        saved as finished is left alone, so a late checkpoint never undoes the final save."""
        with self._db.write() as db:
            cursor = db.execute(
                "UPDATE messages SET content = ? WHERE id = ? AND state = ?",
                (text, message_id, MessageState.STREAMING.value),
            )
        return cursor.rowcount > 0

    def recover_interrupted(self) -> int:
        """Messages left streaming by a program that ended become INTERRUPTED; how many."""
        with self._db.write() as db:
            cursor = db.execute(
                "UPDATE messages SET state = ? WHERE state = ?",
                (MessageState.INTERRUPTED.value, MessageState.STREAMING.value),
            )
        return cursor.rowcount

    def delete_message(self, message_id: MessageId) -> None:
        """Remove a message and everything that branched from it."""
        with self._db.write() as db:
            db.execute("DELETE FROM messages WHERE id = ?", (message_id,))

    def set_left_out(self, message_ids: Iterable[MessageId], left_out: bool = True) -> None:
        """Mark messages as left out of the context (or back in)."""
        with self._db.write() as db:
            db.executemany(
                "UPDATE messages SET left_out = ? WHERE id = ?",
                [(int(left_out), message_id) for message_id in message_ids],
            )

    def set_token_counts(self, counts: Mapping[MessageId, int]) -> None:
        """Keep each message's own token count (for the context budget)."""
        with self._db.write() as db:
            db.executemany(
                "UPDATE messages SET token_count = ? WHERE id = ?",
                [(tokens, message_id) for message_id, tokens in counts.items()],
            )

    def pin_message(self, message_id: MessageId, pinned: bool = True) -> None:
        """A pinned message stays in the context when older turns are left out."""
        with self._db.write() as db:
            db.execute("UPDATE messages SET pinned = ? WHERE id = ?", (int(pinned), message_id))

    # ---- reading ----------------------------------------------------------------------------

    def snapshot(self, conversation_id: ConversationId) -> ConversationSnapshot:
        """The whole tree; the active leaf falls back to the newest branch if it is unknown."""
        record = self._db.read(
            "SELECT active_leaf FROM conversations WHERE id = ?", (conversation_id,)
        )
        if not record:
            raise KeyError(conversation_id)
        rows = self._db.read(
            "SELECT * FROM messages WHERE conversation_id = ? ORDER BY id", (conversation_id,)
        )
        images, documents = self._attachments_of(conversation_id)
        nodes = tuple(
            read_node(row, images.get(row["id"], ()), documents.get(row["id"], ())) for row in rows
        )
        snapshot = ConversationSnapshot(conversation_id, nodes, record[0]["active_leaf"])
        leaf = snapshot.active_leaf
        if nodes and (leaf is None or leaf not in {n.id for n in nodes}):
            roots = snapshot.children(None)
            snapshot = ConversationSnapshot(
                conversation_id, nodes, snapshot.latest_leaf_under(roots[-1].id)
            )
        return snapshot

    def answer_meta(self, message_id: MessageId) -> AnswerMeta | None:
        rows = self._db.read("SELECT * FROM messages WHERE id = ?", (message_id,))
        return read_meta(rows[0]) if rows else None

    # ---- helpers ----------------------------------------------------------------------------

    def _attachments_of(
        self, conversation_id: ConversationId
    ) -> tuple[dict[MessageId, tuple[ImagePart, ...]], dict[MessageId, tuple[DocumentPart, ...]]]:
        """Each message's images and documents, in the order they were attached."""
        rows = self._db.read(
            "SELECT l.message_id, a.sha256, a.path, a.mime FROM message_attachments l "
            "JOIN attachments a ON a.sha256 = l.sha256 "
            "JOIN messages m ON m.id = l.message_id "
            "WHERE m.conversation_id = ? ORDER BY l.message_id, l.position",
            (conversation_id,),
        )
        images: dict[MessageId, list[ImagePart]] = {}
        documents: dict[MessageId, list[DocumentPart]] = {}
        for row in rows:
            path = self._files.resolve(row["path"])
            if row["mime"] == attachments.DOCUMENT_MIME:
                text = self._files.read(path).decode("utf-8", errors="replace")
                documents.setdefault(row["message_id"], []).append(DocumentPart(text))
            else:
                images.setdefault(row["message_id"], []).append(ImagePart(path, row["sha256"]))
        return (
            {message_id: tuple(parts) for message_id, parts in images.items()},
            {message_id: tuple(parts) for message_id, parts in documents.items()},
        )

    def _keep(self, image: ImagePart) -> Attachment:
        """The attachment for an image: already kept under its hash, or copied in now."""
        rows = self._db.read("SELECT * FROM attachments WHERE sha256 = ?", (image.sha256,))
        if rows and self._files.resolve(rows[0]["path"]).is_file():
            return self.attachment(image.sha256)
        data = self._files.read(image.path)
        digest, mime, relative = self._files.keep(data, image.path.name)
        return Attachment(digest, mime, len(data), self._files.resolve(relative))

    def _stored_path(self, path: Path) -> str:
        try:
            return path.relative_to(self._files.folder).as_posix()
        except ValueError:
            return str(path)
