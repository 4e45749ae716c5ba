"""The Models window's work off the GUI thread: the overview (catalog, verdicts, files on disk),
one download at a time, and the file chores (import, delete, discard a partial download).

The model layer (app/models) does the work; this class runs it in worker threads and reports
through queued signals. The hub's address and offline mode are read from the settings each
time, so a change in Settings applies to the next refresh or download.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.core.i18n import translate
from app.models.catalog import DEFAULT_REPO, load_catalog
from app.models.download_types import DownloadControl, DownloadRequest, PendingDownload
from app.models.downloader import Downloader
from app.models.errors import DownloadCancelled, ModelsError, format_bytes
from app.models.fit_planner import MemoryBudget
from app.models.hardware import detect_machine
from app.models.hub import HubClient
from app.models.local_models import (
    ImportMode,
    LocalModel,
    delete_model,
    import_model,
)
from app.models.model_search import find_local_models
from app.models.quant import is_projector, quant_label
from app.paths import models_dir
from app.qt_bridge.models_overview import ModelsOverview, build_overview
from app.settings import LibrarySettings, Settings

BudgetFunction = Callable[[], MemoryBudget]
ScanFunction = Callable[[Sequence[Path]], list[LocalModel]]
HubFactory = Callable[[LibrarySettings], HubClient]
DownloaderFactory = Callable[[HubClient], Downloader]


def machine_budget() -> MemoryBudget:
    return MemoryBudget.for_machine(detect_machine(models_dir()))


def hub_for(library: LibrarySettings) -> HubClient:
    return HubClient(library.hub_endpoint, offline=library.offline)


@dataclass(frozen=True, slots=True)
class DownloadDone:
    label: str
    model_path: Path
    projector_path: Path | None
    unverified: tuple[str, ...] = ()  # files downloaded without a SHA-256 to check them against
    verified: bool = False  # every file downloaded now had its SHA-256 checked

    @property
    def summary(self) -> str:
        """What the download amounts to, in one or two sentences for the window."""
        if self.unverified:
            return translate(
                "ModelsController",
                "{label} is downloaded but unverified: the hub gave no SHA-256 for {files}, "
                "so its bytes could not be checked. Load it only if you trust where it came from.",
            ).format(label=self.label, files=", ".join(self.unverified))
        if self.verified:
            return translate(
                "ModelsController", "{label} is downloaded and verified: {path}."
            ).format(label=self.label, path=self.model_path)
        return translate("ModelsController", "{label} is on disk: {path}.").format(
            label=self.label, path=self.model_path
        )


class ModelsController(QObject):
    overview_ready = Signal(object)  # ModelsOverview
    overview_failed = Signal(str)
    progress = Signal(object)  # DownloadProgress, on the GUI thread
    download_done = Signal(object)  # DownloadDone
    download_failed = Signal(str)  # a message for the user
    download_cancelled = Signal(str)
    busy_changed = Signal(bool)  # a download started or ended
    import_progress = Signal(int, int)  # bytes copied, bytes in all
    chore_done = Signal(str)  # an import, deletion or discard finished: what happened
    chore_failed = Signal(str)

    def __init__(
        self,
        *,
        settings: Callable[[], Settings],
        repo_id: str = DEFAULT_REPO,
        hub_factory: HubFactory = hub_for,
        downloader_factory: DownloaderFactory = Downloader,
        budget: BudgetFunction = machine_budget,
        scan: ScanFunction = find_local_models,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.repo_id = repo_id
        self._settings = settings
        self._hub_factory = hub_factory
        self._downloader_factory = downloader_factory
        self._budget_function = budget  # called each refresh: the engine's figures may be new
        self._scan = scan
        self._control: DownloadControl | None = None
        self._threads: list[threading.Thread] = []
        self.overview: ModelsOverview | None = None
        # Connected first, so the controller is idle again before the dialog hears of it.
        self.overview_ready.connect(self._set_overview)
        self.download_done.connect(self._finished)
        self.download_failed.connect(self._finished)
        self.download_cancelled.connect(self._finished)

    def _downloader(self) -> Downloader:
        return self._downloader_factory(self._hub_factory(self._settings().library))

    # ---- the list -------------------------------------------------------------------------

    def refresh(self) -> None:
        """List the catalog, judge each quant and look for files on disk, in a worker thread."""
        settings = self._settings()
        downloader = self._downloader()

        def work() -> None:
            try:
                budget = self._budget_function()
                catalog = load_catalog(downloader.hub, self.repo_id)
                overview = build_overview(
                    catalog,
                    budget,
                    settings.model.kv_cache_type,
                    self._scan(settings.library.model_folders),
                    downloader.pending_downloads(),
                )
            except ModelsError as exc:
                self.overview_failed.emit(str(exc))
            except Exception as exc:  # a bug or an odd machine: say so, never crash the window
                self.overview_failed.emit(
                    translate(
                        "ModelsController", "The list of models could not be made: {reason}"
                    ).format(reason=exc)
                )
            else:
                self.overview_ready.emit(overview)

        self._start(work)

    # ---- downloads ------------------------------------------------------------------------

    @property
    def downloading(self) -> bool:
        return self._control is not None

    @property
    def paused(self) -> bool:
        return self._control is not None and self._control.paused

    def download(self, label: str, *, with_projector: bool = False) -> bool:
        """Fetch what quant `label` (and the default projector) needs that is not on disk yet;
        files found elsewhere are used where they lie. False when a download runs."""
        overview = self.overview
        if self._control is not None or overview is None:
            return False
        plan = overview.plan(label, with_projector=with_projector)
        if plan is None:
            return False
        return self._download(
            label,
            plan.requests(overview.catalog),
            model_path=plan.model_path,
            projector_path=plan.projector_path,
        )

    def resume_pending(self, pending: PendingDownload) -> bool:
        """Go on with a download an earlier run left unfinished."""
        if self._control is not None:
            return False
        label = quant_label(pending.filename) or pending.filename
        return self._download(label, [pending.request])

    def _download(
        self,
        label: str,
        requests: list[DownloadRequest],
        *,
        model_path: Path | None = None,
        projector_path: Path | None = None,
    ) -> bool:
        """Fetch `requests` in order; the first file fetched is the model unless `model_path`
        (found on disk) is given, and a projector fetched replaces `projector_path`."""
        downloader = self._downloader()
        control = DownloadControl()
        self._control = control
        self.busy_changed.emit(True)

        def work() -> None:
            try:
                paths = [
                    downloader.download(request, on_progress=self.progress.emit, control=control)
                    for request in requests
                ]
            except DownloadCancelled as exc:
                self.download_cancelled.emit(str(exc))
            except ModelsError as exc:
                self.download_failed.emit(str(exc))
            except OSError as exc:
                self.download_failed.emit(
                    translate("ModelsController", "The download failed: {reason}.").format(
                        reason=exc.strerror or exc
                    )
                )
            except Exception as exc:  # reported, never left to kill the thread silently
                self.download_failed.emit(
                    translate("ModelsController", "The download failed: {reason}").format(
                        reason=exc
                    )
                )
            else:
                fetched = [result.path for result in paths]
                models = [path for path in fetched if not is_projector(path.name)]
                projectors = [path for path in fetched if is_projector(path.name)]
                model = model_path or (models[0] if models else fetched[0])
                projector = projectors[0] if projectors else projector_path
                new = [result for result in paths if not result.already_present]
                unverified = tuple(result.path.name for result in new if not result.verified)
                verified = bool(new) and not unverified
                self.download_done.emit(DownloadDone(label, model, projector, unverified, verified))

        self._start(work)
        return True

    def pause(self) -> None:
        if self._control is not None:
            self._control.pause()

    def resume(self) -> None:
        if self._control is not None:
            self._control.resume()

    def cancel(self) -> None:
        if self._control is not None:
            self._control.cancel()

    # ---- files on disk --------------------------------------------------------------------

    def import_file(self, source: Path, mode: ImportMode) -> None:
        """Link or copy a GGUF file into the models folder; a copy reports its progress."""

        def work() -> str:
            model = import_model(source, mode=mode, on_progress=self.import_progress.emit)
            text = (
                translate("ModelsController", "{name} was linked into {folder}.")
                if mode is ImportMode.LINK
                else translate("ModelsController", "{name} was copied into {folder}.")
            )
            return text.format(name=source.name, folder=model.path.parent)

        self._chore(work)

    def delete(self, model: LocalModel) -> None:
        def work() -> str:
            result = delete_model(model)
            return translate("ModelsController", "{name} was deleted: {size} freed.").format(
                name=model.filename, size=format_bytes(result.freed_bytes)
            )

        self._chore(work)

    def discard(self, pending: PendingDownload) -> None:
        """Delete what an unfinished download left."""

        def work() -> str:
            freed = pending.discard()
            return translate(
                "ModelsController", "The partial {name} was removed: {size} freed."
            ).format(name=pending.filename, size=format_bytes(freed))

        self._chore(work)

    def _chore(self, work: Callable[[], str]) -> None:
        def run() -> None:
            try:
                message = work()
            except ModelsError as exc:
                self.chore_failed.emit(str(exc))
            except OSError as exc:
                self.chore_failed.emit(f"{exc.strerror or exc}.")
            else:
                self.chore_done.emit(message)

        self._start(run)

    # ---- threads --------------------------------------------------------------------------

    def wait(self, timeout_s: float = 10.0) -> bool:
        """Wait for the worker threads (tests, closing): True when all have ended."""
        for thread in list(self._threads):
            thread.join(timeout_s)
        self._threads = [t for t in self._threads if t.is_alive()]
        return not self._threads

    def shutdown(self) -> None:
        """When the app closes: pause a running download rather than cancel it, so its partial
        file stays for the next run to resume (the paused daemon thread ends with the app)."""
        if self._control is not None:
            self._control.pause()

    def _finished(self, _message: object) -> None:
        self._control = None
        self.busy_changed.emit(False)

    def _start(self, work: Callable[[], None]) -> None:
        self._threads = [t for t in self._threads if t.is_alive()]
        thread = threading.Thread(target=work, name="tramontane-models", daemon=True)
        self._threads.append(thread)
        thread.start()

    def _set_overview(self, overview: ModelsOverview) -> None:
        self.overview = overview
