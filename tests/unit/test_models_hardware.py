from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.engine.threads import compute_threads, physical_cores
from app.models.hardware import (
    GIB,
    GpuKind,
    apple_gpu,
    detect_machine,
    metal_working_set_limit,
)
from app.models.nvidia import MIB, parse_nvidia_smi


def test_nvidia_smi_lines_are_parsed_in_mib() -> None:
    output = "NVIDIA GeForce RTX 4090, 24564, 23012\nNVIDIA RTX A6000, 49140, 100\n"
    gpus = parse_nvidia_smi(output)
    assert [(g.name, g.total_bytes, g.free_bytes) for g in gpus] == [
        ("NVIDIA GeForce RTX 4090", 24564 * MIB, 23012 * MIB),
        ("NVIDIA RTX A6000", 49140 * MIB, 100 * MIB),
    ]
    assert all(g.source == "nvidia-smi" for g in gpus)


def test_odd_nvidia_smi_output_is_skipped() -> None:
    assert parse_nvidia_smi("No devices were found\n\nGPU, [N/A], [N/A]\n") == []
    [gpu] = parse_nvidia_smi("Odd, Name, 1000, 900")
    assert gpu.name == "Odd, Name"


@pytest.mark.parametrize(
    ("ram_gb", "limit_gb"), [(16, 16 * 2 / 3), (24, 16), (36, 24), (48, 36), (128, 96)]
)
def test_metal_gets_two_thirds_up_to_36_gb_and_three_quarters_above(
    ram_gb: int, limit_gb: float
) -> None:
    assert metal_working_set_limit(ram_gb * GIB) == pytest.approx(limit_gb * GIB, abs=1)


def test_the_apple_gpu_says_how_much_metal_may_use() -> None:
    gpu, note = apple_gpu(24 * GIB)
    assert gpu.kind is GpuKind.APPLE and gpu.total_bytes == 16 * GIB
    assert "16.0 GB of the 24.0 GB" in note and "2/3" in note
    raised, note = apple_gpu(24 * GIB, wired_limit_bytes=20 * GIB)
    assert raised.total_bytes == 20 * GIB and "iogpu.wired_limit_mb" in note


def test_this_machine_is_detected(tmp_path: Path) -> None:
    machine = detect_machine(tmp_path / "not-yet-created")
    assert machine.ram_bytes > GIB and machine.cpu_cores >= 1 and machine.cpu_name
    assert machine.disk_free_bytes is not None and machine.disk_free_bytes > 0
    assert machine.gpus or any("No supported GPU" in note for note in machine.notes)


def _sysfs(folder: Path, cores: dict[int, tuple[int, int]]) -> Path:
    """A sysfs cpu folder where logical cpu n sits on core cores[n] = (package, core)."""
    for cpu, (package, core) in cores.items():
        topology = folder / f"cpu{cpu}" / "topology"
        topology.mkdir(parents=True)
        (topology / "physical_package_id").write_text(f"{package}\n")
        (topology / "core_id").write_text(f"{core}\n")
    return folder


def test_two_threads_of_one_core_count_once(tmp_path: Path) -> None:
    sysfs = _sysfs(tmp_path, {0: (0, 0), 1: (0, 1), 2: (0, 0), 3: (0, 1)})  # 2 cores, SMT
    assert physical_cores({0, 1, 2, 3}, sysfs) == 2
    assert physical_cores({0, 2}, sysfs) == 1  # the process may use one core's two threads


def test_cores_without_smt_and_of_two_packages_all_count(tmp_path: Path) -> None:
    assert physical_cores({0, 1}, _sysfs(tmp_path / "a", {0: (0, 0), 1: (0, 1)})) == 2
    assert physical_cores({0, 1}, _sysfs(tmp_path / "b", {0: (0, 0), 1: (1, 0)})) == 2


def test_no_topology_is_no_answer(tmp_path: Path) -> None:
    assert physical_cores({0, 1}, tmp_path) == 0


def test_this_machine_gets_at_least_one_thread_and_no_more_than_its_cpus() -> None:
    assert 1 <= compute_threads() <= (os.cpu_count() or 1)
