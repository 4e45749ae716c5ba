"""Will a quant fit this machine, with how much context and which KV cache type?

Memory of a loaded model = weights (the file size) + KV cache + compute buffers + backend
overhead, plus the vision projector file and its image compute buffer when images are on.

KV cache = 2 (K and V) * n_layer * n_ctx * n_head_kv * head_dim * bytes per element, with
f16 = 2 bytes, q8_0 = 34/32 and q4_0 = 18/32 (a block of 32 values plus its scale).

The compute buffers and the backend overhead are fitted to memory measured on an NVIDIA GPU
with flash attention for the Q4_K_M file (14,333,922,848 bytes), weights and CUDA context
included, as nvidia-smi reports it (its GB are 2**30 bytes, as everywhere in this module):

    KV cache type    32K context    128K context
    f16              19.3 GB        34.8 GB
    q8_0             16.9 GB        25.5 GB
    q4_0             15.6 GB        20.4 GB

Taking weights and KV cache away leaves 0.84 to 0.95 GB at 32K and 1.43 to 1.53 GB at 128K: the
rest grows with the context. A least-squares fit of `a + b * n_ctx` to the six points gives
a = 0.758e9 bytes and b = 6,235 bytes per token of context, and reproduces every figure
within 0.4% (tests/unit/test_models_fit_planner.py checks them). Read as:
  - b: the compute buffer's share that grows with the context (attention mask and scratch of
    one 512-token micro-batch against the whole cache);
  - a: the fixed compute buffer, mostly the logits of one micro-batch (n_vocab * 512 * 4 bytes,
    0.268e9 for the 131,072-token vocabulary), plus 0.49e9 bytes of CUDA context and runtime.
Measured again for the full-size twin of the Q4_K_M file on an H100 (per-process nvidia-smi
after a load and a short answer, `tests/bench/bench_gpu_memory.py`): 19.13 / 34.23 GB for f16,
16.79 / 24.88 for q8_0, 15.54 / 19.88 for q4_0; every prediction here is 0.6% to 2.8% above.
Metal was not measured: the CUDA figures stand in for it. The projector's image compute buffer
(0.5e9 bytes) is an assumption, not a measurement.

Partial offload: llama.cpp offloads n_layer + 1 units (the layers and the output layer); the
weights are shared evenly among them and each offloaded layer takes its share of the KV cache.
The layers left on the CPU need system memory, as does a CPU-side compute buffer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.core.kv_cache import KvCacheType
from app.models.hardware import GIB, GpuInfo, GpuKind, MachineInfo, apple_gpu


@dataclass(frozen=True, slots=True)
class ModelShape:
    n_layer: int
    n_head_kv: int
    head_dim: int
    n_vocab: int
    n_ctx_train: int

    @property
    def kv_elements_per_token(self) -> int:
        return 2 * self.n_layer * self.n_head_kv * self.head_dim

    @property
    def offload_units(self) -> int:
        return self.n_layer + 1


MISTRAL_SMALL_3_2 = ModelShape(
    n_layer=40, n_head_kv=8, head_dim=128, n_vocab=131072, n_ctx_train=131072
)

CONTEXTS = (8192, 16384, 32768, 65536, 131072)
KV_BYTES_PER_ELEMENT = {KvCacheType.F16: 2.0, KvCacheType.Q8_0: 34 / 32, KvCacheType.Q4_0: 18 / 32}

MICRO_BATCH = 512
COMPUTE_BYTES_PER_TOKEN = 6_235  # fitted: see the module docstring
BACKEND_OVERHEAD_BYTES = 490_000_000  # fitted: CUDA context and runtime buffers
PROJECTOR_COMPUTE_BYTES = 500_000_000  # assumed, not measured
GPU_RESERVE_BYTES = 512 * 1024 * 1024  # a display and the driver keep this much of a GPU
RAM_RESERVE_BYTES = 4 * GIB  # the OS and the app itself
MIN_CONTEXT = 4096  # less than this is not a usable chat
CONTEXT_STEP = 4096  # proposed contexts are multiples of this


class Placement(StrEnum):
    GPU = "gpu"  # everything on the GPU
    PARTIAL = "partial"  # some layers on the GPU, the rest on the CPU
    CPU = "cpu"  # no GPU: everything on the CPU
    NONE = "none"  # does not fit in memory at all


@dataclass(frozen=True, slots=True)
class MemoryEstimate:
    weights: int
    kv_cache: int
    compute: int
    overhead: int
    projector: int = 0  # the projector file and its image compute buffer

    @property
    def total(self) -> int:
        return self.weights + self.kv_cache + self.compute + self.overhead + self.projector


def kv_cache_bytes(n_ctx: int, kv_type: KvCacheType, shape: ModelShape = MISTRAL_SMALL_3_2) -> int:
    return math.ceil(shape.kv_elements_per_token * n_ctx * KV_BYTES_PER_ELEMENT[kv_type])


def compute_buffer_bytes(n_ctx: int, shape: ModelShape = MISTRAL_SMALL_3_2) -> int:
    return shape.n_vocab * MICRO_BATCH * 4 + COMPUTE_BYTES_PER_TOKEN * n_ctx


def estimate_memory(
    weights_bytes: int,
    n_ctx: int,
    kv_type: KvCacheType,
    *,
    shape: ModelShape = MISTRAL_SMALL_3_2,
    projector_bytes: int = 0,
) -> MemoryEstimate:
    return MemoryEstimate(
        weights=weights_bytes,
        kv_cache=kv_cache_bytes(n_ctx, kv_type, shape),
        compute=compute_buffer_bytes(n_ctx, shape),
        overhead=BACKEND_OVERHEAD_BYTES,
        projector=projector_bytes + PROJECTOR_COMPUTE_BYTES if projector_bytes else 0,
    )


@dataclass(frozen=True, slots=True)
class MemoryBudget:
    """What a model may use: on the GPU, and in system memory."""

    gpu_bytes: int  # 0 when there is no usable GPU
    ram_bytes: int  # on unified memory, the bound for GPU and CPU parts together
    unified: bool
    gpu_name: str | None
    gpu_total_bytes: int = 0  # the GPU's own memory (or the Metal limit), before reserves
    machine_ram_bytes: int = 0  # all of the machine's RAM, before the reserve
    others_bytes: int = 0  # GPU memory other programs hold (known from free memory only)

    @classmethod
    def for_machine(cls, machine: MachineInfo) -> MemoryBudget:
        ram = max(machine.ram_bytes - RAM_RESERVE_BYTES, 0)
        if not machine.gpus:
            return cls(0, ram, False, None, 0, machine.ram_bytes)
        if machine.unified_memory:
            limit = machine.gpus[0].total_bytes
            # A limit raised above RAM minus the reserve is the user's choice to leave macOS less.
            bound = max(ram, min(limit, machine.ram_bytes))
            return cls(limit, bound, True, machine.gpus[0].name, limit, machine.ram_bytes)
        # Several GPUs split the layers; each one carries its own backend overhead. Memory that
        # another program holds (free below total) is not there to take.
        total = sum(gpu.total_bytes for gpu in machine.gpus)
        usable = sum(_usable(gpu) for gpu in machine.gpus)
        usable -= BACKEND_OVERHEAD_BYTES * (len(machine.gpus) - 1)
        names = " + ".join(gpu.name for gpu in machine.gpus)
        others = sum(
            max(gpu.total_bytes - gpu.free_bytes, 0)
            for gpu in machine.gpus
            if gpu.free_bytes is not None
        )
        return cls(max(usable, 0), ram, False, names, total, machine.ram_bytes, others)

    @property
    def has_gpu(self) -> bool:
        return self.gpu_bytes > 0


def _usable(gpu: GpuInfo) -> int:
    usable = gpu.total_bytes - GPU_RESERVE_BYTES
    if gpu.free_bytes is not None:
        usable = min(usable, gpu.free_bytes)
    return max(usable, 0)


def nvidia_budget(
    gpu_bytes: int, ram_bytes: int, name: str = "NVIDIA GPU", *, free_bytes: int | None = None
) -> MemoryBudget:
    """The budget of a machine with one NVIDIA GPU of `gpu_bytes` (of which `free_bytes` are
    not held by other programs, when known) and `ram_bytes` of RAM."""
    gpu = GpuInfo(GpuKind.NVIDIA, name, gpu_bytes, free_bytes, "given")
    return MemoryBudget.for_machine(MachineInfo("", "", "", 1, ram_bytes, (gpu,)))


def apple_budget(ram_bytes: int, wired_limit_bytes: int | None = None) -> MemoryBudget:
    """The budget of an Apple silicon machine with `ram_bytes` of unified memory, Metal's
    default limit or the `iogpu.wired_limit_mb` given."""
    gpu, _ = apple_gpu(ram_bytes, wired_limit_bytes)
    return MemoryBudget.for_machine(MachineInfo("", "", "", 1, ram_bytes, (gpu,)))


def cpu_budget(ram_bytes: int) -> MemoryBudget:
    return MemoryBudget.for_machine(MachineInfo("", "", "", 1, ram_bytes, ()))


@dataclass(frozen=True, slots=True)
class Fit:
    placement: Placement
    gpu_layers: int  # of shape.offload_units
    estimate: MemoryEstimate


def place(
    estimate: MemoryEstimate,
    budget: MemoryBudget,
    shape: ModelShape = MISTRAL_SMALL_3_2,
    *,
    kv_on_gpu: bool = True,
) -> Fit:
    """Where the model goes: all on the GPU, split with the CPU, all on the CPU, or nowhere.
    `kv_on_gpu` False keeps the KV cache in system memory (llama.cpp's offload_kqv off)."""
    units = shape.offload_units
    if budget.has_gpu:
        for layers in range(units, 0, -1):
            gpu, cpu = split_bytes(estimate, shape, layers, kv_on_gpu=kv_on_gpu)
            ram_need = gpu + cpu if budget.unified else cpu
            if gpu <= budget.gpu_bytes and ram_need <= budget.ram_bytes:
                placement = Placement.GPU if layers == units else Placement.PARTIAL
                return Fit(placement, layers, estimate)
    if estimate.total - estimate.overhead <= budget.ram_bytes:
        return Fit(Placement.CPU, 0, estimate)
    return Fit(Placement.NONE, 0, estimate)


def split_bytes(
    estimate: MemoryEstimate, shape: ModelShape, layers: int, *, kv_on_gpu: bool = True
) -> tuple[int, int]:
    """Bytes on the GPU and on the CPU with `layers` offload units on the GPU."""
    units = shape.offload_units
    on_gpu_layers = min(layers, shape.n_layer) if kv_on_gpu else 0
    weights_gpu = estimate.weights * layers // units
    kv_gpu = estimate.kv_cache * on_gpu_layers // shape.n_layer
    gpu = estimate.overhead + estimate.compute + estimate.projector + weights_gpu + kv_gpu
    cpu = estimate.weights - weights_gpu + estimate.kv_cache - kv_gpu
    if layers < units:
        cpu += estimate.compute
    return gpu, cpu


def max_context(
    weights_bytes: int,
    kv_type: KvCacheType,
    budget: MemoryBudget,
    *,
    shape: ModelShape = MISTRAL_SMALL_3_2,
    projector_bytes: int = 0,
) -> int:
    """The longest context (a multiple of 256 tokens, at most the trained one) that runs
    entirely on the GPU, or entirely in RAM without a GPU; 0 when none does."""
    fixed = estimate_memory(weights_bytes, 0, kv_type, shape=shape, projector_bytes=projector_bytes)
    per_token = (
        shape.kv_elements_per_token * KV_BYTES_PER_ELEMENT[kv_type] + COMPUTE_BYTES_PER_TOKEN
    )
    if budget.has_gpu:
        limit = min(budget.gpu_bytes, budget.ram_bytes) if budget.unified else budget.gpu_bytes
        room = limit - fixed.total
    else:
        room = budget.ram_bytes - (fixed.total - fixed.overhead)
    if room <= 0:
        return 0
    return min(int(room / per_token) // 256 * 256, shape.n_ctx_train)


class VerdictKind(StrEnum):
    FULL_CONTEXT = "full_context"  # the trained context (128K) fits
    UP_TO = "up_to"  # fits up to max_context tokens
    PARTIAL = "partial"  # only with some (or all) layers on the CPU
    WONT_FIT = "wont_fit"


@dataclass(frozen=True, slots=True)
class Verdict:
    quant: str
    kv_type: KvCacheType
    kind: VerdictKind
    max_context: int  # fully on the GPU (in RAM without a GPU); 0 when under MIN_CONTEXT
    gpu_layers: int  # for PARTIAL: units on the GPU at the smallest planned context
    full_context: MemoryEstimate  # what the trained context would take


def judge(
    quant: str,
    weights_bytes: int,
    kv_type: KvCacheType,
    budget: MemoryBudget,
    *,
    shape: ModelShape = MISTRAL_SMALL_3_2,
    projector_bytes: int = 0,
) -> Verdict:
    longest = max_context(
        weights_bytes, kv_type, budget, shape=shape, projector_bytes=projector_bytes
    )
    full = estimate_memory(
        weights_bytes, shape.n_ctx_train, kv_type, shape=shape, projector_bytes=projector_bytes
    )
    if longest >= shape.n_ctx_train:
        return Verdict(quant, kv_type, VerdictKind.FULL_CONTEXT, longest, 0, full)
    if longest >= MIN_CONTEXT:
        return Verdict(quant, kv_type, VerdictKind.UP_TO, longest, 0, full)
    smallest = estimate_memory(
        weights_bytes, CONTEXTS[0], kv_type, shape=shape, projector_bytes=projector_bytes
    )
    fit = place(smallest, budget, shape)
    if fit.placement is Placement.PARTIAL or (budget.has_gpu and fit.placement is Placement.CPU):
        return Verdict(quant, kv_type, VerdictKind.PARTIAL, 0, fit.gpu_layers, full)
    return Verdict(quant, kv_type, VerdictKind.WONT_FIT, 0, 0, full)


@dataclass(frozen=True, slots=True)
class Cell:
    """One point of the grid: a quant at a context with a KV cache type."""

    quant: str
    n_ctx: int
    kv_type: KvCacheType
    fit: Fit


@dataclass(frozen=True, slots=True)
class Proposal:
    quant: str
    kv_type: KvCacheType
    n_ctx: int
    fit: Fit


@dataclass(frozen=True, slots=True)
class QuantSize:
    label: str
    size: int


@dataclass(frozen=True, slots=True)
class FitPlan:
    budget: MemoryBudget
    with_projector: bool
    cells: tuple[Cell, ...]
    verdicts: tuple[Verdict, ...]
    selected: Proposal | None  # the best setting for the chosen quant
    best: Proposal | None  # the best quant for this machine, with its setting
    quants: tuple[QuantSize, ...] = ()

    def verdicts_for(self, quant: str) -> tuple[Verdict, ...]:
        return tuple(v for v in self.verdicts if v.quant == quant)


def propose(
    quant: QuantSize,
    budget: MemoryBudget,
    *,
    shape: ModelShape = MISTRAL_SMALL_3_2,
    projector_bytes: int = 0,
) -> Proposal | None:
    """The best setting for one quant.

    All on the GPU with the longest context f16 or q8_0 KV allows (q8_0's quality loss is
    negligible; f16 wins ties); q4_0 only when neither of them reaches 8K. Without that, a
    16K (else 8K) context with q8_0 KV and as many layers on the GPU as fit; None if nothing fits.
    """
    options = []
    for kv_type in (KvCacheType.F16, KvCacheType.Q8_0, KvCacheType.Q4_0):
        longest = max_context(
            quant.size, kv_type, budget, shape=shape, projector_bytes=projector_bytes
        )
        n_ctx = min(longest // CONTEXT_STEP * CONTEXT_STEP, shape.n_ctx_train)
        options.append((kv_type, n_ctx))
    f16, q8, q4 = options
    kv_type, n_ctx = max((f16, q8), key=lambda option: option[1])
    if n_ctx < CONTEXTS[0] and q4[1] >= CONTEXTS[0]:
        kv_type, n_ctx = q4
    if n_ctx >= MIN_CONTEXT:
        estimate = estimate_memory(
            quant.size, n_ctx, kv_type, shape=shape, projector_bytes=projector_bytes
        )
        return Proposal(quant.label, kv_type, n_ctx, place(estimate, budget, shape))
    for n_ctx in (CONTEXTS[1], CONTEXTS[0]):
        estimate = estimate_memory(
            quant.size, n_ctx, KvCacheType.Q8_0, shape=shape, projector_bytes=projector_bytes
        )
        fit = place(estimate, budget, shape)
        if fit.placement is not Placement.NONE:
            return Proposal(quant.label, KvCacheType.Q8_0, n_ctx, fit)
    return None


def assess(
    quant: QuantSize,
    n_ctx: int,
    kv_type: KvCacheType,
    budget: MemoryBudget,
    *,
    shape: ModelShape = MISTRAL_SMALL_3_2,
    projector_bytes: int = 0,
) -> Proposal:
    """Where one setting the user picked would run (or that it would not fit)."""
    estimate = estimate_memory(
        quant.size, n_ctx, kv_type, shape=shape, projector_bytes=projector_bytes
    )
    return Proposal(quant.label, kv_type, n_ctx, place(estimate, budget, shape))


def best_quant(
    quants: Sequence[QuantSize],
    budget: MemoryBudget,
    *,
    shape: ModelShape = MISTRAL_SMALL_3_2,
    projector_bytes: int = 0,
) -> Proposal | None:
    """The largest quant that runs all on the GPU (all in RAM without a GPU) with at least 32K
    of context, else with at least 8K, else the proposal for the smallest quant."""
    whole = Placement.GPU if budget.has_gpu else Placement.CPU
    proposals = [
        proposal
        for quant in sorted(quants, key=lambda q: q.size, reverse=True)
        if (proposal := propose(quant, budget, shape=shape, projector_bytes=projector_bytes))
    ]
    for floor in (32768, CONTEXTS[0]):
        for proposal in proposals:
            if proposal.fit.placement is whole and proposal.n_ctx >= floor:
                return proposal
    return proposals[-1] if proposals else None


def recommend(
    quants: Sequence[QuantSize],
    budget: MemoryBudget,
    default: str,
    *,
    shape: ModelShape = MISTRAL_SMALL_3_2,
    projector_bytes: int = 0,
) -> Proposal | None:
    """The first-run choice: the `default` quant when it runs whole (on the GPU, or in RAM
    without one) with at least 32K of context, which leaves room for the desktop and other
    programs; otherwise the best quant for the machine."""
    whole = Placement.GPU if budget.has_gpu else Placement.CPU
    chosen = next((q for q in quants if q.label == default), None)
    if chosen is not None:
        proposal = propose(chosen, budget, shape=shape, projector_bytes=projector_bytes)
        if proposal is not None and proposal.fit.placement is whole and proposal.n_ctx >= 32768:
            return proposal
    return best_quant(quants, budget, shape=shape, projector_bytes=projector_bytes)


def plan(
    quants: Sequence[QuantSize],
    budget: MemoryBudget,
    *,
    selected: str | None = None,
    shape: ModelShape = MISTRAL_SMALL_3_2,
    projector_bytes: int = 0,
) -> FitPlan:
    """Every quant, context and KV type, a verdict per quant and KV type, and the proposals."""
    cells = tuple(
        Cell(
            quant.label,
            n_ctx,
            kv_type,
            place(
                estimate_memory(
                    quant.size, n_ctx, kv_type, shape=shape, projector_bytes=projector_bytes
                ),
                budget,
                shape,
            ),
        )
        for quant in quants
        for n_ctx in CONTEXTS
        for kv_type in KvCacheType
    )
    verdicts = tuple(
        judge(quant.label, quant.size, kv, budget, shape=shape, projector_bytes=projector_bytes)
        for quant in quants
        for kv in KvCacheType
    )
    chosen = next((q for q in quants if q.label == selected), None)
    return FitPlan(
        budget,
        projector_bytes > 0,
        cells,
        verdicts,
        propose(chosen, budget, shape=shape, projector_bytes=projector_bytes) if chosen else None,
        best_quant(quants, budget, shape=shape, projector_bytes=projector_bytes),
        tuple(quants),
    )
