"""The GGUF writer: the Q4_K_M mix, the metadata llama.cpp reads, valid random blocks, safe writes."""

from __future__ import annotations

from pathlib import Path

import gguf
import numpy as np
import pytest

from app.devtools import twin
from app.devtools.gguf_writer import (
    BUILTIN_CHAT_TEMPLATE,
    MISTRAL_SMALL_3_2,
    TINY,
    TINY_QUANTIZABLE,
    ModelShape,
    TensorPlan,
    WeightType,
    plan_tensors,
    planned_size,
    uses_more_bits,
    write_model,
)
from app.devtools.tekken import CONTROL_TOKENS, NUM_SPECIAL_TOKENS, VOCAB_SIZE
from tests.fixtures.models import cached_model

Q = gguf.GGMLQuantizationType


@pytest.fixture(scope="module")
def tiny_reader(tiny_model_path: Path) -> gguf.GGUFReader:
    return gguf.GGUFReader(tiny_model_path)


@pytest.fixture(scope="module")
def quantized_reader() -> gguf.GGUFReader:
    return gguf.GGUFReader(cached_model("tiny-q4-k-m", TINY_QUANTIZABLE, weights=WeightType.Q4_K_M))


def _value(reader: gguf.GGUFReader, key: str) -> object:
    return reader.fields[key].contents()


def test_q4_k_m_keeps_llama_cpp_s_q6_k_layers() -> None:
    # llama.cpp: the first and last eighth of the layers, and every third layer in between.
    expected = [0, 1, 2, 3, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 34, 35, 36, 37, 38, 39]
    assert [i for i in range(40) if uses_more_bits(i, 40)] == expected

    types = {p.name: p.qtype for p in plan_tensors(MISTRAL_SMALL_3_2, WeightType.Q4_K_M)}
    assert types["output.weight"] is Q.Q6_K
    assert types["token_embd.weight"] is Q.Q4_K
    for i in range(40):
        more = Q.Q6_K if i in expected else Q.Q4_K
        assert types[f"blk.{i}.attn_v.weight"] is more
        assert types[f"blk.{i}.ffn_down.weight"] is more
        for name in ("attn_q", "attn_k", "attn_output", "ffn_gate", "ffn_up"):
            assert types[f"blk.{i}.{name}.weight"] is Q.Q4_K
        assert types[f"blk.{i}.attn_norm.weight"] is Q.F32


def test_full_size_twin_is_as_large_as_the_real_q4_k_m() -> None:
    # Unsloth's Mistral-Small-3.2-24B-Instruct-2506-Q4_K_M.gguf is about 14.3 GB.
    assert 14.2e9 < planned_size(MISTRAL_SMALL_3_2, WeightType.Q4_K_M) < 14.4e9
    plans = plan_tensors(MISTRAL_SMALL_3_2, WeightType.F16)
    parameters = sum(int(np.prod(p.shape)) for p in plans)
    assert 23.0e9 < parameters < 23.8e9  # the text model of the 24B


def test_metadata_is_what_llama_cpp_reads(tiny_reader: gguf.GGUFReader) -> None:
    assert _value(tiny_reader, "general.architecture") == "llama"
    assert _value(tiny_reader, "llama.block_count") == TINY.n_layer
    assert _value(tiny_reader, "llama.embedding_length") == TINY.n_embd
    assert _value(tiny_reader, "llama.attention.head_count_kv") == TINY.n_head_kv
    assert _value(tiny_reader, "llama.attention.key_length") == TINY.head_dim
    assert _value(tiny_reader, "llama.rope.freq_base") == 1e9
    assert _value(tiny_reader, "llama.context_length") == 131_072
    assert _value(tiny_reader, "tokenizer.ggml.model") == "gpt2"
    assert _value(tiny_reader, "tokenizer.ggml.pre") == "tekken"
    assert _value(tiny_reader, "tokenizer.ggml.bos_token_id") == 1
    assert _value(tiny_reader, "tokenizer.ggml.eos_token_id") == 2
    assert _value(tiny_reader, "tokenizer.chat_template") == BUILTIN_CHAT_TEMPLATE


def test_the_first_thousand_tokens_are_control_tokens(tiny_reader: gguf.GGUFReader) -> None:
    tokens = _value(tiny_reader, "tokenizer.ggml.tokens")
    types = _value(tiny_reader, "tokenizer.ggml.token_type")
    assert isinstance(tokens, list) and isinstance(types, list)
    assert len(tokens) == len(types) == VOCAB_SIZE
    for token_id, text in CONTROL_TOKENS.items():
        assert tokens[token_id] == text
    assert set(types[:NUM_SPECIAL_TOKENS]) == {int(gguf.TokenType.CONTROL)}
    assert set(types[NUM_SPECIAL_TOKENS:]) == {int(gguf.TokenType.NORMAL)}
    assert tokens[NUM_SPECIAL_TOKENS + ord("A")] == "A"  # byte tokens follow in byte order


def test_tensors_are_written_as_planned(quantized_reader: gguf.GGUFReader) -> None:
    plans = plan_tensors(TINY_QUANTIZABLE, WeightType.Q4_K_M)
    written = [
        (t.name, t.tensor_type, tuple(reversed(t.shape.tolist()))) for t in quantized_reader.tensors
    ]
    assert written == [(p.name, p.qtype, p.shape) for p in plans]
    assert _value(quantized_reader, "general.file_type") == int(gguf.LlamaFileType.MOSTLY_Q4_K_M)


def test_random_k_quant_weights_are_finite_and_centred(quantized_reader: gguf.GGUFReader) -> None:
    for tensor in quantized_reader.tensors:
        if tensor.tensor_type not in (Q.Q4_K, Q.Q6_K) or tensor.name.startswith(
            ("token_embd", "output")
        ):
            continue
        weights = gguf.quants.dequantize(tensor.data, tensor.tensor_type)
        assert np.isfinite(weights).all(), tensor.name
        assert abs(float(weights.mean())) < 0.005, tensor.name
        assert 0.005 < float(weights.std()) < 0.06, tensor.name


def test_a_file_without_template(tiny_model_without_template: Path) -> None:
    reader = gguf.GGUFReader(tiny_model_without_template)
    assert "tokenizer.chat_template" not in reader.fields
    assert "tokenizer.ggml.tokens" in reader.fields


@pytest.mark.parametrize(
    ("shape", "weights", "problem"),
    [
        (ModelShape("odd", 1, 64, 2, 1, 32, 128, n_vocab=32_000), WeightType.F16, "131072 tokens"),
        (TINY, WeightType.Q4_K_M, "n_embd=64"),
    ],
)
def test_impossible_shapes_are_refused_before_writing(
    shape: ModelShape, weights: WeightType, problem: str, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match=problem):
        write_model(tmp_path / "m.gguf", shape, weights=weights)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    def wrong_size(plan: TensorPlan) -> np.ndarray | None:
        return np.zeros(3, dtype=np.float32) if plan.name == "output.weight" else None

    with pytest.raises(ValueError, match="output.weight"):
        write_model(tmp_path / "m.gguf", TINY, override=wrong_size)
    assert list(tmp_path.iterdir()) == []


def test_twin_reports_a_missing_vocabulary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        twin.main([str(tmp_path / "t.gguf"), "--vocab", str(tmp_path / "absent.json")])
    assert stopped.value.code == 1
    assert "absent.json" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
