"""Reading a prompt ahead while it is written (`Prefill`), through the real engine process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import llama_cpp
import pytest

from app.core.messages import ChatMessage, Role
from app.core.sampling import SamplingParams
from app.engine.kv_sequence import KvItem
from app.engine.protocol import (
    EngineError,
    ErrorKind,
    Finished,
    FinishReason,
    Generate,
    Prefill,
    Prefilled,
)
from app.engine.session import LlamaSession
from app.engine.template import ChatTemplate
from tests.integration.engine_helpers import EngineProbe
from tests.integration.test_engine_vision import ask, picture

pytestmark = pytest.mark.integration

HISTORY = (
    ChatMessage(Role.USER, "What is the capital of France?"),
    ChatMessage(Role.ASSISTANT, "Paris."),
)


def read_ahead(
    engine: EngineProbe, request_id: int, messages: tuple[ChatMessage, ...]
) -> Prefilled:
    engine.client.send(Prefill(request_id, messages))
    event = engine.next_of(Prefilled)
    assert isinstance(event, Prefilled) and event.request_id == request_id
    return event


def test_a_message_read_ahead_leaves_one_position_to_evaluate_when_sent(
    engine: EngineProbe, tiny_model_path: Path
) -> None:
    engine.load(tiny_model_path, n_ctx=2048)
    draft = (*HISTORY, ChatMessage(Role.USER, "And the capital of Italy, and why?"))

    done = read_ahead(engine, 1, draft)

    assert done.complete and done.evaluated == done.positions > 0
    finished, _ = engine.answer(2, draft)
    assert finished.usage.prompt_tokens == done.positions
    assert finished.usage.cached_tokens == done.positions - 1  # the last gives the logits


def test_a_draft_that_changed_reuses_what_it_shares(
    engine: EngineProbe, tiny_model_path: Path
) -> None:
    engine.load(tiny_model_path, n_ctx=2048)
    read_ahead(engine, 1, (*HISTORY, ChatMessage(Role.USER, "And the capital of")))

    finished, _ = engine.answer(2, (*HISTORY, ChatMessage(Role.USER, "And the capital of Spain?")))

    evaluated = finished.usage.prompt_tokens - finished.usage.cached_tokens
    assert 0 < evaluated < 12


def test_images_of_a_draft_are_encoded_ahead_and_not_when_it_is_sent(
    engine: EngineProbe, tiny_model_path: Path, tiny_projector_path: Path, tmp_path: Path
) -> None:
    engine.load(tiny_model_path, mmproj_path=tiny_projector_path, n_ctx=4096)
    draft = (*HISTORY, ask(picture(tmp_path, "scan.png", (600, 400)), "What does it say?"))

    done = read_ahead(engine, 1, draft)

    assert done.complete and done.images_encoded == 1
    finished, _ = engine.answer(2, draft)
    assert finished.usage.images_encoded == 0
    assert finished.usage.cached_tokens == finished.usage.prompt_tokens - 1


def test_a_command_arriving_stops_the_reading_where_it_is(
    engine: EngineProbe, tiny_model_path: Path
) -> None:
    engine.load(tiny_model_path, n_ctx=16384)
    long_draft = (ChatMessage(Role.USER, " ".join(f"word{index}" for index in range(4000))),)
    question = (ChatMessage(Role.USER, "Short question?"),)

    engine.client.send(Prefill(1, long_draft))
    engine.client.send(Generate(2, question, SamplingParams(max_tokens=4)))

    stopped = engine.next_of(Prefilled)
    assert isinstance(stopped, Prefilled)
    assert not stopped.complete and stopped.evaluated < stopped.positions
    finished = engine.next_of(Finished)
    assert isinstance(finished, Finished) and finished.request_id == 2
    assert finished.reason in (FinishReason.STOP, FinishReason.LENGTH)


def test_a_prompt_longer_than_the_context_is_not_read(
    engine: EngineProbe, tiny_model_path: Path
) -> None:
    engine.load(tiny_model_path, n_ctx=512)
    done = read_ahead(engine, 1, (ChatMessage(Role.USER, "word " * 2000),))
    assert not done.complete and done.evaluated == 0


def test_a_draft_with_an_unreadable_image_is_no_error_until_it_is_sent(
    engine: EngineProbe, tiny_model_path: Path, tiny_projector_path: Path, tmp_path: Path
) -> None:
    engine.load(tiny_model_path, mmproj_path=tiny_projector_path, n_ctx=4096)
    broken = picture(tmp_path, "broken.png", (300, 200))
    broken.path.write_bytes(b"not a picture")

    done = read_ahead(engine, 1, (ask(broken),))

    assert not done.complete
    engine.client.send(Generate(2, (ask(broken),)))
    error = engine.next()
    assert isinstance(error, EngineError) and error.kind is ErrorKind.BAD_IMAGE


@pytest.fixture(params=[False, True], ids=["cpu-sampling", "sampling-in-graph"])
def session(request: pytest.FixtureRequest, tiny_model_path: Path) -> Iterator[LlamaSession]:
    llm = llama_cpp.Llama(str(tiny_model_path), n_ctx=4096, n_batch=512, verbose=False)
    opened = LlamaSession(llm, ChatTemplate.builtin(), sample_on_device=request.param)
    yield opened
    opened.close()


def prompt_of(session: LlamaSession, text: str) -> list[KvItem]:
    return session.prompt_items(session.template.render_parts([ChatMessage(Role.USER, text)]))


GREEDY = SamplingParams(temperature=0, max_tokens=12, repetition_guard=False)


def test_stopped_reading_keeps_its_prefix_and_sending_evaluates_only_the_rest(
    session: LlamaSession,
) -> None:
    prompt = prompt_of(session, " ".join(f"word{index}" for index in range(600)))
    checks = iter([False, False, True])

    done = session.read_ahead(prompt, stop=lambda: next(checks))

    assert not done.complete and 0 < done.evaluated < done.positions
    outcome = session.generate(prompt, GREEDY, emit=lambda _text: None, cancelled=lambda: False)
    assert outcome.usage.cached_tokens == done.evaluated


def test_an_answer_after_reading_ahead_is_the_answer_without_it(
    session: LlamaSession, tiny_model_path: Path
) -> None:
    earlier = prompt_of(session, "Say something.")
    prompt = prompt_of(session, "Tell me about the sea and its waves, please.")
    session.generate(earlier, GREEDY, emit=lambda _text: None, cancelled=lambda: False)

    assert session.read_ahead(prompt, stop=lambda: False).complete
    read_first = session.generate(prompt, GREEDY, emit=lambda _text: None, cancelled=lambda: False)

    llm = llama_cpp.Llama(str(tiny_model_path), n_ctx=4096, n_batch=512, verbose=False)
    fresh = LlamaSession(llm, ChatTemplate.builtin())
    try:
        plain = fresh.generate(prompt, GREEDY, emit=lambda _text: None, cancelled=lambda: False)
    finally:
        fresh.close()
    assert read_first.text == plain.text and read_first.usage.completion_tokens > 0
