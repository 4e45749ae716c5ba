"""Drafting from the conversation changes the speed of an answer, never the answer.

Random weights rarely agree with a draft, so these sessions draft at every step whatever it pays
(`AlwaysDraft`); the tiny models' greedy answers fall into loops often enough that drafts are
also kept, so both paths, keeping and rolling back, run. Temperature sampling is checked the
strictest way: with a seed, the answer is the same token for token, because each position is
drawn by the same chain from the same distribution with the same random number. Equal answers
for every seed imply equal distributions of answers.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import llama_cpp
import pytest

from app.core.draft_length import DraftLength
from app.core.sampling import SamplingParams
from app.engine.session import LlamaSession, Outcome
from app.engine.speculative import step_outputs_on_device
from app.engine.template import ChatTemplate

pytestmark = pytest.mark.integration

PROMPTS = (
    "Tell me about the wind.",
    "Copy this: the quick brown fox jumps over the lazy dog. The quick brown fox",
    "1 2 3 4 5 1 2 3 4 5 1 2 3",
    "def add(a, b):\n    return a + b\n\ndef add(a, b):",
    "Rewrite: Tramontane is a cold north wind. Tramontane is a",
    "Bonjour, comment allez-vous ? Bonjour, comment",
)


class AlwaysDraft(DraftLength):
    """Checks `length` drafted tokens at every step where a draft exists, paying or not."""

    def __init__(self, length: int) -> None:
        super().__init__()
        self.length = length

    def next_length(self) -> int:
        return self.length


def _session(path: Path, *, on_device: bool, draft: int = 4, n_ctx: int = 512) -> LlamaSession:
    with step_outputs_on_device():
        llm = llama_cpp.Llama(str(path), n_ctx=n_ctx, n_batch=64, verbose=False)
    return LlamaSession(
        llm, ChatTemplate.builtin(), sample_on_device=on_device, drafting=AlwaysDraft(draft)
    )


@pytest.fixture(params=[False, True], ids=["host", "device"])
def session(request: pytest.FixtureRequest, tiny_model_path: Path) -> Iterator[LlamaSession]:
    made = _session(tiny_model_path, on_device=request.param)
    yield made
    made.close()


def _prompt(session: LlamaSession, text: str) -> list[int]:
    return session.tokenize(f"[INST]{text}[/INST]", special=True)


def _generate(
    session: LlamaSession,
    prompt: list[int],
    sampling: SamplingParams,
    *,
    stop_after: int | None = None,
    control_tokens: bool = False,
) -> Outcome:
    pieces: list[str] = []
    return session.generate(
        prompt,
        sampling,
        emit=pieces.append,
        cancelled=lambda: stop_after is not None and len(pieces) >= stop_after,
        control_tokens=control_tokens,
    )


def _both(session: LlamaSession, prompt: list[int], sampling: SamplingParams) -> list[Outcome]:
    """The answer without drafts, then with them."""
    return [_generate(session, prompt, replace(sampling, speculative=s)) for s in (False, True)]


def _cache_items(session: LlamaSession) -> list[object]:
    return list(session._cache._items)


def _kv_bytes(session: LlamaSession) -> bytes:
    size = llama_cpp.llama_state_seq_get_size(session._ctx, 0)
    buffer = (ctypes.c_uint8 * size)()
    written = llama_cpp.llama_state_seq_get_data(session._ctx, buffer, size, 0)
    return bytes(buffer[:written])


def test_greedy_answers_are_the_same_token_for_token(session: LlamaSession) -> None:
    greedy = SamplingParams(temperature=0, max_tokens=32, repetition_guard=False)
    drafted = accepted = 0
    for text in PROMPTS:
        plain, drafting = _both(session, _prompt(session, text), greedy)
        assert drafting.text == plain.text, text
        assert (drafting.reason, drafting.usage.completion_tokens) == (
            plain.reason,
            plain.usage.completion_tokens,
        )
        assert plain.usage.draft_tokens == 0
        drafted += drafting.usage.draft_tokens
        accepted += drafting.usage.accepted_tokens
    assert 0 < accepted < drafted  # drafts were kept and drafts were rolled back


@pytest.mark.parametrize("temperature", [0.02, 1.0])
def test_seeded_sampling_is_the_same_token_for_token(
    session: LlamaSession, temperature: float
) -> None:
    prompt = _prompt(session, PROMPTS[2])
    accepted = 0
    for seed in range(4):
        sampling = SamplingParams(
            temperature=temperature, seed=seed, max_tokens=24, repetition_guard=False
        )
        plain, drafting = _both(session, prompt, sampling)
        assert drafting.text == plain.text, seed
        accepted += drafting.usage.accepted_tokens
    if temperature < 0.5:
        assert accepted > 0  # nearly greedy: the answer loops, and drafts are kept


def test_the_kv_cache_after_an_answer_is_what_plain_decoding_leaves(
    tiny_model_path: Path,
) -> None:
    plain = _session(tiny_model_path, on_device=False)
    drafting = _session(tiny_model_path, on_device=False)
    try:
        sampling = SamplingParams(temperature=0, max_tokens=40, repetition_guard=False)
        for text in PROMPTS[2:4]:
            prompt = _prompt(plain, text)
            first = _generate(plain, prompt, replace(sampling, speculative=False))
            second = _generate(drafting, prompt, sampling)
            assert second.text == first.text
            assert second.usage.draft_tokens > 0
            assert _cache_items(drafting) == _cache_items(plain)
            # The same cells with the same keys and values, but for the rounding of a few
            # values computed in a batch rather than one token at a time.
            held, reference = _kv_bytes(drafting), _kv_bytes(plain)
            assert len(held) == len(reference)
            assert sum(a != b for a, b in zip(held, reference, strict=True)) <= len(held) // 1000
            # The next turn reuses the same prefix and continues the same way.
            follow_up = prompt + plain.tokenize(first.text, special=False)
            follow_up += _prompt(plain, "And then?")
            again_plain = _generate(plain, follow_up, replace(sampling, speculative=False))
            again = _generate(drafting, follow_up, sampling)
            assert again.usage.cached_tokens == again_plain.usage.cached_tokens > len(prompt)
            assert again.text == again_plain.text
    finally:
        plain.close()
        drafting.close()


def test_stop_ends_the_answer_where_plain_decoding_ends_it(session: LlamaSession) -> None:
    prompt = _prompt(session, PROMPTS[2])
    greedy = SamplingParams(temperature=0, max_tokens=60, repetition_guard=False)
    outcomes, caches = [], []
    for speculative in (False, True):
        outcome = _generate(session, prompt, replace(greedy, speculative=speculative), stop_after=9)
        outcomes.append(outcome)
        caches.append(_cache_items(session))
    plain, drafting = outcomes
    assert drafting.reason.value == plain.reason.value == "cancelled"
    assert drafting.text == plain.text
    assert drafting.usage.completion_tokens == plain.usage.completion_tokens == 9
    assert caches[0] == caches[1]


def test_the_repetition_guard_stops_a_loop_as_before(looping_model_path: Path) -> None:
    session = _session(looping_model_path, on_device=False, draft=16, n_ctx=1024)
    try:
        sampling = SamplingParams(temperature=0, max_tokens=600)
        plain, drafting = _both(session, _prompt(session, "Go on."), sampling)
        assert drafting.reason.value == plain.reason.value == "repetition"
        assert drafting.text == plain.text
        assert drafting.usage.accepted_tokens > drafting.usage.completion_tokens / 2
    finally:
        session.close()


FORCED_CALL = (
    'root ::= <[9]> "calculator" <[33]> "abc123XYZ" <[32]> "{\\"expression\\": \\"6*7\\"}"'
)


def test_a_grammar_forces_the_same_tool_call(session: LlamaSession) -> None:
    # The prompt holds the call already, so the drafts propose it: the grammar has the last word.
    prompt = session.tokenize(
        '[INST]calculator abc123XYZ {"expression": "6*7"} calculator[/INST]', special=True
    )
    sampling = SamplingParams(seed=5, max_tokens=40, grammar=FORCED_CALL)
    for speculative in (False, True):
        outcome = _generate(
            session, prompt, replace(sampling, speculative=speculative), control_tokens=True
        )
        assert outcome.text == (
            '[TOOL_CALLS]calculator[CALL_ID]abc123XYZ[ARGS]{"expression": "6*7"}'
        )
        assert outcome.reason.value == "stop"


def test_an_answer_at_its_length_limit_is_as_long_as_without_drafts(
    session: LlamaSession,
) -> None:
    prompt = _prompt(session, PROMPTS[2])
    for limit in (1, 2, 7):
        greedy = SamplingParams(temperature=0, max_tokens=limit, repetition_guard=False)
        plain, drafting = _both(session, prompt, greedy)
        assert drafting.text == plain.text
        assert drafting.usage.completion_tokens == plain.usage.completion_tokens == limit
