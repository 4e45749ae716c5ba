"""What the Models window and the welcome view show, as plain data: each quant of the catalog
with its verdict for this machine, the files already on disk with what is wrong with them, and
downloads left unfinished. Built in a worker thread; no Qt here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.core.i18n import translate
from app.core.kv_cache import KvCacheType
from app.core.locale_format import format_count, format_number
from app.engine.protocol import Loaded, LoadModel
from app.models.catalog import Catalog, CatalogOrigin, QuantChoice
from app.models.download_plan import DownloadPlan, PlannedFile
from app.models.download_types import PendingDownload
from app.models.downloader import hub_gives_no_hash
from app.models.errors import format_bytes
from app.models.fit_planner import (
    MISTRAL_SMALL_3_2,
    MemoryBudget,
    Proposal,
    QuantSize,
    Verdict,
    VerdictKind,
    estimate_memory,
    plan,
    recommend,
)
from app.models.fit_report import context_label, quant_sentence
from app.models.hardware import gib
from app.models.local_models import LocalModel, check_model_file, find_on_disk, is_same_file


def verdict_text(verdict: Verdict, with_images: Verdict | None = None) -> str:
    """A verdict in a few plain words, for a table cell; with the verdict counting the vision
    projector, what remains with images too."""
    text = _verdict_words(verdict)
    if with_images is None:
        return text
    same = (with_images.kind, with_images.max_context, with_images.gpu_layers)
    if same == (verdict.kind, verdict.max_context, verdict.gpu_layers):
        return translate("ModelsOverview", "{verdict}, images included").format(verdict=text)
    if with_images.kind in (VerdictKind.FULL_CONTEXT, VerdictKind.UP_TO):
        return translate("ModelsOverview", "{verdict}; {tokens} with images").format(
            verdict=text, tokens=format_count(with_images.max_context)
        )
    words = _verdict_words(with_images)
    return translate("ModelsOverview", "{verdict}; with images: {images_verdict}").format(
        verdict=text, images_verdict=f"{words[0].lower()}{words[1:]}"
    )


def _verdict_words(verdict: Verdict) -> str:
    if verdict.kind is VerdictKind.FULL_CONTEXT:
        return translate("ModelsOverview", "Fits with the full {context} context").format(
            context=context_label(MISTRAL_SMALL_3_2.n_ctx_train)
        )
    if verdict.kind is VerdictKind.UP_TO:
        return translate("ModelsOverview", "Fits up to {tokens} tokens").format(
            tokens=format_count(verdict.max_context)
        )
    if verdict.kind is VerdictKind.PARTIAL:
        if verdict.gpu_layers == 0:
            return translate("ModelsOverview", "Runs on the CPU only (slow)")
        units = MISTRAL_SMALL_3_2.offload_units
        return translate(
            "ModelsOverview", "Runs partly on the CPU ({gpu_layers}/{layers} layers on the GPU)"
        ).format(gpu_layers=verdict.gpu_layers, layers=units)
    return translate("ModelsOverview", "Won't fit in this machine's memory")


def origin_text(catalog: Catalog) -> str:
    repo = catalog.repo_id
    if catalog.origin is CatalogOrigin.HUB:
        return translate("ModelsOverview", "{repo}, listed by the hub just now.").format(repo=repo)
    if catalog.origin is CatalogOrigin.CACHE and catalog.listed_at:
        source = translate("ModelsOverview", "{repo}, from the list saved {date}.").format(
            repo=repo, date=catalog.listed_at
        )
    elif catalog.origin is CatalogOrigin.CACHE:
        source = translate("ModelsOverview", "{repo}, from the saved list.").format(repo=repo)
    else:
        source = translate("ModelsOverview", "{repo}, from the list shipped with Tramontane.")
        source = source.format(repo=repo)
    return f"{source} {catalog.fallback_reason}" if catalog.fallback_reason else source


@dataclass(frozen=True, slots=True)
class QuantRow:
    choice: QuantChoice
    size_text: str
    bits_text: str
    verdict: Verdict | None  # None when the size is unknown
    verdict_text: str
    detail: str  # the planner's whole sentence for this quant, every KV cache type
    local: LocalModel | None
    origin: CatalogOrigin = CatalogOrigin.HUB  # where the list it comes from was made

    @property
    def label(self) -> str:
        return self.choice.label

    @property
    def verifiable(self) -> bool:
        """A download of it is checked: the hub's list gave a SHA-256 for each file, or the list
        shipped with Tramontane is shown (the hub gives the hashes when the download starts)."""
        return not hub_gives_no_hash(self.choice, self.origin)


@dataclass(frozen=True, slots=True)
class DiskFile:
    """A GGUF file found on disk; `problem` says why it cannot be used, None when it can."""

    model: LocalModel
    problem: str | None
    catalog_label: str | None = None  # the catalog's quant or projector it is; None: another model


@dataclass(frozen=True, slots=True)
class ModelsOverview:
    catalog: Catalog
    rows: tuple[QuantRow, ...]
    projector: QuantChoice | None
    projector_local: LocalModel | None
    kv_type: KvCacheType
    budget: MemoryBudget
    recommended: Proposal | None  # the planner's first-run choice for this machine
    files: tuple[DiskFile, ...] = ()
    pending: tuple[PendingDownload, ...] = ()

    def row(self, label: str) -> QuantRow | None:
        return next((row for row in self.rows if row.label == label), None)

    def plan(self, label: str, *, with_projector: bool) -> DownloadPlan | None:
        """What downloading quant `label` (and the default projector) must fetch: the files
        not found on disk."""
        row = self.row(label)
        if row is None:
            return None
        projector = self.projector if with_projector else None
        return DownloadPlan(
            PlannedFile(row.choice, row.local),
            PlannedFile(projector, self.projector_local) if projector is not None else None,
        )


def check_files(
    local: Sequence[LocalModel], choices: Sequence[QuantChoice] = ()
) -> tuple[DiskFile, ...]:
    """Read each file's header: broken files are shown with the reason, not offered to load.
    A file that is one of `choices` carries its label; any other is another model."""
    return tuple(
        DiskFile(model, check_model_file(model.path).reason, _label_of(model, choices))
        for model in local
    )


def _label_of(model: LocalModel, choices: Sequence[QuantChoice]) -> str | None:
    return next((c.label for c in choices if is_same_file(c.files[0], model)), None)


def build_overview(
    catalog: Catalog,
    budget: MemoryBudget,
    kv_type: KvCacheType,
    local: Sequence[LocalModel],
    pending: Sequence[PendingDownload] = (),
) -> ModelsOverview:
    files = check_files(local, (*catalog.quants, *catalog.projectors))
    usable = [file.model for file in files if file.problem is None]
    sized = [QuantSize(q.label, q.size) for q in catalog.quants if q.size is not None]
    projector = catalog.default_projector()
    projector_bytes = projector.size or 0 if projector is not None else 0
    fit_plan = plan(sized, budget)
    vision_plan = plan(sized, budget, projector_bytes=projector_bytes) if projector_bytes else None
    rows = []
    for choice in catalog.quants:
        verdicts = fit_plan.verdicts_for(choice.label)
        verdict = next((v for v in verdicts if v.kv_type is kv_type), None)
        with_images = (
            next((v for v in vision_plan.verdicts_for(choice.label) if v.kv_type is kv_type), None)
            if vision_plan is not None
            else None
        )
        bits = choice.bits_per_weight(catalog.n_params)
        size = (
            format_bytes(choice.size)
            if choice.size is not None
            else translate("ModelsOverview", "size unknown")
        )
        rows.append(
            QuantRow(
                choice=choice,
                size_text=(
                    size
                    if choice.size_exact
                    else translate("ModelsOverview", "about {size}").format(size=size)
                ),
                bits_text=format_number(bits, 2) if bits is not None else "",
                verdict=verdict,
                verdict_text=(
                    verdict_text(verdict, with_images)
                    if verdict
                    else translate("ModelsOverview", "Size unknown: no verdict")
                ),
                detail=quant_sentence(choice.label, verdicts, budget) if verdicts else "",
                local=find_on_disk(choice, usable),
                origin=catalog.origin,
            )
        )
    # The first-run choice leaves room for the projector: images are one click away.
    recommended = (
        recommend(sized, budget, catalog.default_quant().label, projector_bytes=projector_bytes)
        if sized
        else None
    )
    return ModelsOverview(
        catalog,
        tuple(rows),
        projector,
        find_on_disk(projector, usable) if projector is not None else None,
        kv_type,
        budget,
        recommended,
        files,
        tuple(pending),
    )


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
    memory = {
        "model": loaded.model_path.name,
        "tokens": format_count(loaded.n_ctx),
        "kv_type": kv_type.value,
        "total": gib(estimate.total),
        "weights": gib(estimate.weights),
        "kv_cache": gib(estimate.kv_cache),
        "buffers": gib(estimate.compute + estimate.overhead),
        "projector": gib(estimate.projector),
        "reported": gib(loaded.memory_bytes),
    }
    prediction = (
        translate(
            "ModelsOverview",
            "{model} at {tokens} tokens with {kv_type} KV cache:\n"
            "predicted {total} (weights {weights}, KV cache {kv_cache}, buffers {buffers}, "
            "projector {projector});\n",
        )
        if estimate.projector
        else translate(
            "ModelsOverview",
            "{model} at {tokens} tokens with {kv_type} KV cache:\n"
            "predicted {total} (weights {weights}, KV cache {kv_cache}, buffers {buffers});\n",
        )
    )
    reported = translate(
        "ModelsOverview",
        "llama.cpp reports {reported} (weights, KV cache and compute buffers).",
    )
    return (prediction + reported).format(**memory)


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def status_tip(row: QuantRow) -> str:
    """The tooltip of a quant's status: where it is on disk, and whether it can be verified."""
    lines = [str(row.local.path)] if row.local is not None else []
    if not row.verifiable:
        lines.append(
            translate(
                "ModelsOverview",
                "The hub gives no SHA-256 for this file: a download cannot be verified.",
            )
        )
    return "\n".join(lines)
