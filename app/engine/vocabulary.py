"""Counting the tokens of text with the loaded model's own tokenizer, in the window's process.

Only the vocabulary is read from the model file (llama.cpp's `vocab_only`: no weights, well
under a second), so what a document costs is known before it is sent, token for token as the
engine will read it: message text is tokenized with control tokens read as plain text.
llama.cpp's log is silenced in this process: the engine's own log is where it belongs.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

import llama_cpp


@llama_cpp.llama_log_callback  # type: ignore[untyped-decorator]
def _quiet(_level: int, _text: bytes, _user_data: ctypes.c_void_p) -> None:
    return None


class Vocabulary:
    def __init__(self, model_path: Path) -> None:
        self.model_path = model_path
        llama_cpp.llama_log_set(_quiet, ctypes.c_void_p(0))
        llama_cpp.llama_backend_init()
        params = llama_cpp.llama_model_default_params()
        params.vocab_only = True
        self._model = llama_cpp.llama_model_load_from_file(str(model_path).encode(), params)
        if not self._model:
            raise ValueError(f"the vocabulary of {model_path.name} could not be read")
        self._vocab = llama_cpp.llama_model_get_vocab(self._model)

    def count(self, text: str) -> int:
        data = text.encode("utf-8")
        if not data:
            return 0
        room = len(data) + 8  # never more tokens than bytes
        tokens = (llama_cpp.llama_token * room)()
        found = int(
            llama_cpp.llama_tokenize(self._vocab, data, len(data), tokens, room, False, False)
        )
        if found < 0:
            raise ValueError("the text could not be tokenized")
        return found

    def close(self) -> None:
        if self._model:
            llama_cpp.llama_model_free(self._model)
            self._model = None
