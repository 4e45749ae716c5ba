"""The Models window's work: the catalog with a fit verdict per quant, files already on disk,
and one download at a time in a worker thread, reported back through queued signals.

The model layer (app/models) does the work; this class only moves it off the GUI thread and
turns its results into rows and sentences the dialog shows as they are.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.engine.protocol import KvCacheType, Loaded, LoadModel
from app.models.catalog import DEFAULT_REPO, Catalog, CatalogOrigin, QuantChoice, load_catalog
from app.models.downloader import DownloadControl, Downloader, requests_for
from app.models.errors import DownloadCancelled, ModelsError, format_bytes
from app.models.fit_planner import (
    MISTRAL_SMALL_3_2,
    MemoryBudget,
    QuantSize,
    Verdict,
    VerdictKind,
    estimate_memory,
    plan,
)
from app.models.fit_report import context_label, quant_sentence
from app.models.hardware import detect_machine, gib
from app.models.hub import HubClient
from app.models.local_models import LocalModel, find_on_disk, scan_models
from app.paths import models_dir

BudgetFunction = Callable[[], MemoryBudget]
ScanFunction = Callable[[], list[LocalModel]]


def machine_budget() -> MemoryBudget:
    return MemoryBudget.for_machine(detect_machine(models_dir()))


def verdict_text(verdict: Verdict) -> str:
    """A verdict in a few plain words, for a table cell."""
    if verdict.kind is VerdictKind.FULL_CONTEXT:
        return f"Fits with the full {context_label(MISTRAL_SMALL_3_2.n_ctx_train)} context"
    if verdict.kind is VerdictKind.UP_TO:
        return f"Fits up to {verdict.max_context:,} tokens"
    if verdict.kind is VerdictKind.PARTIAL:
        if verdict.gpu_layers == 0:
            return "Runs on the CPU only (slow)"
        return "Runs partly on the CPU (slower)"
    return "Won't fit in this machine's memory"


def origin_text(catalog: Catalog) -> str:
    if catalog.origin is CatalogOrigin.HUB:
        return f"{catalog.repo_id}, listed by the hub just now."
    source = (
        f"the list saved {catalog.listed_at}"
        if catalog.origin is CatalogOrigin.CACHE and catalog.listed_at
        else "the saved list"
        if catalog.origin is CatalogOrigin.CACHE
        else "the list shipped with Tramontane"
    )
    why = f" {catalog.fallback_reason}" if catalog.fallback_reason else ""
    return f"{catalog.repo_id}, from {source}.{why}"


@dataclass(frozen=True, slots=True)
class QuantRow:
    choice: QuantChoice
    size_text: str
    bits_text: str
    verdict: Verdict | None  # None when the size is unknown
    verdict_text: str
    detail: str  # the planner's whole sentence for this quant, every KV cache type
    local: LocalModel | None

    @property
    def label(self) -> str:
        return self.choice.label


@dataclass(frozen=True, slots=True)
class ModelsOverview:
    catalog: Catalog
    rows: tuple[QuantRow, ...]
    projector: QuantChoice | None
    projector_local: LocalModel | None
    kv_type: KvCacheType
    budget: MemoryBudget

    def row(self, label: str) -> QuantRow | None:
        return next((row for row in self.rows if row.label == label), None)


def build_overview(
    catalog: Catalog, budget: MemoryBudget, kv_type: KvCacheType, local: list[LocalModel]
) -> ModelsOverview:
    sized = [QuantSize(q.label, q.size) for q in catalog.quants if q.size is not None]
    fit_plan = plan(sized, budget)
    rows = []
    for choice in catalog.quants:
        verdicts = fit_plan.verdicts_for(choice.label)
        verdict = next((v for v in verdicts if v.kv_type is kv_type), None)
        bits = choice.bits_per_weight(catalog.n_params)
        size = format_bytes(choice.size) if choice.size is not None else "size unknown"
        rows.append(
            QuantRow(
                choice=choice,
                size_text=size if choice.size_exact else f"about {size}",
                bits_text=f"{bits:.2f}" if bits is not None else "",
                verdict=verdict,
                verdict_text=verdict_text(verdict) if verdict else "Size unknown: no verdict",
                detail=quant_sentence(choice.label, verdicts, budget) if verdicts else "",
                local=find_on_disk(choice, local),
            )
        )
    projector = catalog.default_projector()
    return ModelsOverview(
        catalog,
        tuple(rows),
        projector,
        find_on_disk(projector, local) if projector is not None else None,
        kv_type,
        budget,
    )


@dataclass(frozen=True, slots=True)
class DownloadDone:
    label: str
    model_path: Path
    projector_path: Path | None


def predicted_memory(loaded: Loaded, command: LoadModel | None, kv_type: KvCacheType) -> str:
    """The planner's prediction for the loaded model beside what llama.cpp reported. `command`
    is the load the engine ran (its KV cache type and projector), when it is this model's."""
    projector = None
    if command is not None and command.model_path == loaded.model_path:
        kv_type = command.kv_cache_type
        projector = command.mmproj_path if loaded.has_vision else None
    estimate = estimate_memory(
        _file_size(loaded.model_path),
        loaded.n_ctx,
        kv_type,
        projector_bytes=_file_size(projector) if projector is not None else 0,
    )
    vision = f", projector {gib(estimate.projector)}" if estimate.projector else ""
    return (
        f"{loaded.model_path.name} at {loaded.n_ctx:,} tokens with {kv_type.value} KV cache:\n"
        f"predicted {gib(estimate.total)} (weights {gib(estimate.weights)}, KV cache "
        f"{gib(estimate.kv_cache)}, buffers {gib(estimate.compute + estimate.overhead)}{vision});\n"
        f"llama.cpp reports {gib(loaded.memory_bytes)} (weights, KV cache and compute buffers)."
    )


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


class ModelsController(QObject):
    overview_ready = Signal(object)  # ModelsOverview
    overview_failed = Signal(str)
    progress = Signal(object)  # DownloadProgress, on the GUI thread
    download_done = Signal(object)  # DownloadDone
    download_failed = Signal(str)  # a message for the user
    download_cancelled = Signal(str)
    busy_changed = Signal(bool)  # a download started or ended

    def __init__(
        self,
        *,
        kv_type: Callable[[], KvCacheType],
        repo_id: str = DEFAULT_REPO,
        hub: HubClient | None = None,
        downloader: Downloader | None = None,
        budget: BudgetFunction = machine_budget,
        scan: ScanFunction = scan_models,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.repo_id = repo_id
        self._kv_type = kv_type
        self._hub = hub or HubClient()
        self._downloader = downloader or Downloader(self._hub)
        self._budget_function = budget
        self._budget: MemoryBudget | None = None  # detected once: it reads the hardware
        self._scan = scan
        self._control: DownloadControl | None = None
        self._threads: list[threading.Thread] = []
        self.overview: ModelsOverview | None = None
        # Connected first, so the controller is idle again before the dialog hears of it.
        self.overview_ready.connect(self._set_overview)
        self.download_done.connect(self._finished)
        self.download_failed.connect(self._finished)
        self.download_cancelled.connect(self._finished)

    # ---- the list -------------------------------------------------------------------------

    def refresh(self) -> None:
        """List the catalog, judge each quant and look for files on disk, in a worker thread."""
        kv_type = self._kv_type()

        def work() -> None:
            try:
                if self._budget is None:
                    self._budget = self._budget_function()
                catalog = load_catalog(self._hub, self.repo_id)
                overview = build_overview(catalog, self._budget, kv_type, self._scan())
            except ModelsError as exc:
                self.overview_failed.emit(str(exc))
            except Exception as exc:  # a bug or an odd machine: say so, never crash the window
                self.overview_failed.emit(f"The list of models could not be made: {exc}")
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
        """Start downloading quant `label` (and the default projector); False when one runs."""
        overview = self.overview
        if self._control is not None or overview is None:
            return False
        row = overview.row(label)
        if row is None:
            return False
        catalog = overview.catalog
        requests = requests_for(catalog, row.choice)
        projector_requests = (
            requests_for(catalog, overview.projector)
            if with_projector and overview.projector is not None
            else []
        )
        control = DownloadControl()
        self._control = control
        self.busy_changed.emit(True)

        def work() -> None:
            try:
                paths = [
                    self._downloader.download(r, on_progress=self.progress.emit, control=control)
                    for r in requests
                ]
                projector = [
                    self._downloader.download(r, on_progress=self.progress.emit, control=control)
                    for r in projector_requests
                ]
            except DownloadCancelled as exc:
                self.download_cancelled.emit(str(exc))
            except ModelsError as exc:
                self.download_failed.emit(str(exc))
            except OSError as exc:
                self.download_failed.emit(f"The download failed: {exc.strerror or exc}.")
            except Exception as exc:  # reported, never left to kill the thread silently
                self.download_failed.emit(f"The download failed: {exc}")
            else:
                self.download_done.emit(
                    DownloadDone(label, paths[0].path, projector[0].path if projector else None)
                )

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
