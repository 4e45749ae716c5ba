"""The engine as a separate process: a crash costs the window nothing, and leaves no zombie."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from app.core.context_fit import FitPolicy
from app.core.messages import ChatMessage, Role
from app.core.sampling import SamplingParams
from app.engine.backend import detect_backend, list_devices
from app.engine.client import describe_exit
from app.engine.protocol import (
    Backend,
    EngineError,
    ErrorKind,
    Finished,
    FinishReason,
    Generate,
    PromptFitted,
    TokenDelta,
    Unload,
    Unloaded,
)
from tests.integration.engine_helpers import HELLO, EngineProbe

pytestmark = pytest.mark.integration


def _gone(pid: int) -> bool:
    """True when no process (not even a zombie) has this id any more."""
    try:
        os.kill(pid, 0)
    except OSError:
        return True
    return False


def _resident_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


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
    assert crash.request_id == 1
    assert "SIGKILL" in crash.message
    assert "sched_reserve" in crash.detail  # the last lines of llama.cpp's own log,
    assert "Using chat" not in crash.detail  # without llama-cpp-python's chatter
    assert not engine.client.alive
    assert _gone(pid)  # reaped: no zombie left behind
    engine.client.start()
    engine.load(tiny_model_path, n_ctx=2048)
    again, _ = engine.answer(2, HELLO)
    assert again.reason is FinishReason.LENGTH


def test_a_crash_between_answers_is_reported_without_a_partial_answer(
    engine: EngineProbe, tiny_model_path: Path
) -> None:
    engine.load(tiny_model_path, n_ctx=2048)
    engine.answer(1, HELLO)
    pid = engine.client.pid
    assert pid is not None
    os.kill(pid, signal.SIGTERM)
    crash = engine.next()
    assert isinstance(crash, EngineError) and crash.kind is ErrorKind.ENGINE_CRASHED
    assert crash.request_id is None and "SIGTERM" in crash.message


def test_a_crash_after_an_answer_that_was_not_sent_blames_no_request(
    engine: EngineProbe, tiny_model_path: Path
) -> None:
    engine.load(tiny_model_path, n_ctx=2048)
    turn = (ChatMessage(Role.USER, "wind " * 400), ChatMessage(Role.ASSISTANT, "calm " * 400))
    messages = (*turn, *turn, ChatMessage(Role.USER, "And now?"))
    policy = FitPolicy(answer_budget=256, turns=((0, 1), (2, 3)), leave_out=True)  # not agreed
    engine.client.send(Generate(5, messages, SamplingParams(max_tokens=4), fit=policy))
    fitted = engine.next()
    assert isinstance(fitted, PromptFitted) and not fitted.sent
    pid = engine.client.pid
    assert pid is not None
    os.kill(pid, signal.SIGTERM)
    crash = engine.next()  # no Finished(ERROR) for the request that was never answered
    assert isinstance(crash, EngineError) and crash.kind is ErrorKind.ENGINE_CRASHED
    assert crash.request_id is None


def test_exit_causes_are_named() -> None:
    assert "SIGABRT" in describe_exit(-signal.SIGABRT) and "aborted" in describe_exit(-6)
    assert "memory" in describe_exit(-signal.SIGKILL)
    assert describe_exit(3) == "it exited with code 3"
    assert describe_exit(None) == "it stopped responding"


def test_unload_gives_the_memory_back(engine: EngineProbe, tiny_model_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("reads /proc")
    pid = engine.client.pid
    assert pid is not None
    engine.load(tiny_model_path, n_ctx=8192)
    engine.answer(1, HELLO)
    with_model = _resident_bytes(pid)
    engine.client.send(Unload())
    assert isinstance(engine.next(), Unloaded)
    # The weights (mapped and read) and the touched KV cache leave the process.
    assert with_model - _resident_bytes(pid) > tiny_model_path.stat().st_size // 2


def test_kill_ends_the_engine_at_once_and_a_new_one_starts(
    engine: EngineProbe, tiny_model_path: Path
) -> None:
    engine.load(tiny_model_path, n_ctx=2048)
    pid = engine.client.pid
    assert pid is not None
    engine.client.kill()
    assert _gone(pid) and not engine.client.alive
    assert engine.events.empty()  # a deliberate kill is not reported as a crash
    engine.client.start()
    assert engine.client.pid != pid
    engine.load(tiny_model_path, n_ctx=2048)


def test_stop_leaves_no_process_behind(tiny_model_path: Path) -> None:
    probe = EngineProbe()
    probe.client.start()
    probe.load(tiny_model_path, n_ctx=2048)
    pid = probe.client.pid
    assert pid is not None
    started = time.perf_counter()
    probe.client.stop()
    assert time.perf_counter() - started < 10
    assert _gone(pid)


def test_the_cpu_backend_is_said_plainly() -> None:
    assert any(device.registry == "CPU" for device in list_devices())
    if not any(device.is_gpu for device in list_devices()):
        assert detect_backend() is Backend.CPU
