"""Downloads from a loopback hub against `curl -o` of the same file, in the same run.

Run as `python -m tests.bench.bench_download [MiB]` (default 512). The fake hub of the tests
serves one random file; curl and Tramontane's downloader (Range requests, SHA-256 while the bytes
arrive, atomic rename) fetch it in turns, three times each, at two server speeds: about 200 MB/s
(a fast connection, where the network is the limit) and as fast as this machine can serve it
(where the CPU is). What hashing adds is measured by downloading once more with the downloader's
SHA-256 replaced by one that does nothing but report the expected digest.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

from app.models import transfer as transfer_module
from app.models.download_types import DownloadRequest
from app.models.downloader import Downloader
from app.models.hub import HubClient
from tests.fixtures.fake_hub import COMMIT, FakeHub

REPO = "bench/Big-GGUF"
NAME = "big.gguf"
RUNS = 3
CHUNK = 1024 * 1024
FAST_CONNECTION_DELAY_S = CHUNK / 200e6  # one 1 MiB chunk every 5 ms: about 200 MB/s
TARGET_RATIO = 0.90
HASH_SHARE_BUDGET = 0.05


def timed(action: Callable[[], None]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def curl_once(url: str, folder: Path) -> None:
    target = folder / "curl.gguf"
    subprocess.run(["curl", "-sS", "--fail", "-o", str(target), url], check=True)
    target.unlink()


def ours_once(downloader: Downloader, request: DownloadRequest) -> None:
    result = downloader.download(request)
    if not result.verified:
        raise RuntimeError("the download was not verified")
    result.path.unlink()


class NoHash:
    """Stands in for hashlib.sha256 to time a download without hashing."""

    expected = ""

    def update(self, _data: bytes) -> None:
        pass

    def hexdigest(self) -> str:
        return self.expected


@contextmanager
def hashing_disabled(expected: str) -> Iterator[None]:
    NoHash.expected = expected
    real = transfer_module.hashlib
    transfer_module.hashlib = SimpleNamespace(sha256=NoHash)
    try:
        yield
    finally:
        transfer_module.hashlib = real


def main(argv: list[str]) -> int:
    mib = int(argv[0]) if argv else 512
    content = os.urandom(mib * CHUNK)
    hub = FakeHub(chunk_size=CHUNK)
    file = hub.add(REPO, NAME, content)
    request = DownloadRequest(REPO, NAME, COMMIT, len(content), file.sha256)
    print(f"{mib} MiB file, medians of {RUNS} runs each")
    print(f"{'server':12} {'curl MB/s':>10} {'ours MB/s':>10} {'ratio':>6} {'hashing adds':>13}")
    fast: tuple[float, float] = (0.0, 1.0)
    with hub.running(), tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        downloader = Downloader(HubClient(hub.url, token=False), folder / "models")
        url = f"{hub.url}/{REPO}/resolve/{COMMIT}/{NAME}"
        for label, delay in (("~200 MB/s", FAST_CONNECTION_DELAY_S), ("unthrottled", 0.0)):
            hub.chunk_delay_s = delay
            curl_s, ours_s, unhashed_s = [], [], []
            for _ in range(RUNS):
                curl_s.append(timed(lambda: curl_once(url, folder)))
                ours_s.append(timed(lambda: ours_once(downloader, request)))
                with hashing_disabled(file.sha256):
                    unhashed_s.append(timed(lambda: ours_once(downloader, request)))
            ours = statistics.median(ours_s)
            ratio = statistics.median(curl_s) / ours
            added = ours / statistics.median(unhashed_s) - 1
            if delay:
                fast = (ratio, added)
            rates = f"{len(content) / statistics.median(curl_s) / 1e6:>10.0f} "
            rates += f"{len(content) / ours / 1e6:>10.0f}"
            print(f"{label:12} {rates} {ratio:>6.2f} {added:>12.1%}")
    ratio, added = fast
    print(
        f"at a fast connection's speed: {ratio:.2f} of curl's throughput (target "
        f"{TARGET_RATIO:.2f}), hashing adds {added:.1%} (budget {HASH_SHARE_BUDGET:.0%})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
