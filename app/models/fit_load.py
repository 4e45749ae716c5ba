"""The planner's answer for one load: how many layers go on the GPU, what to try when that
fails for lack of memory, and the Metal limit a setting needs on a Mac.

`gpu_layers_for` is the one function behind both the loader's automatic layer count and the
`gpu_layers` of `tramontane models plan --json`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.core.i18n import translate
from app.core.kv_cache import KvCacheType
from app.models.fit_planner import (
    MISTRAL_SMALL_3_2,
    MemoryBudget,
    MemoryEstimate,
    ModelShape,
    Placement,
    estimate_memory,
    place,
    split_bytes,
)
from app.models.hardware import GIB

MIB = 1024 * 1024
ALL_LAYERS = -1  # llama-cpp-python's "every layer"
RETRY_STEP_BYTES = GIB  # the next smaller plan keeps at least this much less on the GPU
RETRY_STEP_FRACTION = 0.10  # ... or this share of it, whichever is more
# A GPU reads its weights roughly ten times as fast as a desktop CPU reads RAM; a Mac's CPU cores
# reach about a third of the GPU's bandwidth on the same memory. Rough, for words, not figures.
CPU_SLOWDOWN = {False: 10.0, True: 3.0}  # by unified memory


@dataclass(frozen=True, slots=True)
class LoadSetting:
    """What decides a load's memory: the file, context, KV type, projector and KV placement."""

    weights_bytes: int
    n_ctx: int
    kv_type: KvCacheType
    projector_bytes: int = 0
    kv_on_gpu: bool = True


def _estimate(setting: LoadSetting, shape: ModelShape) -> MemoryEstimate:
    return estimate_memory(
        setting.weights_bytes,
        setting.n_ctx,
        setting.kv_type,
        shape=shape,
        projector_bytes=setting.projector_bytes,
    )


def gpu_layers_for(
    setting: LoadSetting, budget: MemoryBudget, shape: ModelShape = MISTRAL_SMALL_3_2
) -> int | None:
    """Offload units the loader puts on the GPU when the setting fits only partly (0 when no
    layer fits beside the buffers); None when it fits wholly, or not at all, or there is no GPU."""
    if not budget.has_gpu:
        return None
    estimate = _estimate(setting, shape)
    fit = place(estimate, budget, shape, kv_on_gpu=setting.kv_on_gpu)
    if fit.placement is Placement.PARTIAL:
        return fit.gpu_layers
    if fit.placement is Placement.CPU:
        return 0
    return None


def n_gpu_layers_for(
    setting: LoadSetting, budget: MemoryBudget, shape: ModelShape = MISTRAL_SMALL_3_2
) -> int:
    """The loader's `n_gpu_layers` for "GPU layers: automatic": every layer unless the plan
    puts only some on the GPU (a setting that fits nowhere is tried whole, and said so when
    llama.cpp refuses)."""
    layers = gpu_layers_for(setting, budget, shape)
    return ALL_LAYERS if layers is None else layers


def smaller_plan(
    setting: LoadSetting, failed_layers: int, shape: ModelShape = MISTRAL_SMALL_3_2
) -> int | None:
    """After a load with `failed_layers` (-1: all) ran out of memory: the most layers whose GPU
    share is at least 1 GB (or 10%) below the failed one; None when nothing smaller is left."""
    units = shape.offload_units
    failed = units if failed_layers < 0 else min(failed_layers, units)
    if failed <= 0:
        return None
    estimate = _estimate(setting, shape)
    failed_gpu, _ = split_bytes(estimate, shape, failed, kv_on_gpu=setting.kv_on_gpu)
    target = failed_gpu - max(RETRY_STEP_BYTES, int(failed_gpu * RETRY_STEP_FRACTION))
    for layers in range(failed - 1, 0, -1):
        gpu, _ = split_bytes(estimate, shape, layers, kv_on_gpu=setting.kv_on_gpu)
        if gpu <= target:
            return layers
    return 0


def wired_limit_mb(setting: LoadSetting, shape: ModelShape = MISTRAL_SMALL_3_2) -> int:
    """The smallest `iogpu.wired_limit_mb` that holds the setting wholly on a Mac's GPU."""
    estimate = _estimate(setting, shape)
    gpu, _ = split_bytes(estimate, shape, shape.offload_units, kv_on_gpu=setting.kv_on_gpu)
    return math.ceil(gpu / MIB)


def slowdown(gpu_layers: int, units: int, *, unified: bool) -> float:
    """Roughly how many times longer a token takes with only `gpu_layers` of `units` on the GPU
    (token generation reads every weight once; the CPU's share is read more slowly)."""
    if units <= 0 or gpu_layers >= units:
        return 1.0
    on_cpu = (units - max(gpu_layers, 0)) / units
    return (1 - on_cpu) + on_cpu * CPU_SLOWDOWN[unified]


def speed_cost_words(gpu_layers: int, units: int, *, unified: bool) -> str:
    """The cost of a partial offload in words, for the status bar and the verdicts."""
    if gpu_layers >= units:
        return translate("FitLoad", "full speed")
    if gpu_layers <= 0:
        return translate("FitLoad", "all on the CPU: answers many times slower")
    factor = slowdown(gpu_layers, units, unified=unified)
    if factor < 1.5:
        return translate("FitLoad", "answers a little slower")
    return translate("FitLoad", "answers about {factor}× slower").format(factor=f"{factor:.0f}")
