"""Conversations to Markdown (to read) and JSON (to keep and re-import), and back from JSON."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from app.core.conversation import ConversationRecord, ConversationSnapshot, MessageState
from app.core.messages import ChatMessage, Role, ToolCall
from app.store.errors import StoreError, StoreErrorKind

FORMAT = "tramontane-conversations"
FORMAT_VERSION = 1
ROLE_TITLES = {
    Role.USER: "You",
    Role.ASSISTANT: "Assistant",
    Role.TOOL: "Tool",
    Role.SYSTEM: "System",
}


def write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(
            StoreErrorKind.READ_ONLY, f"The export could not be written to {path}: {exc.strerror}."
        ) from exc


def conversation_markdown(record: ConversationRecord, snapshot: ConversationSnapshot) -> str:
    lines = [f"# {record.title}", ""]
    for node in snapshot.active_path:
        message = node.message
        lines += [f"## {ROLE_TITLES[message.role]}", ""]
        if message.content:
            lines += [message.content, ""]
        for call in message.tool_calls:
            lines += [
                f"Tool call `{call.name}` ({call.id}):",
                "",
                f"```json\n{call.arguments}\n```",
                "",
            ]
    return "\n".join(lines)


def _message_json(
    node_id: int, parent: int | None, message: ChatMessage, state: str
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": node_id,
        "parent": parent,
        "role": message.role.value,
        "content": message.content,
        "state": state,
    }
    if message.tool_calls:
        data["tool_calls"] = [
            {"id": c.id, "name": c.name, "arguments": c.arguments} for c in message.tool_calls
        ]
    if message.tool_call_id is not None:
        data["tool_call_id"] = message.tool_call_id
    return data


def conversations_json(items: Sequence[tuple[ConversationRecord, ConversationSnapshot]]) -> str:
    conversations = [
        {
            "title": record.title,
            "overrides": record.overrides,
            "active_leaf": snapshot.active_leaf,
            "messages": [
                _message_json(n.id, n.parent_id, n.message, n.state.value) for n in snapshot.nodes
            ],
        }
        for record, snapshot in items
    ]
    return json.dumps(
        {"format": FORMAT, "version": FORMAT_VERSION, "conversations": conversations},
        ensure_ascii=False,
        indent=1,
    )


ParsedConversation = tuple[
    str,
    dict[str, object] | None,
    list[tuple[int, int | None, ChatMessage, MessageState]],
    int | None,
]


def parse_export(path: Path) -> Iterator[ParsedConversation]:
    """The conversations of a JSON export, checked before anything is imported."""
    unreadable = StoreError(
        StoreErrorKind.UNREADABLE, f"{path.name} is not a Tramontane conversation export."
    )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise unreadable from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise unreadable
    parsed: list[ParsedConversation] = []
    try:
        for item in data["conversations"]:
            messages = []
            for m in item["messages"]:
                calls = tuple(
                    ToolCall(str(c["id"]), str(c["name"]), str(c["arguments"]))
                    for c in m.get("tool_calls", [])
                )
                message = ChatMessage(
                    Role(m["role"]), str(m["content"]), (), calls, m.get("tool_call_id")
                )
                messages.append((int(m["id"]), m["parent"], message, MessageState(m["state"])))
            parsed.append(
                (str(item["title"]), item.get("overrides"), messages, item.get("active_leaf"))
            )
    except (KeyError, TypeError, ValueError) as exc:
        raise unreadable from exc
    yield from parsed
