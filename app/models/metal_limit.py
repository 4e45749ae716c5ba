"""On a Mac, a setting that Metal's limit does not hold: the routes that remain.

macOS lets one process keep only part of the unified memory on the GPU (about 16 GB of a 24 GB
Mac). Three ways past that, each judged by the planner:
- raise the limit with `sudo sysctl iogpu.wired_limit_mb=N` (administrator rights; it lasts until
  the Mac restarts; macOS itself then has only the rest of the memory);
- keep the KV cache in system memory (llama.cpp's offload_kqv off): the GPU then holds the
  weights only, but attention runs on the CPU, which slows every token more as the context fills;
- a smaller quant that fits under the limit as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.core.i18n import translate
from app.core.kv_cache import KvCacheType
from app.models.fit_load import MIB, LoadSetting, wired_limit_mb
from app.models.fit_planner import (
    MIN_CONTEXT,
    MISTRAL_SMALL_3_2,
    MemoryBudget,
    Placement,
    QuantSize,
    estimate_memory,
    max_context,
    place,
)
from app.models.hardware import GIB, gib

MACOS_MINIMUM_BYTES = 3 * GIB  # a limit that leaves macOS less than this is not offered
MACOS_COMFORTABLE_BYTES = 6 * GIB  # below this, other apps will make the Mac swap
SMALLER_SHOWN = 3


@dataclass(frozen=True, slots=True)
class WiredLimit:
    limit_mb: int
    ram_bytes: int

    @property
    def keeps_bytes(self) -> int:
        """What stays for macOS and every other program."""
        return self.ram_bytes - self.limit_mb * MIB

    @property
    def possible(self) -> bool:
        return self.keeps_bytes >= MACOS_MINIMUM_BYTES

    @property
    def command(self) -> str:
        return f"sudo sysctl iogpu.wired_limit_mb={self.limit_mb}"

    def risk(self) -> str:
        text = (
            translate(
                "MetalLimit",
                "It needs an administrator's password, lasts until the Mac restarts, and leaves "
                "macOS and every other app {memory}. Quit other apps first: with this little "
                "left, macOS will swap or stall.",
            )
            if self.keeps_bytes < MACOS_COMFORTABLE_BYTES
            else translate(
                "MetalLimit",
                "It needs an administrator's password, lasts until the Mac restarts, and leaves "
                "macOS and every other app {memory}.",
            )
        )
        return text.format(memory=gib(self.keeps_bytes))


def osascript_arguments(limit: WiredLimit) -> list[str]:
    """The command that asks for the administrator's password in macOS's own dialog and raises
    the limit; run only when the user clicks for it."""
    script = (
        f'do shell script "/usr/sbin/sysctl iogpu.wired_limit_mb={limit.limit_mb}" '
        "with administrator privileges"
    )
    return ["/usr/bin/osascript", "-e", script]


@dataclass(frozen=True, slots=True)
class MetalRoutes:
    quant: str
    setting: LoadSetting
    wired: WiredLimit  # the smallest limit that holds the setting (possible or not)
    kv_in_ram: Placement  # where the setting runs with the KV cache in system memory
    # the largest smaller quants that run wholly on the GPU under today's limit (and the largest
    # that reaches the setting's context), with the longest context each reaches there with the
    # same KV cache type and projector
    smaller: tuple[tuple[str, int], ...]


def metal_routes(
    quant: QuantSize,
    setting: LoadSetting,
    budget: MemoryBudget,
    others: Sequence[QuantSize] = (),
) -> MetalRoutes | None:
    """The routes for a setting that does not run wholly on a Mac's GPU; None when it does,
    or when this is no Mac."""
    if not budget.unified or not budget.has_gpu:
        return None
    estimate = estimate_memory(
        setting.weights_bytes,
        setting.n_ctx,
        setting.kv_type,
        projector_bytes=setting.projector_bytes,
    )
    if place(estimate, budget).placement is Placement.GPU:
        return None
    kv_in_ram = place(estimate, budget, kv_on_gpu=False).placement
    candidates = [
        (other.label, longest)
        for other in sorted(others, key=lambda q: q.size, reverse=True)
        if other.size < setting.weights_bytes
        and (
            longest := max_context(
                other.size, setting.kv_type, budget, projector_bytes=setting.projector_bytes
            )
        )
        >= MIN_CONTEXT
    ]
    smaller = candidates[:SMALLER_SHOWN]
    reaching = next((c for c in candidates if c[1] >= setting.n_ctx), None)
    if reaching is not None and reaching not in smaller:
        smaller = [*smaller[: SMALLER_SHOWN - 1], reaching]  # the largest that reaches it
    return MetalRoutes(
        quant.label,
        setting,
        WiredLimit(wired_limit_mb(setting), budget.machine_ram_bytes),
        kv_in_ram,
        tuple(smaller),
    )


def route_lines(routes: MetalRoutes) -> list[str]:
    """The routes in words, one sentence each."""
    setting = routes.setting
    what = (
        translate(
            "MetalLimit", "{quant} with {tokens} tokens of {kv} KV cache and the vision projector"
        )
        if setting.projector_bytes
        else translate("MetalLimit", "{quant} with {tokens} tokens of {kv} KV cache")
    ).format(quant=routes.quant, tokens=f"{setting.n_ctx:,}", kv=setting.kv_type.value)
    wired = routes.wired
    need = gib(wired.limit_mb * MIB)
    if wired.possible:
        lines = [
            translate(
                "MetalLimit",
                "{what} needs {need} on the GPU, more than Metal's limit allows. Raising the "
                "limit to {limit} MB holds it; in Terminal:",
            ).format(what=what, need=need, limit=f"{wired.limit_mb:,}"),
            f"    {wired.command}",
            wired.risk(),
        ]
    else:
        lines = [
            translate(
                "MetalLimit",
                "{what} needs {need} on the GPU: raising Metal's limit that far would leave "
                "macOS {left}, too little to run.",
            ).format(what=what, need=need, left=gib(max(wired.keeps_bytes, 0)))
        ]
    if routes.kv_in_ram is Placement.GPU:
        lines.append(
            translate(
                "MetalLimit",
                "Or keep the KV cache in system memory (Settings → Model, KV cache on the GPU "
                "off): it fits under today's limit, but attention then runs on the CPU, so "
                "answers slow down more the longer the conversation (several times slower at "
                "long contexts).",
            )
        )
    else:
        lines.append(
            translate(
                "MetalLimit", "Keeping the KV cache in system memory does not make it fit either."
            )
        )
    if routes.smaller:
        reach = ", ".join(
            translate("MetalLimit", "{quant} up to {tokens} tokens").format(
                quant=label, tokens=f"{context:,}"
            )
            for label, context in routes.smaller
        )
        text = (
            translate(
                "MetalLimit",
                "Or a smaller quant, wholly on the GPU under today's limit with {kv} KV cache "
                "and images: {quants}.",
            )
            if setting.projector_bytes
            else translate(
                "MetalLimit",
                "Or a smaller quant, wholly on the GPU under today's limit with {kv} KV cache: "
                "{quants}.",
            )
        )
        lines.append(text.format(kv=setting.kv_type.value, quants=reach))
    return lines


def routes_to_full_context(
    quant: QuantSize,
    budget: MemoryBudget,
    others: Sequence[QuantSize] = (),
    *,
    projector_bytes: int = 0,
) -> MetalRoutes | None:
    """The way to the trained context (128K) for `quant` on a Mac: with the best KV cache type
    whose Metal limit macOS can spare (else q4_0, the smallest); None when it already fits."""
    settings = [
        LoadSetting(quant.size, MISTRAL_SMALL_3_2.n_ctx_train, kv, projector_bytes)
        for kv in (KvCacheType.F16, KvCacheType.Q8_0, KvCacheType.Q4_0)
    ]
    routes = [metal_routes(quant, setting, budget, others) for setting in settings]
    if any(route is None for route in routes):
        return None  # one KV type already runs it wholly on the GPU
    found = [route for route in routes if route is not None]
    return next((route for route in found if route.wired.possible), found[-1] if found else None)
