"""Generated models are real models to llama.cpp: they load, tokenize as Mistral's and generate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import llama_cpp
import llama_cpp.mtmd_cpp as mtmd_cpp
import numpy as np
import pytest

from app.devtools import twin
from app.devtools.gguf_writer import (
    BUILTIN_CHAT_TEMPLATE,
    TINY,
    TINY_QUANTIZABLE,
    WeightType,
    planned_size,
)
from app.devtools.tekken import CONTROL_TOKENS, NUM_SPECIAL_TOKENS
from app.engine.template import MEDIA_MARKER

pytestmark = pytest.mark.integration


def _open(path: Path, **options: object) -> llama_cpp.Llama:
    return llama_cpp.Llama(str(path), n_ctx=256, n_batch=64, verbose=False, **options)


@pytest.fixture(scope="module")
def tiny(tiny_model_path: Path) -> Iterator[llama_cpp.Llama]:
    llm = _open(tiny_model_path)
    yield llm
    llm.close()


def _last_logits(llm: llama_cpp.Llama) -> np.ndarray:
    pointer = llama_cpp.llama_get_logits_ith(llm.ctx, -1)
    return np.ctypeslib.as_array(pointer, shape=(llm.n_vocab(),)).copy()


def test_llama_cpp_sees_the_planned_model(tiny: llama_cpp.Llama) -> None:
    assert tiny._model.size() == planned_size(TINY, WeightType.F16)
    assert tiny.n_vocab() == 131_072
    assert tiny.n_embd() == TINY.n_embd
    assert tiny._model.n_ctx_train() == 131_072
    assert tiny.metadata["tokenizer.chat_template"] == BUILTIN_CHAT_TEMPLATE


def test_control_tokens_are_single_special_tokens(tiny: llama_cpp.Llama) -> None:
    assert tiny.tokenize(b"[INST]hello[/INST]", add_bos=False, special=True) == [3, 29706, 4]
    as_text = tiny.tokenize(b"[INST]hello[/INST]", add_bos=False, special=False)
    assert 3 not in as_text and 4 not in as_text
    for token_id, text in CONTROL_TOKENS.items():
        assert tiny.tokenize(text.encode(), add_bos=False, special=True) == [token_id]
        assert tiny.detokenize([token_id], special=True) == text.encode()
        assert tiny._model.token_get_attr(token_id) & llama_cpp.LLAMA_TOKEN_ATTR_CONTROL
    assert tiny._model.token_get_attr(NUM_SPECIAL_TOKENS) & llama_cpp.LLAMA_TOKEN_ATTR_NORMAL
    assert (tiny.token_bos(), tiny.token_eos()) == (1, 2)


def test_the_random_model_generates_from_finite_logits(tiny: llama_cpp.Llama) -> None:
    tiny.reset()
    prompt = tiny.tokenize(b"[INST]Hello, how are you?[/INST]", add_bos=True, special=True)
    tiny.eval(prompt)
    logits = _last_logits(tiny)
    assert np.isfinite(logits).all()
    assert logits.std() > 0  # the weights do shape the output
    generated = []
    for token in tiny.generate(prompt, temp=0.0, reset=True):
        generated.append(token)
        if len(generated) == 8:
            break
    assert len(generated) == 8
    assert np.isfinite(_last_logits(tiny)).all()


def test_a_q4_k_m_twin_from_the_command_line_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "twin.gguf"
    assert twin.main([str(out), "--preset", TINY_QUANTIZABLE.name, "--weights", "q4_k_m"]) == 0
    assert f"{out}: {out.stat().st_size:,} bytes" in capsys.readouterr().out

    llm = _open(out)
    try:
        assert "Q4_K - Medium" in llm._model.desc()
        assert llm._model.size() == planned_size(TINY_QUANTIZABLE, WeightType.Q4_K_M)
        llm.eval(llm.tokenize(b"[INST]Hi[/INST]", add_bos=True, special=True))
        logits = _last_logits(llm)
        assert np.isfinite(logits).all() and logits.std() > 0
    finally:
        llm.close()


def test_images_are_marked_where_mtmd_looks_for_them() -> None:
    assert MEDIA_MARKER.encode() == mtmd_cpp.mtmd_default_marker()
