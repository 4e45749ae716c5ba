"""Chunk sizes for work that must stop soon after it is asked to: reading a prompt ahead."""

from __future__ import annotations


class ChunkPacer:
    """How many positions to evaluate per llama.cpp call so that each call takes about
    `target_s` at the speed measured so far: long enough to keep the batch efficient, short
    enough that a command arriving meanwhile waits little."""

    def __init__(self, limit: int, target_s: float = 0.1, first: int = 16) -> None:
        self._limit = max(1, limit)
        self._target_s = target_s
        self._size = min(first, self._limit)
        self._positions = 0
        self._seconds = 0.0

    def size(self) -> int:
        return self._size

    def record(self, positions: int, seconds: float) -> None:
        self._positions += positions
        self._seconds += seconds
        if self._seconds <= 0:
            self._size = self._limit
            return
        per_second = self._positions / self._seconds
        wanted = int(per_second * self._target_s)
        # Grow at most fourfold at a time: the first chunks are too short to time well.
        self._size = max(1, min(self._limit, wanted, self._size * 4))
