"""What a download is asked and gives back, how it is steered from another thread, and the
files it leaves beside the models: shared by the planning (downloader) and the transfer itself."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from app.core.i18n import translate
from app.models.errors import ModelFileError

PART_SUFFIX = ".part"
STATE_SUFFIX = ".part.json"
UNVERIFIED_SUFFIX = ".unverified"  # beside a file downloaded without a SHA-256 to check
SPACE_MARGIN_MIN = 256 * 1024 * 1024  # free space kept beyond the file itself
SPACE_MARGIN_FRACTION = 0.01


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


def read_state(path: Path) -> DownloadRequest | None:
    """The request a `.part.json` records, or None where it is unreadable."""
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


def write_state(path: Path, request: DownloadRequest) -> None:
    """Record beside a partial file what it belongs to, so that a later run resumes it."""
    state = {
        "repo_id": request.repo_id,
        "filename": request.filename,
        "revision": request.revision,
        "size": request.size,
        "sha256": request.sha256,
    }
    path.write_text(json.dumps(state), encoding="utf-8")
