"""The engine process through real llama.cpp on tiny generated models."""

from __future__ import annotations

import os
import signal
import struct
import time
from pathlib import Path

import pytest

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
    KvCacheType,
    LoadModel,
    QueryStatus,
    StatusReport,
    TokenCount,
    TokenDelta,
    Unload,
    Unloaded,
)
from tests.integration.engine_helpers import EngineProbe

pytestmark = pytest.mark.integration

HELLO = (ChatMessage(Role.USER, "Hello there, how are you?"),)


def answer(
    engine: EngineProbe, request_id: int, messages: tuple[ChatMessage, ...], **sampling: object
) -> tuple[Finished, list[str]]:
    params = SamplingParams(**{"max_tokens": 16, "seed": 7, **sampling})  # type: ignore[arg-type]
    engine.client.send(Generate(request_id, messages, params))
    deltas: list[str] = []
    while True:
        event = engine.next()
        if isinstance(event, TokenDelta):
            assert event.request_id == request_id
            deltas.append(event.text)
        elif isinstance(event, Finished):
            return event, deltas
        else:
            raise AssertionError(f"unexpected {event}")


def test_load_reports_the_model_and_cpu_backend(engine: EngineProbe, tiny_model_path: Path) -> None:
    loaded = engine.load(tiny_model_path, n_ctx=2048, kv_cache_type=KvCacheType.Q8_0)
    assert loaded.backend is Backend.CPU
    assert loaded.n_gpu_layers == 0
    assert loaded.n_ctx == 2048
    assert loaded.n_ctx_train == 131072
    assert loaded.n_layers == 2
    assert loaded.memory_bytes > tiny_model_path.stat().st_size // 2
    assert loaded.template_source == "model"


def test_streams_an_answer_whose_deltas_add_up(engine: EngineProbe, tiny_model_path: Path) -> None:
    engine.load(tiny_model_path, n_ctx=2048)
    finished, deltas = answer(engine, 1, HELLO)
    assert finished.reason in (FinishReason.LENGTH, FinishReason.STOP)
    assert "".join(deltas) == finished.text
    usage = finished.usage
    assert usage.completion_tokens == 16 or finished.reason is FinishReason.STOP
    assert usage.prompt_tokens > 500  # the model's own dated system prompt is included
    assert usage.cached_tokens == 0
    assert usage.time_to_first_token_s > 0
    assert usage.generation_tokens_per_s > 0


def test_same_seed_same_answer(engine: EngineProbe, tiny_model_path: Path) -> None:
    engine.load(tiny_model_path, n_ctx=2048)
    first, _ = answer(engine, 1, HELLO, temperature=0.8)
    second, _ = answer(engine, 2, HELLO, temperature=0.8)
    other, _ = answer(engine, 3, HELLO, temperature=0.8, seed=8)
    assert first.text == second.text
    assert other.text != first.text


def test_follow_up_evaluates_only_new_tokens(engine: EngineProbe, tiny_model_path: Path) -> None:
    engine.load(tiny_model_path, n_ctx=4096)
    first, _ = answer(engine, 1, HELLO)
    follow_up = (*HELLO, ChatMessage(Role.ASSISTANT, "Fine."), ChatMessage(Role.USER, "Good."))
    second, _ = answer(engine, 2, follow_up)
    new_tokens = second.usage.prompt_tokens - second.usage.cached_tokens
    assert second.usage.cached_tokens >= first.usage.prompt_tokens
    assert new_tokens < 20


def test_editing_an_earlier_message_reevaluates_from_there(
    engine: EngineProbe, tiny_model_path: Path
) -> None:
    engine.load(tiny_model_path, n_ctx=4096)
    history = (
        ChatMessage(Role.USER, "First question about rivers."),
        ChatMessage(Role.ASSISTANT, "An answer about rivers and their long journeys."),
        ChatMessage(Role.USER, "Second question about mountains."),
    )
    full, _ = answer(engine, 1, history)
    edited = (ChatMessage(Role.USER, "First question about oceans."), *history[1:])
    again, _ = answer(engine, 2, edited)
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


def test_prompt_that_does_not_fit_is_refused_with_the_overflow(
    engine: EngineProbe, tiny_model_path: Path
) -> None:
    engine.load(tiny_model_path, n_ctx=1024)
    engine.client.send(Generate(1, HELLO, SamplingParams(max_tokens=600)))
    error = engine.next()
    assert isinstance(error, EngineError)
    assert error.kind is ErrorKind.PROMPT_TOO_LONG
    assert "more than the context of 1,024 tokens" in error.message


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


def test_the_repetition_guard_stops_a_loop(engine: EngineProbe, looping_model_path: Path) -> None:
    engine.load(looping_model_path, n_ctx=8192)
    finished, deltas = answer(engine, 1, HELLO, temperature=0.0, max_tokens=3000)
    assert finished.reason is FinishReason.REPETITION
    assert finished.usage.completion_tokens < 400
    assert finished.text == "".join(deltas) and finished.text.strip()
    unguarded, _ = answer(engine, 2, HELLO, temperature=0.0, max_tokens=600, repetition_guard=False)
    assert unguarded.reason is FinishReason.LENGTH


def test_a_killed_engine_delivers_the_partial_answer_and_restarts(
    engine: EngineProbe, tiny_model_path: Path
) -> None:
    engine.load(tiny_model_path, n_ctx=8192)
    engine.client.send(Generate(1, HELLO, SamplingParams(max_tokens=5000, repetition_guard=False)))
    streamed = [engine.next_of(TokenDelta) for _ in range(3)]
    pid = engine.client.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    finished = engine.next_of(Finished)
    assert isinstance(finished, Finished) and finished.reason is FinishReason.ERROR
    assert finished.text.startswith("".join(d.text for d in streamed if isinstance(d, TokenDelta)))
    crash = engine.next_of(EngineError)
    assert isinstance(crash, EngineError) and crash.kind is ErrorKind.ENGINE_CRASHED
    assert "SIGKILL" in crash.message
    assert not engine.client.alive
    with pytest.raises(OSError):
        os.kill(pid, 0)  # reaped: no zombie left behind
    engine.client.start()
    engine.load(tiny_model_path, n_ctx=2048)
    again, _ = answer(engine, 2, HELLO)
    assert again.reason in (FinishReason.LENGTH, FinishReason.STOP)


def _bad_load(engine: EngineProbe, request: LoadModel) -> EngineError:
    engine.client.send(request)
    event = engine.next()
    assert isinstance(event, EngineError), event
    assert engine.client.alive
    return event


def test_missing_file(engine: EngineProbe, tmp_path: Path) -> None:
    error = _bad_load(engine, LoadModel(tmp_path / "nope.gguf"))
    assert error.kind is ErrorKind.FILE_NOT_FOUND


def test_not_a_gguf_file(engine: EngineProbe, tmp_path: Path) -> None:
    path = tmp_path / "photo.gguf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    assert _bad_load(engine, LoadModel(path)).kind is ErrorKind.NOT_GGUF


def test_truncated_gguf(engine: EngineProbe, tiny_model_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "half.gguf"
    data = tiny_model_path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    error = _bad_load(engine, LoadModel(path))
    assert error.kind is ErrorKind.TRUNCATED
    assert "not downloaded completely" in error.message


def _gguf_with_architecture(path: Path, architecture: str) -> Path:
    key, value = b"general.architecture", architecture.encode()
    header = b"GGUF" + struct.pack("<IQQ", 3, 0, 1)
    header += struct.pack("<Q", len(key)) + key + struct.pack("<IQ", 8, len(value)) + value
    path.write_bytes(header)
    return path


def test_unsupported_architecture(engine: EngineProbe, tmp_path: Path) -> None:
    path = _gguf_with_architecture(tmp_path / "whisper.gguf", "whisper")
    error = _bad_load(engine, LoadModel(path))
    assert error.kind is ErrorKind.UNSUPPORTED_ARCHITECTURE
    assert "'whisper'" in error.message


def test_context_over_the_trained_length(engine: EngineProbe, tiny_model_path: Path) -> None:
    error = _bad_load(engine, LoadModel(tiny_model_path, n_ctx=262144))
    assert error.kind is ErrorKind.CONTEXT_TOO_LARGE


def test_corrupt_mmproj(engine: EngineProbe, tiny_model_path: Path, tmp_path: Path) -> None:
    junk = tmp_path / "mmproj.gguf"
    junk.write_bytes(b"not a projector")
    assert (
        _bad_load(engine, LoadModel(tiny_model_path, mmproj_path=junk)).kind is ErrorKind.BAD_MMPROJ
    )
    wrong = _bad_load(engine, LoadModel(tiny_model_path, mmproj_path=tiny_model_path))
    assert wrong.kind is ErrorKind.BAD_MMPROJ and "not a vision projector" in wrong.message


def test_model_without_template_offers_the_builtin_one(
    engine: EngineProbe, tiny_model_without_template: Path
) -> None:
    error = _bad_load(engine, LoadModel(tiny_model_without_template, n_ctx=2048))
    assert error.kind is ErrorKind.TEMPLATE and "built-in" in error.message
    loaded = engine.load(tiny_model_without_template, n_ctx=2048, use_builtin_template=True)
    assert loaded.template_source == "builtin"
    finished, _ = answer(engine, 1, HELLO)
    assert finished.usage.prompt_tokens > 500


def test_stop_leaves_no_process_behind(tiny_model_path: Path) -> None:
    probe = EngineProbe()
    probe.client.start()
    probe.load(tiny_model_path, n_ctx=2048)
    pid = probe.client.pid
    assert pid is not None
    started = time.perf_counter()
    probe.client.stop()
    assert time.perf_counter() - started < 10
    with pytest.raises(OSError):
        os.kill(pid, 0)
