"""Model downloads: the requests a catalog choice makes, the hub's check of each file before it
is fetched (app.models.transfer streams it), and the partial downloads earlier runs left."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from app.core.i18n import translate
from app.models.catalog import Catalog, CatalogOrigin, QuantChoice
from app.models.download_types import (
    PART_SUFFIX,
    STATE_SUFFIX,
    DiskUsageFunction,
    DownloadControl,
    DownloadRequest,
    DownloadResult,
    PendingDownload,
    disk_usage,
    read_state,
)
from app.models.errors import HubError
from app.models.hub import HubClient
from app.models.progress import ProgressCallback
from app.models.transfer import Transfer, TransferPolicy
from app.paths import models_dir


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
        self.policy = TransferPolicy(
            hub, disk_usage, retries, retry_delay_s, progress_interval_s, clock
        )

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
        transfer = Transfer(self.policy, pinned, target, on_progress, control or DownloadControl())
        return transfer.run()

    def pending_downloads(self) -> list[PendingDownload]:
        """Partial downloads left by earlier runs, which `download` resumes."""
        found = []
        root = self.root()
        if not root.is_dir():
            return []
        for state_path in sorted(root.rglob(f"*{STATE_SUFFIX}")):
            state = read_state(state_path)
            part = state_path.with_name(state_path.name.removesuffix(STATE_SUFFIX) + PART_SUFFIX)
            if state is None or not part.is_file():
                continue
            found.append(PendingDownload(state, part, part.stat().st_size))
        return found
