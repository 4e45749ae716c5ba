"""Counting the tokens of text with the loaded model's own tokenizer, in the window's process.

Only the vocabulary is read from the model file (llama.cpp's `vocab_only`: no weights, well
under a second), so what a document costs is known before it is sent, token for token as the
engine will read it: message text is tokenized with control tokens read as plain text.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import llama_cpp


class Vocabulary:
    def __init__(self, model_path: Path) -> None:
        import llama_cpp  # only when a document is attached: the window starts without it

        self.model_path = model_path
        self._llm: llama_cpp.Llama = llama_cpp.Llama(
            str(model_path), vocab_only=True, verbose=False
        )

    def count(self, text: str) -> int:
        if not text:
            return 0
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def close(self) -> None:
        self._llm.close()
