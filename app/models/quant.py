"""What a GGUF file name says: its quant label, its bits per weight, whether it is a projector
or one shard of a split model."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from app.core.model_file import describe_model_file

# Bits per weight of llama.cpp's block types: bytes per block * 8 / weights per block.
_TYPE_BITS: dict[str, float] = {
    "F32": 32.0, "F16": 16.0, "BF16": 16.0,
    "Q8_0": 8.5, "Q6_K": 6.5625, "Q5_1": 6.0, "Q5_0": 5.5, "Q5_K": 5.5, "Q4_1": 5.0,
    "Q4_0": 4.5, "Q4_K": 4.5, "IQ4_NL": 4.5, "IQ4_XS": 4.25, "MXFP4": 4.25,
    "Q3_K": 3.4375, "IQ3_S": 3.4375, "IQ3_XXS": 3.0625, "Q2_K": 2.625, "IQ2_S": 2.5,
    "IQ2_XS": 2.3125, "IQ2_XXS": 2.0625, "TQ2_0": 2.0625, "IQ1_M": 1.75, "TQ1_0": 1.6875,
    "IQ1_S": 1.5625,
}  # fmt: skip

# llama.cpp quant names that are mixes of a main block type (Q4_K_M = mostly Q4_K).
_MIX_SUFFIX = re.compile(r"^(?P<base>.+?)_(?:XXS|XS|S|M|L|XL)$")
# Mixes whose main type is not named by their prefix (Unsloth's Q8_K_XL is mostly Q8_0).
_MAIN_TYPE = {"IQ3_M": "IQ3_S", "IQ3_XS": "IQ3_XXS", "IQ2_M": "IQ2_S", "Q8_K": "Q8_0"}

_SHARD = re.compile(r"^(?P<stem>.+)-(?P<index>\d{5})-of-(?P<count>\d{5})\.gguf$", re.IGNORECASE)
_PROJECTOR = re.compile(r"mmproj", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Shard:
    stem: str  # the name without "-0000N-of-0000M.gguf"
    index: int  # 1-based
    count: int


def is_gguf(filename: str) -> bool:
    return filename.lower().endswith(".gguf")


def is_projector(filename: str) -> bool:
    """Vision projector files (mmproj-F16.gguf, mmproj-model-f16.gguf …)."""
    return bool(_PROJECTOR.search(PurePosixPath(filename).name))


def shard_of(filename: str) -> Shard | None:
    match = _SHARD.match(filename)
    if match is None:
        return None
    return Shard(match["stem"], int(match["index"]), int(match["count"]))


def quant_label(filename: str) -> str | None:
    """Q4_K_M, UD-Q4_K_XL, IQ4_XS, BF16 … as the file name says it, upper case, or None."""
    return describe_model_file(Path(PurePosixPath(filename).name)).quant


def projector_label(filename: str) -> str:
    """mmproj-F16.gguf -> "mmproj-F16"; without a precision in the name, the stem."""
    label = quant_label(filename)
    return f"mmproj-{label}" if label else PurePosixPath(filename).name.removesuffix(".gguf")


def nominal_bits_per_weight(label: str) -> float | None:
    """Bits per weight of the quant's main block type (Q4_K_M -> Q4_K -> 4.5).

    Real files run a little higher, since some tensors (output, embeddings) keep more bits;
    `effective_bits_per_weight` gives the true figure when the file size is known.
    """
    name: str | None = label.upper().removeprefix("UD-")
    while name is not None:
        name = _MAIN_TYPE.get(name, name)
        if name in _TYPE_BITS:
            return _TYPE_BITS[name]
        mix = _MIX_SUFFIX.match(name)
        name = mix["base"] if mix else None
    return None


def effective_bits_per_weight(size_bytes: int, n_params: int) -> float:
    return size_bytes * 8 / n_params
