"""Writes Mistral-format GGUF files with random weights, from tiny test models to full-size twins.

The files carry the real Tekken vocabulary and a Mistral Small 3.2 chat template, so llama.cpp
loads, tokenizes and templates them exactly as it does the real model; only the weights are noise.
Tensors are generated and written one at a time, so a 14 GB twin needs little memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import gguf
import numpy as np

from app.devtools.tekken import BOS_ID, EOS_ID, PAD_ID, UNK_ID, VOCAB_SIZE, TekkenVocab
from app.paths import resource

BUILTIN_TEMPLATE = resource("templates", "mistral_small_3_2.jinja")
WEIGHT_SCALE = 0.02


@dataclass(frozen=True)
class ModelShape:
    name: str
    n_layer: int
    n_embd: int
    n_head: int
    n_head_kv: int
    head_dim: int
    n_ff: int
    n_vocab: int = VOCAB_SIZE
    rope_theta: float = 1e9
    n_ctx_train: int = 131_072
    rms_eps: float = 1e-5


TINY = ModelShape("tiny", n_layer=2, n_embd=64, n_head=4, n_head_kv=2, head_dim=32, n_ff=128)
BENCH = ModelShape("bench", n_layer=4, n_embd=1024, n_head=8, n_head_kv=2, head_dim=128, n_ff=4096)
MISTRAL_SMALL_3_2 = ModelShape(
    "mistral-small-3.2-24b", n_layer=40, n_embd=5120, n_head=32, n_head_kv=8, head_dim=128, n_ff=32768
)
PRESETS = {shape.name: shape for shape in (TINY, BENCH, MISTRAL_SMALL_3_2)}


class WeightType(StrEnum):
    F32 = "f32"
    F16 = "f16"
    Q4_K_M = "q4_k_m"  # llama.cpp's Q4_K_M mix of Q4_K and Q6_K tensors


Q = gguf.GGMLQuantizationType
_FILE_TYPE = {WeightType.F32: 0, WeightType.F16: 1, WeightType.Q4_K_M: 15}


@dataclass(frozen=True)
class TensorPlan:
    name: str
    shape: tuple[int, ...]  # numpy order (rows, columns)
    qtype: gguf.GGMLQuantizationType


def _uses_more_bits(layer: int, n_layer: int) -> bool:
    """llama.cpp gives these layers' attn_v and ffn_down Q6_K in the Q4_K_M mix."""
    return layer < n_layer // 8 or layer >= 7 * n_layer // 8 or (layer - n_layer // 8) % 3 == 2


def plan_tensors(shape: ModelShape, weights: WeightType) -> list[TensorPlan]:
    dense = {WeightType.F32: Q.F32, WeightType.F16: Q.F16}.get(weights)

    def matrix(kind: str, more_bits: bool = False) -> gguf.GGMLQuantizationType:
        if dense is not None:
            return dense
        if kind == "output" or more_bits:
            return Q.Q6_K
        return Q.Q4_K

    q_dim, kv_dim = shape.n_head * shape.head_dim, shape.n_head_kv * shape.head_dim
    plans = [TensorPlan("token_embd.weight", (shape.n_vocab, shape.n_embd), matrix("embd"))]
    for i in range(shape.n_layer):
        more = weights is WeightType.Q4_K_M and _uses_more_bits(i, shape.n_layer)
        plans += [
            TensorPlan(f"blk.{i}.attn_norm.weight", (shape.n_embd,), Q.F32),
            TensorPlan(f"blk.{i}.attn_q.weight", (q_dim, shape.n_embd), matrix("q")),
            TensorPlan(f"blk.{i}.attn_k.weight", (kv_dim, shape.n_embd), matrix("k")),
            TensorPlan(f"blk.{i}.attn_v.weight", (kv_dim, shape.n_embd), matrix("v", more)),
            TensorPlan(f"blk.{i}.attn_output.weight", (shape.n_embd, q_dim), matrix("o")),
            TensorPlan(f"blk.{i}.ffn_norm.weight", (shape.n_embd,), Q.F32),
            TensorPlan(f"blk.{i}.ffn_gate.weight", (shape.n_ff, shape.n_embd), matrix("gate")),
            TensorPlan(f"blk.{i}.ffn_up.weight", (shape.n_ff, shape.n_embd), matrix("up")),
            TensorPlan(f"blk.{i}.ffn_down.weight", (shape.n_embd, shape.n_ff), matrix("down", more)),
        ]
    plans += [
        TensorPlan("output_norm.weight", (shape.n_embd,), Q.F32),
        TensorPlan("output.weight", (shape.n_vocab, shape.n_embd), matrix("output")),
    ]
    return plans


def _nbytes(plan: TensorPlan) -> int:
    block, type_size = gguf.GGML_QUANT_SIZES[plan.qtype]
    return int(np.prod(plan.shape)) // block * type_size


def _random_quant_blocks(
    plan: TensorPlan, rng: np.random.Generator, rows: int
) -> np.ndarray:
    """Random K-quant blocks whose f16 scales are small and finite, so activations stay sane."""
    block, type_size = gguf.GGML_QUANT_SIZES[plan.qtype]
    n_blocks = rows * plan.shape[1] // block
    data = rng.integers(0, 256, size=(n_blocks, type_size), dtype=np.uint8)
    if plan.qtype is Q.Q4_K:  # d, dmin (f16) lead the 144-byte block
        data[:, 0:4] = np.array([2e-4, 1e-3], dtype=np.float16).view(np.uint8)
    else:  # Q6_K: ql[128] qh[64] scales[16] then d (f16)
        data[:, 208:210] = np.array([4e-5], dtype=np.float16).view(np.uint8)
    return data


def _tensor_chunks(plan: TensorPlan, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """The tensor's bytes in chunks of bounded size (norms are ones, matrices noise)."""
    if len(plan.shape) == 1:
        yield np.ones(plan.shape, dtype=np.float32)
        return
    rows, cols = plan.shape
    rows_per_chunk = max(1, (64 << 20) // (cols * 4))
    for start in range(0, rows, rows_per_chunk):
        count = min(rows_per_chunk, rows - start)
        if plan.qtype in (Q.F32, Q.F16):
            dtype = np.float32 if plan.qtype is Q.F32 else np.float16
            yield (rng.standard_normal((count, cols), dtype=np.float32) * WEIGHT_SCALE).astype(dtype)
        else:
            yield _random_quant_blocks(plan, rng, count)


def _add_metadata(
    writer: gguf.GGUFWriter,
    shape: ModelShape,
    weights: WeightType,
    vocab: TekkenVocab,
    chat_template: str | None,
) -> None:
    arch = "llama"
    writer.add_name(f"Mistral-Small-3.2 twin ({shape.name}, random weights)")
    writer.add_file_type(_FILE_TYPE[weights])
    writer.add_quantization_version(gguf.GGML_QUANT_VERSION)
    writer.add_context_length(shape.n_ctx_train)
    writer.add_embedding_length(shape.n_embd)
    writer.add_block_count(shape.n_layer)
    writer.add_feed_forward_length(shape.n_ff)
    writer.add_head_count(shape.n_head)
    writer.add_head_count_kv(shape.n_head_kv)
    writer.add_key_length(shape.head_dim)
    writer.add_value_length(shape.head_dim)
    writer.add_rope_dimension_count(shape.head_dim)
    writer.add_rope_freq_base(shape.rope_theta)
    writer.add_layer_norm_rms_eps(shape.rms_eps)
    writer.add_vocab_size(shape.n_vocab)
    assert arch == writer.arch
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("tekken")
    tokens = vocab.gguf_tokens()[: shape.n_vocab]
    writer.add_token_list(tokens)
    control = int(gguf.TokenType.CONTROL)
    normal = int(gguf.TokenType.NORMAL)
    n_special = len(tokens) - len(vocab.ranked_bytes)
    writer.add_token_types([control] * n_special + [normal] * (len(tokens) - n_special))
    writer.add_token_merges(vocab.gguf_merges())
    writer.add_bos_token_id(BOS_ID)
    writer.add_eos_token_id(EOS_ID)
    writer.add_unk_token_id(UNK_ID)
    writer.add_pad_token_id(PAD_ID)
    writer.add_add_bos_token(True)
    writer.add_add_eos_token(False)
    if chat_template is not None:
        writer.add_chat_template(chat_template)


def write_model(
    path: Path,
    shape: ModelShape,
    *,
    vocab_file: Path,
    seed: int = 0,
    weights: WeightType = WeightType.F16,
    chat_template: str | None = None,
    with_template: bool = True,
    override: Callable[[TensorPlan], np.ndarray | None] | None = None,
) -> Path:
    """Write a GGUF model of `shape` with random weights to `path` (atomically) and return it.

    `chat_template` defaults to the built-in Mistral Small 3.2 template; `with_template=False`
    writes a file without one. `override` may supply a tensor's whole content (tests use it
    to build models with a known behaviour).
    """
    if shape.n_vocab != VOCAB_SIZE:
        raise ValueError("the Tekken vocabulary has 131,072 tokens")
    if with_template and chat_template is None:
        chat_template = BUILTIN_TEMPLATE.read_text(encoding="utf-8")
    vocab = TekkenVocab.load(vocab_file)
    plans = plan_tensors(shape, weights)
    rng = np.random.default_rng(seed)
    partial = path.with_name(path.name + ".partial")
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = gguf.GGUFWriter(partial, "llama")
    _add_metadata(writer, shape, weights, vocab, chat_template if with_template else None)
    for plan in plans:
        if plan.qtype in (Q.F32, Q.F16):
            dtype = np.dtype(np.float32 if plan.qtype is Q.F32 else np.float16)
            writer.add_tensor_info(plan.name, plan.shape, dtype, _nbytes(plan))
        else:
            rows, cols = plan.shape
            block, type_size = gguf.GGML_QUANT_SIZES[plan.qtype]
            byte_shape = (rows, cols // block * type_size)
            writer.add_tensor_info(
                plan.name, byte_shape, np.dtype(np.uint8), _nbytes(plan), raw_dtype=plan.qtype
            )
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    assert writer.fout is not None
    out = writer.fout[0]
    for plan in plans:
        writer.write_padding(out, out.tell())
        written = 0
        replacement = override(plan) if override is not None else None
        chunks = [replacement] if replacement is not None else _tensor_chunks(plan, rng)
        for chunk in chunks:
            chunk.tofile(out)
            written += chunk.nbytes
        if written != _nbytes(plan):
            raise AssertionError(f"{plan.name}: wrote {written} bytes, expected {_nbytes(plan)}")
    writer.close()
    partial.replace(path)
    return path
