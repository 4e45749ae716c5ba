"""Token ids become text one token at a time, with characters split over tokens kept whole."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import llama_cpp
import pytest

from app.engine.session import PieceDecoder

pytestmark = pytest.mark.integration

TEXT = "Grüße aus Köln: 日本語, emoji 🙂🧭 and ﷽ in one line."


@pytest.fixture(scope="module")
def vocab_model(tiny_model_path: Path) -> Iterator[llama_cpp.Llama]:
    llm = llama_cpp.Llama(str(tiny_model_path), vocab_only=True, verbose=False)
    yield llm
    llm.close()


def test_characters_split_over_tokens_come_out_whole(vocab_model: llama_cpp.Llama) -> None:
    tokens = vocab_model.tokenize(TEXT.encode(), add_bos=False)
    decoder = PieceDecoder(llama_cpp.llama_model_get_vocab(vocab_model.model))
    deltas = [decoder.text(token) for token in tokens]
    assert "".join(deltas) + decoder.rest() == TEXT
    assert "" in deltas  # some token ended inside a character and waited for the next one
    assert all("\ufffd" not in delta for delta in deltas)


def test_an_unfinished_character_at_the_end_is_marked(vocab_model: llama_cpp.Llama) -> None:
    tokens = vocab_model.tokenize("🧭".encode(), add_bos=False)
    assert len(tokens) > 1  # byte tokens
    decoder = PieceDecoder(llama_cpp.llama_model_get_vocab(vocab_model.model))
    assert [decoder.text(token) for token in tokens[:-1]] == [""] * (len(tokens) - 1)
    assert decoder.rest() == "\ufffd"
