"""`tramontane models pull` with files other programs already keep: it says where they are,
fetches from the loopback hub only what is missing, and with everything found never asks it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.models.catalog import DEFAULT_REPO, offline_catalog
from app.models_cli import run
from tests.fixtures.fake_hub import FakeHub
from tests.fixtures.models import gguf_payload
from tests.fixtures.other_tools import llama_cpp_file, ollama_model

pytestmark = pytest.mark.integration

REPO = "tester/Tiny-GGUF"
Q4 = "Tiny-Q4_K_M.gguf"
MMPROJ = "mmproj-F16.gguf"
Q4_BYTES = gguf_payload(16 * 1024)
MMPROJ_BYTES = gguf_payload(2048)
OTHER_TOOLS_VARIABLES = (
    "HF_HOME", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "LLAMA_CACHE", "OLLAMA_MODELS",
    "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME",
)  # fmt: skip


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home of the test's own, where the other programs keep their files."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for variable in OTHER_TOOLS_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    return home


@pytest.fixture
def fake_hub() -> Iterator[FakeHub]:
    hub = FakeHub()
    hub.add(REPO, Q4, Q4_BYTES)
    hub.add(REPO, MMPROJ, MMPROJ_BYTES)
    with hub.running():
        yield hub


@pytest.mark.parametrize("offline", [False, True])
def test_a_quant_in_llama_cpp_s_cache_is_not_downloaded_again(
    home: Path, fake_hub: FakeHub, offline: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = offline_catalog(DEFAULT_REPO)
    assert catalog is not None
    q4 = catalog.default_quant()
    assert q4.size is not None
    path = llama_cpp_file(home / ".cache" / "llama.cpp", DEFAULT_REPO, q4.filename, None)
    with path.open("wb") as sparse:  # the full 14.3 GB size, without writing it
        sparse.write(gguf_payload(4096))
        sparse.truncate(q4.size)

    argv = ["models", "pull", "Q4_K_M", "--endpoint", fake_hub.url]
    assert run([*argv, "--offline"] if offline else argv) == 0

    assert capsys.readouterr().out == f"Q4_K_M is already on disk (llama.cpp's cache): {path}\n"
    assert fake_hub.requests == []


def test_only_the_missing_projector_is_downloaded(
    home: Path, fake_hub: FakeHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blob, _ = ollama_model(home / ".ollama" / "models", REPO, "Q4_K_M", Q4_BYTES)
    dest = tmp_path / "models"

    argv = ["models", "pull", "Q4_K_M", "--mmproj", "--repo", REPO, "--endpoint", fake_hub.url]
    assert run([*argv, "--dest", str(dest)]) == 0

    out = capsys.readouterr().out
    assert f"Q4_K_M is already on disk (Ollama): {blob}" in out
    assert fake_hub.gets(Q4) == [] and len(fake_hub.gets(MMPROJ)) == 1
    assert (dest / "tester" / "Tiny-GGUF" / MMPROJ).read_bytes() == MMPROJ_BYTES
    assert not (dest / "tester" / "Tiny-GGUF" / Q4).exists()
    assert os.listdir(home / ".ollama" / "models" / "blobs")  # left as it was
