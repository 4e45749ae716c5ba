from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.messages import ChatMessage, Role
from app.core.sampling import SamplingParams
from app.engine.protocol import (
    EngineError,
    ErrorKind,
    Finished,
    FinishReason,
    Loaded,
    LoadModel,
    TokenCount,
    TokenDelta,
)
from app.qt_bridge.engine_controller import EngineController, EngineState, merge_deltas
from tests.qt.scripted_engine import Script, ScriptedEngineClient

HELLO = (ChatMessage(Role.USER, "Hello there"),)


def load(qtbot: QtBot, engine: EngineController, tmp_path: Path) -> Loaded:
    with qtbot.waitSignal(engine.loaded, timeout=5000) as blocker:
        engine.load_model(LoadModel(model_path=tmp_path / "m-Q4_K_M.gguf", n_ctx=2048))
    loaded = blocker.args[0]
    assert isinstance(loaded, Loaded)
    return loaded


def test_the_engine_starts_only_when_a_model_is_loaded(
    qtbot: QtBot,
    engine: EngineController,
    engine_clients: list[ScriptedEngineClient],
    tmp_path: Path,
) -> None:
    assert engine_clients == []
    assert engine.state is EngineState.NO_MODEL
    loaded = load(qtbot, engine, tmp_path)
    assert len(engine_clients) == 1 and engine_clients[0].starts == 1
    assert engine.state is EngineState.READY
    assert engine.loaded_model == loaded
    assert loaded.n_ctx == 2048


def test_events_reach_slots_on_the_gui_thread(
    qtbot: QtBot, engine: EngineController, tmp_path: Path
) -> None:
    threads: list[QThread] = []
    engine.loaded.connect(lambda _loaded: threads.append(QThread.currentThread()))
    load(qtbot, engine, tmp_path)
    assert threads == [QApplication.instance().thread()]  # type: ignore[union-attr]


def test_generate_streams_deltas_then_finishes(
    qtbot: QtBot, engine: EngineController, script: Script, tmp_path: Path
) -> None:
    load(qtbot, engine, tmp_path)
    deltas: list[str] = []
    states: list[EngineState] = []
    engine.delta.connect(lambda _id, text: deltas.append(text))
    engine.state_changed.connect(states.append)
    with qtbot.waitSignal(engine.finished, timeout=5000) as blocker:
        request_id = engine.generate(HELLO, sampling=SamplingParams(), system_prompt=None)
        assert engine.state is EngineState.GENERATING
    finished = blocker.args[0]
    assert isinstance(finished, Finished)
    assert finished.request_id == request_id
    assert finished.reason is FinishReason.STOP
    assert "".join(deltas) == finished.text == script.answer
    assert states == [EngineState.GENERATING, EngineState.READY]
    assert script.generated[-1].messages == HELLO


def test_cancel_stops_the_answer(
    qtbot: QtBot, engine: EngineController, script: Script, tmp_path: Path
) -> None:
    load(qtbot, engine, tmp_path)
    script.answer = "word " * 500
    script.token_interval_s = 0.01
    with qtbot.waitSignal(engine.finished, timeout=5000) as blocker:
        engine.generate(HELLO, sampling=SamplingParams(), system_prompt=None)
        qtbot.waitSignal(engine.delta, timeout=2000).wait()
        engine.cancel()
    finished = blocker.args[0]
    assert finished.reason is FinishReason.CANCELLED
    assert 0 < len(finished.text) < len(script.answer)
    assert engine.state is EngineState.READY


def test_count_tokens_answers_with_the_context_size(
    qtbot: QtBot, engine: EngineController, tmp_path: Path
) -> None:
    load(qtbot, engine, tmp_path)
    with qtbot.waitSignal(engine.token_count, timeout=5000) as blocker:
        request_id = engine.count_tokens(HELLO, system_prompt="Be brief.")
    count = blocker.args[0]
    assert isinstance(count, TokenCount)
    assert count.request_id == request_id
    assert count.tokens > 0 and count.n_ctx == 2048


def test_a_failed_load_reports_and_leaves_no_model(
    qtbot: QtBot, engine: EngineController, script: Script, tmp_path: Path
) -> None:
    script.load_error = ErrorKind.NOT_GGUF
    with qtbot.waitSignal(engine.error, timeout=5000) as blocker:
        engine.load_model(LoadModel(model_path=tmp_path / "notes.txt"))
    error = blocker.args[0]
    assert isinstance(error, EngineError) and error.kind is ErrorKind.NOT_GGUF
    qtbot.waitUntil(lambda: engine.state is EngineState.NO_MODEL)
    assert engine.loaded_model is None


def test_a_crash_keeps_the_partial_answer_and_restart_loads_again(
    qtbot: QtBot,
    engine: EngineController,
    script: Script,
    engine_clients: list[ScriptedEngineClient],
    tmp_path: Path,
) -> None:
    loaded = load(qtbot, engine, tmp_path)
    script.crash_after_tokens = 3
    finished: list[Finished] = []
    engine.finished.connect(finished.append)
    with qtbot.waitSignal(engine.crashed, timeout=5000) as blocker:
        engine.generate(HELLO, sampling=SamplingParams(), system_prompt=None)
    assert blocker.args[0].kind is ErrorKind.ENGINE_CRASHED
    assert finished and finished[0].reason is FinishReason.ERROR and finished[0].text
    assert engine.state is EngineState.CRASHED
    assert engine.loaded_model is None

    with qtbot.waitSignal(engine.loaded, timeout=5000) as reloaded:
        engine.restart()
    assert reloaded.args[0].model_path == loaded.model_path
    assert engine.state is EngineState.READY
    assert len(engine_clients) == 2


def test_a_command_the_engine_cannot_take_becomes_an_error(
    qtbot: QtBot, script: Script, tmp_path: Path
) -> None:
    class Unstartable(ScriptedEngineClient):
        def start(self) -> None:
            raise OSError("cannot spawn")

    engine = EngineController(lambda on_event: Unstartable(on_event, script))
    with qtbot.waitSignal(engine.error, timeout=2000) as blocker:
        engine.load_model(LoadModel(model_path=tmp_path / "m.gguf"))
    assert "cannot spawn" in blocker.args[0].message
    assert engine.state is EngineState.CRASHED


def test_runs_of_deltas_are_merged_in_order() -> None:
    count = TokenCount(9, 10, 100)
    events = [
        TokenDelta(1, "a"),
        TokenDelta(1, "b"),
        count,
        TokenDelta(1, "c"),
        TokenDelta(2, "x"),
        TokenDelta(2, "y"),
    ]
    assert merge_deltas(events) == [
        TokenDelta(1, "ab"),
        count,
        TokenDelta(1, "c"),
        TokenDelta(2, "xy"),
    ]


def test_emitting_signals_takes_no_reference_from_true(qtbot: QtBot) -> None:
    # PySide6 6.12.0 on Python 3.11 dropped a reference to True per emit (hence the pin).
    engine = EngineController()
    before = sys.getrefcount(True)
    for _ in range(10_000):
        engine.unloaded.emit()
    assert sys.getrefcount(True) >= before
