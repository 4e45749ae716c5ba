"""What the KV cache holds, item by item, so that a new prompt reuses the longest common prefix.

A text token is an int and takes one position; an image is one `ImageChunk` (the hash of the
image and the number of positions its embeddings take), reused whole or not at all. Positions,
not items, are what llama.cpp's KV memory is cut at.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ImageChunk:
    sha256: str
    n_tokens: int


KvItem = int | ImageChunk


def width(item: KvItem) -> int:
    """The number of KV positions `item` takes."""
    return item.n_tokens if isinstance(item, ImageChunk) else 1


class KvSequence:
    """The items whose keys and values are in the cache, in order (sequence 0)."""

    def __init__(self) -> None:
        self._items: list[KvItem] = []
        self._positions = 0
        self._images = 0

    def __len__(self) -> int:
        return len(self._items)

    @property
    def positions(self) -> int:
        return self._positions

    def reusable(self, prompt: Sequence[KvItem]) -> int:
        """How many leading items of `prompt` can stay in the cache.

        The last item is never counted: evaluating it again yields the logits to sample from.
        """
        limit = max(min(len(self._items), len(prompt) - 1), 0)
        if self._items[:limit] == list(prompt[:limit]):  # the usual follow-up turn, at C speed
            return limit
        for index in range(limit):
            if self._items[index] != prompt[index]:
                return index
        return limit

    def position_of(self, index: int) -> int:
        """The KV position where item `index` starts."""
        if index == len(self._items):
            return self._positions
        if not self._images:
            return index
        return sum(width(item) for item in self._items[:index])

    def truncate(self, keep: int) -> int:
        """Forget everything from item `keep` on; returns the first position to remove."""
        start = self.position_of(keep)
        self._images -= sum(isinstance(item, ImageChunk) for item in self._items[keep:])
        del self._items[keep:]
        self._positions = start
        return start

    def extend(self, items: Iterable[KvItem]) -> None:
        for item in items:
            self._items.append(item)
            self._positions += width(item)
            self._images += isinstance(item, ImageChunk)

    def items(self) -> tuple[KvItem, ...]:
        return tuple(self._items)

    def clear(self) -> None:
        self._items.clear()
        self._positions = 0
        self._images = 0
