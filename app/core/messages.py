"""Chat messages as every part of the program sees them: stored, shown, rendered."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path


class Role(StrEnum):
    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"


@dataclass(frozen=True, slots=True)
class ToolCall:
    """One function call made by the model. `arguments` is the JSON text exactly as produced."""

    id: str
    name: str
    arguments: str


@dataclass(frozen=True, slots=True)
class ImagePart:
    """An image attached to a user message, already prepared for the encoder."""

    path: Path
    sha256: str


@dataclass(frozen=True, slots=True)
class DocumentPart:
    """A document attached to a user message as text: a `<document name="...">` block (its
    header names the file and the pages or lines), read by the model before the typed text."""

    text: str

    @property
    def name(self) -> str:
        found = _DOCUMENT_NAME.match(self.text)
        return found.group(1) if found else "document"

    @property
    def extent(self) -> str:
        """ "pages 1-3 of 12", "lines 1-200 of 900", or "" for a whole text file."""
        found = _DOCUMENT_EXTENT.match(self.text)
        return f"{found.group(1)} {found.group(2)}" if found else ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


_DOCUMENT_NAME = re.compile(r'<document name="([^"]*)"')
_DOCUMENT_EXTENT = re.compile(r'<document name="[^"]*" (pages|lines)="([^"]*)"')


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One message. A user message's images come before its text unless `image_offsets` says
    where each sits in `content` (a request can interleave them); see `user_parts`."""

    role: Role
    content: str = ""
    images: tuple[ImagePart, ...] = ()
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None
    name: str | None = None
    documents: tuple[DocumentPart, ...] = ()
    image_offsets: tuple[int, ...] = ()  # per image, the index in `content` it stands before


def model_text(message: ChatMessage) -> str:
    """What the model reads of a message: its documents' blocks, then the typed text."""
    parts = (*(document.text for document in message.documents), message.content)
    return "\n\n".join(text for text in parts if text)


def with_documents_read(message: ChatMessage) -> ChatMessage:
    """`message` as the model reads it: its documents' blocks put into its text, before what was
    typed (images placed in the text keep their place in it)."""
    if not message.documents:
        return message
    text = model_text(message)
    shift = len(text) - len(message.content)
    offsets = tuple(offset + shift for offset in message.image_offsets)
    return replace(message, content=text, documents=(), image_offsets=offsets)


Part = str | ImagePart


def user_parts(message: ChatMessage) -> list[Part]:
    """The message's text and images in reading order; no empty text parts."""
    offsets = message.image_offsets or (0,) * len(message.images)
    parts: list[Part] = []
    start = 0
    for image, offset in zip(message.images, offsets, strict=False):
        offset = min(max(offset, start), len(message.content))
        if offset > start:
            parts.append(message.content[start:offset])
            start = offset
        parts.append(image)
    if message.content[start:]:
        parts.append(message.content[start:])
    return parts


def with_parts(message: ChatMessage, parts: list[Part]) -> ChatMessage:
    """`message` holding `parts` (text and images in reading order) as its content and images."""
    texts: list[str] = []
    images: list[ImagePart] = []
    offsets: list[int] = []
    length = 0
    for part in parts:
        if isinstance(part, str):
            texts.append(part)
            length += len(part)
        else:
            images.append(part)
            offsets.append(length)
    return replace(
        message,
        content="".join(texts),
        images=tuple(images),
        image_offsets=tuple(offsets) if any(offsets) else (),
    )


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """A function offered to the model, in the OpenAI-style shape chat templates expect."""

    name: str
    description: str
    parameters: dict[str, object] = field(default_factory=dict)

    def as_template_dict(self) -> dict[str, object]:
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters,
            },
        }
