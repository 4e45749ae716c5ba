"""Turns rendered prompt parts into what the engine evaluates: token ids and image slots."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.engine.template import MEDIA_MARKER, PromptPart

Tokenize = Callable[[str, bool], list[int]]  # (text, parse_special) -> token ids


@dataclass(frozen=True, slots=True)
class ImageSlot:
    """Where the n-th image of the conversation goes in the prompt."""

    index: int


PromptItem = int | ImageSlot


def tokenize_parts(parts: Sequence[PromptPart], tokenize: Tokenize) -> list[PromptItem]:
    """Template text is parsed for control tokens; message text never is."""
    items: list[PromptItem] = []
    images = 0
    for part in parts:
        if part.literal:
            items += tokenize(part.text, False)
            continue
        for index, piece in enumerate(part.text.split(MEDIA_MARKER)):
            if index:
                items.append(ImageSlot(images))
                images += 1
            if piece:
                items += tokenize(piece, True)
    return items
