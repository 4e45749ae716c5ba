"""Fixtures of the integration tests: a real engine process; the tiny model's vocabulary and
template beside Mistral's reference encoder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import llama_cpp
import pytest
from mistral_common.tokens.tokenizers.mistral import MistralTokenizer

from app.engine.prompt import Tokenize
from app.engine.template import ChatTemplate
from app.engine.tokenizer import model_tokenizer
from tests.integration.engine_helpers import EngineProbe
from tests.integration.mistral_reference import FIXED_NOW


@pytest.fixture
def engine() -> Iterator[EngineProbe]:
    probe = EngineProbe()
    probe.client.start()
    yield probe
    probe.client.stop()


@pytest.fixture(scope="module")
def vocab_model(tiny_model_path: Path) -> Iterator[llama_cpp.Llama]:
    """The tiny model's vocabulary and template, as llama.cpp reads them (no weights)."""
    llm = llama_cpp.Llama(str(tiny_model_path), vocab_only=True, verbose=False)
    yield llm
    llm.close()


@pytest.fixture(scope="module")
def model_tokenize(vocab_model: llama_cpp.Llama) -> Tokenize:
    """The engine's tokenizer for the tiny model's (Tekken) vocabulary."""
    return model_tokenizer(vocab_model)


@pytest.fixture(scope="module")
def gguf_template(vocab_model: llama_cpp.Llama) -> ChatTemplate:
    """The template stored in the tiny model, as the engine reads it, on a fixed date."""
    bos, eos = (
        vocab_model._model.token_get_text(t)
        for t in (vocab_model.token_bos(), vocab_model.token_eos())
    )
    return ChatTemplate(
        vocab_model.metadata["tokenizer.chat_template"], bos, eos, clock=lambda: FIXED_NOW
    )


@pytest.fixture(scope="module")
def reference(tekken_v11: Path) -> MistralTokenizer:
    """Mistral's own v11 encoder, built from the same Tekken vocabulary."""
    return MistralTokenizer.from_file(str(tekken_v11))
