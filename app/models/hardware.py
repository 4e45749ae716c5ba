"""The machine a model has to fit: OS, CPU, memory, GPUs, free disk.

On Apple silicon the GPU shares the RAM, but Metal lets one process keep only part of it
resident: about 2/3 of the RAM on machines with up to 36 GB and 3/4 above (the
`recommendedMaxWorkingSetSize` macOS reports), unless the `iogpu.wired_limit_mb` setting
raises it. That rule of thumb is the fallback: once the engine process has run, the figures
llama.cpp's device API reported there replace it (`with_device_readings`).
"""

from __future__ import annotations

import ctypes
import os
import platform
import shutil
import sys
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from app.core.device_memory import GpuMemory
from app.core.locale_format import format_memory
from app.core.sysctl import sysctl, sysctl_int
from app.models.nvidia import detect_nvidia_gpus

GIB = 1024**3
APPLE_SMALL_MACHINE = 36 * GIB  # up to this much RAM, Metal gets 2/3 of it; above, 3/4


class GpuKind(StrEnum):
    NVIDIA = "NVIDIA"
    APPLE = "Apple"


@dataclass(frozen=True, slots=True)
class GpuInfo:
    kind: GpuKind
    name: str
    total_bytes: int  # for Apple: what Metal may keep resident, not the RAM
    free_bytes: int | None
    source: str


@dataclass(frozen=True, slots=True)
class MachineInfo:
    os_name: str
    os_version: str
    cpu_name: str
    cpu_cores: int
    ram_bytes: int
    gpus: tuple[GpuInfo, ...]
    disk_free_bytes: int | None = None
    notes: tuple[str, ...] = ()

    @property
    def unified_memory(self) -> bool:
        return any(gpu.kind is GpuKind.APPLE for gpu in self.gpus)


def gib(size: int) -> str:
    """Memory the way GPU tools show it: binary gigabytes, labelled GB (a 24 GB RTX 4090)."""
    return format_memory(size)


def metal_working_set_limit(ram_bytes: int) -> int:
    fraction = 2 / 3 if ram_bytes <= APPLE_SMALL_MACHINE else 3 / 4
    return int(ram_bytes * fraction)


def apple_gpu(ram_bytes: int, wired_limit_bytes: int | None = None) -> tuple[GpuInfo, str]:
    """The Metal GPU of an Apple silicon machine and a sentence saying how much it may use."""
    if wired_limit_bytes:
        limit = wired_limit_bytes
        note = (
            f"Metal may use {gib(limit)} of the {gib(ram_bytes)} of memory (iogpu.wired_limit_mb)."
        )
    else:
        limit = metal_working_set_limit(ram_bytes)
        share = "2/3" if ram_bytes <= APPLE_SMALL_MACHINE else "3/4"
        note = (
            f"Metal may use about {gib(limit)} of the {gib(ram_bytes)} of unified memory "
            f"(macOS allows {share} of memory on machines with "
            f"{'up to' if share == '2/3' else 'more than'} 36 GB)."
        )
    return GpuInfo(GpuKind.APPLE, "Apple GPU", limit, None, "Metal working-set limit"), note


DEVICE_SOURCE = "reported by llama.cpp"
_READING_KINDS = {"CUDA": GpuKind.NVIDIA, "Metal": GpuKind.APPLE}


def with_device_readings(machine: MachineInfo, gpus: tuple[GpuMemory, ...]) -> MachineInfo:
    """`machine` with the GPUs as the engine process read them (CUDA free memory, Metal's
    working-set limit); unchanged when the readings hold no CUDA or Metal device."""
    infos = tuple(
        GpuInfo(
            _READING_KINDS[gpu.backend],
            gpu.description or gpu.name,
            gpu.total_bytes,
            gpu.available_bytes if gpu.backend == "CUDA" else None,
            DEVICE_SOURCE,
        )
        for gpu in gpus
        if gpu.backend in _READING_KINDS
    )
    if not infos:
        return machine
    notes = [note for note in machine.notes if not note.startswith(("Metal may", "No supported"))]
    if infos[0].kind is GpuKind.APPLE:
        limit = infos[0].total_bytes
        notes.append(
            f"Metal may use {gib(limit)} of the {gib(machine.ram_bytes)} of unified memory "
            "(the working-set limit the GPU reports)."
        )
    return replace(machine, gpus=infos, notes=tuple(notes))


def detect_machine(models_path: Path | None = None) -> MachineInfo:
    ram = total_ram_bytes()
    gpus: list[GpuInfo] = []
    notes: list[str] = []
    if sys.platform == "darwin" and platform.machine() == "arm64":
        gpu, note = apple_gpu(ram, sysctl_int("iogpu.wired_limit_mb") * 1024 * 1024 or None)
        gpus.append(gpu)
        notes.append(note)
    else:
        for nvidia in detect_nvidia_gpus():
            gpus.append(
                GpuInfo(
                    GpuKind.NVIDIA,
                    nvidia.name,
                    nvidia.total_bytes,
                    nvidia.free_bytes,
                    nvidia.source,
                )
            )
    if not gpus:
        notes.append("No supported GPU was found: models run on the CPU, much more slowly.")
    return MachineInfo(
        os_name={"darwin": "macOS", "win32": "Windows"}.get(sys.platform, platform.system()),
        os_version=platform.mac_ver()[0] if sys.platform == "darwin" else platform.release(),
        cpu_name=cpu_name(),
        cpu_cores=os.cpu_count() or 1,
        ram_bytes=ram,
        gpus=tuple(gpus),
        disk_free_bytes=_free_disk(models_path),
        notes=tuple(notes),
    )


def total_ram_bytes() -> int:
    if sys.platform == "darwin":
        return sysctl_int("hw.memsize")
    if sys.platform == "win32":
        return _windows_ram()
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def cpu_name() -> str:
    if sys.platform == "darwin":
        name = sysctl("machdep.cpu.brand_string")
        if name:
            return name
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _free_disk(path: Path | None) -> int | None:
    if path is None:
        return None
    probe = path
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    try:
        return shutil.disk_usage(probe).free
    except OSError:
        return None


def _windows_ram() -> int:
    class MemoryStatus(ctypes.Structure):
        _fields_ = [
            ("length", ctypes.c_ulong),
            ("load", ctypes.c_ulong),
            ("total_physical", ctypes.c_ulonglong),
            ("available_physical", ctypes.c_ulonglong),
            ("total_page_file", ctypes.c_ulonglong),
            ("available_page_file", ctypes.c_ulonglong),
            ("total_virtual", ctypes.c_ulonglong),
            ("available_virtual", ctypes.c_ulonglong),
            ("available_extended_virtual", ctypes.c_ulonglong),
        ]

    status = MemoryStatus()
    status.length = ctypes.sizeof(MemoryStatus)
    windll = getattr(ctypes, "windll")  # noqa: B009 (absent outside Windows)
    windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status))
    return int(status.total_physical)
