"""The way past Metal's limit on a 24 GB Mac, with the machine's facts faked (this was not run on
a Mac): the smallest iogpu.wired_limit_mb, what stays for macOS, the KV cache in system memory,
the smaller quants; and the GPU figures remembered between runs."""

from __future__ import annotations

from pathlib import Path

from app.core.device_memory import GpuMemory
from app.core.kv_cache import KvCacheType
from app.models.fit_load import MIB, LoadSetting, wired_limit_mb
from app.models.fit_planner import (
    MISTRAL_SMALL_3_2,
    Placement,
    QuantSize,
    apple_budget,
    max_context,
    nvidia_budget,
)
from app.models.gpu_readings import load_readings, save_readings
from app.models.hardware import GIB
from app.models.metal_limit import (
    MACOS_MINIMUM_BYTES,
    WiredLimit,
    metal_routes,
    osascript_arguments,
    route_lines,
    routes_to_full_context,
)

Q3_K_M = QuantSize("Q3_K_M", 11_474_095_648)
Q4_K_M = QuantSize("Q4_K_M", 14_333_922_848)
Q5_K_M = QuantSize("Q5_K_M", 16_763_997_728)
QUANTS = (Q3_K_M, Q4_K_M, Q5_K_M)
PROJECTOR = 879_409_728
FULL = MISTRAL_SMALL_3_2.n_ctx_train
MAC_24 = apple_budget(24 * GIB)


def test_128k_of_q4_k_m_needs_q4_0_kv_and_a_raised_limit() -> None:
    routes = routes_to_full_context(Q4_K_M, MAC_24, QUANTS)
    assert routes is not None
    assert routes.setting.kv_type is KvCacheType.Q4_0  # f16 and q8_0 would leave macOS nothing
    wired = routes.wired
    assert wired.limit_mb == wired_limit_mb(LoadSetting(Q4_K_M.size, FULL, KvCacheType.Q4_0))
    assert wired.possible and wired.keeps_bytes == 24 * GIB - wired.limit_mb * MIB
    assert wired.command == f"sudo sysctl iogpu.wired_limit_mb={wired.limit_mb}"
    text = "\n".join(route_lines(routes))
    assert wired.command in text and "administrator" in text and "until the Mac restarts" in text


def test_the_smaller_quants_include_the_largest_that_reaches_128k() -> None:
    q2_k = QuantSize("Q2_K", 8_890_338_848)
    routes = routes_to_full_context(Q4_K_M, MAC_24, (*QUANTS, q2_k))
    assert routes is not None
    assert routes.smaller[0][0] == "Q3_K_M" and routes.smaller[0][1] < FULL
    assert routes.smaller[-1] == ("Q2_K", FULL)


def test_with_the_raised_limit_128k_fits_and_no_route_is_offered() -> None:
    routes = routes_to_full_context(Q4_K_M, MAC_24, QUANTS)
    assert routes is not None
    raised = apple_budget(24 * GIB, routes.wired.limit_mb * MIB)
    assert routes_to_full_context(Q4_K_M, raised, QUANTS) is None


def test_with_the_projector_the_limit_would_leave_macos_too_little() -> None:
    routes = routes_to_full_context(Q4_K_M, MAC_24, QUANTS, projector_bytes=PROJECTOR)
    assert routes is not None and not routes.wired.possible
    assert routes.wired.keeps_bytes < MACOS_MINIMUM_BYTES
    assert "too little to run" in route_lines(routes)[0]


def test_the_kv_cache_in_system_memory_and_smaller_quants_at_32k() -> None:
    setting = LoadSetting(Q4_K_M.size, 32768, KvCacheType.F16)
    routes = metal_routes(Q4_K_M, setting, MAC_24, QUANTS)
    assert routes is not None
    assert routes.kv_in_ram is Placement.GPU  # the weights fit once the KV cache is in RAM
    assert routes.smaller == (("Q3_K_M", max_context(Q3_K_M.size, KvCacheType.F16, MAC_24)),)
    assert routes.smaller[0][1] < 32768  # Q3_K_M does not reach 32K with f16 KV either
    lines = route_lines(routes)
    assert any("KV cache in system memory" in line and "slow" in line for line in lines)
    q8 = metal_routes(Q4_K_M, LoadSetting(Q4_K_M.size, 32768, KvCacheType.Q8_0), MAC_24, QUANTS)
    assert q8 is not None and q8.smaller[0][0] == "Q3_K_M" and q8.smaller[0][1] >= 32768
    assert "Q3_K_M up to " in route_lines(q8)[-1]


def test_a_setting_that_fits_or_a_card_that_is_no_mac_needs_no_route() -> None:
    small = LoadSetting(Q4_K_M.size, 8192, KvCacheType.Q8_0)
    assert metal_routes(Q4_K_M, small, MAC_24, QUANTS) is None
    large = LoadSetting(Q4_K_M.size, FULL, KvCacheType.F16)
    assert metal_routes(Q4_K_M, large, nvidia_budget(24 * GIB, 64 * GIB), QUANTS) is None


def test_the_administrator_prompt_is_macos_own() -> None:
    program, flag, script = osascript_arguments(WiredLimit(20_933, 24 * GIB))
    assert (program, flag) == ("/usr/bin/osascript", "-e")
    assert "sysctl iogpu.wired_limit_mb=20933" in script
    assert script.endswith("with administrator privileges")


def test_gpu_figures_are_remembered(tmp_path: Path) -> None:
    path = tmp_path / "gpu-memory.json"
    gpus = (GpuMemory("CUDA0", "NVIDIA GeForce RTX 4090", "CUDA", 24 * GIB, 20 * GIB, 3 * GIB),)
    save_readings(gpus, path)
    assert load_readings(path) == gpus
    path.write_text('{"gpus": [{"name": "CUDA0", "total_bytes": true}]}', encoding="utf-8")
    assert load_readings(path) == ()
    assert load_readings(tmp_path / "missing.json") == ()
