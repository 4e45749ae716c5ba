"""Drafts of the next tokens taken from the conversation itself ("prompt lookup").

Much of what a chat model writes repeats what is already in the conversation: the corrected
version of pasted code, a reworded paragraph, a table filled in from text above. The last few
tokens of the context are looked up earlier in it; what followed the longest, most recent match
is proposed as the next tokens, for the model to check in one step. No second model is involved.

The context is a preallocated array, so adding a token is O(1) and a lookup is a few vectorized
comparisons over it (tens of microseconds at 32K tokens). Images are kept as a separator that
never matches, so no draft reaches across one.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

SEPARATOR = -1  # an image's place: it matches nothing and ends any draft


class PromptLookup:
    def __init__(
        self,
        context: Iterable[int | None],
        capacity: int,
        *,
        min_match: int = 2,
        max_match: int = 8,
    ) -> None:
        """`context` holds token ids, with None where an image stands; `capacity` is how many
        tokens may follow it."""
        given = np.fromiter(
            (SEPARATOR if token is None else token for token in context), dtype=np.int32
        )
        self._tokens = np.empty(len(given) + capacity, dtype=np.int32)
        self._tokens[: len(given)] = given
        self._size = len(given)
        self.min_match = min_match
        self.max_match = max_match

    def __len__(self) -> int:
        return self._size

    def append(self, token: int) -> None:
        if self._size == len(self._tokens):  # more than promised: grow rather than fail
            self._tokens = np.concatenate([self._tokens, np.empty_like(self._tokens)])
        self._tokens[self._size] = token
        self._size += 1

    def draft(self, limit: int) -> list[int]:
        """Up to `limit` tokens that followed the longest (then most recent) earlier occurrence
        of the context's last tokens; empty when nothing matches `min_match` tokens. Where that
        continuation reaches the end of the context, the text is periodic, and so is the draft."""
        size = self._size
        if limit <= 0 or size < 2 or self._tokens[size - 1] == SEPARATOR:
            return []
        tokens = self._tokens[:size]
        ends = np.flatnonzero(tokens[: size - 1] == tokens[size - 1])  # where a match could end
        matched = 1
        while ends.size and matched < self.max_match:
            wanted = tokens[size - 1 - matched]
            if wanted == SEPARATOR:
                break
            before = ends - matched
            longer = ends[(before >= 0) & (tokens[np.maximum(before, 0)] == wanted)]
            if not longer.size:
                break
            ends = longer
            matched += 1
        if not ends.size or matched < self.min_match:
            return []
        start = int(ends[-1]) + 1
        follow = tokens[start : start + limit]
        cut = np.flatnonzero(follow == SEPARATOR)
        if cut.size:
            return [int(token) for token in follow[: int(cut[0])]]
        draft = [int(token) for token in follow]
        period = size - start  # a match reaching the end repeats itself: draft it on
        while len(draft) < limit:
            draft.append(draft[len(draft) - period])
        return draft
