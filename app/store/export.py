"""Conversations to Markdown (to read) and JSON (to keep and import again), and back from JSON.

The JSON holds every branch of every conversation, the settings kept with it, and the
attachments once each, base64-encoded under their SHA-256. Importing gives new ids and keeps
the tree, the shown branch and the timestamps. A file is checked whole before anything is
imported, and imported in one transaction.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import os
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.conversation import (
    AnswerMeta,
    ConversationId,
    ConversationRecord,
    ConversationSnapshot,
    MessageId,
    MessageNode,
    MessageState,
)
from app.core.i18n import translate
from app.core.messages import ChatMessage, DocumentPart, ImagePart, Role, ToolCall
from app.store import attachments
from app.store.attachments import sha256_of
from app.store.conversations import ConversationTable, insert_conversation
from app.store.errors import StoreError, StoreErrorKind
from app.store.messages import MessageTable, insert_message, write_meta

FORMAT = "tramontane-conversations"
FORMAT_VERSION = 2  # 1: no attachments, timestamps or flags
ROLE_TITLES = {
    Role.USER: "You",
    Role.ASSISTANT: "Assistant",
    Role.TOOL: "Tool",
    Role.SYSTEM: "System",
}


# ---- Markdown ---------------------------------------------------------------------------------


def conversation_markdown(record: ConversationRecord, snapshot: ConversationSnapshot) -> str:
    """The shown branch of a conversation, as a reader would want it."""
    lines = [f"# {record.title}", ""]
    for node in snapshot.active_path:
        message = node.message
        lines += [f"## {ROLE_TITLES[message.role]}", ""]
        for image in message.images:
            lines += [f"*Attached image: {image.path.name}*", ""]
        for document in message.documents:
            extent = f" ({document.extent})" if document.extent else ""
            lines += [f"*Attached document: {document.name}{extent}*", ""]
        if message.content:
            lines += [message.content, ""]
        for call in message.tool_calls:
            lines += [
                f"Tool call `{call.name}` ({call.id}):",
                "",
                "```json",
                call.arguments,
                "```",
                "",
            ]
        if node.state not in (MessageState.COMPLETE, MessageState.STREAMING):
            lines += [f"*({node.state.value})*", ""]
    return "\n".join(lines)


def write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        kind = StoreErrorKind.DISK_FULL if exc.errno == 28 else StoreErrorKind.READ_ONLY
        raise StoreError(
            kind,
            translate("StoreError", "The export could not be written to {path}: {reason}.").format(
                path=path, reason=exc.strerror
            ),
        ) from exc


# ---- JSON out -------------------------------------------------------------------------------


def _message_json(node: MessageNode) -> dict[str, Any]:
    message = node.message
    return {
        "id": node.id,
        "parent": node.parent_id,
        "role": message.role.value,
        "content": message.content,
        "state": node.state.value,
        "created_at": node.created_at.timestamp() if node.created_at else None,
        "pinned": node.pinned,
        "left_out": node.left_out,
        "attachments": [
            *(image.sha256 for image in message.images),
            *(document.sha256 for document in message.documents),
        ],
        "tool_calls": [
            {"id": c.id, "name": c.name, "arguments": c.arguments} for c in message.tool_calls
        ],
        "tool_call_id": message.tool_call_id,
        "tool_name": message.name,
        "meta": dataclasses.asdict(node.meta) if node.meta else None,
        "token_count": node.token_count,
    }


def _attachment_json(image: ImagePart, mime: str) -> dict[str, Any]:
    try:
        data: str | None = base64.b64encode(image.path.read_bytes()).decode("ascii")
    except OSError:
        data = None  # the file is gone; the message keeps saying an image was there
    return {"mime": mime, "name": image.path.name, "data": data}


# ---- JSON in --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportedMessage:
    old_id: int
    parent: int | None
    message: ChatMessage  # without images: they are `attachments`
    attachments: tuple[str, ...]
    state: MessageState
    created_at: float
    pinned: bool
    left_out: bool
    meta: AnswerMeta | None
    token_count: int | None


@dataclass(frozen=True)
class ImportedConversation:
    title: str
    created_at: float
    updated_at: float
    pinned: bool
    overrides: dict[str, object] | None
    context_choice: str | None
    active_leaf: int | None
    messages: tuple[ImportedMessage, ...]  # parents before children


@dataclass(frozen=True)
class ImportedAttachment:
    sha256: str
    mime: str
    name: str
    data: bytes


def _in_tree_order(messages: list[ImportedMessage]) -> tuple[ImportedMessage, ...]:
    """Parents before children; ValueError for an unknown parent or a cycle."""
    by_id = {m.old_id: m for m in messages}
    if len(by_id) != len(messages):
        raise ValueError("duplicate message ids")
    ordered: list[ImportedMessage] = []
    placed: set[int] = set()
    for message in messages:
        chain: list[ImportedMessage] = []
        current: ImportedMessage | None = message
        while current is not None and current.old_id not in placed:
            chain.append(current)
            if len(chain) > len(messages):
                raise ValueError("a cycle in the message tree")
            current = None if current.parent is None else by_id[current.parent]
        for found in reversed(chain):
            placed.add(found.old_id)
            ordered.append(found)
    return tuple(ordered)


def _settled(state: MessageState) -> MessageState:
    """An answer exported while it streamed is, once imported, one that was interrupted."""
    return MessageState.INTERRUPTED if state is MessageState.STREAMING else state


def _parse_message(m: dict[str, Any], now: float) -> ImportedMessage:
    calls = tuple(
        ToolCall(str(c["id"]), str(c["name"]), str(c["arguments"]))
        for c in m.get("tool_calls") or []
    )
    tool_call_id = m.get("tool_call_id")
    tool_name = m.get("tool_name")
    meta = m.get("meta")
    return ImportedMessage(
        old_id=int(m["id"]),
        parent=None if m["parent"] is None else int(m["parent"]),
        message=ChatMessage(
            Role(m["role"]),
            str(m["content"]),
            (),
            calls,
            None if tool_call_id is None else str(tool_call_id),
            None if tool_name is None else str(tool_name),
        ),
        attachments=tuple(str(h) for h in m.get("attachments") or []),
        state=_settled(MessageState(m["state"])),
        created_at=float(m.get("created_at") or now),
        pinned=bool(m.get("pinned", False)),
        left_out=bool(m.get("left_out", False)),
        meta=AnswerMeta(**meta) if meta else None,
        token_count=None if m.get("token_count") is None else int(m["token_count"]),
    )


def _parse_conversation(item: dict[str, Any], now: float) -> ImportedConversation:
    overrides = item.get("overrides")
    if overrides is not None and not isinstance(overrides, dict):
        raise TypeError("overrides")
    active = item.get("active_leaf")
    messages = _in_tree_order([_parse_message(m, now) for m in item["messages"]])
    created = float(item.get("created_at") or now)
    return ImportedConversation(
        title=str(item["title"]),
        created_at=created,
        updated_at=float(item.get("updated_at") or created),
        pinned=bool(item.get("pinned", False)),
        overrides=overrides,
        context_choice=item.get("context_choice"),
        active_leaf=None if active is None else int(active),
        messages=messages,
    )


def _parse_attachment(sha256: str, item: dict[str, Any]) -> ImportedAttachment | None:
    if item["data"] is None:
        return None
    data = base64.b64decode(item["data"], validate=True)
    if sha256_of(data) != sha256:
        raise ValueError(f"attachment {sha256} does not match its hash")
    return ImportedAttachment(sha256, str(item["mime"]), str(item.get("name") or sha256), data)


def parse_export(
    text: str, name: str
) -> tuple[list[ImportedConversation], dict[str, ImportedAttachment]]:
    """Everything in an export, checked; StoreError(UNREADABLE) if anything is wrong."""
    unreadable = translate("StoreError", "{name} is not a Tramontane conversation export.").format(
        name=name
    )
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise StoreError(StoreErrorKind.UNREADABLE, unreadable) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StoreError(StoreErrorKind.UNREADABLE, unreadable)
    if not isinstance(data.get("version"), int) or data["version"] > FORMAT_VERSION:
        raise StoreError(
            StoreErrorKind.UNREADABLE,
            translate(
                "StoreError", "{name} was written by a newer Tramontane; update to import it."
            ).format(name=name),
        )
    now = time.time()
    try:
        conversations = [_parse_conversation(item, now) for item in data["conversations"]]
        found = {
            sha: _parse_attachment(sha, item)
            for sha, item in (data.get("attachments") or {}).items()
        }
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise StoreError(
            StoreErrorKind.UNREADABLE,
            translate(
                "StoreError",
                "{name} is not a Tramontane conversation export (or it is damaged): {reason}.",
            ).format(name=name, reason=exc),
        ) from exc
    return conversations, {sha: a for sha, a in found.items() if a is not None}


# ---- the store's operations -----------------------------------------------------------------


class ExportImport(ConversationTable, MessageTable):
    """The export and import operations of `SqliteStore`."""

    def export_conversation_markdown(self, conversation_id: ConversationId, path: Path) -> None:
        self.export_conversations_markdown([conversation_id], path)

    def export_conversations_markdown(
        self, conversation_ids: Sequence[ConversationId] | None, path: Path
    ) -> None:
        """The shown branch of each conversation (None: all listed), one after the other."""
        parts = [
            conversation_markdown(self.conversation(i), self.snapshot(i))
            for i in self._ids(conversation_ids)
        ]
        write_atomically(path, "\n---\n\n".join(parts))

    def export_conversations_json(
        self, conversation_ids: Sequence[ConversationId] | None, path: Path
    ) -> None:
        """Whole conversations (None: all listed) with their attachments, to import again."""
        conversations: list[dict[str, Any]] = []
        files: dict[str, dict[str, Any]] = {}
        for conversation_id in self._ids(conversation_ids):
            record = self.conversation(conversation_id)
            snapshot = self.snapshot(conversation_id)
            conversations.append(
                {
                    "title": record.title,
                    "created_at": record.created_at.timestamp() if record.created_at else None,
                    "updated_at": record.updated_at.timestamp(),
                    "pinned": record.pinned,
                    "overrides": record.overrides,
                    "context_choice": record.context_choice,
                    "active_leaf": snapshot.active_leaf,
                    "messages": [_message_json(n) for n in snapshot.nodes],
                }
            )
            for node in snapshot.nodes:
                for image in node.message.images:
                    if image.sha256 not in files:
                        mime = self._mime_of(image.sha256)
                        files[image.sha256] = _attachment_json(image, mime)
                for part in node.message.documents:
                    files[part.sha256] = {
                        "mime": attachments.DOCUMENT_MIME,
                        "name": part.name,
                        "data": base64.b64encode(part.text.encode("utf-8")).decode("ascii"),
                    }
        document = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "conversations": conversations,
            "attachments": files,
        }
        write_atomically(path, json.dumps(document, ensure_ascii=False, indent=1))

    def import_conversations_json(self, path: Path) -> list[ConversationId]:
        """Add the conversations of an export, with new ids; returns them in file order."""
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise StoreError(
                StoreErrorKind.UNREADABLE,
                translate("StoreError", "{name} could not be read: {reason}.").format(
                    name=path.name, reason=exc
                ),
            ) from exc
        conversations, found = parse_export(text, path.name)
        kept = {sha: self._files.keep(a.data, a.name, a.mime) for sha, a in found.items()}
        created: list[ConversationId] = []
        with self._db.write() as db:
            for sha, (_, mime, relative) in kept.items():
                attachments.record(db, sha, mime, len(found[sha].data), relative)
            known = attachments.known_hashes(
                db, sorted({h for c in conversations for m in c.messages for h in m.attachments})
            )
            texts = {
                sha: a.data.decode("utf-8", errors="replace")
                for sha, a in found.items()
                if a.mime == attachments.DOCUMENT_MIME
            }
            for conversation in conversations:
                created.append(self._insert(db, conversation, known, texts))
        return created

    # ---- helpers ----------------------------------------------------------------------------

    def _ids(self, conversation_ids: Sequence[ConversationId] | None) -> list[ConversationId]:
        if conversation_ids is not None:
            return list(conversation_ids)
        return [record.id for record in self.list_conversations()]

    def _mime_of(self, sha256: str) -> str:
        rows = self._db.read("SELECT mime FROM attachments WHERE sha256 = ?", (sha256,))
        return str(rows[0]["mime"]) if rows else "application/octet-stream"

    def _insert(
        self,
        db: sqlite3.Connection,
        conversation: ImportedConversation,
        known: set[str],
        texts: dict[str, str],
    ) -> ConversationId:
        """One imported conversation; `texts` are its documents' blocks by hash."""
        conversation_id = insert_conversation(
            db,
            conversation.title,
            conversation.created_at,
            conversation.overrides,
            conversation.context_choice,
        )
        new_ids: dict[int, MessageId] = {}
        for m in conversation.messages:
            images = tuple(
                ImagePart(Path(), h) for h in m.attachments if h in known and h not in texts
            )
            documents = tuple(DocumentPart(texts[h]) for h in m.attachments if h in texts)
            message = dataclasses.replace(m.message, images=images, documents=documents)
            parent = None if m.parent is None else new_ids[m.parent]
            new_id = insert_message(
                db,
                conversation_id,
                parent,
                message,
                m.state,
                m.created_at,
                pinned=m.pinned,
                left_out=m.left_out,
            )
            if m.meta is not None:
                write_meta(db, new_id, m.meta)
            if m.token_count is not None:
                db.execute(
                    "UPDATE messages SET token_count = ? WHERE id = ?", (m.token_count, new_id)
                )
            new_ids[m.old_id] = new_id
        active = new_ids.get(conversation.active_leaf) if conversation.active_leaf else None
        db.execute(
            "UPDATE conversations SET active_leaf = ?, pinned = ?, updated_at = ? WHERE id = ?",
            (active, int(conversation.pinned), conversation.updated_at, conversation_id),
        )
        return conversation_id
