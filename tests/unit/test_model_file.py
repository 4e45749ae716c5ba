from __future__ import annotations

from pathlib import Path

import pytest

from app.core.model_file import ModelFile, describe_model_file


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "Mistral-Small-3.2-24B-Instruct-2506-Q4_K_M.gguf",
            ModelFile("Mistral-Small-3.2-24B-Instruct-2506", "Q4_K_M"),
        ),
        (
            "Mistral-Small-3.2-24B-Instruct-2506-UD-Q4_K_XL.gguf",
            ModelFile("Mistral-Small-3.2-24B-Instruct-2506", "UD-Q4_K_XL"),
        ),
        (
            "Mistral-Small-3.2-24B-Instruct-2506-Q8_0-00001-of-00002.gguf",
            ModelFile("Mistral-Small-3.2-24B-Instruct-2506", "Q8_0"),
        ),
        ("model-iq2_xxs.gguf", ModelFile("model", "IQ2_XXS")),
        (
            "Mistral-Small-3.2-24B-Instruct-2506-BF16.gguf",
            ModelFile("Mistral-Small-3.2-24B-Instruct-2506", "BF16"),
        ),
        ("tiny.gguf", ModelFile("tiny", None)),
        ("Q4_K_M.gguf", ModelFile("Q4_K_M", "Q4_K_M")),
    ],
)
def test_describe_model_file(name: str, expected: ModelFile) -> None:
    assert describe_model_file(Path("/models") / name) == expected
