"""Chat messages as every part of the program sees them: stored, shown, rendered."""

from __future__ import annotations

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
class ChatMessage:
    """One message. A user message's images come before its text unless `image_offsets` says
    where each sits in `content` (a request can interleave them); see `user_parts`."""

    role: Role
    content: str = ""
    images: tuple[ImagePart, ...] = ()
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None
    name: str | None = None
    image_offsets: tuple[int, ...] = ()  # per image, the index in `content` it stands before


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
