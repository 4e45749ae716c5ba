"""`tramontane models list|pull|rm|plan`: the model catalog, downloads, deletion and the fit
planner from a terminal."""

from __future__ import annotations

import argparse
import errno
import json
import re
import sys
from enum import StrEnum
from pathlib import Path

from app.core.kv_cache import KvCacheType
from app.models.catalog import (
    DEFAULT_REPO,
    Catalog,
    CatalogOrigin,
    QuantChoice,
    load_catalog,
    offline_catalog,
)
from app.models.download_plan import DownloadPlan, plan_download
from app.models.download_types import DownloadResult
from app.models.downloader import Downloader, hub_gives_no_hash
from app.models.errors import ModelsError, format_bytes
from app.models.fit_planner import (
    CONTEXTS,
    MISTRAL_SMALL_3_2,
    FitPlan,
    MemoryBudget,
    Placement,
    QuantSize,
    apple_budget,
    cpu_budget,
    nvidia_budget,
    plan,
)
from app.models.fit_report import (
    context_label,
    machine_summary,
    plan_json,
    report_lines,
    short_verdict,
    vision_sentence,
)
from app.models.gpu_readings import load_readings, readings_path
from app.models.hardware import GIB, MachineInfo, detect_machine, gib, with_device_readings
from app.models.hub import HubClient
from app.models.local_models import (
    LocalModel,
    ModelSource,
    delete_model,
    find_on_disk,
)
from app.models.metal_limit import route_lines, routes_to_full_context
from app.models.model_search import find_local_models, source_name
from app.models.progress import DownloadProgress, DownloadState, duration_text
from app.paths import models_dir
from app.settings import load_settings

COMMAND = "models"
DEFAULT_RAM = 32 * GIB  # a described CUDA machine's RAM when --ram is not given


def run(argv: list[str]) -> int | None:
    """Run `models …` and return its exit code; None when `argv` is not a models command."""
    if not argv or argv[0] != COMMAND:
        return None
    args = _parser().parse_args(argv[1:])
    try:
        library = load_settings().settings.library  # the window's Settings → Downloads
        hub = HubClient(
            args.endpoint or library.hub_endpoint, offline=args.offline or library.offline
        )
        args.folder = [*library.model_folders, *getattr(args, "folder", [])]
        if args.action == "list":
            return _list(hub, args)
        if args.action in ("pull", "download"):
            return _download(hub, args)
        if args.action == "rm":
            return _remove(hub, args)
        return _plan(hub, args)
    except ModelsError as exc:
        print(f"error: {exc}", file=sys.stderr)
    except OSError as exc:
        print(f"error: {os_error_sentence(exc)}", file=sys.stderr)
    except Exception as exc:  # a sentence, never a traceback, whatever went wrong
        print(f"error: the command failed ({type(exc).__name__}: {exc}).", file=sys.stderr)
    return 1


def os_error_sentence(exc: OSError) -> str:
    """A failure of the disk as one sentence, e.g. "/data/x cannot be written: permission
    denied." """
    reason = (exc.strerror or str(exc) or type(exc).__name__).rstrip(".")
    reason = reason[:1].lower() + reason[1:]
    if exc.filename is None:
        return f"a file cannot be used: {reason}."
    if isinstance(exc, FileExistsError | NotADirectoryError):
        return f"{exc.filename} cannot be used as a folder: a file is in its way."
    if isinstance(exc, PermissionError) or exc.errno == errno.EROFS:
        return f"{exc.filename} cannot be written: {reason}."
    return f"{exc.filename} cannot be used: {reason}."


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tramontane models", description="Model files.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--repo", default=DEFAULT_REPO, help="a GGUF repository (owner/name)")
    common.add_argument("--endpoint", help="the hub's address (default: HF_ENDPOINT or the hub)")
    common.add_argument("--offline", action="store_true", help="never touch the network")
    actions = parser.add_subparsers(dest="action", required=True)

    listing = actions.add_parser("list", parents=[common], help="the quants a repository offers")
    listing.add_argument("--folder", type=Path, action="append", default=[],
                         help="also look for GGUF files already in this folder")  # fmt: skip

    download = actions.add_parser(
        "pull", aliases=["download"], parents=[common], help="download a quant"
    )
    download.add_argument("quant", nargs="?", help="Q4_K_M, UD-Q4_K_XL, … (default: Q4_K_M)")
    download.add_argument("--mmproj", nargs="?", const="default", metavar="LABEL",
                          help="also the vision projector (default: mmproj-F16)")  # fmt: skip
    download.add_argument("--dest", type=Path, help="models folder (default: the app's)")

    remove = actions.add_parser("rm", parents=[common], help="delete a downloaded model")
    remove.add_argument("model", help="a quant (Q4_K_M, mmproj-F16, …) or the path of a GGUF file")
    remove.add_argument("--folder", type=Path, action="append", default=[],
                        help="also look in this folder")  # fmt: skip

    planning = actions.add_parser("plan", parents=[common], help="what fits this machine")
    planning.add_argument("--quant", help="the quant to find the best setting for")
    planning.add_argument("--vision", action="store_true", help="with the vision projector")
    planning.add_argument("--json", action="store_true", help="print the whole plan as JSON")
    planning.add_argument("--memory", type=_size, metavar="SIZE",
                          help="plan for a described machine: its GPU memory (cuda), unified "
                               "memory (metal) or RAM (cpu), e.g. 24G")  # fmt: skip
    planning.add_argument("--kind", choices=[kind.value for kind in MachineKind], default="cuda",
                          help="with --memory (default: cuda)")  # fmt: skip
    planning.add_argument("--ram", type=_size, metavar="SIZE",
                          help="with --kind cuda: the machine's RAM (default: 32G)")  # fmt: skip
    planning.add_argument("--free", type=_size, metavar="SIZE",
                          help="with --kind cuda: GPU memory left free by others")  # fmt: skip
    planning.add_argument("--wired-limit-mb", type=int, metavar="MB",
                          help="with --kind metal: a raised iogpu.wired_limit_mb")  # fmt: skip
    return parser


class MachineKind(StrEnum):
    CUDA = "cuda"
    METAL = "metal"
    CPU = "cpu"


def _size(text: str) -> int:
    """Bytes from "24G", "24GB", "24 GiB", "1.5T" or a plain number of gigabytes (2**30)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([GT]?)(?:i?B)?\s*", text, re.IGNORECASE)
    if match is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size such as 24G")
    number, unit = float(match[1]), match[2].upper()
    return int(number * GIB * (1024 if unit == "T" else 1))


# --- list ---------------------------------------------------------------------------------


def _list(hub: HubClient, args: argparse.Namespace) -> int:
    catalog = load_catalog(hub, args.repo)
    print(_origin_line(catalog))
    on_disk = find_local_models(args.folder)
    default = catalog.default_quant()
    machine = this_machine()
    fit_plan = plan(_quant_sizes(catalog), MemoryBudget.for_machine(machine))
    print(f"Verdicts for this machine: {machine_summary(machine)}.")
    for choice in (*catalog.quants, *catalog.projectors):
        bits = choice.bits_per_weight(catalog.n_params)
        size = format_bytes(choice.size) if choice.size is not None else "size unknown"
        approximate = "" if choice.size_exact else " (approx.)"
        local = find_on_disk(choice, on_disk)
        marks = [
            "default" if choice is default or choice is catalog.default_projector() else "",
            "unverified (the hub gives no SHA-256)"
            if hub_gives_no_hash(choice, catalog.origin)
            else "",
            _on_disk(local) if local else "",
        ]
        notes = "  ".join(mark for mark in marks if mark)
        verdict = short_verdict(fit_plan.verdicts_for(choice.label))
        line = f"{choice.label:<14} {size + approximate:>20}  {_bits(bits)}  {verdict:<28} {notes}"
        print(line.rstrip())
    return 0


def this_machine() -> MachineInfo:
    """This machine, with the GPU figures the engine last reported (the window's, too)."""
    return with_device_readings(detect_machine(models_dir()), load_readings(readings_path()))


def _quant_sizes(catalog: Catalog) -> list[QuantSize]:
    return [QuantSize(q.label, q.size) for q in catalog.quants if q.size is not None]


def _origin_line(catalog: Catalog) -> str:
    commit = (catalog.revision or "")[:7]
    if catalog.origin is CatalogOrigin.HUB:
        return f"{catalog.repo_id} at {commit}, listed by the hub just now:"
    source = (
        f"saved list from {catalog.listed_at}"
        if catalog.origin is CatalogOrigin.CACHE
        else "the list shipped with Tramontane"
    )
    why = f" ({catalog.fallback_reason})" if catalog.fallback_reason else ""
    return f"{catalog.repo_id} at {commit}, {source}{why}:"


def _on_disk(local: LocalModel) -> str:
    unverified = " (unverified)" if local.unverified else ""
    return f"on disk ({source_name(local)}): {local.path}{unverified}"


def _bits(bits: float | None) -> str:
    return f"{bits:5.2f} bits/weight" if bits is not None else " " * 16


# --- download -------------------------------------------------------------------------------


def _download(hub: HubClient, args: argparse.Namespace) -> int:
    """Download what the quant (and projector) need that is not on disk yet. When every file is
    found, the list saved or shipped with the app decides it and the network is never used."""
    on_disk = find_local_models(args.folder, app_dir=args.dest)
    saved = offline_catalog(args.repo)
    try:
        early = _plan_for(saved, args, on_disk) if saved is not None else None
    except ModelsError:
        early = None  # the saved list does not know what was asked for: the hub may
    if early is not None and not early.missing:
        _print_found(early)
        return 0
    catalog = load_catalog(hub, args.repo)
    plan = _plan_for(catalog, args, on_disk)
    _print_found(plan)
    downloader = Downloader(hub, args.dest or models_dir())
    try:
        for request in plan.requests(catalog):
            result = downloader.download(request, on_progress=_print_progress)
            print(f"\n{result.path} ({download_state(result)})")
    except KeyboardInterrupt:
        print("\nStopped: run the same command again to resume.", file=sys.stderr)
        return 130
    return 0


def _plan_for(
    catalog: Catalog, args: argparse.Namespace, on_disk: list[LocalModel]
) -> DownloadPlan:
    projector = None
    if args.mmproj:
        projector = (
            catalog.default_projector() if args.mmproj == "default" else catalog.find(args.mmproj)
        )
        if projector is None:
            raise ModelsError(f"{args.repo} offers no vision projector {args.mmproj}.")
    return plan_download(_choose(catalog, args.quant), projector, on_disk)


def _print_found(plan: DownloadPlan) -> None:
    for file in plan.files:
        if file.found is not None:
            where = source_name(file.found)
            print(f"{file.choice.label} is already on disk ({where}): {file.found.path}")


def download_state(result: DownloadResult) -> str:
    if result.already_present:
        return "already there"
    if result.verified:
        return "verified: its SHA-256 matches the hub's"
    return "unverified: the hub gave no SHA-256 to check it against"


def _choose(catalog: Catalog, label: str | None) -> QuantChoice:
    if label is None:
        return catalog.default_quant()
    choice = catalog.find(label)
    if choice is None:
        offered = ", ".join(q.label for q in catalog.quants)
        raise ModelsError(f"{catalog.repo_id} offers no {label}; it offers {offered}.")
    return choice


def _print_progress(progress: DownloadProgress) -> None:
    done = format_bytes(progress.downloaded)
    total = f" of {format_bytes(progress.total)}" if progress.total else ""
    percent = f" {progress.fraction:6.1%}" if progress.fraction is not None else ""
    speed = f", {format_bytes(int(progress.bytes_per_s))}/s" if progress.bytes_per_s else ""
    eta = f", {duration_text(progress.eta_s)} left" if progress.eta_s is not None else ""
    extra = speed + eta if progress.state is DownloadState.DOWNLOADING else ""
    line = f"\r{progress.filename} {progress.state.value}{percent} {done}{total}{extra}"
    sys.stderr.write(line.ljust(100)[:160])
    sys.stderr.flush()


# --- rm ---------------------------------------------------------------------------------------


def _remove(hub: HubClient, args: argparse.Namespace) -> int:
    model = _local_model(hub, args)
    result = delete_model(model)
    print(f"Deleted {model.path}: {format_bytes(result.freed_bytes)} freed.")
    return 0


def _local_model(hub: HubClient, args: argparse.Namespace) -> LocalModel:
    on_disk = find_local_models(args.folder)
    given = Path(args.model).expanduser()
    if given.suffix.lower() == ".gguf":
        for model in on_disk:
            if model.path.absolute() == given.absolute():
                return model
        if given.is_file():
            return LocalModel(given.absolute(), given.stat().st_size, ModelSource.FOLDER)
        raise ModelsError(f"There is no model file {given}.")
    catalog = load_catalog(hub, args.repo)
    choice = _choose(catalog, args.model)
    found = find_on_disk(choice, on_disk)
    if found is None:
        raise ModelsError(f"{choice.label} is not on disk; `tramontane models list` shows what is.")
    return found


# --- plan -------------------------------------------------------------------------------------


def _plan(hub: HubClient, args: argparse.Namespace) -> int:
    catalog = load_catalog(hub, args.repo)
    quants = _quant_sizes(catalog)
    projector = catalog.default_projector() if args.vision else None
    machine = None
    if args.memory is not None:
        budget = _given_budget(args)
    else:
        machine = this_machine()
        budget = MemoryBudget.for_machine(machine)
    selected = _choose(catalog, args.quant).label
    projector_bytes = (projector.size or 0) if projector is not None else 0
    fit_plan = plan(quants, budget, selected=selected, projector_bytes=projector_bytes)
    if args.json:
        print(json.dumps(plan_json(fit_plan, projector_bytes), indent=1))
        return 0
    for line in report_lines(fit_plan, machine):
        print(line)
    chosen = next(q for q in quants if q.label == selected)
    if fit_plan.selected is not None:
        print(vision_sentence(chosen, fit_plan.selected.kv_type, budget, projector_bytes))
    routes = routes_to_full_context(chosen, budget, quants, projector_bytes=projector_bytes)
    if routes is not None:
        print(f"The way to {context_label(MISTRAL_SMALL_3_2.n_ctx_train)} on this Mac:")
        for line in route_lines(routes):
            print(f"  {line}")
    print()
    print(_grid(fit_plan, selected))
    return 0


def _given_budget(args: argparse.Namespace) -> MemoryBudget:
    kind = MachineKind(args.kind)
    if kind is MachineKind.METAL:
        limit = args.wired_limit_mb * 1024 * 1024 if args.wired_limit_mb else None
        return apple_budget(args.memory, limit)
    if kind is MachineKind.CPU:
        return cpu_budget(args.memory)
    return nvidia_budget(args.memory, args.ram or DEFAULT_RAM, free_bytes=args.free)


def _grid(fit_plan: FitPlan, quant: str) -> str:
    """Memory per context and KV type for one quant, and where it would run."""
    kv_types = list(KvCacheType)
    rows = [f"{quant:<10}" + "".join(f"{kv.value + ' KV':>22}" for kv in kv_types)]
    for n_ctx in CONTEXTS:
        cells = {
            cell.kv_type: cell.fit
            for cell in fit_plan.cells
            if cell.quant == quant and cell.n_ctx == n_ctx
        }
        row = f"{context_label(n_ctx):<10}"
        for kv in kv_types:
            fit = cells[kv]
            where = fit.placement.value
            if fit.placement is Placement.PARTIAL:
                where = f"{fit.gpu_layers}/{MISTRAL_SMALL_3_2.offload_units} on GPU"
            row += f"{gib(fit.estimate.total) + ' ' + where:>22}"
        rows.append(row)
    return "\n".join(rows)
