"""Model downloads: resumable, verified while they stream, pausable and cancellable.

huggingface_hub 2.4's `hf_hub_download` cannot do this job: it writes to a temporary file whose
name is unique to the process and deletes it when the download fails, so nothing survives an app
restart, or a network drop beyond its five in-process retries; it has no way to pause or
cancel; and its progress hook (a tqdm class) sees byte counts, not bytes, so a SHA-256 would
take a second read of the whole 15 GB file. Its Xet backend (hf_xet) has the same limits. So
huggingface_hub supplies what it knows (endpoint, token, file URL and metadata, its HTTP
session, its error types) and the bytes are streamed here: into `<file>.part` with Range
requests, hashed as they arrive, renamed to the final name only once the SHA-256 matches the
hub's LFS hash. A `.part.json` beside it records what the partial file belongs to, so a later
run resumes it; the bytes already there are hashed once more then (hash state cannot be saved).
Pause and cancel take effect at the next block received, or when a stalled read times out.
A writer thread writes and hashes while the next blocks arrive, and has the OS put the file on
disk every 32 MB: the sync that must precede the rename then finds little left to write.
"""

from __future__ import annotations

import errno
import hashlib
import itertools
import json
import os
import queue
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NamedTuple

import httpx2

from app.core.i18n import translate
from app.models.catalog import Catalog, CatalogOrigin, QuantChoice
from app.models.errors import (
    DiskFullError,
    DownloadCancelled,
    HashMismatchError,
    HubBusyError,
    HubError,
    ModelFileError,
    NoNetworkError,
    NotEnoughSpaceError,
)
from app.models.hub import HubClient, NotTheFileError, page_instead_of_file
from app.models.progress import DownloadProgress, DownloadState, ProgressCallback, TransferMeter
from app.paths import models_dir

PART_SUFFIX = ".part"
STATE_SUFFIX = ".part.json"
UNVERIFIED_SUFFIX = ".unverified"  # beside a file downloaded without a SHA-256 to check
SPACE_MARGIN_MIN = 256 * 1024 * 1024  # free space kept beyond the file itself
SPACE_MARGIN_FRACTION = 0.01
_READ_BLOCK = 8 * 1024 * 1024
_SINK_DEPTH = 1024  # received blocks waiting to be written (httpx2 yields up to 64 KiB each)
_SYNC_EVERY = 32 * 1024 * 1024
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class DiskUsage(NamedTuple):
    total: int
    used: int
    free: int


DiskUsageFunction = Callable[[Path], DiskUsage]


def disk_usage(path: Path) -> DiskUsage:
    usage = shutil.disk_usage(path)
    return DiskUsage(usage.total, usage.used, usage.free)


@dataclass(frozen=True, slots=True)
class DownloadRequest:
    repo_id: str
    filename: str
    revision: str | None = None  # a commit pins the exact file the size and hash describe
    size: int | None = None
    sha256: str | None = None


@dataclass(frozen=True, slots=True)
class DownloadResult:
    path: Path
    size: int
    sha256: str | None
    verified: bool  # the SHA-256 was computed now and matched the hub's
    resumed_from: int = 0  # bytes reused from an earlier partial download
    already_present: bool = False


@dataclass(frozen=True, slots=True)
class PendingDownload:
    """A partial file an earlier download left, with what it takes to resume it."""

    request: DownloadRequest
    part: Path
    downloaded: int

    @property
    def repo_id(self) -> str:
        return self.request.repo_id

    @property
    def filename(self) -> str:
        return self.request.filename

    @property
    def revision(self) -> str | None:
        return self.request.revision

    @property
    def size(self) -> int | None:
        return self.request.size

    def discard(self) -> int:
        """Delete the partial file and its notes; the bytes freed."""
        freed = 0
        state = self.part.with_name(self.part.name.removesuffix(PART_SUFFIX) + STATE_SUFFIX)
        for path in (self.part, state):
            try:
                freed += path.stat().st_size
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise ModelFileError(
                    translate("Downloader", "{name} could not be deleted: {reason}.").format(
                        name=path.name, reason=exc.strerror or exc
                    )
                ) from exc
        return freed


def requests_for(catalog: Catalog, choice: QuantChoice) -> list[DownloadRequest]:
    """One request per file of `choice`, pinned to the catalog's commit with its known figures."""
    return [
        DownloadRequest(
            catalog.repo_id,
            file.filename,
            catalog.revision,
            file.size if file.size_exact else None,
            file.sha256,
        )
        for file in choice.files
    ]


def hub_gives_no_hash(choice: QuantChoice, origin: CatalogOrigin) -> bool:
    """The hub (or mirror) listed `choice` without a SHA-256 for each file, so a download of it
    cannot be verified. The list shipped with Tramontane has no say: the hub tells at download."""
    return origin is not CatalogOrigin.BUNDLED and not all(f.sha256 for f in choice.files)


class DownloadControl:
    """Pause, resume or cancel a running download from any thread."""

    def __init__(self) -> None:
        self._running = threading.Event()
        self._running.set()
        self._cancelled = threading.Event()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def cancel(self) -> None:
        self._cancelled.set()
        self._running.set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    @property
    def interrupted(self) -> bool:
        return self.paused or self.cancelled

    def wait_while_paused(self) -> None:
        self._running.wait()

    def sleep(self, seconds: float) -> None:
        """Wait before a retry; a cancel ends the wait at once."""
        self._cancelled.wait(seconds)


class Downloader:
    def __init__(
        self,
        hub: HubClient,
        dest_dir: Path | None = None,
        *,
        disk_usage: DiskUsageFunction = disk_usage,
        retries: int = 5,
        retry_delay_s: float = 1.0,
        progress_interval_s: float = 0.2,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.hub = hub
        self.dest_dir = dest_dir
        self.disk_usage = disk_usage
        self.retries = retries  # reconnections in a row that bring no new byte
        self.retry_delay_s = retry_delay_s  # doubled after each such reconnection
        self.progress_interval_s = progress_interval_s
        self.clock = clock

    def root(self) -> Path:
        return self.dest_dir if self.dest_dir is not None else models_dir()

    def path_for(self, repo_id: str, filename: str) -> Path:
        parts = [*repo_id.split("/"), *filename.split("/")]
        if any(part in ("", ".", "..") for part in parts):
            raise HubError(
                translate(
                    "Downloader", "The hub listed a file with an unsafe name: {name}."
                ).format(name=repr(filename))
            )
        return self.root().joinpath(*parts)

    def download(
        self,
        request: DownloadRequest,
        *,
        on_progress: ProgressCallback | None = None,
        control: DownloadControl | None = None,
    ) -> DownloadResult:
        """Fetch one file into the models folder. Blocks: run it in a worker thread, which is
        also the thread `on_progress` is called on."""
        target = self.path_for(request.repo_id, request.filename)
        if target.is_file() and request.size in (None, target.stat().st_size):
            size = target.stat().st_size
            return DownloadResult(target, size, request.sha256, False, already_present=True)
        self.hub.require_online(
            translate("Downloader", "the download of {name}").format(name=request.filename)
        )
        meta = self.hub.file_metadata(request.repo_id, request.filename, request.revision)
        if request.size is not None and meta.size is not None and meta.size != request.size:
            raise HubError(
                translate(
                    "Downloader",
                    "{name} changed on the hub since its list was made: refresh the list of "
                    "files and download again.",
                ).format(name=request.filename)
            )
        pinned = DownloadRequest(
            request.repo_id,
            request.filename,
            meta.commit or request.revision,
            request.size if request.size is not None else meta.size,
            request.sha256 or meta.sha256,
        )
        transfer = _Transfer(self, pinned, target, on_progress, control or DownloadControl())
        return transfer.run()

    def pending_downloads(self) -> list[PendingDownload]:
        """Partial downloads left by earlier runs, which `download` resumes."""
        found = []
        root = self.root()
        if not root.is_dir():
            return []
        for state_path in sorted(root.rglob(f"*{STATE_SUFFIX}")):
            state = _read_state(state_path)
            part = state_path.with_name(state_path.name.removesuffix(STATE_SUFFIX) + PART_SUFFIX)
            if state is None or not part.is_file():
                continue
            found.append(PendingDownload(state, part, part.stat().st_size))
        return found


def _read_state(path: Path) -> DownloadRequest | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return DownloadRequest(
            str(data["repo_id"]),
            str(data["filename"]),
            data.get("revision"),
            data.get("size"),
            data.get("sha256"),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


class _BlockSink:
    """Writes and hashes the received blocks on a thread of its own, so that the next block
    arrives meanwhile (file writes and SHA-256 let other threads run). Every `SYNC_EVERY` bytes
    it has the OS put the file on disk, so the sync before the final rename has little left."""

    def __init__(self, out: IO[bytes], hasher: hashlib._Hash) -> None:
        self.out = out
        self.hasher = hasher
        self._blocks: queue.Queue[bytes | None] = queue.Queue(maxsize=_SINK_DEPTH)
        self._error: OSError | None = None
        self._unsynced = 0
        self._thread = threading.Thread(target=self._work, name="download-writer", daemon=True)
        self._thread.start()

    def put(self, block: bytes) -> None:
        self._raise_failure()
        self._blocks.put(block)

    def drain(self) -> None:
        """Wait until every block given so far is written and hashed."""
        self._blocks.join()
        self._raise_failure()

    def close(self) -> None:
        self._blocks.put(None)
        self._thread.join()

    def _work(self) -> None:
        while (block := self._blocks.get()) is not None:
            try:
                if self._error is None:
                    self._write(block)
            except OSError as exc:
                self._error = exc  # raised in the receiving thread at its next block
            finally:
                self._blocks.task_done()
        self._blocks.task_done()

    def _write(self, block: bytes) -> None:
        self.out.write(block)
        self.hasher.update(block)
        self._unsynced += len(block)
        if self._unsynced >= _SYNC_EVERY:
            self.out.flush()
            os.fsync(self.out.fileno())
            self._unsynced = 0

    def _raise_failure(self) -> None:
        if self._error is not None:
            raise self._error


class _Restart(Exception):
    """The server's answer does not continue the partial file: start over from byte 0."""


class _BadData(HubError):
    """The server sent bytes that cannot belong to the file; the partial file is worthless."""


class _Transfer:
    """One download in progress: the partial file, its running hash, and the retry loop."""

    def __init__(
        self,
        owner: Downloader,
        request: DownloadRequest,
        target: Path,
        on_progress: ProgressCallback | None,
        control: DownloadControl,
    ) -> None:
        self.owner = owner
        self.request = request
        self.target = target
        self.part = target.with_name(target.name + PART_SUFFIX)
        self.state_path = target.with_name(target.name + STATE_SUFFIX)
        self.on_progress = on_progress
        self.control = control
        self.hasher = hashlib.sha256()
        self.have = 0
        self.meter = TransferMeter(owner.clock)
        self._last_emit = float("-inf")
        self._last_state: DownloadState | None = None

    @property
    def name(self) -> str:
        return self.request.filename

    def run(self) -> DownloadResult:
        with self._local_errors():
            self.target.parent.mkdir(parents=True, exist_ok=True)
        reused = self._reusable_partial()
        self._check_space(reused)
        with self._local_errors(), self.part.open("a+b", buffering=1024 * 1024) as out:
            if reused:
                self._hash_existing(out, reused)
            self._write_state()
            self.sink = _BlockSink(out, self.hasher)
            try:
                try:
                    self._fetch(out)
                    self.sink.drain()
                finally:
                    self.sink.close()
            except (DownloadCancelled, _BadData):
                out.close()
                self._discard()
                raise
            out.flush()
            os.fsync(out.fileno())
        return self._finish(reused)

    # --- the partial file ---------------------------------------------------------------

    def _reusable_partial(self) -> int:
        """Bytes of an earlier partial download of this same file; stale ones are deleted."""
        if not self.part.is_file():
            return 0
        earlier = _read_state(self.state_path)
        size = self.part.stat().st_size
        same_file = earlier is not None and (
            (earlier.sha256, earlier.size) == (self.request.sha256, self.request.size)
            if self.request.sha256
            else (earlier.revision, earlier.size) == (self.request.revision, self.request.size)
        )
        if same_file and (self.request.size is None or size <= self.request.size):
            return size
        self._discard()
        return 0

    def _check_space(self, reused: int) -> None:
        size = self.request.size
        if size is None:
            return  # unknown until the server answers; a full disk is still reported
        needed = size - reused + max(SPACE_MARGIN_MIN, int(size * SPACE_MARGIN_FRACTION))
        free = self.owner.disk_usage(self.target.parent).free
        if free < needed:
            raise NotEnoughSpaceError(self.name, needed, free, str(self.target.parent))

    def _hash_existing(self, out: IO[bytes], length: int) -> None:
        out.seek(0)
        while self.have < length:
            block = out.read(min(_READ_BLOCK, length - self.have))
            if not block:
                break
            self.hasher.update(block)
            self.have += len(block)
            self._emit(DownloadState.CHECKING, self.have)
        out.truncate(self.have)

    def _write_state(self) -> None:
        state = {
            "repo_id": self.request.repo_id,
            "filename": self.request.filename,
            "revision": self.request.revision,
            "size": self.request.size,
            "sha256": self.request.sha256,
        }
        self.state_path.write_text(json.dumps(state), encoding="utf-8")

    def _restart(self, out: IO[bytes]) -> None:
        self.sink.drain()
        out.truncate(0)
        self.hasher = self.sink.hasher = hashlib.sha256()
        self.have = 0
        self.meter.restart()

    def _discard(self) -> None:
        self.part.unlink(missing_ok=True)
        self.state_path.unlink(missing_ok=True)

    @contextmanager
    def _local_errors(self) -> Iterator[None]:
        """Failures of the local disk (the network's are httpx2 errors, handled elsewhere)."""
        try:
            yield
        except OSError as exc:
            if exc.errno in _DISK_FULL:
                raise DiskFullError(str(self.target.parent)) from exc
            raise ModelFileError(
                translate("Downloader", "Cannot write {path}: {reason}.").format(
                    path=self.part, reason=exc.strerror or exc
                )
            ) from exc

    # --- the network ----------------------------------------------------------------------

    def _fetch(self, out: IO[bytes]) -> None:
        url = self.owner.hub.file_url(
            self.request.repo_id, self.request.filename, self.request.revision
        )
        failures = 0
        while self.request.size is None or self.have < self.request.size:
            self._obey_control()
            before = self.have
            try:
                if self._receive(url, out):
                    return
            except _Restart:
                self._restart(out)
                continue
            except (httpx2.TransportError, HubBusyError) as exc:
                if not self.control.interrupted:
                    failures = self._after_failure(failures, self.have > before, exc)
                continue
            if not self.control.interrupted:  # the body ended before the file did
                failures = self._after_failure(failures, self.have > before, None)

    def _after_failure(self, failures: int, progressed: bool, exc: Exception | None) -> int:
        """Count a dropped connection; give up after `retries` in a row without new bytes."""
        failures = 0 if progressed else failures + 1
        if failures > self.owner.retries:
            if isinstance(exc, HubBusyError):
                raise exc
            raise NoNetworkError(
                translate(
                    "Downloader",
                    "the download of {name} stopped at {count} bytes and will resume from there",
                ).format(name=self.name, count=f"{self.have:,}")
            ) from exc
        self._emit(DownloadState.RETRYING, self.have, force=True)
        self.control.sleep(min(self.owner.retry_delay_s * 2 ** max(failures - 1, 0), 30.0))
        return failures

    def _obey_control(self) -> None:
        if self.control.paused:
            self._emit(DownloadState.PAUSED, self.have, force=True)
            self.control.wait_while_paused()
            self.meter.restart()
        if self.control.cancelled:
            raise DownloadCancelled(self.name)

    def _receive(self, url: str, out: IO[bytes]) -> bool:
        """One GET from the current offset; True when the file is known to be complete."""
        with self.owner.hub.stream(url, self.have) as response:
            if response.status_code == 416:
                total = response.headers.get("Content-Range", "").rpartition("/")[2]
                if total.isdigit() and int(total) == self.have:
                    return True
                raise _Restart
            chunks = response.iter_bytes()
            first = next(chunks, b"")
            not_a_file = page_instead_of_file(response.headers.get("Content-Type", ""), first)
            if not_a_file is not None:  # checked before a byte of it touches the partial file
                raise NotTheFileError(
                    translate(
                        "Downloader",
                        "The hub sent {what} instead of {name}: the hub's address may be wrong, "
                        "or it asks to sign in. Nothing of it was kept; what was already "
                        "downloaded stays and resumes.",
                    ).format(what=not_a_file, name=self.name)
                )
            if self.have and response.status_code == 200:
                self._restart(out)  # the server ignored the range: its body starts at byte 0
            elif self.have and not response.headers.get("Content-Range", "").startswith(
                f"bytes {self.have}-"
            ):
                raise _Restart
            for chunk in itertools.chain((first,), chunks):
                self._append(out, chunk)
                if self.control.interrupted:
                    return False
        return self.request.size is None or self.have == self.request.size

    def _append(self, out: IO[bytes], chunk: bytes) -> None:
        size = self.request.size
        if size is not None and self.have + len(chunk) > size:
            raise _BadData(
                translate(
                    "Downloader",
                    "The hub sent more data than {name} holds; the download was deleted.",
                ).format(name=self.name)
            )
        self.sink.put(chunk)
        self.have += len(chunk)
        self.meter.add(self.have)
        self._emit(DownloadState.DOWNLOADING, self.have)

    # --- the end ----------------------------------------------------------------------------

    def _finish(self, reused: int) -> DownloadResult:
        self._emit(DownloadState.VERIFYING, self.have, force=True)
        digest = self.hasher.hexdigest()
        expected = self.request.sha256
        if expected is not None and digest != expected.lower():
            self._discard()
            raise HashMismatchError(self.name, expected, digest)
        marker = self.target.with_name(self.target.name + UNVERIFIED_SUFFIX)
        with self._local_errors():
            if expected is None:  # said wherever the file is listed, and asked before loading
                marker.write_text(f"sha256 {digest}, not given by the hub\n", encoding="utf-8")
            else:
                marker.unlink(missing_ok=True)
            os.replace(self.part, self.target)
        self.state_path.unlink(missing_ok=True)
        self._emit(DownloadState.DONE, self.have, force=True)
        return DownloadResult(self.target, self.have, digest, expected is not None, reused)

    def _emit(self, state: DownloadState, done: int, *, force: bool = False) -> None:
        if self.on_progress is None:
            return
        now = self.owner.clock()
        recent = now - self._last_emit < self.owner.progress_interval_s
        if not force and state == self._last_state and recent:
            return
        self._last_emit, self._last_state = now, state
        total = self.request.size
        self.on_progress(
            DownloadProgress(
                self.name,
                state,
                done,
                total,
                self.meter.bytes_per_s(),
                self.meter.eta_s(done, total),
            )
        )
