"""Downloads from a hub or mirror that cannot be trusted blindly: without a SHA-256 nothing is
called verified (the library, the command line); a web page or a JSON message served where the
file was expected is recognised and never glued to a partial file."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.models.download_types import DownloadRequest
from app.models.downloader import Downloader
from app.models.errors import NoNetworkError
from app.models.hub import HubClient, NotTheFileError
from app.models.local_models import delete_model, scan_models
from app.models_cli import run
from tests.fixtures.fake_hub import COMMIT, FakeHub

pytestmark = pytest.mark.integration

REPO = "mirror/Tiny-GGUF"
NAME = "Tiny-Q4_K_M.gguf"
PAYLOAD = os.urandom(40 * 1024)
ERROR_PAGE = b"<!DOCTYPE html><html><body><h1>Sign in to continue</h1></body></html>"


@pytest.fixture
def mirror() -> Iterator[FakeHub]:
    hub = FakeHub(hashes=False)
    hub.add(REPO, NAME, PAYLOAD)
    with hub.running():
        yield hub


def fetch(mirror: FakeHub, root: Path, **options: object) -> Downloader:
    client = HubClient(mirror.url, token=False, timeout_s=5)
    return Downloader(client, root / "models", retry_delay_s=0.01, **options)  # type: ignore[arg-type]


def request() -> DownloadRequest:
    return DownloadRequest(REPO, NAME, COMMIT, len(PAYLOAD), None)


def test_without_a_hash_a_download_is_unverified(mirror: FakeHub, tmp_path: Path) -> None:
    result = fetch(mirror, tmp_path).download(request())
    assert result.path.read_bytes() == PAYLOAD
    assert not result.verified
    [found] = scan_models([], app_dir=tmp_path / "models", hf_cache_dir=tmp_path, home=tmp_path)
    assert found.path == result.path and found.unverified
    delete_model(found)
    assert list((tmp_path / "models").rglob("*.*")) == []  # the mark goes with the file


def test_wrong_bytes_from_a_mirror_without_hashes_are_never_called_verified(
    mirror: FakeHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mirror.repos[REPO][NAME].served = os.urandom(len(PAYLOAD))
    dest = tmp_path / "cli"
    argv = ["models", "pull", "Q4_K_M", "--repo", REPO, "--endpoint", mirror.url]
    assert run([*argv, "--dest", str(dest)]) == 0
    out = capsys.readouterr().out
    assert "(unverified: the hub gave no SHA-256 to check it against)" in out
    assert "(verified" not in out


def test_the_command_line_list_says_which_quants_cannot_be_verified(
    mirror: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["models", "list", "--repo", REPO, "--endpoint", mirror.url]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if "Q4_K_M" in line)
    assert "unverified (the hub gives no SHA-256)" in line


@pytest.mark.parametrize(
    ("content_type", "body", "said"),
    [
        ("text/html; charset=utf-8", ERROR_PAGE, "a web page (HTML)"),
        ("application/octet-stream", ERROR_PAGE, "a web page (HTML)"),
        ("application/json", b'{"error": "rate limited"}', "a JSON message"),
    ],
)
def test_a_page_instead_of_the_file_is_said_and_not_glued_to_the_partial_file(
    mirror: FakeHub, tmp_path: Path, content_type: str, body: bytes, said: str
) -> None:
    mirror.drops = [12_000, 0]  # cut, then no byte more: the download stops for now
    with pytest.raises(NoNetworkError):
        fetch(mirror, tmp_path, retries=0).download(request())
    part = tmp_path / "models" / "mirror" / "Tiny-GGUF" / f"{NAME}.part"
    kept = part.read_bytes()
    assert kept == PAYLOAD[: len(kept)] and kept

    mirror.page = (content_type, body)
    with pytest.raises(NotTheFileError, match=re.escape(f"The hub sent {said} instead of {NAME}")):
        fetch(mirror, tmp_path).download(request())
    assert part.read_bytes() == kept  # nothing of the page was written

    mirror.page = None
    result = fetch(mirror, tmp_path).download(request())
    assert result.path.read_bytes() == PAYLOAD and result.resumed_from == len(kept)
