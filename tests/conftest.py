"""Shared fixtures: an offscreen Qt, a private data folder, and tiny generated models."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.fixtures.models import (
    cached_model,
    cached_projector,
    looping_override,
    tekken_v11_file,
)


@pytest.fixture(autouse=True)
def tramontane_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "tramontane-home"
    monkeypatch.setenv("TRAMONTANE_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def tiny_model_path() -> Path:
    """A tiny random-weight model with the real Tekken vocabulary and the Small 3.2 template."""
    return cached_model("tiny")


@pytest.fixture(scope="session")
def tiny_model_without_template() -> Path:
    return cached_model("tiny-no-template", chat_template=None)


@pytest.fixture(scope="session")
def looping_model_path() -> Path:
    """A tiny model that greedily repeats itself forever, like a runaway generation."""
    return cached_model("tiny-looping", override=looping_override)


@pytest.fixture(scope="session")
def tekken_v11() -> Path:
    """Mistral Small 3.2's tokenizer file, for mistral-common's reference tokenizer."""
    return tekken_v11_file()


@pytest.fixture(scope="session")
def tiny_projector_path() -> Path:
    """A tiny random-weight Pixtral projector (mmproj) for the tiny model."""
    return cached_projector()
