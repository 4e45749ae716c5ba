"""Loading by the plan, with the GPU figures llama.cpp's device API would report faked for the
machines the app is made for: a 24 GB Mac (Metal's default limit and a raised one), a 24 GB
RTX 4090 alone and beside another program that holds VRAM, and a 16 GB card; each with and
without the vision projector."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.device_memory import GpuMemory, with_own_use
from app.core.kv_cache import KvCacheType
from app.models.fit_load import (
    ALL_LAYERS,
    MIB,
    LoadSetting,
    gpu_layers_for,
    n_gpu_layers_for,
    slowdown,
    smaller_plan,
    speed_cost_words,
    wired_limit_mb,
)
from app.models.fit_planner import (
    MISTRAL_SMALL_3_2,
    MemoryBudget,
    Placement,
    VerdictKind,
    estimate_memory,
    judge,
    max_context,
    place,
    split_bytes,
)
from app.models.hardware import GIB, MachineInfo, metal_working_set_limit, with_device_readings
from app.settings import AUTOMATIC_GPU_LAYERS, ModelSettings

Q4_K_M = 14_333_922_848
PROJECTOR = 879_409_728  # mmproj-F16 of Mistral Small 3.2
F16, Q8, Q4 = KvCacheType.F16, KvCacheType.Q8_0, KvCacheType.Q4_0
UNITS = MISTRAL_SMALL_3_2.offload_units
VISION = pytest.mark.parametrize("projector", [0, PROJECTOR], ids=["text", "vision"])


def machine(ram_gib: int) -> MachineInfo:
    """What detection finds before the engine reports (no GPU figure from llama.cpp yet)."""
    return MachineInfo("", "", "", 8, ram_gib * GIB, ())


def cuda(total_gib: float, free_gib: float, own_gib: float = 0.0) -> GpuMemory:
    return GpuMemory(
        "CUDA0", "NVIDIA GeForce RTX 4090", "CUDA", int(total_gib * GIB), int(free_gib * GIB),
        int(own_gib * GIB),
    )  # fmt: skip


def metal(working_set: int) -> GpuMemory:
    return GpuMemory("MTL0", "Apple M4 Pro", "Metal", working_set, working_set)


def budget_of(ram_gib: int, *gpus: GpuMemory) -> MemoryBudget:
    return MemoryBudget.for_machine(with_device_readings(machine(ram_gib), gpus))


MAC_24 = budget_of(24, metal(metal_working_set_limit(24 * GIB)))
MAC_24_RAISED = budget_of(24, metal(21_000 * MIB))  # sudo sysctl iogpu.wired_limit_mb=21000
RTX_4090 = budget_of(64, cuda(24, 23.6))
RTX_4090_BUSY = budget_of(64, cuda(24, 17.6))  # a game or a second model holds 6 GB
CARD_16 = budget_of(32, cuda(16, 15.6))


def largest_fitting_layers(setting: LoadSetting, budget: MemoryBudget) -> int:
    """Counted here without the planner's search: the most units whose GPU share fits."""
    estimate = estimate_memory(
        setting.weights_bytes,
        setting.n_ctx,
        setting.kv_type,
        projector_bytes=setting.projector_bytes,
    )
    fitting = [0]
    for layers in range(1, UNITS + 1):
        gpu, cpu = split_bytes(estimate, MISTRAL_SMALL_3_2, layers)
        in_ram = gpu + cpu if budget.unified else cpu  # unified: the GPU's share is RAM too
        if gpu <= budget.gpu_bytes and in_ram <= budget.ram_bytes:
            fitting.append(layers)
    return max(fitting)


# ---- the figures the engine reports become the planner's budget ----------------------------


def test_a_metal_reading_replaces_the_rule_of_thumb() -> None:
    reported = 17 * GIB  # what recommendedMaxWorkingSetSize says, not 2/3 of the RAM
    budget = budget_of(24, metal(reported))
    assert budget.unified and budget.gpu_bytes == reported
    assert budget.gpu_name == "Apple M4 Pro"


def test_cuda_free_memory_bounds_the_budget() -> None:
    assert RTX_4090.gpu_bytes == int(23.5 * GIB)  # the total less the display's reserve
    assert RTX_4090_BUSY.gpu_bytes == int(17.6 * GIB)  # what the other program left
    assert RTX_4090_BUSY.others_bytes == 24 * GIB - int(17.6 * GIB)


def test_the_engines_own_model_counts_as_available() -> None:
    """After a load, the free memory excludes the engine's own model, which a switch frees."""
    after_load = budget_of(64, cuda(24, 6.6, own_gib=17))
    assert after_load.gpu_bytes == RTX_4090.gpu_bytes


def test_own_use_is_what_a_load_took() -> None:
    before = (cuda(24, 23.6),)
    after = with_own_use(before, (cuda(24, 7.6),))
    assert after[0].own_bytes == 16 * GIB
    assert after[0].available_bytes == int(23.6 * GIB)


def test_devices_that_are_neither_cuda_nor_metal_leave_the_detection() -> None:
    vulkan = GpuMemory("Vulkan0", "AMD Radeon", "Vulkan", 16 * GIB, 16 * GIB)
    assert with_device_readings(machine(32), (vulkan,)) == machine(32)


# ---- verdicts for the machines, with and without images ------------------------------------


def test_a_24_gb_mac_with_the_projector_fits_only_a_few_thousand_tokens() -> None:
    contexts = {
        kv: max_context(Q4_K_M, kv, MAC_24, projector_bytes=PROJECTOR) for kv in (F16, Q8, Q4)
    }
    without = {kv: max_context(Q4_K_M, kv, MAC_24) for kv in (F16, Q8, Q4)}
    assert 4096 <= contexts[F16] < 6144  # a few thousand tokens
    assert 6144 <= contexts[Q8] < 8192  # about 7K
    assert 12288 <= contexts[Q4] < 14336  # about 13K
    assert all(without[kv] > contexts[kv] for kv in contexts)


@VISION
def test_a_raised_metal_limit_reaches_further(projector: int) -> None:
    for kv in (F16, Q8, Q4):
        default = max_context(Q4_K_M, kv, MAC_24, projector_bytes=projector)
        raised = max_context(Q4_K_M, kv, MAC_24_RAISED, projector_bytes=projector)
        assert raised > default
    full = judge("Q4_K_M", Q4_K_M, Q4, MAC_24_RAISED, projector_bytes=projector)
    assert (full.kind is VerdictKind.FULL_CONTEXT) == (projector == 0)


@VISION
def test_another_programs_vram_changes_the_4090s_verdict(projector: int) -> None:
    alone = judge("Q4_K_M", Q4_K_M, Q4, RTX_4090, projector_bytes=projector)
    busy = judge("Q4_K_M", Q4_K_M, Q4, RTX_4090_BUSY, projector_bytes=projector)
    assert alone.kind is VerdictKind.FULL_CONTEXT
    assert busy.kind is VerdictKind.UP_TO and busy.max_context < alone.max_context


@VISION
def test_a_16_gb_card(projector: int) -> None:
    verdict = judge("Q4_K_M", Q4_K_M, F16, CARD_16, projector_bytes=projector)
    if projector:
        assert verdict.kind is VerdictKind.PARTIAL and 0 < verdict.gpu_layers < UNITS
    else:
        assert verdict.kind is VerdictKind.UP_TO and verdict.max_context >= 8192


# ---- the loader's layer count ----------------------------------------------------------------


@VISION
@pytest.mark.parametrize(
    "budget", [MAC_24, MAC_24_RAISED, RTX_4090, RTX_4090_BUSY, CARD_16],
    ids=["mac", "mac-raised", "4090", "4090-busy", "16gb"],
)  # fmt: skip
def test_layers_are_the_most_that_fit(budget: MemoryBudget, projector: int) -> None:
    for kv in (F16, Q8, Q4):
        setting = LoadSetting(Q4_K_M, 32768, kv, projector)
        layers = gpu_layers_for(setting, budget)
        fits = largest_fitting_layers(setting, budget)
        if fits == UNITS:
            assert layers is None and n_gpu_layers_for(setting, budget) == ALL_LAYERS
        elif layers is not None:
            assert layers == fits and n_gpu_layers_for(setting, budget) == layers


def test_q4_k_m_at_64k_with_f16_kv_goes_partly_to_the_4090() -> None:
    setting = LoadSetting(Q4_K_M, 65536, F16)
    layers = gpu_layers_for(setting, RTX_4090)
    assert layers is not None and 30 <= layers < UNITS


def test_the_settings_send_the_planners_count(tmp_path: Path) -> None:
    model = tmp_path / "Mistral-Small-3.2-24B-Instruct-2506-Q4_K_M.gguf"
    projector = tmp_path / "mmproj-F16.gguf"
    for path, size in ((model, Q4_K_M), (projector, PROJECTOR)):
        with path.open("wb") as handle:
            handle.truncate(size)  # sparse: the size is what the planner reads
    settings = ModelSettings(mmproj_path=projector, n_ctx=8192, kv_cache_type=F16)
    automatic = settings.load_command(model, MAC_24)
    assert automatic.n_gpu_layers == gpu_layers_for(
        LoadSetting(Q4_K_M, 8192, F16, PROJECTOR), MAC_24
    )
    assert 0 < automatic.n_gpu_layers < UNITS
    assert settings.load_command(model, RTX_4090).n_gpu_layers == ALL_LAYERS
    manual = ModelSettings(n_gpu_layers=12).load_command(model, MAC_24)
    assert manual.n_gpu_layers == 12
    assert settings.load_command(model).n_gpu_layers == AUTOMATIC_GPU_LAYERS  # no budget: all
    kv_in_ram = ModelSettings(kv_on_gpu=False).load_command(model, RTX_4090)
    assert kv_in_ram.offload_kqv is False


def test_the_next_smaller_plan_keeps_a_gigabyte_less_on_the_gpu() -> None:
    setting = LoadSetting(Q4_K_M, 32768, F16, PROJECTOR)
    estimate = estimate_memory(Q4_K_M, 32768, F16, projector_bytes=PROJECTOR)
    smaller = smaller_plan(setting, ALL_LAYERS)
    assert smaller is not None and smaller < UNITS
    whole, _ = split_bytes(estimate, MISTRAL_SMALL_3_2, UNITS)
    fewer, _ = split_bytes(estimate, MISTRAL_SMALL_3_2, smaller)
    one_more, _ = split_bytes(estimate, MISTRAL_SMALL_3_2, smaller + 1)
    assert whole - fewer >= GIB and whole - one_more < max(GIB, whole // 10)
    assert smaller_plan(setting, 0) is None


def test_the_kv_cache_in_system_memory_leaves_more_on_the_gpu() -> None:
    estimate = estimate_memory(Q4_K_M, 65536, F16)
    on_gpu, _ = split_bytes(estimate, MISTRAL_SMALL_3_2, UNITS)
    in_ram, cpu = split_bytes(estimate, MISTRAL_SMALL_3_2, UNITS, kv_on_gpu=False)
    assert on_gpu - in_ram == estimate.kv_cache and cpu == estimate.kv_cache
    assert place(estimate, RTX_4090).placement is Placement.PARTIAL
    assert place(estimate, RTX_4090, kv_on_gpu=False).placement is Placement.GPU


# ---- the Metal limit and the cost of a partial offload ---------------------------------------


def test_the_wired_limit_is_the_whole_setting_in_mebibytes() -> None:
    setting = LoadSetting(Q4_K_M, 131072, Q4)
    need = estimate_memory(Q4_K_M, 131072, Q4).total
    limit = wired_limit_mb(setting)
    assert (limit - 1) * MIB < need <= limit * MIB
    raised = budget_of(24, metal(limit * MIB))
    assert max_context(Q4_K_M, Q4, raised) == MISTRAL_SMALL_3_2.n_ctx_train


def test_the_speed_cost_in_words() -> None:
    assert speed_cost_words(UNITS, UNITS, unified=False) == "full speed"
    assert slowdown(37, UNITS, unified=False) > slowdown(37, UNITS, unified=True) > 1
    assert "slower" in speed_cost_words(37, UNITS, unified=False)
    assert "CPU" in speed_cost_words(0, UNITS, unified=False)
