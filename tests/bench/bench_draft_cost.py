"""What checking k drafted tokens costs: one decoding step of 1 + k tokens against a one-token step.

Run as `python -m tests.bench.bench_draft_cost --model twin.gguf` on the GPU machine, with the
full-size Q4_K_M twin of Mistral Small 3.2 (random weights: acceptance is measured elsewhere, on a
real model, by bench_drafting). The model is loaded as the engine loads it (all layers on the GPU,
flash attention, f16 KV cache, the sampler chain of the default settings drawing on the device).
At each history depth, a step is what the app's decode loop does when every draft is kept (the
most sampling a step can need): one `llama_decode` of the last token and k drafted tokens, each
position yielding a token, then the chain sampling all 1 + k positions in order; the drafted
tokens are removed from the KV cache after each step, so every step sees the same history.
k = 0 is the plain step: one token through `llama_batch_get_one`, as without drafting.

With `--tokens-per-step`, the tokens a step yielded on a real model at a given k (from
bench_drafting) become the expected speed-up on this machine: tokens per step / relative cost.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import llama_cpp
import numpy as np

from app.core.sampling import SamplingParams
from app.engine.loader import MICRO_BATCH, PROMPT_BATCH
from app.engine.sampler import SamplerChain
from app.engine.speculative import STEP_OUTPUTS, OutputBatch, step_outputs_on_device
from app.engine.threads import compute_threads

FIRST_ORDINARY_TOKEN = 1000  # Tekken's control tokens come first
SEED = 1234


class StepTimer:
    def __init__(self, model: Path, n_ctx: int, gpu_layers: int) -> None:
        with step_outputs_on_device():
            self.llm = llama_cpp.Llama(
                str(model),
                n_ctx=n_ctx,
                n_batch=PROMPT_BATCH,
                n_ubatch=MICRO_BATCH,
                n_gpu_layers=gpu_layers,
                n_threads=compute_threads(),
                flash_attn=True,
                verbose=False,
            )
        self.ctx = self.llm.ctx
        self.memory = llama_cpp.llama_get_memory(self.ctx)
        vocab = llama_cpp.llama_model_get_vocab(self.llm.model)
        self.n_vocab = llama_cpp.llama_vocab_n_tokens(vocab)
        self.chain = SamplerChain(SamplingParams(seed=SEED), vocab)
        self.on_device = gpu_layers != 0 and self.chain.run_on_device(self.ctx)
        self.batch = OutputBatch(STEP_OUTPUTS)
        self.rng = np.random.default_rng(SEED)

    def close(self) -> None:
        self.chain.close()
        self.llm.close()

    def tokens(self, count: int) -> list[int]:
        return [int(t) for t in self.rng.integers(FIRST_ORDINARY_TOKEN, self.n_vocab, count)]

    def read_history(self, depth: int) -> None:
        llama_cpp.llama_memory_clear(self.memory, True)
        history = self.tokens(depth)
        for start in range(0, depth, PROMPT_BATCH):
            chunk = history[start : start + PROMPT_BATCH]
            array = (llama_cpp.llama_token * len(chunk))(*chunk)
            self._decode(llama_cpp.llama_batch_get_one(array, len(chunk)))
        llama_cpp.llama_synchronize(self.ctx)
        self.chain.sample(self.ctx)

    def step(self, depth: int, drafted: int) -> float:
        """Seconds of one step checking `drafted` tokens after `depth` positions of history."""
        tokens = self.tokens(1 + drafted)
        started = time.perf_counter()
        if drafted:
            self._decode(self.batch.fill(tokens, depth))
            for index in range(1 + drafted):
                self.chain.sample(self.ctx, index)
        else:
            array = (llama_cpp.llama_token * 1)(*tokens)
            self._decode(llama_cpp.llama_batch_get_one(array, 1))
            self.chain.sample(self.ctx)
        seconds = time.perf_counter() - started
        llama_cpp.llama_memory_seq_rm(self.memory, 0, depth, -1)
        return seconds

    def _decode(self, batch: llama_cpp.llama_batch) -> None:
        if llama_cpp.llama_decode(self.ctx, batch) != 0:
            raise RuntimeError("llama_decode failed")


def parse_tokens_per_step(values: list[str]) -> dict[str, dict[int, float]]:
    """`copy:4=3.1,8=4.9` -> {"copy": {4: 3.1, 8: 4.9}}."""
    parsed: dict[str, dict[int, float]] = {}
    for value in values:
        task, pairs = value.split(":", 1)
        parsed[task] = {
            int(k): float(t) for k, t in (pair.split("=", 1) for pair in pairs.split(","))
        }
    return parsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--depths", type=int, nargs="+", default=[2048, 32768])
    parser.add_argument("--max-draft", type=int, default=STEP_OUTPUTS - 1)
    parser.add_argument("--repeats", type=int, default=30, help="steps per figure (median)")
    parser.add_argument("--gpu-layers", type=int, default=-1)
    parser.add_argument("--tokens-per-step", nargs="*", default=[], metavar="TASK:K=T,...")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    timer = StepTimer(args.model, max(args.depths) + STEP_OUTPUTS + 16, args.gpu_layers)
    figures: dict[int, dict[int, float]] = {}
    try:
        print(f"{args.model.name}, sampling on the device: {timer.on_device}")
        for depth in args.depths:
            timer.read_history(depth)
            for _ in range(5):  # warm-up: graphs for every batch size planned once
                for drafted in range(args.max_draft + 1):
                    timer.step(depth, drafted)
            medians: dict[int, float] = {}
            for drafted in range(args.max_draft + 1):
                medians[drafted] = statistics.median(
                    timer.step(depth, drafted) for _ in range(args.repeats)
                )
            figures[depth] = medians
    finally:
        timer.close()
    print(f"{'k':>3} " + " ".join(f"{f'{d} ms':>10} {'ratio':>6}" for d in args.depths))
    for drafted in range(args.max_draft + 1):
        cells = []
        for depth in args.depths:
            ms = figures[depth][drafted] * 1000
            cells.append(f"{ms:>10.2f} {figures[depth][drafted] / figures[depth][0]:>6.3f}")
        print(f"{drafted:>3} " + " ".join(cells))
    for task, per_k in parse_tokens_per_step(args.tokens_per_step).items():
        for depth in args.depths:
            expected = {
                k: t / (figures[depth][k] / figures[depth][0])
                for k, t in per_k.items()
                if k in figures[depth]
            }
            shown = ", ".join(f"k={k}: {s:.2f}x" for k, s in sorted(expected.items()))
            print(f"expected speed-up, {task}, {depth} history: {shown}")
    if args.json:
        args.json.write_text(json.dumps({str(d): f for d, f in figures.items()}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
