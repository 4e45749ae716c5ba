"""The GGUF writer: the Q4_K_M mix, the metadata, valid random blocks, and safe writes."""

from __future__ import annotations

from pathlib import Path

import gguf
import numpy as np
import pytest

from app.core.gguf_header import read_gguf_header
from app.devtools import twin
from app.devtools.gguf_writer import (
    BUILTIN_CHAT_TEMPLATE,
    CHUNK_BYTES,
    MISTRAL_SMALL_3_2,
    TINY,
    ModelShape,
    TensorPlan,
    WeightType,
    plan_tensors,
    planned_size,
    tensor_chunks,
    uses_more_bits,
    write_model,
)

Q = gguf.GGMLQuantizationType


def _metadata(path: Path) -> dict[str, object]:
    return read_gguf_header(path).metadata


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


def test_metadata_is_what_llama_cpp_reads(tiny_model_path: Path) -> None:
    metadata = _metadata(tiny_model_path)
    assert metadata["general.architecture"] == "llama"
    assert metadata["general.file_type"] == int(gguf.LlamaFileType.MOSTLY_F16)
    assert metadata["llama.block_count"] == TINY.n_layer
    assert metadata["llama.embedding_length"] == TINY.n_embd
    assert metadata["llama.attention.head_count_kv"] == TINY.n_head_kv
    assert metadata["llama.attention.key_length"] == TINY.head_dim
    assert metadata["llama.rope.freq_base"] == 1e9
    assert metadata["llama.context_length"] == 131_072
    assert metadata["tokenizer.ggml.model"] == "gpt2"
    assert metadata["tokenizer.ggml.pre"] == "tekken"
    assert metadata["tokenizer.ggml.bos_token_id"] == 1
    assert metadata["tokenizer.ggml.eos_token_id"] == 2
    assert metadata["tokenizer.chat_template"] == BUILTIN_CHAT_TEMPLATE


def test_a_file_without_template(tiny_model_without_template: Path) -> None:
    metadata = _metadata(tiny_model_without_template)
    assert "tokenizer.chat_template" not in metadata
    assert metadata["tokenizer.ggml.pre"] == "tekken"


@pytest.mark.parametrize(("qtype", "layer"), [(Q.Q4_K, "attn_q"), (Q.Q6_K, "attn_v")])
def test_random_k_quant_weights_are_finite_and_centred(
    qtype: gguf.GGMLQuantizationType, layer: str
) -> None:
    plan = TensorPlan(f"blk.0.{layer}.weight", (512, 1024), qtype)
    data = np.concatenate(list(tensor_chunks(plan, np.random.default_rng(1))))
    assert data.nbytes == plan.nbytes
    weights = gguf.quants.dequantize(data, qtype)
    assert weights.shape == plan.shape
    assert np.isfinite(weights).all()
    assert abs(float(weights.mean())) < 0.002
    assert 0.01 < float(weights.std()) < 0.04


def test_dense_weights_are_small_noise() -> None:
    plan = TensorPlan("blk.0.ffn_up.weight", (300, 64), Q.F16)
    weights = np.concatenate(list(tensor_chunks(plan, np.random.default_rng(1))))
    assert weights.dtype == np.float16 and weights.shape == plan.shape
    assert 0.015 < float(weights.std()) < 0.025


def test_tensors_stream_in_bounded_chunks() -> None:
    plan = TensorPlan("token_embd.weight", (131_072, 5120), Q.Q4_K)
    chunks = tensor_chunks(plan, np.random.default_rng(1))
    first = next(chunks)
    assert first.nbytes <= CHUNK_BYTES
    assert first.nbytes + sum(chunk.nbytes for chunk in chunks) == plan.nbytes


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

    with pytest.raises(ValueError, match=r"output\.weight"):
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
