"""Downloads through huggingface_hub against the loopback fake hub: progress, drops, restarts,
pause, cancel, damaged bytes, a full disk, offline mode."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.models.catalog import load_catalog
from app.models.downloader import (
    DiskUsage,
    DownloadControl,
    Downloader,
    DownloadRequest,
    requests_for,
)
from app.models.errors import (
    DownloadCancelled,
    HashMismatchError,
    NoNetworkError,
    NotEnoughSpaceError,
    NotFoundError,
    OfflineModeError,
)
from app.models.hub import HubClient
from app.models.progress import DownloadProgress, DownloadState
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
    result = restarted.download(request())
    assert result.resumed_from == 30_000 and result.verified
    assert result.path.read_bytes() == PAYLOAD
    assert fake_hub.gets(NAME)[-1].range == "bytes=30000-"
    assert leftovers(tmp_path) == []


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

    outcome: list[BaseException] = []
    worker = threading.Thread(
        target=lambda: _capture(outcome, downloader(client, tmp_path).download, request(),
                                on_progress=on_progress, control=control)  # fmt: skip
    )
    worker.start()
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
    worker = threading.Thread(
        target=lambda: _capture(outcome, downloader(client, tmp_path).download, request(),
                                on_progress=on_progress, control=control)  # fmt: skip
    )
    worker.start()
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


def test_an_unreachable_hub_is_no_network(tmp_path: Path) -> None:
    closed = HubClient("http://127.0.0.1:9", token=False, timeout_s=2)
    with pytest.raises(NoNetworkError):
        downloader(closed, tmp_path).download(request())
    with pytest.raises(NoNetworkError):
        load_catalog(closed, REPO)


def _capture(outcome: list[object], call: object, *args: object, **kwargs: object) -> None:
    try:
        outcome.append(call(*args, **kwargs))  # type: ignore[operator]
    except BaseException as exc:
        outcome.append(exc)
