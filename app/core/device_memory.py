"""What a GPU holds, as llama.cpp's backend device API reports it in the engine process.

On CUDA `total_bytes` is the card's memory and `free_bytes` what no program holds yet (another
program's use shows here); on Metal `total_bytes` is the working set macOS recommends for one
process (`recommendedMaxWorkingSetSize`, which `iogpu.wired_limit_mb` raises) and `free_bytes`
what this process has not allocated of it.

On CUDA the engine's first reading comes after its own CUDA context exists (a few hundred MB),
which the planner also counts among its overheads: the figure errs on the safe side.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GpuMemory:
    name: str  # llama.cpp's device name: "CUDA0", "MTL0"
    description: str  # "NVIDIA GeForce RTX 4090", "Apple M2 Pro"
    backend: str  # the registry: "CUDA", "Metal", "Vulkan"
    total_bytes: int
    free_bytes: int
    own_bytes: int = 0  # what the engine's loaded model took of it, measured around the load

    @property
    def available_bytes(self) -> int:
        """What a new engine could use: free now, plus what this engine's model would give back."""
        return min(self.free_bytes + self.own_bytes, self.total_bytes)


def with_own_use(
    before: tuple[GpuMemory, ...], after: tuple[GpuMemory, ...]
) -> tuple[GpuMemory, ...]:
    """`after` with each device's `own_bytes` set to what it lost between the two readings."""
    earlier = {gpu.name: gpu for gpu in before}
    result = []
    for gpu in after:
        first = earlier.get(gpu.name)
        own = max(first.free_bytes - gpu.free_bytes, 0) if first is not None else 0
        result.append(
            GpuMemory(gpu.name, gpu.description, gpu.backend, gpu.total_bytes, gpu.free_bytes, own)
        )
    return tuple(result)
