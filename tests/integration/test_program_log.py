"""The engine process's records reach the program's log; what the user writes never does."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.app_log import LogLevel, ProgramLog
from app.core.messages import ChatMessage, Role
from app.engine.protocol import EngineError, ErrorKind
from tests.integration.engine_helpers import EngineProbe

pytestmark = pytest.mark.integration


@pytest.fixture
def program_log(tmp_path: Path) -> Iterator[ProgramLog]:
    started = ProgramLog(tmp_path / "logs", LogLevel.INFO)
    yield started
    started.close()


def test_loading_and_answering_are_logged_without_the_words(
    program_log: ProgramLog, tiny_model_path: Path
) -> None:
    probe = EngineProbe()  # started after the log, so it forwards at the log's level
    probe.client.start()
    try:
        probe.load(tiny_model_path, n_ctx=2048)
        secret = "my bank password is hunter2"
        finished, _ = probe.answer(1, (ChatMessage(Role.USER, secret),))
    finally:
        probe.client.stop()
    text = program_log.path.read_text(encoding="utf-8")
    assert f"loading {tiny_model_path.name}: context 2048" in text
    assert "loaded on CPU" in text
    assert "answer 1: " in text
    assert "tramontane-engine" in text  # the record names the process it came from
    assert secret not in text
    assert len(finished.text) < 8 or finished.text not in text


def test_an_engine_crash_leaves_its_cause_in_the_log(
    program_log: ProgramLog, tiny_model_path: Path
) -> None:
    probe = EngineProbe()
    probe.client.start()
    probe.load(tiny_model_path, n_ctx=2048)
    pid = probe.client.pid
    assert pid is not None
    os.kill(pid, signal.SIGABRT)
    error = probe.next_of(EngineError, timeout=30)
    assert isinstance(error, EngineError) and error.kind is ErrorKind.ENGINE_CRASHED
    probe.client.stop()
    text = program_log.path.read_text(encoding="utf-8")
    assert "engine process stopped: llama.cpp aborted (SIGABRT)" in text
