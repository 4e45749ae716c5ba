"""The transfer of one model file: resumable, verified while it streams, pausable and cancellable.

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
import os
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx2

from app.core.i18n import translate
from app.core.locale_format import format_count
from app.models.download_types import (
    PART_SUFFIX,
    SPACE_MARGIN_FRACTION,
    SPACE_MARGIN_MIN,
    STATE_SUFFIX,
    UNVERIFIED_SUFFIX,
    DiskUsageFunction,
    DownloadControl,
    DownloadRequest,
    DownloadResult,
    read_state,
    write_state,
)
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

_READ_BLOCK = 8 * 1024 * 1024
_SINK_DEPTH = 1024  # received blocks waiting to be written (httpx2 yields up to 64 KiB each)
_SYNC_EVERY = 32 * 1024 * 1024
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


@dataclass(frozen=True, slots=True)
class TransferPolicy:
    """What a transfer takes from the downloader that starts it."""

    hub: HubClient
    disk_usage: DiskUsageFunction
    retries: int  # reconnections in a row that bring no new byte
    retry_delay_s: float  # doubled after each such reconnection
    progress_interval_s: float
    clock: Callable[[], float]


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


class Transfer:
    """One download in progress: the partial file, its running hash, and the retry loop."""

    def __init__(
        self,
        policy: TransferPolicy,
        request: DownloadRequest,
        target: Path,
        on_progress: ProgressCallback | None,
        control: DownloadControl,
    ) -> None:
        self.policy = policy
        self.request = request
        self.target = target
        self.part = target.with_name(target.name + PART_SUFFIX)
        self.state_path = target.with_name(target.name + STATE_SUFFIX)
        self.on_progress = on_progress
        self.control = control
        self.hasher = hashlib.sha256()
        self.have = 0
        self.meter = TransferMeter(policy.clock)
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
            write_state(self.state_path, self.request)
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
        earlier = read_state(self.state_path)
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
        free = self.policy.disk_usage(self.target.parent).free
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
        url = self.policy.hub.file_url(
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
        if failures > self.policy.retries:
            if isinstance(exc, HubBusyError):
                raise exc
            raise NoNetworkError(
                translate(
                    "Downloader",
                    "the download of {name} stopped at {count} bytes and will resume from there",
                ).format(name=self.name, count=format_count(self.have))
            ) from exc
        self._emit(DownloadState.RETRYING, self.have, force=True)
        self.control.sleep(min(self.policy.retry_delay_s * 2 ** max(failures - 1, 0), 30.0))
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
        with self.policy.hub.stream(url, self.have) as response:
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
        now = self.policy.clock()
        recent = now - self._last_emit < self.policy.progress_interval_s
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
