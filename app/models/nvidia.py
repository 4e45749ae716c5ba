"""NVIDIA GPUs and their memory: through NVML (the driver's library, loaded with ctypes) when it
is installed, else through `nvidia-smi`."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import sys
from dataclasses import dataclass

MIB = 1024 * 1024
_NVML_LIBRARIES = (
    ("nvml.dll",) if sys.platform == "win32" else ("libnvidia-ml.so.1", "libnvidia-ml.so")
)
_QUERY = ("--query-gpu=name,memory.total,memory.free", "--format=csv,noheader,nounits")


@dataclass(frozen=True, slots=True)
class NvidiaGpu:
    name: str
    total_bytes: int
    free_bytes: int
    source: str  # "NVML" or "nvidia-smi"


class _NvmlMemory(ctypes.Structure):
    _fields_ = [
        ("total", ctypes.c_ulonglong),
        ("free", ctypes.c_ulonglong),
        ("used", ctypes.c_ulonglong),
    ]


def detect_nvidia_gpus() -> list[NvidiaGpu]:
    """Every NVIDIA GPU the driver reports; empty when there is none or no driver."""
    gpus = _from_nvml()
    return gpus if gpus is not None else _from_nvidia_smi()


def _load_nvml() -> ctypes.CDLL | None:
    for name in _NVML_LIBRARIES:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


def _from_nvml() -> list[NvidiaGpu] | None:
    """None when NVML is missing or fails, so that nvidia-smi gets its turn."""
    nvml = _load_nvml()
    if nvml is None or nvml.nvmlInit_v2() != 0:
        return None
    try:
        count = ctypes.c_uint()
        if nvml.nvmlDeviceGetCount_v2(ctypes.byref(count)) != 0:
            return None
        gpus = []
        for index in range(count.value):
            handle = ctypes.c_void_p()
            if nvml.nvmlDeviceGetHandleByIndex_v2(index, ctypes.byref(handle)) != 0:
                return None
            name = ctypes.create_string_buffer(96)
            memory = _NvmlMemory()
            if nvml.nvmlDeviceGetName(handle, name, len(name)) != 0:
                return None
            if nvml.nvmlDeviceGetMemoryInfo(handle, ctypes.byref(memory)) != 0:
                return None
            label = name.value.decode("utf-8", errors="replace")
            gpus.append(NvidiaGpu(label, memory.total, memory.free, "NVML"))
        return gpus
    finally:
        nvml.nvmlShutdown()


def _from_nvidia_smi() -> list[NvidiaGpu]:
    executable = shutil.which("nvidia-smi")
    if executable is None:
        return []
    try:
        done = subprocess.run(
            [executable, *_QUERY], capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return parse_nvidia_smi(done.stdout)


def parse_nvidia_smi(output: str) -> list[NvidiaGpu]:
    """Lines of `name, total MiB, free MiB`; lines that do not parse are skipped."""
    gpus = []
    for line in output.splitlines():
        fields = [field.strip() for field in line.rsplit(",", 2)]
        if len(fields) == 3 and fields[1].isdigit() and fields[2].isdigit():
            gpus.append(
                NvidiaGpu(fields[0], int(fields[1]) * MIB, int(fields[2]) * MIB, "nvidia-smi")
            )
    return gpus
