"""Which compute backend llama.cpp was built with, and how many layers go to the GPU."""

from __future__ import annotations

import platform
import sys

import llama_cpp

from app.engine.protocol import Backend


def detect_backend() -> Backend:
    """Metal on Apple silicon, CUDA where llama.cpp was built with GPU offload, else the CPU."""
    if not llama_cpp.llama_supports_gpu_offload():
        return Backend.CPU
    if sys.platform == "darwin" and platform.machine() == "arm64":
        return Backend.METAL
    return Backend.CUDA


def layers_to_offload(backend: Backend, requested: int, n_layer: int) -> int:
    """-1 means all; the CPU backend offloads nothing. Counts include the output layer."""
    if backend is Backend.CPU:
        return 0
    total = n_layer + 1
    return total if requested < 0 else min(requested, total)
