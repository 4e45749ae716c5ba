"""`tramontane bench`: the app's engine, across its process boundary, against raw llama.cpp.

Both sides run on the same file in the same run, one after the other (never at once, so they do
not compete for cores), each warmed up first: the first evaluation after a load also pays for
mapping the weights into memory, which says nothing about either loop. The raw reference is the
plainest llama.cpp loop: the prompt decoded in batches, then one `llama_decode` per token, no
application code; it generates twice, greedily (decoding alone, as llama-bench measures it) and
with the sampler chain of the app's defaults (temperature, then a seeded draw over the whole
vocabulary), which `tg_ratio_same_sampling` compares with. The app side samples with the default
settings (temperature 0.15, top-p 1, top-k off) and is timed where the window sees it: token
events arriving from the engine process. Its answers draft from the conversation as the app does
(unless --no-speculation): the share of drafted tokens the model kept and the speed-up it
estimated are reported; a model with random weights keeps next to none, and then drafting
switches itself off.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import llama_cpp

from app.core.kv_cache import KvCacheType
from app.core.messages import ChatMessage, Role
from app.core.sampling import SamplingParams
from app.engine.bench_snapshots import measure_snapshots
from app.engine.blocking import BlockingEngine, EngineFailed, TimedAnswer
from app.engine.loader import GGML_KV_TYPES, MICRO_BATCH, PROMPT_BATCH
from app.engine.protocol import Generate, LoadModel
from app.engine.threads import compute_threads

SYSTEM = "You are a benchmark."
IPC_SAMPLES = 1000
WARM_UP_TOKENS = 32
SEED = 1234  # one seed throughout: a new seed would make a new sampler chain


class BenchFailed(Exception):
    pass


@dataclass(frozen=True)
class BenchFigures:
    model: str
    backend: str
    prompt_tokens: int
    gen_tokens: int
    app_tg_tps: float
    raw_tg_tps: float  # greedy: decoding alone
    tg_ratio: float
    raw_sampled_tg_tps: float  # with the app's default sampler chain
    tg_ratio_same_sampling: float
    app_pp_tps: float
    raw_pp_tps: float
    pp_ratio: float
    cold_ttft_s: float  # a new P-token prompt, nothing of it cached
    first_ttft_after_load_s: float  # the same, right after loading (weights not yet in memory)
    followup_ttft_s: float
    followup_depth: int
    app_tg_at_depth_tps: float  # generation right after the follow-up turn, deep in the context
    ipc_us_per_token: float  # a command's round trip through the engine pipe, per event
    draft_tokens: int  # drafted from the conversation in the timed answers
    draft_acceptance: float  # the share of them the model kept
    speculative_speedup: float  # the engine's estimate, median over the timed answers
    load_avg_app: float  # the 1-minute load average after each side ran: others' work shows
    load_avg_raw: float
    reopen_ttft_s: float  # the conversation of `depth` tokens again, after another one
    reread_ttft_s: float  # the same with snapshots off: its history read again
    restart_ttft_s: float  # again after an engine restart, its snapshot read from the disk
    reread_over_reopen: float
    snapshot_bytes: float
    snapshot_save_s: float
    disk_read_gb_per_s: float


@dataclass(frozen=True)
class BenchInput:
    prompts: list[str]  # one per repeat, each different so no cache helps
    prompt_tokens: list[list[int]]  # the same, tokenized for the raw loop
    warm_up: str
    history: str  # the conversation before the follow-up turn


def _filler_text(llm: llama_cpp.Llama, tokens: int, salt: str) -> str:
    """Text of `tokens` tokens (give or take the last chunk), different for each salt."""
    chunks: list[str] = []
    while (missing := tokens - len(llm.tokenize("".join(chunks).encode(), add_bos=False))) > 0:
        # A chunk is about 9 tokens: add fewer than are missing, then measure again.
        for _ in range(max(1, missing // 12)):
            chunks.append(f"{salt}{len(chunks)} lorem ipsum dolor sit amet, ")
    return "".join(chunks)


def bench_input(args: argparse.Namespace) -> BenchInput:
    vocab = llama_cpp.Llama(str(args.model), vocab_only=True, verbose=False)
    try:
        prompts = [_filler_text(vocab, args.prompt_tokens, f"r{i}") for i in range(args.repeats)]
        return BenchInput(
            prompts=prompts,
            prompt_tokens=[vocab.tokenize(p.encode(), add_bos=True) for p in prompts],
            warm_up=_filler_text(vocab, args.prompt_tokens, "warm"),
            history=_filler_text(vocab, args.depth, "history"),
        )
    finally:
        vocab.close()


def _ask(
    engine: BlockingEngine, request_id: int, text: str, sampling: SamplingParams
) -> TimedAnswer:
    return engine.generate(
        Generate(request_id, (ChatMessage(Role.USER, text),), sampling, system_prompt=SYSTEM)
    )


def _first_delta_at(answer: TimedAnswer) -> float:
    if answer.first_delta_at is None or answer.finished.usage.completion_tokens < 2:
        raise BenchFailed(
            f"the model stopped after {answer.finished.usage.completion_tokens} tokens "
            f"({answer.finished.reason.value}); generation cannot be timed"
        )
    return answer.first_delta_at


def measure_app(
    args: argparse.Namespace, n_ctx: int, given: BenchInput
) -> tuple[str, dict[str, float]]:
    """The backend the engine ran on, and its figures."""
    sampling = SamplingParams(
        max_tokens=args.gen_tokens, seed=SEED, speculative=not args.no_speculation
    )
    pp, tg, ttft, speedups = [], [], [], []
    drafted = accepted = 0
    with BlockingEngine() as engine:
        loaded = engine.load(
            LoadModel(
                args.model.resolve(),
                n_ctx=n_ctx,
                n_gpu_layers=args.gpu_layers,
                kv_cache_type=KvCacheType(args.kv),
            )
        )
        warm = _ask(engine, 1, given.warm_up, SamplingParams(max_tokens=2, seed=SEED))
        first_ttft = _first_delta_at(warm) - warm.sent_at
        for request_id, prompt in enumerate(given.prompts, start=2):
            answer = _ask(engine, request_id, prompt, sampling)
            first_delta_at = _first_delta_at(answer)
            usage = answer.finished.usage
            pp.append(usage.prompt_tokens_per_s)
            ttft.append(first_delta_at - answer.sent_at)
            tg.append((usage.completion_tokens - 1) / (answer.finished_at - first_delta_at))
            drafted += usage.draft_tokens
            accepted += usage.accepted_tokens
            speedups.append(usage.speculative_speedup)
        # Follow-up at depth: the history is evaluated once, then a short new turn is timed.
        short = SamplingParams(max_tokens=8, seed=SEED)
        earlier = _ask(engine, 100, given.history, short).finished.text or "ok"
        followups, deep_tg = [], []
        for index in range(args.repeats):
            turns = (
                ChatMessage(Role.USER, given.history),
                ChatMessage(Role.ASSISTANT, earlier),
                ChatMessage(Role.USER, f"And question {index}?"),
            )
            answer = engine.generate(Generate(101 + index, turns, sampling, system_prompt=SYSTEM))
            first_delta_at = _first_delta_at(answer)
            followups.append(first_delta_at - answer.sent_at)
            generated = answer.finished.usage.completion_tokens - 1
            deep_tg.append(generated / (answer.finished_at - first_delta_at))
        ipc_us = engine.round_trip_us(IPC_SAMPLES)
    return loaded.backend.value, {
        "app_pp_tps": statistics.median(pp),
        "app_tg_tps": statistics.median(tg),
        "cold_ttft_s": statistics.median(ttft),
        "first_ttft_after_load_s": first_ttft,
        "followup_ttft_s": statistics.median(followups),
        "app_tg_at_depth_tps": statistics.median(deep_tg),
        "ipc_us_per_token": ipc_us,
        "draft_tokens": drafted,
        "draft_acceptance": accepted / drafted if drafted else 0.0,
        "speculative_speedup": statistics.median(speedups),
    }


class RawLoop:
    """The plainest llama.cpp loop, with the engine's context settings and no application code."""

    def __init__(self, args: argparse.Namespace, n_ctx: int) -> None:
        self._llm = llama_cpp.Llama(
            str(args.model),
            n_ctx=n_ctx,
            n_batch=PROMPT_BATCH,
            n_ubatch=MICRO_BATCH,
            n_gpu_layers=args.gpu_layers,
            n_threads=compute_threads(),  # as the engine does
            flash_attn=True,
            type_k=GGML_KV_TYPES[KvCacheType(args.kv)],
            type_v=GGML_KV_TYPES[KvCacheType(args.kv)],
            verbose=False,
        )
        self._ctx = self._llm.ctx
        self._memory = llama_cpp.llama_get_memory(self._ctx)
        self.greedy = _chain(llama_cpp.llama_sampler_init_greedy())
        self.sampled = _chain(  # what the app's default settings build
            llama_cpp.llama_sampler_init_temp(SamplingParams().temperature),
            llama_cpp.llama_sampler_init_dist(SEED),
        )

    def close(self) -> None:
        llama_cpp.llama_sampler_free(self.greedy)
        llama_cpp.llama_sampler_free(self.sampled)
        self._llm.close()

    def decode(self, tokens: list[int]) -> None:
        array = (llama_cpp.llama_token * len(tokens))(*tokens)
        batch = llama_cpp.llama_batch_get_one(array, len(tokens))
        if llama_cpp.llama_decode(self._ctx, batch) != 0:
            raise BenchFailed("llama_decode failed in the raw loop")

    def read_prompt(self, tokens: list[int]) -> float:
        """Tokens/s of evaluating `tokens` from an empty cache."""
        llama_cpp.llama_memory_clear(self._memory, True)
        start = time.perf_counter()
        for offset in range(0, len(tokens), PROMPT_BATCH):
            self.decode(tokens[offset : offset + PROMPT_BATCH])
        llama_cpp.llama_synchronize(self._ctx)
        return len(tokens) / (time.perf_counter() - start)

    def generate(self, chain: llama_cpp.llama_sampler_p, tokens: int) -> float:
        """Tokens/s of generating `tokens` after the prompt just read, from the first token."""
        token = llama_cpp.llama_sampler_sample(chain, self._ctx, -1)
        start = time.perf_counter()
        for _ in range(tokens - 1):
            self.decode([token])
            token = llama_cpp.llama_sampler_sample(chain, self._ctx, -1)
        return (tokens - 1) / (time.perf_counter() - start)


def measure_raw(args: argparse.Namespace, n_ctx: int, given: BenchInput) -> dict[str, float]:
    raw = RawLoop(args, n_ctx)
    pp, tg, tg_sampled = [], [], []
    try:
        raw.decode(given.prompt_tokens[0][:WARM_UP_TOKENS])  # maps the weights in
        for tokens in given.prompt_tokens:
            pp.append(raw.read_prompt(tokens))
            tg.append(raw.generate(raw.greedy, args.gen_tokens))
            raw.read_prompt(tokens)
            tg_sampled.append(raw.generate(raw.sampled, args.gen_tokens))
    finally:
        raw.close()
    return {
        "raw_pp_tps": statistics.median(pp),
        "raw_tg_tps": statistics.median(tg),
        "raw_sampled_tg_tps": statistics.median(tg_sampled),
    }


def _chain(*samplers: llama_cpp.llama_sampler_p) -> llama_cpp.llama_sampler_p:
    chain: llama_cpp.llama_sampler_p = llama_cpp.llama_sampler_chain_init(
        llama_cpp.llama_sampler_chain_default_params()
    )
    for sampler in samplers:
        llama_cpp.llama_sampler_chain_add(chain, sampler)
    return chain


def run_bench(args: argparse.Namespace) -> int:
    given = bench_input(args)
    n_ctx = max(args.prompt_tokens, args.depth) + args.gen_tokens + 512
    try:
        if args.snapshots_only:
            alone = measure_snapshots(args, n_ctx, given.history)
            print(json.dumps({"model": Path(args.model).name, "depth": args.depth, **alone}))
            return 0
        backend, app = measure_app(args, n_ctx, given)
        load_avg_app = os.getloadavg()[0]
        raw = measure_raw(args, n_ctx, given)
        reopening = measure_snapshots(args, n_ctx, given.history)
    except (EngineFailed, BenchFailed, RuntimeError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    figures = BenchFigures(
        model=Path(args.model).name,
        backend=backend,
        prompt_tokens=args.prompt_tokens,
        gen_tokens=args.gen_tokens,
        app_tg_tps=app["app_tg_tps"],
        raw_tg_tps=raw["raw_tg_tps"],
        tg_ratio=app["app_tg_tps"] / raw["raw_tg_tps"],
        raw_sampled_tg_tps=raw["raw_sampled_tg_tps"],
        tg_ratio_same_sampling=app["app_tg_tps"] / raw["raw_sampled_tg_tps"],
        app_pp_tps=app["app_pp_tps"],
        raw_pp_tps=raw["raw_pp_tps"],
        pp_ratio=app["app_pp_tps"] / raw["raw_pp_tps"],
        cold_ttft_s=app["cold_ttft_s"],
        first_ttft_after_load_s=app["first_ttft_after_load_s"],
        followup_ttft_s=app["followup_ttft_s"],
        followup_depth=args.depth,
        app_tg_at_depth_tps=app["app_tg_at_depth_tps"],
        ipc_us_per_token=app["ipc_us_per_token"],
        draft_tokens=int(app["draft_tokens"]),
        draft_acceptance=app["draft_acceptance"],
        speculative_speedup=app["speculative_speedup"],
        load_avg_app=load_avg_app,
        load_avg_raw=os.getloadavg()[0],
        **reopening,
    )
    if args.json:
        print(json.dumps(asdict(figures), indent=2))
    else:
        _print_table(figures)
    return 0


def _print_table(f: BenchFigures) -> None:
    rows = [
        ("generation tokens/s", f"{f.app_tg_tps:.1f}", f"{f.raw_tg_tps:.1f}", f"{f.tg_ratio:.3f}"),
        (
            "  raw with the same sampling",
            "",
            f"{f.raw_sampled_tg_tps:.1f}",
            f"{f.tg_ratio_same_sampling:.3f}",
        ),
        ("prompt tokens/s", f"{f.app_pp_tps:.1f}", f"{f.raw_pp_tps:.1f}", f"{f.pp_ratio:.3f}"),
        ("cold time to first token", f"{f.cold_ttft_s:.3f} s", "", ""),
        ("  the first one after loading", f"{f.first_ttft_after_load_s:.3f} s", "", ""),
        (f"follow-up TTFT at {f.followup_depth} tokens", f"{f.followup_ttft_s:.3f} s", "", ""),
        (f"generation tokens/s at {f.followup_depth}", f"{f.app_tg_at_depth_tps:.1f}", "", ""),
        ("engine pipe round trip per event", f"{f.ipc_us_per_token:.1f} µs", "", ""),
        ("drafted tokens kept", f"{f.draft_acceptance:.0%} of {f.draft_tokens}", "", ""),
        ("speed-up from drafting", f"{f.speculative_speedup:.2f}×", "", ""),
        (f"reopen TTFT at {f.followup_depth}: snapshot", f"{f.reopen_ttft_s:.3f} s", "", ""),
        ("  read again (snapshots off)", f"{f.reread_ttft_s:.3f} s", "", ""),
        ("  after a restart, from the disk", f"{f.restart_ttft_s:.3f} s", "", ""),
        ("snapshot size / time to save", f"{f.snapshot_bytes / 1e6:.1f} MB", "", ""),
        ("", f"{f.snapshot_save_s:.3f} s", "", ""),
    ]
    print(f"{f.model} on {f.backend}, {f.prompt_tokens}-token prompt, {f.gen_tokens} tokens")
    print(f"load average after each side: app {f.load_avg_app:.2f}, raw {f.load_avg_raw:.2f}")
    print(f"{'':34} {'app':>12} {'raw llama.cpp':>14} {'ratio':>7}")
    for name, app, raw, ratio in rows:
        print(f"{name:34} {app:>12} {raw:>14} {ratio:>7}")
