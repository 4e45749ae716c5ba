"""What a GGUF file name tells: the model's name and its quantization (Q4_K_M, UD-Q4_K_XL, …)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# Quant labels as llama.cpp and Unsloth name them: Q4_K_M, Q8_0, IQ4_XS, IQ2_XXS, TQ1_0,
# BF16, F16, F32, with Unsloth's "UD-" prefix for their dynamic quants.
_QUANT = re.compile(
    r"(?:^|[-_.])(?P<quant>(?:UD-)?(?:I?Q\d(?:_[A-Z0-9]+)*|TQ\d_\d|BF16|F16|F32))(?=$|[-_.])",
    re.IGNORECASE,
)
_SHARD = re.compile(r"-\d{5}-of-\d{5}$")


@dataclass(frozen=True, slots=True)
class ModelFile:
    display_name: str  # the name without the quant and shard suffixes
    quant: str | None  # upper case, None when the name does not say


def describe_model_file(path: Path) -> ModelFile:
    stem = _SHARD.sub("", path.name.removesuffix(".gguf").removesuffix(".GGUF"))
    matches = list(_QUANT.finditer(stem))
    if not matches:
        return ModelFile(display_name=stem, quant=None)
    last = matches[-1]
    quant = last.group("quant").upper()
    name = stem[: last.start("quant")].rstrip("-_.") or stem
    return ModelFile(display_name=name, quant=quant)
