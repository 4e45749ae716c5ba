"""What in a GGUF model's metadata would make llama.cpp abort (rather than fail with an error)
if it were trusted: token ids beyond the vocabulary, vocabulary arrays of different lengths, a
layer count the tensors do not have, head counts that divide by zero. Checked before loading."""

from __future__ import annotations

from app.core.gguf_header import GgufHeader

MAX_LAYERS = 512  # llama.cpp's LLAMA_MAX_LAYERS
TOKENS_KEY = "tokenizer.ggml.tokens"
_VOCAB_ARRAYS = ("tokenizer.ggml.scores", "tokenizer.ggml.token_type")


def metadata_problem(header: GgufHeader) -> str | None:
    """The first thing in the header of a model file that llama.cpp must not see, in words."""
    return _vocabulary_problem(header) or _layer_problem(header) or _head_problem(header)


def _vocabulary_problem(header: GgufHeader) -> str | None:
    vocab = header.array_lengths.get(TOKENS_KEY)
    if vocab is None:
        return None
    for key in _VOCAB_ARRAYS:
        length = header.array_lengths.get(key)
        if length is not None and length != vocab:
            return f"its {key} has {length:,} entries for {vocab:,} tokens"
    for key, value in header.metadata.items():
        if not (key.startswith("tokenizer.ggml.") and key.endswith("_token_id")):
            continue
        if isinstance(value, int) and not 0 <= value < vocab:
            name = key.removeprefix("tokenizer.ggml.").removesuffix("_token_id")
            return f"its {name} token id {value:,} is outside its vocabulary of {vocab:,} tokens"
    return None


def _layer_problem(header: GgufHeader) -> str | None:
    layers = header.arch_value("block_count")
    if layers is None:
        return None
    if not isinstance(layers, int) or not 0 < layers <= MAX_LAYERS:
        return f"its layer count {layers} is not between 1 and {MAX_LAYERS}"
    if header.block_indices:
        found = max(header.block_indices) + 1
        if layers != found or len(header.block_indices) != found:
            return (
                f"it says it has {layers} layers but its tensors make {len(header.block_indices)}"
            )
    return None


def _head_problem(header: GgufHeader) -> str | None:
    heads = header.arch_value("attention.head_count")
    heads_kv = header.arch_value("attention.head_count_kv")
    for key, value in (("head count", heads), ("key-value head count", heads_kv)):
        if isinstance(value, int) and value <= 0:
            return f"its attention {key} is {value}"
    if isinstance(heads, int) and isinstance(heads_kv, int) and heads % heads_kv:
        return f"its {heads} attention heads cannot be shared by {heads_kv} key-value heads"
    return None
