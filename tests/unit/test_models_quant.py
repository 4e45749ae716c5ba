from __future__ import annotations

import pytest

from app.models.quant import (
    effective_bits_per_weight,
    is_projector,
    nominal_bits_per_weight,
    projector_label,
    quant_label,
    shard_of,
)

PREFIX = "Mistral-Small-3.2-24B-Instruct-2506-"


@pytest.mark.parametrize(
    ("filename", "label", "bits"),
    [
        (PREFIX + "Q4_K_M.gguf", "Q4_K_M", 4.5),
        (PREFIX + "UD-Q4_K_XL.gguf", "UD-Q4_K_XL", 4.5),
        (PREFIX + "Q3_K_M.gguf", "Q3_K_M", 3.4375),
        (PREFIX + "Q8_0.gguf", "Q8_0", 8.5),
        (PREFIX + "UD-Q8_K_XL.gguf", "UD-Q8_K_XL", 8.5),
        (PREFIX + "IQ4_XS.gguf", "IQ4_XS", 4.25),
        (PREFIX + "UD-IQ3_XXS.gguf", "UD-IQ3_XXS", 3.0625),
        (PREFIX + "Q6_K.gguf", "Q6_K", 6.5625),
        (PREFIX + "BF16.gguf", "BF16", 16.0),
        ("model.F16.gguf", "F16", 16.0),
        ("bartowski_model-IQ3_M.gguf", "IQ3_M", 3.4375),
        ("BF16/" + PREFIX + "BF16-00001-of-00002.gguf", "BF16", 16.0),
    ],
)
def test_quant_label_and_nominal_bits_come_from_the_file_name(
    filename: str, label: str, bits: float
) -> None:
    assert quant_label(filename) == label
    assert nominal_bits_per_weight(label) == bits


def test_unknown_labels_have_no_bits() -> None:
    assert quant_label("tiny.gguf") is None
    assert nominal_bits_per_weight("Q4_FANCY") is None


def test_effective_bits_per_weight_of_the_real_q4_k_m_file() -> None:
    assert effective_bits_per_weight(14_333_922_848, 23_572_403_200) == pytest.approx(
        4.865, abs=1e-3
    )


def test_projectors_and_shards_are_recognised() -> None:
    assert is_projector("mmproj-F16.gguf") and not is_projector(PREFIX + "Q4_K_M.gguf")
    assert projector_label("mmproj-F16.gguf") == "mmproj-F16"
    assert projector_label("mmproj-model.gguf") == "mmproj-model"
    shard = shard_of("BF16/x-BF16-00002-of-00003.gguf")
    assert shard is not None and (shard.stem, shard.index, shard.count) == ("BF16/x-BF16", 2, 3)
    assert shard_of(PREFIX + "Q4_K_M.gguf") is None
