"""Writes Mistral-format GGUF files with random weights, from tiny test models to full-size twins.

The files carry the real Tekken vocabulary and a Mistral Small 3.2 chat template, so llama.cpp
loads, tokenizes and templates them exactly as it does the real model; only the weights are noise.
Tensors are generated and written one at a time in bounded chunks, so a 14 GB twin needs little
memory. Quantized tensors are random K-quant blocks whose f16 scales are small and finite, which
is all llama.cpp needs to run them at full speed with finite logits.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import gguf
import numpy as np

from app.devtools.tekken import (
    BOS_ID,
    EOS_ID,
    NUM_SPECIAL_TOKENS,
    PAD_ID,
    UNK_ID,
    VOCAB_SIZE,
    TekkenVocab,
    shipped_tekken_file,
)
from app.engine.template import BUILTIN_TEMPLATE_PATH

BUILTIN_CHAT_TEMPLATE = BUILTIN_TEMPLATE_PATH.read_text(encoding="utf-8")
WEIGHT_SCALE = 0.02  # standard deviation of dense weights
CHUNK_BYTES = 64 << 20  # upper bound of one generated chunk

Q = gguf.GGMLQuantizationType
K_BLOCK = gguf.QK_K  # K-quant blocks cover 256 weights of a row
# Block scales giving weights of roughly WEIGHT_SCALE spread; Q4_K's min offset centres them.
Q4_K_SCALE, Q4_K_MIN_SCALE = 1e-4, 7.5e-4
Q6_K_SCALE = 1.5e-5


@dataclass(frozen=True, slots=True)
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
# The smallest shape the K-quant mix accepts (rows of whole 256-weight blocks).
TINY_QUANTIZABLE = ModelShape(
    "tiny-quantizable", n_layer=2, n_embd=256, n_head=2, n_head_kv=1, head_dim=128, n_ff=512
)
BENCH = ModelShape("bench", n_layer=4, n_embd=1024, n_head=8, n_head_kv=2, head_dim=128, n_ff=4096)
MISTRAL_SMALL_3_2 = ModelShape(
    "mistral-small-3.2-24b",
    n_layer=40,
    n_embd=5120,
    n_head=32,
    n_head_kv=8,
    head_dim=128,
    n_ff=32768,
)
# The smallest model that runs, with the byte-only vocabulary (no tokenizer file needed).
SELF_TEST = ModelShape(
    "self-test", n_layer=1, n_embd=64, n_head=4, n_head_kv=2, head_dim=16, n_ff=128,
    n_vocab=NUM_SPECIAL_TOKENS + 256 + 6, n_ctx_train=4096,
)  # fmt: skip
PRESETS = {shape.name: shape for shape in (TINY, TINY_QUANTIZABLE, BENCH, MISTRAL_SMALL_3_2)}


class WeightType(StrEnum):
    F32 = "f32"
    F16 = "f16"
    Q4_K_M = "q4_k_m"  # llama.cpp's Q4_K_M mix of Q4_K and Q6_K tensors


_FILE_TYPE = {
    WeightType.F32: gguf.LlamaFileType.ALL_F32,
    WeightType.F16: gguf.LlamaFileType.MOSTLY_F16,
    WeightType.Q4_K_M: gguf.LlamaFileType.MOSTLY_Q4_K_M,
}


@dataclass(frozen=True, slots=True)
class TensorPlan:
    name: str
    shape: tuple[int, ...]  # numpy order: (rows, columns) for matrices
    qtype: gguf.GGMLQuantizationType

    @property
    def nbytes(self) -> int:
        block, type_size = gguf.GGML_QUANT_SIZES[self.qtype]
        return int(np.prod(self.shape)) // block * type_size


# Supplies a tensor's whole content in its storage type, or None for random weights.
Override = Callable[[TensorPlan], np.ndarray | None]


def uses_more_bits(layer: int, n_layer: int) -> bool:
    """The layers whose attn_v and ffn_down llama.cpp keeps at Q6_K in its Q4_K_M mix."""
    return layer < n_layer // 8 or layer >= 7 * n_layer // 8 or (layer - n_layer // 8) % 3 == 2


def plan_tensors(shape: ModelShape, weights: WeightType) -> list[TensorPlan]:
    """Every tensor of a llama-architecture model, in file order, with its storage type."""

    def matrix(name: str, rows: int, cols: int, *, q6: bool = False) -> TensorPlan:
        if weights == WeightType.F32:
            qtype = Q.F32
        elif weights == WeightType.F16:
            qtype = Q.F16
        else:
            qtype = Q.Q6_K if q6 else Q.Q4_K
        return TensorPlan(name, (rows, cols), qtype)

    def norm(name: str) -> TensorPlan:
        return TensorPlan(name, (shape.n_embd,), Q.F32)

    q_dim, kv_dim = shape.n_head * shape.head_dim, shape.n_head_kv * shape.head_dim
    plans = [matrix("token_embd.weight", shape.n_vocab, shape.n_embd)]
    for i in range(shape.n_layer):
        more = uses_more_bits(i, shape.n_layer)
        plans += [
            norm(f"blk.{i}.attn_norm.weight"),
            matrix(f"blk.{i}.attn_q.weight", q_dim, shape.n_embd),
            matrix(f"blk.{i}.attn_k.weight", kv_dim, shape.n_embd),
            matrix(f"blk.{i}.attn_v.weight", kv_dim, shape.n_embd, q6=more),
            matrix(f"blk.{i}.attn_output.weight", shape.n_embd, q_dim),
            norm(f"blk.{i}.ffn_norm.weight"),
            matrix(f"blk.{i}.ffn_gate.weight", shape.n_ff, shape.n_embd),
            matrix(f"blk.{i}.ffn_up.weight", shape.n_ff, shape.n_embd),
            matrix(f"blk.{i}.ffn_down.weight", shape.n_embd, shape.n_ff, q6=more),
        ]
    plans += [
        norm("output_norm.weight"),
        matrix("output.weight", shape.n_vocab, shape.n_embd, q6=True),
    ]
    return plans


def planned_size(shape: ModelShape, weights: WeightType) -> int:
    """Bytes of tensor data a model of `shape` holds (the file adds a few MB of metadata)."""
    return sum(plan.nbytes for plan in plan_tensors(shape, weights))


def _check_shape(shape: ModelShape, weights: WeightType, vocab: TekkenVocab) -> None:
    size = vocab.size
    if shape.n_vocab != size:
        raise ValueError(f"the vocabulary has {size} tokens, but the shape {shape.n_vocab}")
    if weights == WeightType.Q4_K_M:
        widths = {
            "n_embd": shape.n_embd,
            "n_ff": shape.n_ff,
            "n_head*head_dim": shape.n_head * shape.head_dim,
        }
        odd = [f"{name}={value}" for name, value in widths.items() if value % K_BLOCK]
        if odd:
            raise ValueError(f"K-quants need multiples of {K_BLOCK}: {', '.join(odd)}")


def _random_quant_blocks(
    qtype: gguf.GGMLQuantizationType, n_blocks: int, rng: np.random.Generator
) -> np.ndarray:
    _, type_size = gguf.GGML_QUANT_SIZES[qtype]
    words = -(-n_blocks * type_size // 8)
    data = rng.bit_generator.random_raw(words).view(np.uint8)[: n_blocks * type_size]
    blocks = data.reshape(n_blocks, type_size)
    if qtype is Q.Q4_K:  # block starts with d and dmin (f16), then 6-bit scales and 4-bit values
        blocks[:, 0:4] = np.array([Q4_K_SCALE, Q4_K_MIN_SCALE], dtype=np.float16).view(np.uint8)
    elif qtype is Q.Q6_K:  # 6-bit values (192 bytes), int8 scales (16 bytes), then d (f16)
        blocks[:, 208:210] = np.array([Q6_K_SCALE], dtype=np.float16).view(np.uint8)
    else:
        raise ValueError(f"no random block layout for {qtype.name}")
    return blocks


def tensor_chunks(plan: TensorPlan, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """The tensor's bytes in chunks of bounded size: norms are ones, matrices noise."""
    if len(plan.shape) == 1:
        yield np.ones(plan.shape, dtype=np.float32)
        return
    rows, cols = plan.shape
    rows_per_chunk = max(1, CHUNK_BYTES // (cols * 4))
    for start in range(0, rows, rows_per_chunk):
        count = min(rows_per_chunk, rows - start)
        if plan.qtype is Q.F32 or plan.qtype is Q.F16:
            noise = rng.standard_normal((count, cols), dtype=np.float32) * WEIGHT_SCALE
            yield noise if plan.qtype is Q.F32 else noise.astype(np.float16)
        else:
            blocks = _random_quant_blocks(plan.qtype, count * cols // K_BLOCK, rng)
            yield blocks.reshape(count, -1)  # rows of whole blocks, as the file stores them


def _add_metadata(
    writer: gguf.GGUFWriter,
    shape: ModelShape,
    weights: WeightType,
    vocab: TekkenVocab,
    chat_template: str | None,
) -> None:
    writer.add_name(f"Mistral Small 3.2 twin ({shape.name}, random weights)")
    writer.add_file_type(int(_FILE_TYPE[weights]))
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

    # Tekken as llama.cpp knows it: byte-level BPE with the "tekken" pre-tokenizer; the first
    # 1000 ids are control tokens, so llama.cpp parses "[INST]" etc. as single tokens.
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("tekken")
    tokens = vocab.gguf_tokens()
    writer.add_token_list(tokens)
    types = [gguf.TokenType.CONTROL] * NUM_SPECIAL_TOKENS
    types += [gguf.TokenType.NORMAL] * (len(tokens) - NUM_SPECIAL_TOKENS)
    writer.add_token_types([int(t) for t in types])
    writer.add_token_merges(vocab.gguf_merges())
    writer.add_bos_token_id(BOS_ID)
    writer.add_eos_token_id(EOS_ID)
    writer.add_unk_token_id(UNK_ID)
    writer.add_pad_token_id(PAD_ID)
    writer.add_add_bos_token(True)
    writer.add_add_eos_token(False)
    if chat_template is not None:
        writer.add_chat_template(chat_template)


def _declare_tensor(writer: gguf.GGUFWriter, plan: TensorPlan) -> None:
    if plan.qtype is Q.F32 or plan.qtype is Q.F16:
        dtype = np.dtype(np.float32 if plan.qtype is Q.F32 else np.float16)
        writer.add_tensor_info(plan.name, plan.shape, dtype, plan.nbytes)
        return
    rows, cols = plan.shape
    _, type_size = gguf.GGML_QUANT_SIZES[plan.qtype]
    byte_shape = (rows, cols // K_BLOCK * type_size)
    writer.add_tensor_info(
        plan.name, byte_shape, np.dtype(np.uint8), plan.nbytes, raw_dtype=plan.qtype
    )


def _write_file(
    target: Path,
    shape: ModelShape,
    weights: WeightType,
    vocab: TekkenVocab,
    chat_template: str | None,
    rng: np.random.Generator,
    override: Override | None,
) -> None:
    plans = plan_tensors(shape, weights)
    writer = gguf.GGUFWriter(target, "llama")
    try:
        _add_metadata(writer, shape, weights, vocab, chat_template)
        for plan in plans:
            _declare_tensor(writer, plan)
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_ti_data_to_file()
        assert writer.fout is not None
        out = writer.fout[0]
        for plan in plans:
            writer.write_padding(out, out.tell())
            replacement = override(plan) if override is not None else None
            chunks = [replacement] if replacement is not None else tensor_chunks(plan, rng)
            written = 0
            for chunk in chunks:
                chunk.tofile(out)
                written += chunk.nbytes
            if written != plan.nbytes:
                raise ValueError(f"{plan.name}: got {written} bytes, expected {plan.nbytes}")
    finally:
        writer.close()


def write_model(
    path: Path,
    shape: ModelShape,
    *,
    vocab_file: Path | None = None,
    vocab: TekkenVocab | None = None,
    seed: int = 0,
    weights: WeightType = WeightType.F16,
    chat_template: str | None = BUILTIN_CHAT_TEMPLATE,
    override: Override | None = None,
) -> Path:
    """Write a GGUF model of `shape` with random weights to `path` and return `path`.

    `vocab_file` is a tekken.json (default: the one mistral-common ships); `vocab` gives the
    vocabulary itself instead (`TekkenVocab.minimal()` needs no file). `chat_template=None`
    writes a file without a template. `override` may supply a tensor's whole content, in the
    tensor's storage type, to build models with a known behaviour. The file appears complete or
    not at all: it is written under a temporary name and renamed.
    """
    if vocab is None:
        vocab = TekkenVocab.load(vocab_file or shipped_tekken_file())
    _check_shape(shape, weights, vocab)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.partial")
    try:
        rng = np.random.default_rng(seed)
        _write_file(temp, shape, weights, vocab, chat_template, rng, override)
        temp.replace(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    return path
