"""A fit plan in plain words ("a 24 GB RTX 4090 runs 128K only with q4_0 KV cache") and as
plain data for JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.core.i18n import translate
from app.core.kv_cache import KvCacheType
from app.models.fit_load import LoadSetting, gpu_layers_for, speed_cost_words, wired_limit_mb
from app.models.fit_planner import (
    CONTEXTS,
    MISTRAL_SMALL_3_2,
    PROJECTOR_COMPUTE_BYTES,
    FitPlan,
    MemoryBudget,
    MemoryEstimate,
    Placement,
    Proposal,
    QuantSize,
    Verdict,
    VerdictKind,
    max_context,
)
from app.models.hardware import MachineInfo, gib

OTHERS_WORTH_SAYING = 1024**3  # less held by others (a desktop's share) goes unmentioned


def context_label(n_ctx: int) -> str:
    return f"{n_ctx // 1024}K"


def device_label(budget: MemoryBudget) -> str:
    if not budget.has_gpu:
        return translate("FitReport", "the CPU ({ram} of RAM usable)").format(
            ram=gib(budget.ram_bytes)
        )
    if budget.unified:
        return translate("FitReport", "the {gpu} (Metal may use {memory})").format(
            gpu=budget.gpu_name, memory=gib(budget.gpu_bytes)
        )
    if budget.others_bytes > OTHERS_WORTH_SAYING:
        return translate(
            "FitReport", "the {gpu} ({memory}, of which other programs hold {others})"
        ).format(
            gpu=budget.gpu_name,
            memory=gib(budget.gpu_total_bytes),
            others=gib(budget.others_bytes),
        )
    return translate("FitReport", "the {gpu} ({memory})").format(
        gpu=budget.gpu_name, memory=gib(budget.gpu_total_bytes)
    )


def machine_summary(machine: MachineInfo) -> str:
    gpus = ", ".join(f"{gpu.name} {gib(gpu.total_bytes)} ({gpu.source})" for gpu in machine.gpus)
    parts = [
        f"{machine.os_name} {machine.os_version}".strip(),
        f"{machine.cpu_name} ({machine.cpu_cores} threads)",
        f"{gib(machine.ram_bytes)} RAM",
        gpus or "no GPU",
    ]
    if machine.disk_free_bytes is not None:
        parts.append(f"{gib(machine.disk_free_bytes)} free disk")
    return ", ".join(parts)


def quant_sentence(quant: str, verdicts: Sequence[Verdict], budget: MemoryBudget) -> str:
    """What one quant can do on this machine, across the KV cache types."""
    words = {
        "quant": quant,
        "device": device_label(budget),
        "full": context_label(MISTRAL_SMALL_3_2.n_ctx_train),
        "smallest": context_label(CONTEXTS[0]),
    }
    full = [v for v in verdicts if v.kind is VerdictKind.FULL_CONTEXT]
    up_to = [v for v in verdicts if v.kind is VerdictKind.UP_TO]
    partial = [v for v in verdicts if v.kind is VerdictKind.PARTIAL]
    if full and len(full) == len(verdicts):
        return translate(
            "FitReport",
            "{quant} runs the full {full} context on {device} with any KV cache type "
            "({needs} at most).",
        ).format(needs=_needs(full), **words)
    if full:
        kinds = _either([v.kv_type.value for v in full])
        if not up_to:
            return translate(
                "FitReport", "{quant} runs {full} on {device} only with {kinds} KV cache ({needs})."
            ).format(kinds=kinds, needs=_needs(full), **words)
        others = ", ".join(
            translate("FitReport", "with {kv} it fits up to {context} tokens").format(
                kv=v.kv_type.value, context=context_label(v.max_context)
            )
            for v in up_to
        )
        return translate(
            "FitReport",
            "{quant} runs {full} on {device} only with {kinds} KV cache ({needs}); {others}.",
        ).format(kinds=kinds, needs=_needs(full), others=others, **words)
    if up_to:
        limits = ", ".join(
            translate("FitReport", "{context} with {kv}").format(
                context=context_label(v.max_context), kv=v.kv_type.value
            )
            for v in sorted(up_to, key=lambda v: v.max_context)
        )
        needed = min(v.full_context.total for v in verdicts)
        return translate(
            "FitReport",
            "{quant} does not fit {full} on {device}: it fits up to {limits} KV cache "
            "(the full {full} would need {needed}).",
        ).format(limits=limits, needed=gib(needed), **words)
    if partial:
        most = max(partial, key=lambda v: v.gpu_layers)
        if most.gpu_layers == 0:
            return translate(
                "FitReport",
                "{quant} does not fit in {device}: it runs on the CPU only, much more slowly.",
            ).format(**words)
        return translate(
            "FitReport",
            "{quant} does not fit in {device}: it runs partly on the CPU, much more slowly "
            "({layers} of {units} layers on the GPU at {smallest} context with {kv} KV cache).",
        ).format(
            layers=most.gpu_layers,
            units=MISTRAL_SMALL_3_2.offload_units,
            kv=most.kv_type.value,
            **words,
        )
    return translate(
        "FitReport", "{quant} does not fit in this machine's memory, even at {smallest}."
    ).format(**words)


def _either(items: Sequence[str]) -> str:
    """ "a", "a or b", "a, b or c"."""
    if len(items) < 2:
        return "".join(items)
    return translate("FitReport", "{items} or {last}").format(
        items=", ".join(items[:-1]), last=items[-1]
    )


def short_verdict(verdicts: Sequence[Verdict]) -> str:
    """The best one quant can do here, in a few words, for a listing."""
    if not verdicts:
        return ""
    longest = max(verdicts, key=lambda v: (v.max_context, -list(KvCacheType).index(v.kv_type)))
    if longest.kind is VerdictKind.FULL_CONTEXT:
        return f"fits {context_label(longest.max_context)} ({longest.kv_type.value} KV)"
    if longest.kind is VerdictKind.UP_TO:
        return f"fits up to {context_label(longest.max_context)} ({longest.kv_type.value} KV)"
    if any(v.kind is VerdictKind.PARTIAL and v.gpu_layers for v in verdicts):
        return "partly on the CPU"
    if any(v.kind is VerdictKind.PARTIAL for v in verdicts):
        return "CPU only"
    return "won't fit"


def _needs(verdicts: Sequence[Verdict]) -> str:
    return gib(max(v.full_context.total for v in verdicts))


def proposal_sentence(proposal: Proposal, budget: MemoryBudget) -> str:
    fit = proposal.fit
    words = {
        "quant": proposal.quant,
        "kv": proposal.kv_type.value,
        "context": context_label(proposal.n_ctx),
        "total": gib(fit.estimate.total),
    }
    if fit.placement is Placement.GPU:
        return translate(
            "FitReport",
            "{quant} with {kv} KV cache and a {context} context, all on {device}: {total}.",
        ).format(device=device_label(budget), **words)
    if fit.placement is Placement.PARTIAL:
        units = MISTRAL_SMALL_3_2.offload_units
        cost = speed_cost_words(fit.gpu_layers, units, unified=budget.unified)
        return translate(
            "FitReport",
            "{quant} with {kv} KV cache and a {context} context, {layers} of {units} layers on "
            "the GPU and the rest on the CPU ({cost}): {total} in all.",
        ).format(layers=fit.gpu_layers, units=units, cost=cost, **words)
    if fit.placement is Placement.CPU:
        return translate(
            "FitReport",
            "{quant} with {kv} KV cache and a {context} context, on the CPU (slow): "
            "{total} of RAM.",
        ).format(**words)
    return translate(
        "FitReport",
        "{quant} with {kv} KV cache and a {context} context won't fit: it needs {total}, more "
        "than this machine's memory holds.",
    ).format(**words)


def report_lines(plan: FitPlan, machine: MachineInfo | None = None) -> list[str]:
    """The plan as sentences: the machine, one line per quant, then the suggestions."""
    lines = []
    if machine is not None:
        lines.append(f"Machine: {machine_summary(machine)}.")
        lines.extend(machine.notes)
    quants = list(dict.fromkeys(v.quant for v in plan.verdicts))
    lines.extend(quant_sentence(q, plan.verdicts_for(q), plan.budget) for q in quants)
    if plan.selected is not None:
        lines.append(
            f"Best setting for {plan.selected.quant}: "
            + proposal_sentence(plan.selected, plan.budget)
        )
    if plan.best is not None:
        lines.append("Best quant for this machine: " + proposal_sentence(plan.best, plan.budget))
    return lines


def projector_label(projector_bytes: int) -> str:
    """The projector's share of memory, its image compute buffer included."""
    return gib(projector_bytes + PROJECTOR_COMPUTE_BYTES)


def vision_sentence(
    quant: QuantSize, kv_type: KvCacheType, budget: MemoryBudget, projector_bytes: int
) -> str:
    """Whether a verdict counts the vision projector, and the context left with it."""
    if not projector_bytes:
        return translate(
            "FitReport",
            "This does not count a vision projector: none is chosen, so images are off.",
        )
    with_images = max_context(quant.size, kv_type, budget, projector_bytes=projector_bytes)
    without = max_context(quant.size, kv_type, budget)
    words = {
        "projector": projector_label(projector_bytes),
        "smallest": context_label(CONTEXTS[0]),
        "kv": kv_type.value,
        "with_images": f"{with_images:,}",
        "without": f"{without:,}",
    }
    if with_images == 0 and without == 0:
        text = (
            translate(
                "FitReport",
                "This counts the vision projector ({projector}); with or without it, not even "
                "{smallest} fits on the GPU.",
            )
            if budget.has_gpu
            else translate(
                "FitReport",
                "This counts the vision projector ({projector}); with or without it, not even "
                "{smallest} fits in memory.",
            )
        )
    elif not with_images:
        text = (
            translate(
                "FitReport",
                "This counts the vision projector ({projector}); with it, too little context "
                "fits on the GPU with {kv} KV cache ({without} tokens without images).",
            )
            if budget.has_gpu
            else translate(
                "FitReport",
                "This counts the vision projector ({projector}); with it, too little context "
                "fits in memory with {kv} KV cache ({without} tokens without images).",
            )
        )
    else:
        text = (
            translate(
                "FitReport",
                "This counts the vision projector ({projector}); with it, {with_images} tokens "
                "of context fit on the GPU with {kv} KV cache ({without} without images).",
            )
            if budget.has_gpu
            else translate(
                "FitReport",
                "This counts the vision projector ({projector}); with it, {with_images} tokens "
                "of context fit in memory with {kv} KV cache ({without} without images).",
            )
        )
    return text.format(**words)


def _estimate_json(estimate: MemoryEstimate) -> dict[str, int]:
    return {
        "weights": estimate.weights,
        "kv_cache": estimate.kv_cache,
        "compute": estimate.compute,
        "overhead": estimate.overhead,
        "projector": estimate.projector,
        "total": estimate.total,
    }


def _proposal_json(proposal: Proposal | None) -> dict[str, Any] | None:
    if proposal is None:
        return None
    return {
        "quant": proposal.quant,
        "kv_type": proposal.kv_type.value,
        "n_ctx": proposal.n_ctx,
        "placement": proposal.fit.placement.value,
        "gpu_layers": proposal.fit.gpu_layers,
        "memory": _estimate_json(proposal.fit.estimate),
    }


def _quant_json(quant: QuantSize, plan: FitPlan, projector_bytes: int) -> dict[str, Any]:
    """One quant: the longest context per KV type (and with the projector, when planned with
    it), the loader's GPU layers at the smallest planned context when it fits only partly, and
    on a Mac the smallest `iogpu.wired_limit_mb` for the full context without images."""
    budget = plan.budget
    entry: dict[str, Any] = {
        "name": quant.label,
        "size_bytes": quant.size,
        "max_ctx": {kv.value: max_context(quant.size, kv, budget) for kv in KvCacheType},
    }
    if projector_bytes:
        entry["max_ctx_vision"] = {
            kv.value: max_context(quant.size, kv, budget, projector_bytes=projector_bytes)
            for kv in KvCacheType
        }
    entry["gpu_layers"] = {
        kv.value: gpu_layers_for(LoadSetting(quant.size, CONTEXTS[0], kv, projector_bytes), budget)
        for kv in KvCacheType
    }
    if budget.unified:
        full = MISTRAL_SMALL_3_2.n_ctx_train
        entry["wired_limit_mb"] = {
            kv.value: wired_limit_mb(LoadSetting(quant.size, full, kv)) for kv in KvCacheType
        }
    return entry


def plan_json(plan: FitPlan, projector_bytes: int = 0) -> dict[str, Any]:
    """The plan as data; `projector_bytes` is the projector the plan counted (0: none)."""
    return {
        "quants": [_quant_json(quant, plan, projector_bytes) for quant in plan.quants],
        "budget": {
            "gpu_bytes": plan.budget.gpu_bytes,
            "ram_bytes": plan.budget.ram_bytes,
            "unified": plan.budget.unified,
            "gpu_name": plan.budget.gpu_name,
        },
        "with_projector": plan.with_projector,
        "cells": [
            {
                "quant": cell.quant,
                "n_ctx": cell.n_ctx,
                "kv_type": cell.kv_type.value,
                "placement": cell.fit.placement.value,
                "gpu_layers": cell.fit.gpu_layers,
                "memory": _estimate_json(cell.fit.estimate),
            }
            for cell in plan.cells
        ],
        "verdicts": [
            {
                "quant": v.quant,
                "kv_type": v.kv_type.value,
                "kind": v.kind.value,
                "max_context": v.max_context,
                "gpu_layers": v.gpu_layers,
                "full_context_bytes": v.full_context.total,
            }
            for v in plan.verdicts
        ],
        "selected": _proposal_json(plan.selected),
        "best": _proposal_json(plan.best),
    }
