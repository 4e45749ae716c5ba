"""Sampling inside the model's graph ("on the device"), as the engine does on a GPU.

llama.cpp runs the same graph ops on the CPU backend, so the path is tested here for real.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import llama_cpp
import pytest

from app.core.sampling import SamplingParams
from app.engine.sampler import InvalidGrammar
from app.engine.session import LlamaSession
from app.engine.template import ChatTemplate

pytestmark = pytest.mark.integration

NO_TOKEN = -1


def _session(path: Path, on_device: bool) -> LlamaSession:
    llm = llama_cpp.Llama(str(path), n_ctx=512, n_batch=64, verbose=False)
    return LlamaSession(llm, ChatTemplate.builtin(), sample_on_device=on_device)


@pytest.fixture
def on_device(tiny_model_path: Path) -> Iterator[LlamaSession]:
    session = _session(tiny_model_path, on_device=True)
    yield session
    session.close()


def _answer(session: LlamaSession, prompt: list[int], sampling: SamplingParams) -> str:
    outcome = session.generate(prompt, sampling, emit=lambda _text: None, cancelled=lambda: False)
    return outcome.text


def _prompt(session: LlamaSession) -> list[int]:
    return session.tokenize("[INST]Tell me about the wind.[/INST]", True)


def _last_sampled(session: LlamaSession) -> int:
    return int(llama_cpp.llama_get_sampled_token_ith(session._ctx, -1))


def test_the_device_draws_the_tokens(on_device: LlamaSession) -> None:
    answer = _answer(on_device, _prompt(on_device), SamplingParams(seed=7, max_tokens=12))
    assert answer
    assert _last_sampled(on_device) != NO_TOKEN


def test_the_host_draws_them_when_told(tiny_model_path: Path) -> None:
    session = _session(tiny_model_path, on_device=False)
    try:
        assert _answer(session, _prompt(session), SamplingParams(seed=7, max_tokens=12))
        assert _last_sampled(session) == NO_TOKEN
    finally:
        session.close()


def test_a_seed_gives_the_same_answer_on_the_device(on_device: LlamaSession) -> None:
    sampling = SamplingParams(seed=11, max_tokens=16, repetition_guard=False)
    first = _answer(on_device, _prompt(on_device), sampling)
    again = _answer(on_device, _prompt(on_device), sampling)
    assert first == again


def test_new_settings_replace_the_device_chain(on_device: LlamaSession) -> None:
    prompt = _prompt(on_device)
    greedy = SamplingParams(temperature=0, max_tokens=16, repetition_guard=False)
    first = _answer(on_device, prompt, greedy)
    _answer(on_device, prompt, SamplingParams(temperature=1.5, top_k=40, seed=3, max_tokens=8))
    assert _answer(on_device, prompt, greedy) == first


FORCED_CALL = (
    'root ::= <[9]> "calculator" <[33]> "abc123XYZ" <[32]> "{\\"expression\\": \\"6*7\\"}"'
)


@pytest.mark.parametrize("device", [True, False])
def test_a_grammar_forces_an_exact_tool_call_written_with_its_control_tokens(
    tiny_model_path: Path, device: bool
) -> None:
    session = _session(tiny_model_path, on_device=device)
    try:
        sampling = SamplingParams(seed=5, max_tokens=40, grammar=FORCED_CALL)
        outcome = session.generate(
            _prompt(session),
            sampling,
            emit=lambda _text: None,
            cancelled=lambda: False,
            control_tokens=True,
        )
        assert outcome.text == '[TOOL_CALLS]calculator[CALL_ID]abc123XYZ[ARGS]{"expression": "6*7"}'
        assert outcome.reason.value == "stop"  # the grammar is complete: only the end can follow
        plain = session.generate(
            _prompt(session), sampling, emit=lambda _text: None, cancelled=lambda: False
        )
        assert plain.text == 'calculatorabc123XYZ{"expression": "6*7"}'  # no tools offered
    finally:
        session.close()


def test_a_grammar_llama_cpp_cannot_read_is_refused(on_device: LlamaSession) -> None:
    with pytest.raises(InvalidGrammar):
        _answer(on_device, _prompt(on_device), SamplingParams(max_tokens=8, grammar="root ::= ("))
    assert _answer(on_device, _prompt(on_device), SamplingParams(seed=1, max_tokens=4))
