"""Downloads through huggingface_hub against the loopback fake hub: progress, drops, restarts,
pause, cancel, damaged bytes, a full disk, offline mode."""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.models.catalog import load_catalog
from app.models.download_types import DiskUsage, DownloadControl, DownloadRequest
from app.models.downloader import Downloader, requests_for
from app.models.errors import (
    DiskFullError,
    DownloadCancelled,
    HashMismatchError,
    HubBusyError,
    HubError,
    NoNetworkError,
    NotEnoughSpaceError,
    NotFoundError,
    OfflineModeError,
)
from app.models.hub import HubClient
from app.models.progress import DownloadProgress, DownloadState, ProgressCallback
from app.models_cli import run
from tests.fixtures.fake_hub import COMMIT, FakeHub

pytestmark = pytest.mark.integration

REPO = "tester/Tiny-GGUF"
NAME = "Tiny-Q4_K_M.gguf"
PAYLOAD = os.urandom(48 * 1024)


@pytest.fixture
def fake_hub() -> Iterator[FakeHub]:
    hub = FakeHub()
    hub.add(REPO, NAME, PAYLOAD)
    hub.add(REPO, "Tiny-Q8_0.gguf", os.urandom(2048))
    hub.add(REPO, "mmproj-F16.gguf", os.urandom(1024))
    hub.add(REPO, "README.md", b"# tiny")
    with hub.running():
        yield hub


@pytest.fixture
def client(fake_hub: FakeHub) -> HubClient:
    return HubClient(fake_hub.url, token=False, timeout_s=5)


def downloader(client: HubClient, root: Path, **options: object) -> Downloader:
    settings: dict[str, object] = {"retry_delay_s": 0.01, "progress_interval_s": 0.0}
    settings.update(options)
    return Downloader(client, root / "models", **settings)  # type: ignore[arg-type]


def request(sha256: str | None = None) -> DownloadRequest:
    return DownloadRequest(REPO, NAME, COMMIT, len(PAYLOAD), sha256)


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "models").rglob("*.part*"))


def test_listing_groups_gguf_files_and_is_cached_for_offline_use(
    client: HubClient, fake_hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = load_catalog(client, REPO)
    assert [q.label for q in catalog.quants] == ["Q8_0", "Q4_K_M"]
    assert [p.label for p in catalog.projectors] == ["mmproj-F16"]
    assert catalog.revision == COMMIT
    choice = catalog.find("Q4_K_M")
    assert choice is not None and choice.size == len(PAYLOAD)
    assert choice.files[0].sha256 == fake_hub.repos[REPO][NAME].sha256

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    seen = len(fake_hub.requests)
    offline = load_catalog(client, REPO)
    assert offline.origin.value == "cache"
    assert offline.find("Q4_K_M") == choice
    assert len(fake_hub.requests) == seen


def test_download_reports_progress_and_verifies_the_hash(
    client: HubClient, fake_hub: FakeHub, tmp_path: Path
) -> None:
    catalog = load_catalog(client, REPO)
    choice = catalog.find("Q4_K_M")
    assert choice is not None
    [req] = requests_for(catalog, choice)
    seen: list[DownloadProgress] = []
    result = downloader(client, tmp_path).download(req, on_progress=seen.append)

    assert result.path.read_bytes() == PAYLOAD
    assert result.verified and result.sha256 == fake_hub.repos[REPO][NAME].sha256
    assert result.path == tmp_path / "models" / "tester" / "Tiny-GGUF" / NAME
    counts = [p.downloaded for p in seen if p.state is DownloadState.DOWNLOADING]
    assert counts == sorted(counts) and counts[-1] == len(PAYLOAD)
    assert all(p.total == len(PAYLOAD) for p in seen)
    assert seen[-1].state is DownloadState.DONE
    assert DownloadState.RETRYING not in {p.state for p in seen}
    assert leftovers(tmp_path) == []

    again = downloader(client, tmp_path).download(req)
    assert again.already_present and len(fake_hub.gets(NAME)) == 1


def test_a_dropped_connection_resumes_with_a_range_request(
    client: HubClient, fake_hub: FakeHub, tmp_path: Path
) -> None:
    fake_hub.drops = [20_000, 9_000]
    result = downloader(client, tmp_path).download(request())

    assert result.path.read_bytes() == PAYLOAD and result.verified
    assert [r.range for r in fake_hub.gets(NAME)] == [None, "bytes=20000-", "bytes=29000-"]


def test_a_partial_download_survives_a_restart(
    client: HubClient, fake_hub: FakeHub, tmp_path: Path
) -> None:
    fake_hub.drops = [30_000, 0]
    with pytest.raises(NoNetworkError, match="resume"):
        downloader(client, tmp_path, retries=0).download(request())
    assert leftovers(tmp_path) == [NAME + ".part", NAME + ".part.json"]

    restarted = downloader(client, tmp_path)
    [pending] = restarted.pending_downloads()
    assert (pending.filename, pending.downloaded, pending.size) == (NAME, 30_000, len(PAYLOAD))
    result = restarted.download(pending.request)
    assert result.resumed_from == 30_000 and result.verified
    assert result.path.read_bytes() == PAYLOAD
    assert fake_hub.gets(NAME)[-1].range == "bytes=30000-"
    assert leftovers(tmp_path) == []


def test_a_partial_download_can_be_discarded(
    client: HubClient, fake_hub: FakeHub, tmp_path: Path
) -> None:
    fake_hub.drops = [30_000, 0]
    with pytest.raises(NoNetworkError):
        downloader(client, tmp_path, retries=0).download(request())
    [pending] = downloader(client, tmp_path).pending_downloads()

    freed = pending.discard()

    assert freed >= 30_000
    assert leftovers(tmp_path) == []
    assert downloader(client, tmp_path).pending_downloads() == []


def test_a_busy_server_is_tried_again(client: HubClient, fake_hub: FakeHub, tmp_path: Path) -> None:
    fake_hub.drops = [12_000]
    fake_hub.refusals = [503, 429]
    result = downloader(client, tmp_path).download(request())
    assert result.verified and result.path.read_bytes() == PAYLOAD

    fake_hub.refusals = [503] * 3
    with pytest.raises(HubBusyError, match="HTTP 503"):
        downloader(client, tmp_path / "again", retries=2).download(request())
    assert [p.name for p in (tmp_path / "again").rglob("*.part")] == [NAME + ".part"]


def test_a_server_ignoring_range_restarts_from_zero(
    client: HubClient, fake_hub: FakeHub, tmp_path: Path
) -> None:
    fake_hub.drops = [10_000]
    fake_hub.ignore_range = True
    result = downloader(client, tmp_path).download(request())
    assert result.path.read_bytes() == PAYLOAD and result.verified


def test_cancel_from_another_thread_deletes_the_partial_file(
    client: HubClient, fake_hub: FakeHub, tmp_path: Path
) -> None:
    fake_hub.chunk_delay_s = 0.01
    control = DownloadControl()
    started = threading.Event()

    def on_progress(progress: DownloadProgress) -> None:
        if progress.downloaded:
            started.set()

    outcome: list[object] = []
    worker = start_download(outcome, downloader(client, tmp_path), on_progress, control)
    assert started.wait(10)
    control.cancel()
    worker.join(10)
    assert len(outcome) == 1 and isinstance(outcome[0], DownloadCancelled)
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "models" / "tester" / "Tiny-GGUF" / NAME).exists()


def test_pause_holds_the_transfer_and_resume_finishes_it(
    client: HubClient, fake_hub: FakeHub, tmp_path: Path
) -> None:
    fake_hub.chunk_delay_s = 0.005
    control = DownloadControl()
    paused = threading.Event()
    states: list[DownloadProgress] = []

    def on_progress(progress: DownloadProgress) -> None:
        states.append(progress)
        if progress.downloaded >= 8_000 and not paused.is_set():
            control.pause()
        if progress.state is DownloadState.PAUSED:
            paused.set()

    outcome: list[object] = []
    worker = start_download(outcome, downloader(client, tmp_path), on_progress, control)
    assert paused.wait(10)
    held_at = states[-1].downloaded
    worker.join(0.3)
    assert worker.is_alive() and states[-1].downloaded == held_at
    control.resume()
    worker.join(10)

    [result] = outcome
    assert not isinstance(result, BaseException)
    assert (tmp_path / "models" / "tester" / "Tiny-GGUF" / NAME).read_bytes() == PAYLOAD
    assert fake_hub.gets(NAME)[-1].range == f"bytes={held_at}-"


def test_wrong_bytes_are_deleted_and_reported(
    client: HubClient, fake_hub: FakeHub, tmp_path: Path
) -> None:
    file = fake_hub.repos[REPO][NAME]
    file.served = bytes(b ^ 0xFF for b in PAYLOAD)
    with pytest.raises(HashMismatchError, match="damaged"):
        downloader(client, tmp_path).download(request(file.sha256))
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "models" / "tester" / "Tiny-GGUF" / NAME).exists()


def test_the_hub_etag_is_used_when_no_hash_was_listed(
    client: HubClient, fake_hub: FakeHub, tmp_path: Path
) -> None:
    fake_hub.repos[REPO][NAME].served = b"x" * len(PAYLOAD)
    with pytest.raises(HashMismatchError):
        downloader(client, tmp_path).download(DownloadRequest(REPO, NAME))


def test_not_enough_free_space_refuses_before_downloading(
    client: HubClient, fake_hub: FakeHub, tmp_path: Path
) -> None:
    def nearly_full(path: Path) -> DiskUsage:
        return DiskUsage(total=10**12, used=10**12 - 1000, free=1000)

    with pytest.raises(NotEnoughSpaceError, match="free disk space") as caught:
        downloader(client, tmp_path, disk_usage=nearly_full).download(request())
    assert caught.value.free == 1000 and caught.value.needed > len(PAYLOAD)
    assert fake_hub.gets(NAME) == []


def test_offline_mode_never_touches_the_network(
    client: HubClient, fake_hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(OfflineModeError):
        downloader(client, tmp_path).download(request())
    with pytest.raises(OfflineModeError):
        load_catalog(client, REPO)
    assert fake_hub.requests == []


def test_missing_files_and_repositories_are_not_found(
    client: HubClient, fake_hub: FakeHub, tmp_path: Path
) -> None:
    with pytest.raises(NotFoundError):
        downloader(client, tmp_path).download(DownloadRequest(REPO, "nope.gguf"))
    with pytest.raises(NotFoundError):
        load_catalog(client, "tester/absent")
    with pytest.raises(HubError, match="unsafe name"):
        downloader(client, tmp_path).download(DownloadRequest(REPO, "../escape.gguf"))


def test_an_unreachable_hub_is_no_network(tmp_path: Path) -> None:
    closed = HubClient("http://127.0.0.1:9", token=False, timeout_s=2)
    with pytest.raises(NoNetworkError):
        downloader(closed, tmp_path).download(request())
    with pytest.raises(NoNetworkError):
        load_catalog(closed, REPO)


def start_download(
    outcome: list[object],
    loader: Downloader,
    on_progress: ProgressCallback,
    control: DownloadControl,
) -> threading.Thread:
    """Download in a worker thread, as the app does; the result or error lands in `outcome`."""

    def work() -> None:
        try:
            outcome.append(loader.download(request(), on_progress=on_progress, control=control))
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    return worker


def test_the_command_line_downloads_a_quant_and_its_projector(
    fake_hub: FakeHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "cli-models"
    argv = ["models", "pull", "Q4_K_M", "--mmproj", "--repo", REPO, "--endpoint", fake_hub.url]
    assert run([*argv, "--dest", str(dest)]) == 0
    folder = dest / "tester" / "Tiny-GGUF"
    assert (folder / NAME).read_bytes() == PAYLOAD
    projector = fake_hub.repos[REPO]["mmproj-F16.gguf"]
    assert (folder / "mmproj-F16.gguf").read_bytes() == projector.content
    assert "verified" in capsys.readouterr().out


def test_a_full_disk_keeps_the_partial_file_for_later(
    client: HubClient, fake_hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = Path.open

    def open_small_disk(path: Path, *args: Any, **kwargs: Any) -> Any:
        stream = real_open(path, *args, **kwargs)
        return _FillsUp(stream, 20_000) if path.name.endswith(".part") else stream

    monkeypatch.setattr(Path, "open", open_small_disk)
    with pytest.raises(DiskFullError, match="is full"):
        downloader(client, tmp_path).download(request())
    monkeypatch.undo()
    assert leftovers(tmp_path) == [NAME + ".part", NAME + ".part.json"]
    result = downloader(client, tmp_path).download(request())
    assert result.verified and result.resumed_from == 20_000


class _FillsUp:
    """A file whose disk fills up after `room` bytes."""

    def __init__(self, stream: Any, room: int) -> None:
        self._stream, self._room = stream, room

    def write(self, data: bytes) -> int:
        written = int(self._stream.write(data[: self._room]))
        self._room -= written
        if written < len(data):
            raise OSError(errno.ENOSPC, "No space left on device")
        return written

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def __enter__(self) -> _FillsUp:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stream.close()


def test_hf_endpoint_is_honoured_when_no_endpoint_is_set(
    fake_hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", fake_hub.url)
    client = HubClient(token=False)
    assert client.endpoint == fake_hub.url
    result = downloader(client, tmp_path).download(request())
    assert result.verified and fake_hub.gets(NAME)
