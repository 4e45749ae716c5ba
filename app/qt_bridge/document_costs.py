"""What attached text costs in tokens, counted with the loaded model's vocabulary.

The vocabulary is read from the model file once per model (no weights) and kept while that
model is loaded; llama.cpp is imported then, not when the window starts. With no local model
(none loaded, or a server answering) the cost is an estimate, and said to be one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.engine.vocabulary import Vocabulary

Count = Callable[[str], int]
CHARS_PER_TOKEN = 3.5  # an estimate for text when no tokenizer is at hand


def estimate(text: str) -> int:
    return round(len(text) / CHARS_PER_TOKEN)


class DocumentCosts:
    def __init__(self, model_path: Callable[[], Path | None]) -> None:
        self._model_path = model_path
        self._vocabulary: Vocabulary | None = None

    def counter(self) -> tuple[Count, bool]:
        """The count to show, and whether it is exact."""
        path = self._model_path()
        if path is None:
            return estimate, False
        if self._vocabulary is None or self._vocabulary.model_path != path:
            if self._vocabulary is not None:
                self._vocabulary.close()
            from app.engine.vocabulary import Vocabulary  # llama.cpp, once a document comes

            try:
                self._vocabulary = Vocabulary(path)
            except (OSError, ValueError):
                self._vocabulary = None
                return estimate, False
        return self._vocabulary.count, True
