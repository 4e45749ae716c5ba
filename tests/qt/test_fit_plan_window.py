"""The plan in the window, with the GPU figures the engine reports faked: the loader's automatic
layer count, the retry with the next smaller plan after running out of memory, the status bar's
"37/41 layers on the GPU", the figures remembered for the welcome page, and the welcome page's
verdict with the vision projector and the way to 128K on a 24 GB Mac (not run on a Mac)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.device_memory import GpuMemory
from app.core.kv_cache import KvCacheType
from app.engine.protocol import Backend
from app.models.catalog import DEFAULT_REPO, offline_catalog
from app.models.fit_load import MIB, LoadSetting, gpu_layers_for, smaller_plan
from app.models.gpu_readings import load_readings, readings_path
from app.models.hardware import GIB, MachineInfo, metal_working_set_limit
from app.qt_bridge.engine_controller import EngineController, EngineState
from app.qt_bridge.machine_memory import MachineMemory
from app.qt_bridge.models_controller import ModelsController
from app.qt_bridge.models_overview import build_overview
from app.qt_bridge.settings_controller import SettingsController
from app.settings import ModelSettings, Settings
from app.ui.main_window import MainWindow
from app.ui.notice_bar import Severity
from app.ui.welcome_view import WelcomeView
from tests.qt.scripted_engine import Script

Q4_K_M = 14_333_922_848
PROJECTOR = 879_409_728
MAC_24 = GpuMemory("MTL0", "Apple M4 Pro", "Metal", metal_working_set_limit(24 * GIB),
                   metal_working_set_limit(24 * GIB))  # fmt: skip
RTX_4090 = GpuMemory("CUDA0", "NVIDIA GeForce RTX 4090", "CUDA", 24 * GIB, int(23.6 * GIB))


def sparse(path: Path, size: int) -> Path:
    """A file of `size` bytes that takes no disk: the planner reads only its size."""
    with path.open("wb") as handle:
        handle.write(b"GGUF")
        handle.truncate(size)
    return path


def report(qtbot: QtBot, window: MainWindow, script: Script, *gpus: GpuMemory) -> None:
    """The engine process starts and reports its GPUs, as at the window's start."""
    script.gpus = gpus
    with qtbot.waitSignal(window.loader.memory.changed, timeout=5000):
        window._engine.query_devices()


@pytest.fixture
def q4_k_m(tmp_path: Path) -> Path:
    return sparse(tmp_path / "Mistral-Small-3.2-24B-Instruct-2506-Q4_K_M.gguf", Q4_K_M)


def use(settings: SettingsController, model: ModelSettings) -> None:
    settings.update(replace(settings.settings, model=model))


def test_a_load_follows_the_plan_and_the_status_bar_says_what_it_costs(
    qtbot: QtBot,
    window: MainWindow,
    script: Script,
    settings: SettingsController,
    q4_k_m: Path,
    tmp_path: Path,
) -> None:
    script.backend = Backend.METAL
    report(qtbot, window, script, MAC_24)
    projector = sparse(tmp_path / "mmproj-F16.gguf", PROJECTOR)
    use(settings, ModelSettings(mmproj_path=projector, n_ctx=8192, kv_cache_type=KvCacheType.F16))
    with qtbot.waitSignal(window._engine.loaded, timeout=5000):
        assert window.loader.load(q4_k_m)
    planned = gpu_layers_for(LoadSetting(Q4_K_M, 8192, KvCacheType.F16, PROJECTOR),
                             window.loader.memory.budget())  # fmt: skip
    assert planned is not None and 0 < planned < 41
    assert script.loads[-1].n_gpu_layers == planned
    assert window.status.backend_text.startswith(f"Metal · {planned}/41 layers on the GPU, ")


def test_out_of_memory_is_retried_once_with_the_next_smaller_plan(
    qtbot: QtBot,
    window: MainWindow,
    script: Script,
    settings: SettingsController,
    q4_k_m: Path,
) -> None:
    script.backend = Backend.CUDA
    report(qtbot, window, script, RTX_4090)
    use(settings, ModelSettings(n_ctx=8192, kv_cache_type=KvCacheType.Q8_0))
    smaller = smaller_plan(LoadSetting(Q4_K_M, 8192, KvCacheType.Q8_0), -1)
    assert smaller is not None
    script.gpu_layers_that_fit = smaller  # the estimate was too low: every layer does not fit
    with qtbot.waitSignal(window._engine.loaded, timeout=5000):
        assert window.loader.load(q4_k_m)
    assert [load.n_gpu_layers for load in script.loads] == [-1, smaller]
    assert window.notice.severity is Severity.INFO
    assert f"did not fit in memory with 41 of 41 layers on the GPU; loading it again with " \
           f"{smaller}" in window.notice.text  # fmt: skip
    assert window.status.backend_text.startswith(f"CUDA · {smaller}/41 layers on the GPU")


def test_a_switch_that_runs_out_of_memory_is_retried_too(
    qtbot: QtBot,
    window: MainWindow,
    script: Script,
    settings: SettingsController,
    q4_k_m: Path,
) -> None:
    script.backend = Backend.CUDA
    report(qtbot, window, script, RTX_4090)
    use(settings, ModelSettings(n_ctx=8192, kv_cache_type=KvCacheType.Q8_0))
    with qtbot.waitSignal(window._engine.loaded, timeout=5000):
        assert window.loader.load(q4_k_m)  # a model is loaded
    use(settings, ModelSettings(n_ctx=16384, kv_cache_type=KvCacheType.Q8_0))
    smaller = smaller_plan(LoadSetting(Q4_K_M, 16384, KvCacheType.Q8_0), -1)
    assert smaller is not None
    script.gpu_layers_that_fit = smaller  # another program took memory since
    with qtbot.waitSignal(window._engine.loaded, timeout=5000):
        assert window.loader.load(q4_k_m)
    assert [load.n_gpu_layers for load in script.loads] == [-1, -1, smaller]


def test_a_retry_that_fails_too_says_why_and_loads_nothing(
    qtbot: QtBot,
    window: MainWindow,
    script: Script,
    settings: SettingsController,
    q4_k_m: Path,
) -> None:
    script.backend = Backend.CUDA
    report(qtbot, window, script, RTX_4090)
    use(settings, ModelSettings(n_ctx=8192, kv_cache_type=KvCacheType.Q8_0))
    script.gpu_layers_that_fit = 5
    assert window.loader.load(q4_k_m)
    qtbot.waitUntil(lambda: len(script.loads) == 2 and window.notice.severity is Severity.ERROR,
                    timeout=5000)  # fmt: skip
    assert "Try a smaller quant" in window.notice.text
    qtbot.waitUntil(lambda: window._engine.state is EngineState.NO_MODEL)
    assert len(script.loads) == 2  # once, not again and again


def test_a_manual_layer_count_stays_manual(
    qtbot: QtBot,
    window: MainWindow,
    script: Script,
    settings: SettingsController,
    q4_k_m: Path,
) -> None:
    script.backend = Backend.CUDA
    report(qtbot, window, script, RTX_4090)
    use(settings, ModelSettings(n_ctx=65536, kv_cache_type=KvCacheType.F16, n_gpu_layers=20))
    with qtbot.waitSignal(window._engine.loaded, timeout=5000):
        assert window.loader.load(q4_k_m)
    assert script.loads[-1].n_gpu_layers == 20


def test_the_figures_are_remembered_for_the_next_start(
    qtbot: QtBot, window: MainWindow, script: Script, engine: EngineController
) -> None:
    busy = GpuMemory("CUDA0", "NVIDIA GeForce RTX 4090", "CUDA", 24 * GIB, 18 * GIB)
    report(qtbot, window, script, busy)
    assert load_readings(readings_path()) == (busy,)
    later = MachineMemory(engine, detect=window.loader.memory.machine)
    assert later.budget().gpu_bytes == 18 * GIB
    assert later.budget().others_bytes == 6 * GIB


# ---- the welcome page's verdict --------------------------------------------------------------


def welcome_for(qtbot: QtBot, gpu: GpuMemory, tmp_path: Path) -> WelcomeView:
    ram = (24 if gpu.backend == "Metal" else 64) * GIB
    machine = MachineInfo("macOS", "15", "Apple M4 Pro", 12, ram, ())
    memory = MachineMemory(EngineController(), path=tmp_path / "gpu.json", detect=lambda: machine)
    memory.record((gpu,))
    view = WelcomeView(ModelsController(settings=Settings))
    qtbot.addWidget(view)
    catalog = offline_catalog(DEFAULT_REPO)
    assert catalog is not None
    view.show_overview(build_overview(catalog, memory.budget(), KvCacheType.F16, []))
    return view


def test_the_welcome_page_on_a_24_gb_mac_counts_the_projector_and_shows_the_way_to_128k(
    qtbot: QtBot, tmp_path: Path
) -> None:
    view = welcome_for(qtbot, MAC_24, tmp_path)
    assert "Metal may use 16.0 GB" in view.machine_label.text()
    assert view.vision_label.text().startswith("This counts the vision projector (1.3 GB)")
    assert "without images" in view.vision_label.text()
    assert not view.metal_box.isHidden()
    text = view.metal_box.text_label.text()
    assert text.startswith("The way to 128K of history on this Mac:")
    proposal = view.proposal
    assert proposal is not None and proposal.fit.estimate.projector  # images are counted
    routes = view.metal_box.routes
    assert routes is not None and routes.quant == proposal.quant
    assert routes.setting.projector_bytes > 0 and routes.wired.possible
    assert f"\n    sudo sysctl iogpu.wired_limit_mb={routes.wired.limit_mb}\n" in text
    assert not view.metal_box.raise_button.isHidden()
    assert not view.metal_box.raise_button.isEnabled()  # only on macOS itself


def test_a_raised_limit_needs_no_way_to_128k(qtbot: QtBot, tmp_path: Path) -> None:
    raised = GpuMemory("MTL0", "Apple M4 Pro", "Metal", 22_500 * MIB, 22_500 * MIB)
    view = welcome_for(qtbot, raised, tmp_path)
    assert "Metal may use 22.0 GB" in view.machine_label.text()
    assert view.metal_box.isHidden()


def test_the_welcome_page_names_what_another_program_holds(qtbot: QtBot, tmp_path: Path) -> None:
    busy = GpuMemory("CUDA0", "NVIDIA GeForce RTX 4090", "CUDA", 24 * GIB, 18 * GIB)
    view = welcome_for(qtbot, busy, tmp_path)
    assert view.machine_label.text() == (
        "The model will run on the NVIDIA GeForce RTX 4090 (24.0 GB, of which other programs "
        "hold 6.0 GB)."
    )
    assert view.metal_box.isHidden()
