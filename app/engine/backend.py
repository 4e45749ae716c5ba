"""Which compute backend llama.cpp was built with, its GPUs' memory, and how many layers go to
the GPU.

The answers come from ggml's backend registry (the devices llama.cpp itself would use): layers
go to a Metal or CUDA GPU when there is one; anything else runs on the CPU, and says so. Each
GPU's total and free memory come from `ggml_backend_dev_memory` (llama-cpp-python does not wrap
it, so it is bound here with ctypes as the other registry functions are).
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from functools import cache
from typing import Any

import llama_cpp
from llama_cpp._ggml import libggml

from app.core.device_memory import GpuMemory
from app.engine.protocol import Backend

# enum ggml_backend_dev_type
_DEVICE_TYPE_GPU, _DEVICE_TYPE_IGPU = 1, 2
_GPU_REGISTRIES = {"Metal": Backend.METAL, "CUDA": Backend.CUDA}


@dataclass(frozen=True, slots=True)
class Device:
    name: str  # "CUDA0", "MTL0", "CPU"
    registry: str  # "CUDA", "Metal", "CPU", "Vulkan"
    is_gpu: bool


def _bind(name: str, restype: object, *argtypes: object) -> Any:
    """A function of libggml with its C signature declared."""
    function = getattr(libggml, name)
    function.restype = restype
    function.argtypes = list(argtypes)
    return function


@cache
def list_devices() -> tuple[Device, ...]:
    """Every device in ggml's backend registry, in llama.cpp's order."""
    count = _bind("ggml_backend_dev_count", ctypes.c_size_t)
    get = _bind("ggml_backend_dev_get", ctypes.c_void_p, ctypes.c_size_t)
    dev_name = _bind("ggml_backend_dev_name", ctypes.c_char_p, ctypes.c_void_p)
    dev_type = _bind("ggml_backend_dev_type", ctypes.c_int, ctypes.c_void_p)
    dev_reg = _bind("ggml_backend_dev_backend_reg", ctypes.c_void_p, ctypes.c_void_p)
    reg_name = _bind("ggml_backend_reg_name", ctypes.c_char_p, ctypes.c_void_p)
    devices = []
    for index in range(count()):
        device = get(index)
        devices.append(
            Device(
                name=dev_name(device).decode(),
                registry=reg_name(dev_reg(device)).decode(),
                is_gpu=dev_type(device) in (_DEVICE_TYPE_GPU, _DEVICE_TYPE_IGPU),
            )
        )
    return tuple(devices)


def read_gpu_memory() -> tuple[GpuMemory, ...]:
    """Total and free memory of every GPU in the registry, read now (not cached)."""
    count = _bind("ggml_backend_dev_count", ctypes.c_size_t)
    get = _bind("ggml_backend_dev_get", ctypes.c_void_p, ctypes.c_size_t)
    describe = _bind("ggml_backend_dev_description", ctypes.c_char_p, ctypes.c_void_p)
    size_p = ctypes.POINTER(ctypes.c_size_t)
    memory = _bind("ggml_backend_dev_memory", None, ctypes.c_void_p, size_p, size_p)
    found = []
    for index, device in enumerate(list_devices()):
        if not device.is_gpu or index >= count():
            continue
        handle = get(index)
        free, total = ctypes.c_size_t(0), ctypes.c_size_t(0)
        memory(handle, ctypes.byref(free), ctypes.byref(total))
        if total.value == 0:
            continue  # a device that does not say
        text = describe(handle)
        found.append(
            GpuMemory(
                name=device.name,
                description=text.decode(errors="replace") if text else device.name,
                backend=device.registry,
                total_bytes=int(total.value),
                free_bytes=int(free.value),
            )
        )
    return tuple(found)


def detect_backend() -> Backend:
    """Metal or CUDA when llama.cpp was built with it and sees such a GPU, else the CPU."""
    if not llama_cpp.llama_supports_gpu_offload():
        return Backend.CPU
    for device in list_devices():
        if device.is_gpu and device.registry in _GPU_REGISTRIES:
            return _GPU_REGISTRIES[device.registry]
    return Backend.CPU


def layers_to_offload(backend: Backend, requested: int, n_layer: int) -> int:
    """-1 means all; the CPU backend offloads nothing. Counts include the output layer."""
    if backend is Backend.CPU:
        return 0
    total = n_layer + 1
    return total if requested < 0 else min(requested, total)
