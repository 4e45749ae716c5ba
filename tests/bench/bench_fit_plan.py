"""Loading by the fit plan on a real GPU: the planner's own layer count under a capped budget.

Run as `python -m tests.bench.bench_fit_plan MODEL.gguf --gpu-budget 12G` on a machine with a GPU.

1. The engine process reads its GPUs through llama.cpp's device API; the figures are printed.
2. The planner's budget is made from them as the window makes it, then its GPU memory is capped at
   `--gpu-budget` (the cap is the only change to the planner's input): a partial plan.
3. `ModelSettings.load_command`, the window's own path, turns the plan into `n_gpu_layers`; the
   engine loads the model and answers; the layers on the GPU, the memory the load took on the
   GPU beside the planner's share, and the speeds are printed.
4. The same setting with every layer on the GPU, and with the KV cache in system memory
   (offload_kqv off), for comparison.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from app.core.kv_cache import KvCacheType
from app.core.messages import ChatMessage, Role
from app.core.sampling import SamplingParams
from app.engine.blocking import BlockingEngine
from app.engine.protocol import Generate, LoadModel, QueryStatus, StatusReport
from app.models.fit_load import LoadSetting, gpu_layers_for
from app.models.fit_planner import (
    MISTRAL_SMALL_3_2,
    MemoryBudget,
    estimate_memory,
    split_bytes,
)
from app.models.hardware import GIB, detect_machine, gib, with_device_readings
from app.settings import ModelSettings

QUESTION = "Write a long story about a lighthouse keeper and the north wind."


def _size(text: str) -> int:
    return int(float(text.rstrip("GgBb")) * GIB)


def planned_gpu_bytes(setting: LoadSetting, layers: int, *, kv_on_gpu: bool) -> int:
    estimate = estimate_memory(
        setting.weights_bytes, setting.n_ctx, setting.kv_type, projector_bytes=0
    )
    units = MISTRAL_SMALL_3_2.offload_units
    gpu, _ = split_bytes(estimate, MISTRAL_SMALL_3_2, units if layers < 0 else layers,
                         kv_on_gpu=kv_on_gpu)  # fmt: skip
    return gpu


def run(label: str, command: LoadModel, tokens: int, setting: LoadSetting) -> None:
    with BlockingEngine() as engine:
        started = time.perf_counter()
        loaded = engine.load(command, timeout=600)
        load_s = time.perf_counter() - started
        sampling = SamplingParams(temperature=0.15, max_tokens=tokens, seed=1,
                                  repetition_guard=False)  # fmt: skip
        messages = (ChatMessage(Role.USER, QUESTION),)
        answer = engine.generate(Generate(1, messages, sampling), timeout=600)
    usage = answer.finished.usage
    took = sum(gpu.own_bytes for gpu in loaded.gpus)
    planned = planned_gpu_bytes(setting, command.n_gpu_layers, kv_on_gpu=command.offload_kqv)
    units = loaded.n_layers + 1
    print(
        f"| {label} | {loaded.backend.value} | {loaded.n_gpu_layers}/{units} | "
        f"{gib(took)} | {gib(planned)} | {load_s:.1f} s | "
        f"{usage.prompt_tokens_per_s:.0f} | {usage.generation_tokens_per_s:.1f} "
        f"({usage.completion_tokens} tokens) |",
        flush=True,
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_fit_plan")
    parser.add_argument("model", type=Path)
    parser.add_argument("--gpu-budget", type=_size, default=12 * GIB,
                        help="cap on the planner's GPU memory, e.g. 12G")  # fmt: skip
    parser.add_argument("--context", type=int, default=8192)
    parser.add_argument("--kv", choices=[kv.value for kv in KvCacheType], default="q8_0")
    parser.add_argument("--tokens", type=int, default=128)
    args = parser.parse_args(argv)
    model = args.model.resolve()

    with BlockingEngine() as engine:
        engine.send(QueryStatus())
        gpus = engine.next_event(StatusReport, timeout=120).gpus
    for gpu in gpus:
        print(f"{gpu.name} ({gpu.backend}): {gpu.description}, total {gib(gpu.total_bytes)}, "
              f"free {gib(gpu.free_bytes)} (llama.cpp's device API)")  # fmt: skip
    machine = with_device_readings(detect_machine(), gpus)
    budget = MemoryBudget.for_machine(machine)
    capped = replace(budget, gpu_bytes=min(budget.gpu_bytes, args.gpu_budget))
    settings = ModelSettings(n_ctx=args.context, kv_cache_type=KvCacheType(args.kv))
    setting = settings.load_setting(model)
    planned = settings.load_command(model, capped)
    print(
        f"{model.name}: {setting.weights_bytes:,} bytes; context {args.context:,}, {args.kv} KV; "
        f"planner's GPU budget {gib(budget.gpu_bytes)}, capped at {gib(capped.gpu_bytes)}: "
        f"n_gpu_layers={planned.n_gpu_layers} (gpu_layers_for: {gpu_layers_for(setting, capped)})"
    )
    print("| load | backend | layers on the GPU | GPU memory the load took | planner's GPU share "
          "| load time | prompt t/s | generation t/s |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    run(f"planned under a {gib(capped.gpu_bytes)} cap", planned, args.tokens, setting)
    whole = settings.load_command(model, budget)
    run("planned, no cap", whole, args.tokens, setting)
    kv_in_ram = replace(whole, n_gpu_layers=-1, offload_kqv=False)
    run("every layer, KV cache in system memory", kv_in_ram, args.tokens,
        replace(setting, kv_on_gpu=False))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
