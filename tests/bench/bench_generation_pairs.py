"""Generation speed through the engine process against raw llama.cpp, measured in turns.

    python -m tests.bench.bench_generation_pairs --model bench.gguf [--pairs 13] [--json]

`tramontane bench` runs its two sides one after the other, which a machine whose speed drifts
from minute to minute (a shared one) turns into noise larger than the difference measured. Here
both sides hold the model at once (twice its memory: meant for small models) and take turns: a
generation through the engine process with the default settings, then one of the raw loop with
the same sampler chain. Each pair gives a ratio; the first pair warms both up and is left out.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from app.core.kv_cache import KvCacheType
from app.core.messages import ChatMessage, Role
from app.core.sampling import SamplingParams
from app.engine.bench import SEED, SYSTEM, RawLoop, bench_input
from app.engine.blocking import BlockingEngine
from app.engine.protocol import Generate, LoadModel


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--pairs", type=int, default=13)
    parser.add_argument("--prompt-tokens", type=int, default=512)
    parser.add_argument("--gen-tokens", type=int, default=128)
    parser.add_argument("--gpu-layers", type=int, default=-1)
    parser.add_argument("--kv", choices=[kind.value for kind in KvCacheType], default="f16")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    args.repeats, args.depth = args.pairs + 1, args.prompt_tokens
    given = bench_input(args)
    n_ctx = args.prompt_tokens + args.gen_tokens + 512
    sampling = SamplingParams(max_tokens=args.gen_tokens, seed=SEED)
    app_tps: list[float] = []
    raw_tps: list[float] = []
    raw = RawLoop(args, n_ctx)
    try:
        with BlockingEngine() as engine:
            engine.load(LoadModel(args.model.resolve(), n_ctx=n_ctx, n_gpu_layers=args.gpu_layers))
            for request_id, (text, tokens) in enumerate(
                zip(given.prompts, given.prompt_tokens, strict=True), start=1
            ):
                message = (ChatMessage(Role.USER, text),)
                answer = engine.generate(
                    Generate(request_id, message, sampling, system_prompt=SYSTEM)
                )
                assert answer.first_delta_at is not None, "the engine gave no token"
                generated = answer.finished.usage.completion_tokens - 1
                app_tps.append(generated / (answer.finished_at - answer.first_delta_at))
                raw.read_prompt(tokens)
                raw_tps.append(raw.generate(raw.sampled, args.gen_tokens))
    finally:
        raw.close()
    ratios = [app / reference for app, reference in zip(app_tps[1:], raw_tps[1:], strict=True)]
    figures = {
        "pairs": len(ratios),
        "app_tg_tps_median": round(statistics.median(app_tps[1:]), 2),
        "raw_sampled_tg_tps_median": round(statistics.median(raw_tps[1:]), 2),
        "ratio_median": round(statistics.median(ratios), 3),
        "ratio_min": round(min(ratios), 3),
        "ratio_max": round(max(ratios), 3),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        for name, value in figures.items():
            print(f"{name:<28} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
