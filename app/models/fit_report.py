"""A fit plan in plain words ("a 24 GB RTX 4090 runs 128K only with q4_0 KV cache") and as
plain data for JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.engine.protocol import KvCacheType
from app.models.fit_planner import (
    CONTEXTS,
    MISTRAL_SMALL_3_2,
    FitPlan,
    MemoryBudget,
    MemoryEstimate,
    Placement,
    Proposal,
    Verdict,
    VerdictKind,
)
from app.models.hardware import MachineInfo, gib


def context_label(n_ctx: int) -> str:
    return f"{n_ctx // 1024}K"


def device_label(budget: MemoryBudget) -> str:
    if not budget.has_gpu:
        return f"the CPU ({gib(budget.ram_bytes)} of RAM usable)"
    if budget.unified:
        return f"the {budget.gpu_name} (Metal may use {gib(budget.gpu_bytes)})"
    return f"the {budget.gpu_name} ({gib(budget.gpu_total_bytes)})"


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
    device = device_label(budget)
    full_ctx = context_label(MISTRAL_SMALL_3_2.n_ctx_train)
    full = [v for v in verdicts if v.kind is VerdictKind.FULL_CONTEXT]
    up_to = [v for v in verdicts if v.kind is VerdictKind.UP_TO]
    partial = [v for v in verdicts if v.kind is VerdictKind.PARTIAL]
    if full and len(full) == len(verdicts):
        return (
            f"{quant} runs the full {full_ctx} context on {device} with any KV cache type "
            f"({_needs(full)} at most)."
        )
    if full:
        kinds = " or ".join(v.kv_type.value for v in full)
        sentence = (
            f"{quant} runs {full_ctx} on {device} only with {kinds} KV cache ({_needs(full)})"
        )
        if up_to:
            sentence += "; with " + ", with ".join(
                f"{v.kv_type.value} it fits up to {context_label(v.max_context)} tokens"
                for v in up_to
            )
        return sentence + "."
    if up_to:
        limits = ", ".join(
            f"{context_label(v.max_context)} with {v.kv_type.value}"
            for v in sorted(up_to, key=lambda v: v.max_context)
        )
        needed = min(v.full_context.total for v in verdicts)
        return (
            f"{quant} does not fit {full_ctx} on {device}: it fits up to {limits} KV cache "
            f"(the full {full_ctx} would need {gib(needed)})."
        )
    if partial:
        most = max(partial, key=lambda v: v.gpu_layers)
        if most.gpu_layers == 0:
            return f"{quant} does not fit in {device}: it runs on the CPU only, much more slowly."
        return (
            f"{quant} does not fit in {device}: it runs partly on the CPU, much more slowly "
            f"({most.gpu_layers} of {MISTRAL_SMALL_3_2.offload_units} layers on the GPU at "
            f"{context_label(CONTEXTS[0])} context with {most.kv_type.value} KV cache)."
        )
    return f"{quant} does not fit in this machine's memory, even at {context_label(CONTEXTS[0])}."


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
    setting = (
        f"{proposal.quant} with {proposal.kv_type.value} KV cache and a "
        f"{context_label(proposal.n_ctx)} context"
    )
    total = gib(fit.estimate.total)
    if fit.placement is Placement.GPU:
        return f"{setting}, all on {device_label(budget)}: {total}."
    if fit.placement is Placement.PARTIAL:
        return (
            f"{setting}, {fit.gpu_layers} of {MISTRAL_SMALL_3_2.offload_units} layers on the GPU "
            f"and the rest on the CPU (slower): {total} in all."
        )
    if fit.placement is Placement.CPU:
        return f"{setting}, on the CPU (slow): {total} of RAM."
    return f"{setting} won't fit: it needs {total}, more than this machine's memory holds."


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


def plan_json(plan: FitPlan) -> dict[str, Any]:
    return {
        "quants": [
            {
                "name": quant.label,
                "size_bytes": quant.size,
                "max_ctx": {v.kv_type.value: v.max_context for v in plan.verdicts_for(quant.label)},
            }
            for quant in plan.quants
        ],
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
