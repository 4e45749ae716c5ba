"""Loading and answering through the engine process, on tiny generated models."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.context_fit import FitPolicy
from app.core.kv_cache import KvCacheType
from app.core.messages import ChatMessage, Role
from app.core.sampling import SamplingParams
from app.engine.protocol import (
    Backend,
    CountTokens,
    EngineError,
    ErrorKind,
    Finished,
    FinishReason,
    Generate,
    PromptFitted,
    QueryStatus,
    StatusReport,
    TokenCount,
    TokenDelta,
    Unload,
    Unloaded,
)
from app.engine.sampler import sampler_stages
from tests.integration.engine_helpers import HELLO, EngineProbe

pytestmark = pytest.mark.integration


def test_load_reports_the_model_backend_and_memory(
    engine: EngineProbe, tiny_model_path: Path
) -> None:
    loaded = engine.load(tiny_model_path, n_ctx=2048, kv_cache_type=KvCacheType.Q8_0)
    assert loaded.backend is Backend.CPU
    assert loaded.n_gpu_layers == 0
    assert loaded.n_ctx == 2048
    assert loaded.n_ctx_train == 131072
    assert loaded.n_layers == 2
    # Weights, KV cache and compute buffers as llama.cpp logged them: more than the file.
    assert loaded.memory_bytes > tiny_model_path.stat().st_size
    assert loaded.template_source == "model"


def test_streams_an_answer_whose_deltas_add_up(engine: EngineProbe, tiny_model_path: Path) -> None:
    engine.load(tiny_model_path, n_ctx=2048)
    finished, deltas = engine.answer(1, HELLO)
    assert finished.reason is FinishReason.LENGTH
    assert "".join(deltas) == finished.text and finished.text
    usage = finished.usage
    assert usage.completion_tokens == 16
    assert usage.prompt_tokens > 500  # the model's own dated system prompt is included
    assert usage.cached_tokens == 0
    assert 0 < usage.time_to_first_token_s < 30
    assert usage.prompt_tokens_per_s > 0 and usage.generation_tokens_per_s > 0


def test_same_seed_same_answer(engine: EngineProbe, tiny_model_path: Path) -> None:
    engine.load(tiny_model_path, n_ctx=2048)
    first, _ = engine.answer(1, HELLO, temperature=0.8)
    second, _ = engine.answer(2, HELLO, temperature=0.8)
    other, _ = engine.answer(3, HELLO, temperature=0.8, seed=8)
    assert first.text == second.text
    assert other.text != first.text


def test_temperature_zero_is_greedy_whatever_the_seed(
    engine: EngineProbe, tiny_model_path: Path
) -> None:
    engine.load(tiny_model_path, n_ctx=2048)
    first, _ = engine.answer(1, HELLO, temperature=0.0, seed=1)
    second, _ = engine.answer(2, HELLO, temperature=0.0, seed=2)
    assert first.text == second.text


def test_samplers_that_do_nothing_are_left_out() -> None:
    assert sampler_stages(SamplingParams()) == ["temp", "dist"]
    assert sampler_stages(SamplingParams(temperature=0)) == ["greedy"]
    assert sampler_stages(
        SamplingParams(temperature=0.7, top_p=0.9, top_k=40, min_p=0.05, repeat_penalty=1.1)
    ) == ["penalties", "top_k", "top_p", "min_p", "temp", "dist"]
    assert sampler_stages(SamplingParams(temperature=0, repeat_penalty=1.1)) == [
        "penalties",
        "greedy",
    ]


def test_follow_up_evaluates_only_new_tokens(engine: EngineProbe, tiny_model_path: Path) -> None:
    engine.load(tiny_model_path, n_ctx=4096)
    first, _ = engine.answer(1, HELLO)
    follow_up = (*HELLO, ChatMessage(Role.ASSISTANT, first.text), ChatMessage(Role.USER, "Good."))
    second, _ = engine.answer(2, follow_up)
    new_tokens = second.usage.prompt_tokens - second.usage.cached_tokens
    assert second.usage.cached_tokens >= first.usage.prompt_tokens
    # At most the answer (a random model's text may read back as other tokens than it was
    # written with) and the new turn; the history before it (the system prompt) is reused.
    assert new_tokens <= first.usage.completion_tokens + 8 < first.usage.prompt_tokens


def test_the_same_prompt_again_evaluates_only_its_last_token(
    engine: EngineProbe, tiny_model_path: Path
) -> None:
    engine.load(tiny_model_path, n_ctx=4096)
    first, _ = engine.answer(1, HELLO, temperature=0)
    again, _ = engine.answer(2, HELLO, temperature=0)
    assert again.usage.cached_tokens == first.usage.prompt_tokens - 1
    # The cache changed nothing. Greedy: with several threads, the last prompt token decoded
    # alone gives logits a rounding apart from decoding it in the batch, enough to move a draw.
    assert again.text == first.text


def test_editing_an_earlier_message_reevaluates_from_there(
    engine: EngineProbe, tiny_model_path: Path
) -> None:
    engine.load(tiny_model_path, n_ctx=4096)
    history = (
        ChatMessage(Role.USER, "First question about rivers."),
        ChatMessage(Role.ASSISTANT, "An answer about rivers and their long journeys."),
        ChatMessage(Role.USER, "Second question about mountains."),
    )
    full, _ = engine.answer(1, history)
    edited = (ChatMessage(Role.USER, "First question about oceans."), *history[1:])
    again, _ = engine.answer(2, edited)
    reevaluated = again.usage.prompt_tokens - again.usage.cached_tokens
    # Everything from the edited first message on: its tail, the answer, the second question.
    assert 20 < reevaluated < full.usage.prompt_tokens - 500


def test_cancel_stops_at_the_next_token(engine: EngineProbe, tiny_model_path: Path) -> None:
    engine.load(tiny_model_path, n_ctx=8192)
    engine.client.send(Generate(1, HELLO, SamplingParams(max_tokens=4000, repetition_guard=False)))
    engine.next_of(TokenDelta)
    engine.client.cancel()
    finished = engine.next_of(Finished)
    assert isinstance(finished, Finished)
    assert finished.reason is FinishReason.CANCELLED
    assert finished.usage.completion_tokens < 4000
    # A cancel concerns that answer only: the next one runs to its end.
    after, _ = engine.answer(2, HELLO)
    assert after.reason is FinishReason.LENGTH


def test_prompt_that_does_not_fit_is_refused_with_the_overflow(
    engine: EngineProbe, tiny_model_path: Path
) -> None:
    engine.load(tiny_model_path, n_ctx=1024)
    engine.client.send(CountTokens(1, HELLO))
    count = engine.next()
    assert isinstance(count, TokenCount)
    engine.client.send(Generate(2, HELLO, SamplingParams(max_tokens=600)))
    error = engine.next()
    assert isinstance(error, EngineError)
    assert error.kind is ErrorKind.PROMPT_TOO_LONG and error.request_id == 2
    over = count.tokens + 600 - 1024
    assert f"{over:,} more than the context of 1,024 tokens" in error.message


def test_count_tokens_status_and_unload(engine: EngineProbe, tiny_model_path: Path) -> None:
    engine.client.send(CountTokens(1, HELLO))
    error = engine.next()
    assert isinstance(error, EngineError) and error.kind is ErrorKind.NO_MODEL
    engine.load(tiny_model_path, n_ctx=2048)
    engine.client.send(CountTokens(2, HELLO, system_prompt="Be brief."))
    count = engine.next()
    assert isinstance(count, TokenCount) and 10 < count.tokens < 40 and count.n_ctx == 2048
    engine.client.send(QueryStatus())
    status = engine.next()
    assert isinstance(status, StatusReport) and status.loaded is not None
    engine.client.send(Unload())
    assert isinstance(engine.next(), Unloaded)
    engine.client.send(QueryStatus())
    status = engine.next()
    assert isinstance(status, StatusReport) and status.loaded is None
    engine.client.send(Generate(3, HELLO))
    error = engine.next()
    assert isinstance(error, EngineError) and error.kind is ErrorKind.NO_MODEL


def test_the_repetition_guard_stops_a_loop(engine: EngineProbe, looping_model_path: Path) -> None:
    engine.load(looping_model_path, n_ctx=8192)
    finished, deltas = engine.answer(1, HELLO, temperature=0.0, max_tokens=3000)
    assert finished.reason is FinishReason.REPETITION
    assert finished.usage.completion_tokens < 400
    assert finished.text == "".join(deltas) and finished.text.strip()
    unguarded, _ = engine.answer(2, HELLO, temperature=0.0, max_tokens=600, repetition_guard=False)
    assert unguarded.reason is FinishReason.LENGTH


def test_model_without_template_offers_the_builtin_one(
    engine: EngineProbe, tiny_model_without_template: Path
) -> None:
    error = engine.load_error(tiny_model_without_template, n_ctx=2048)
    assert error.kind is ErrorKind.TEMPLATE and "built-in" in error.message
    loaded = engine.load(tiny_model_without_template, n_ctx=2048, use_builtin_template=True)
    assert loaded.template_source == "builtin"
    finished, _ = engine.answer(1, HELLO)
    assert finished.usage.prompt_tokens > 500


def long_conversation(turns: int) -> tuple[ChatMessage, ...]:
    """`turns` long question-and-answer pairs, then a short question."""
    pairs = [
        (
            ChatMessage(Role.USER, f"Question {i}: " + "wind " * 200),
            ChatMessage(Role.ASSISTANT, "calm " * 200),
        )
        for i in range(turns)
    ]
    return (*(m for pair in pairs for m in pair), ChatMessage(Role.USER, "And now?"))


def test_a_fitted_answer_leaves_out_the_oldest_turns_and_says_so_first(
    engine: EngineProbe, tiny_model_path: Path
) -> None:
    engine.load(tiny_model_path, n_ctx=2048)
    messages = long_conversation(4)
    policy = FitPolicy(
        answer_budget=256, turns=((0, 1), (2, 3), (4, 5)), leave_out=True, agreed=True
    )
    engine.client.send(Generate(3, messages, SamplingParams(max_tokens=4, seed=7), fit=policy))
    fitted = engine.next()
    assert isinstance(fitted, PromptFitted) and fitted.sent and fitted.n_ctx == 2048
    fit = fitted.fit
    assert fit.full_tokens > 2048 - 256 >= fit.tokens and fit.left_out_turns >= 1
    finished = engine.next_of(Finished)
    assert isinstance(finished, Finished) and finished.request_id == 3
    assert finished.usage.prompt_tokens == fit.tokens  # the prompt counted is the one answered


def test_a_fitted_answer_the_user_must_agree_to_is_only_reported(
    engine: EngineProbe, tiny_model_path: Path
) -> None:
    engine.load(tiny_model_path, n_ctx=2048)
    policy = FitPolicy(answer_budget=256, turns=((0, 1), (2, 3), (4, 5)), leave_out=True)
    engine.client.send(Generate(4, long_conversation(4), SamplingParams(max_tokens=4), fit=policy))
    fitted = engine.next()
    assert isinstance(fitted, PromptFitted) and not fitted.sent
    assert fitted.fit.fits and fitted.fit.left_out_turns >= 1
    engine.client.send(QueryStatus())
    assert isinstance(engine.next(), StatusReport)  # no answer came in between
