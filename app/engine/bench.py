"""`tramontane bench`: the app's engine, across its process boundary, against raw llama.cpp.

Both sides run on the same file in the same run, one after the other (never at once, so they do
not compete for cores). The raw reference is the plainest llama.cpp loop: the prompt decoded in
batches, then greedy sampling with one `llama_decode` per token, no application code.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from dataclasses import asdict, dataclass
from multiprocessing import Pipe
from pathlib import Path

import llama_cpp

from app.core.messages import ChatMessage, Role
from app.core.sampling import SamplingParams
from app.engine.blocking import BlockingEngine, EngineFailed
from app.engine.loader import GGML_KV_TYPES, PROMPT_BATCH
from app.engine.protocol import Generate, KvCacheType, LoadModel, TokenDelta

SYSTEM = "You are a benchmark."


@dataclass(frozen=True)
class BenchFigures:
    model: str
    backend: str
    prompt_tokens: int
    gen_tokens: int
    app_tg_tps: float
    raw_tg_tps: float
    tg_ratio: float
    app_pp_tps: float
    raw_pp_tps: float
    pp_ratio: float
    cold_ttft_s: float
    followup_ttft_s: float
    followup_depth: int
    ipc_us_per_token: float


def _filler_text(llm: llama_cpp.Llama, tokens: int, salt: str) -> str:
    """Text of about `tokens` tokens, different for each salt (so no cache can help)."""
    words = []
    count = 0
    index = 0
    while count < tokens:
        chunk = f"{salt}{index} lorem ipsum dolor sit amet, "
        count += len(llm.tokenize(chunk.encode(), add_bos=False))
        words.append(chunk)
        index += 1
    return "".join(words)


def ipc_cost_us(samples: int = 20000) -> float:
    """Microseconds to pickle, send and receive one token event through a pipe."""
    receiver, sender = Pipe(duplex=False)
    done = threading.Event()

    def drain() -> None:
        for _ in range(samples):
            receiver.recv()
        done.set()

    thread = threading.Thread(target=drain)
    thread.start()
    start = time.perf_counter()
    for index in range(samples):
        sender.send(TokenDelta(index, " token"))
    done.wait()
    elapsed = time.perf_counter() - start
    thread.join()
    return elapsed / samples * 1e6


def _median(values: list[float]) -> float:
    return statistics.median(values)


def measure_app(
    args: argparse.Namespace, n_ctx: int, prompts: list[str], history: str
) -> tuple[str, dict[str, float]]:
    """The backend the engine ran on, and its figures."""
    sampling = SamplingParams(max_tokens=args.gen_tokens, seed=1234, repetition_guard=True)
    pp, tg, ttft = [], [], []
    with BlockingEngine() as engine:
        loaded = engine.load(
            LoadModel(
                args.model.resolve(),
                n_ctx=n_ctx,
                n_gpu_layers=args.gpu_layers,
                kv_cache_type=KvCacheType(args.kv),
            )
        )
        for request_id, prompt in enumerate(prompts, start=1):
            answer = engine.generate(
                Generate(
                    request_id, (ChatMessage(Role.USER, prompt),), sampling, system_prompt=SYSTEM
                )
            )
            usage = answer.finished.usage
            if answer.first_delta_at is None or usage.completion_tokens < 2:
                raise RuntimeError(
                    f"the model stopped after {usage.completion_tokens} tokens "
                    f"({answer.finished.reason.value}); cannot time generation"
                )
            pp.append(usage.prompt_tokens_per_s)
            ttft.append(answer.first_delta_at - answer.sent_at)
            tg.append((usage.completion_tokens - 1) / (answer.finished_at - answer.first_delta_at))
        # Follow-up at depth: the history is evaluated once, then a short new turn is timed.
        turns = (ChatMessage(Role.USER, history),)
        short = SamplingParams(max_tokens=8, seed=1)
        first = engine.generate(Generate(100, turns, short, system_prompt=SYSTEM))
        followups = []
        for index in range(args.repeats):
            follow = (
                *turns,
                ChatMessage(Role.ASSISTANT, first.finished.text or "ok"),
                ChatMessage(Role.USER, f"And question {index}?"),
            )
            answer = engine.generate(Generate(101 + index, follow, short, system_prompt=SYSTEM))
            assert answer.first_delta_at is not None
            followups.append(answer.first_delta_at - answer.sent_at)
    return loaded.backend.value, {
        "app_pp_tps": _median(pp),
        "app_tg_tps": _median(tg),
        "cold_ttft_s": _median(ttft),
        "followup_ttft_s": _median(followups),
    }


def measure_raw(
    args: argparse.Namespace, n_ctx: int, prompt_tokens: list[list[int]]
) -> dict[str, float]:
    llm = llama_cpp.Llama(
        str(args.model),
        n_ctx=n_ctx,
        n_batch=PROMPT_BATCH,
        n_gpu_layers=args.gpu_layers,
        flash_attn=True,
        type_k=GGML_KV_TYPES[KvCacheType(args.kv)],
        type_v=GGML_KV_TYPES[KvCacheType(args.kv)],
        verbose=False,
    )
    ctx = llm.ctx
    memory = llama_cpp.llama_get_memory(ctx)
    params = llama_cpp.llama_sampler_chain_default_params()
    chain = llama_cpp.llama_sampler_chain_init(params)
    llama_cpp.llama_sampler_chain_add(chain, llama_cpp.llama_sampler_init_greedy())
    pp, tg = [], []
    try:
        for tokens in prompt_tokens:
            llama_cpp.llama_memory_clear(memory, True)
            start = time.perf_counter()
            for offset in range(0, len(tokens), PROMPT_BATCH):
                batch = tokens[offset : offset + PROMPT_BATCH]
                array = (llama_cpp.llama_token * len(batch))(*batch)
                llama_cpp.llama_decode(ctx, llama_cpp.llama_batch_get_one(array, len(batch)))
            token = llama_cpp.llama_sampler_sample(chain, ctx, -1)
            pp.append(len(tokens) / (time.perf_counter() - start))
            one = (llama_cpp.llama_token * 1)()
            start = time.perf_counter()
            for _ in range(args.gen_tokens - 1):
                one[0] = token
                llama_cpp.llama_decode(ctx, llama_cpp.llama_batch_get_one(one, 1))
                token = llama_cpp.llama_sampler_sample(chain, ctx, -1)
            tg.append((args.gen_tokens - 1) / (time.perf_counter() - start))
    finally:
        llama_cpp.llama_sampler_free(chain)
        llm.close()
    return {"raw_pp_tps": _median(pp), "raw_tg_tps": _median(tg)}


def run_bench(args: argparse.Namespace) -> int:
    vocab = llama_cpp.Llama(str(args.model), vocab_only=True, verbose=False)
    prompts = [_filler_text(vocab, args.prompt_tokens, f"r{i}") for i in range(args.repeats)]
    history = _filler_text(vocab, args.depth, "history")
    raw_tokens = [vocab.tokenize(p.encode(), add_bos=True) for p in prompts]
    vocab.close()
    n_ctx = max(args.prompt_tokens, args.depth) + args.gen_tokens + 512
    try:
        backend, app = measure_app(args, n_ctx, prompts, history)
    except EngineFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    raw = measure_raw(args, n_ctx, raw_tokens)
    figures = BenchFigures(
        model=Path(args.model).name,
        backend=backend,
        prompt_tokens=args.prompt_tokens,
        gen_tokens=args.gen_tokens,
        app_tg_tps=app["app_tg_tps"],
        raw_tg_tps=raw["raw_tg_tps"],
        tg_ratio=app["app_tg_tps"] / raw["raw_tg_tps"],
        app_pp_tps=app["app_pp_tps"],
        raw_pp_tps=raw["raw_pp_tps"],
        pp_ratio=app["app_pp_tps"] / raw["raw_pp_tps"],
        cold_ttft_s=app["cold_ttft_s"],
        followup_ttft_s=app["followup_ttft_s"],
        followup_depth=args.depth,
        ipc_us_per_token=ipc_cost_us(),
    )
    if args.json:
        print(json.dumps(asdict(figures), indent=2))
    else:
        _print_table(figures)
    return 0


def _print_table(f: BenchFigures) -> None:
    rows = [
        ("generation tokens/s", f"{f.app_tg_tps:.1f}", f"{f.raw_tg_tps:.1f}", f"{f.tg_ratio:.3f}"),
        ("prompt tokens/s", f"{f.app_pp_tps:.1f}", f"{f.raw_pp_tps:.1f}", f"{f.pp_ratio:.3f}"),
        ("cold time to first token", f"{f.cold_ttft_s:.3f} s", "", ""),
        (f"follow-up TTFT at {f.followup_depth} tokens", f"{f.followup_ttft_s:.3f} s", "", ""),
        ("IPC cost per token event", f"{f.ipc_us_per_token:.1f} µs", "", ""),
    ]
    print(f"{f.model} on {f.backend}, {f.prompt_tokens}-token prompt, {f.gen_tokens} tokens")
    print(f"{'':34} {'app':>12} {'raw llama.cpp':>14} {'ratio':>7}")
    for name, app, raw, ratio in rows:
        print(f"{name:34} {app:>12} {raw:>14} {ratio:>7}")
