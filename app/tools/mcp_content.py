"""What an MCP tool answered, as the model reads it: text blocks as they are, resource links and
embedded resources as their text with their URI, images decoded for the vision encoder (and
named in the text, so a model without a projector still knows one came)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any

from app.media.prepare import MAX_IMAGES, MediaError, PreparedImage, prepare_bytes
from app.tools.registry import ToolOutput


def tool_output(content: Sequence[Any], structured: object = None) -> ToolOutput:
    """The blocks of a `CallToolResult` as text and images; `structured` when there is no text."""
    parts: list[str] = []
    images: list[PreparedImage] = []
    for block in content:
        kind = getattr(block, "type", "")
        if kind == "text":
            parts.append(str(block.text))
        elif kind == "image":
            parts.append(_image(block.data, block.mime_type, len(images) + 1, images))
        elif kind == "resource_link":
            parts.append(_link(block))
        elif kind == "resource":
            parts.append(_embedded(block.resource))
        else:
            mime = getattr(block, "mime_type", None)
            parts.append(f"[{kind or 'content'}{f' ({mime})' if mime else ''}: not readable here]")
    text = "\n".join(parts)
    if not text and structured is not None:
        text = json.dumps(structured, ensure_ascii=False)
    return ToolOutput(text, tuple(images))


def _image(data: str, mime: str, number: int, images: list[PreparedImage]) -> str:
    label = f"image {number} ({mime})"
    if len(images) >= MAX_IMAGES:
        return f"[{label}: left out, only {MAX_IMAGES} images fit a message]"
    try:
        prepared = prepare_bytes(base64.b64decode(data, validate=True), label)
    except (binascii.Error, ValueError) as exc:
        reason = exc if isinstance(exc, MediaError) else "its data is not valid base64"
        return f"[{label}: unreadable, {reason}]"
    images.append(prepared)
    return f"[{label}, {prepared.width}×{prepared.height}]"


def _link(block: Any) -> str:
    name = block.title or block.name
    described = f": {block.description}" if block.description else ""
    mime = f" ({block.mime_type})" if block.mime_type else ""
    return f"[resource link] {name} <{block.uri}>{mime}{described}"


def _embedded(resource: Any) -> str:
    mime = f" ({resource.mime_type})" if resource.mime_type else ""
    text = getattr(resource, "text", None)
    if text is not None:
        return f"[resource] <{resource.uri}>{mime}\n{text}"
    size = len(resource.blob) * 3 // 4
    return f"[resource] <{resource.uri}>{mime}: {size:,} bytes of binary data, not shown"
