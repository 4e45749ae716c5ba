"""A model file whose loading killed the engine (llama.cpp aborts on some damaged files) is not
loaded again silently: Restart engine asks first, and so does any later load of that file. A
load that hangs leaves Restart engine usable."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.engine.protocol import LoadModel
from app.qt_bridge.engine_controller import EngineController, EngineState
from app.ui.main_window import MainWindow
from tests.qt.scripted_engine import Script, ScriptedEngineClient, fake_model_file
from tests.qt.stall import MAX_STALL_S, measured_stalls


def test_a_file_that_killed_the_engine_is_loaded_again_only_when_confirmed(
    qtbot: QtBot,
    engine: EngineController,
    engine_clients: list[ScriptedEngineClient],
    script: Script,
    tmp_path: Path,
) -> None:
    command = LoadModel(model_path=tmp_path / "damaged-Q4_K_M.gguf", n_ctx=2048)
    script.crash_on_load = True
    with qtbot.waitSignal(engine.crashed, timeout=5000):
        engine.load_model(command)
    assert engine.state is EngineState.CRASHED
    assert "aborted" in (engine.crashed_while_loading(command.model_path) or "")

    asked: list[tuple[LoadModel, str]] = []
    engine.confirm_load.connect(lambda held, why: asked.append((held, why)))
    starts = sum(client.starts for client in engine_clients)
    engine.restart()
    assert asked and asked[0][0] == command
    assert asked[0][1].startswith("Loading damaged-Q4_K_M.gguf stopped the engine last time")
    assert engine.state is EngineState.NO_MODEL  # not loading: nothing was sent
    assert sum(client.starts for client in engine_clients) == starts

    engine.load_model(command)  # from elsewhere (the Models window): asked again
    assert len(asked) == 2

    script.crash_on_load = False
    with qtbot.waitSignal(engine.loaded, timeout=5000):
        engine.load_model(command, confirmed=True)
    assert engine.crashed_while_loading(command.model_path) is None


def test_the_window_asks_before_loading_it_again(
    qtbot: QtBot, window: MainWindow, script: Script, tmp_path: Path
) -> None:
    engine = window.chat._engine
    script.crash_on_load = True
    with qtbot.waitSignal(engine.crashed, timeout=5000):
        window.loader.load(fake_model_file(tmp_path))
    assert window.commands.restart_engine.isEnabled()

    window.commands.restart_engine.trigger()
    assert "stopped the engine last time" in window.notice.text
    assert window.notice.action_button.text() == "Load it anyway"
    assert engine.state is EngineState.NO_MODEL

    script.crash_on_load = False
    with qtbot.waitSignal(engine.loaded, timeout=5000):
        window.notice.action_button.click()


def test_a_load_that_hangs_can_be_restarted_and_the_window_keeps_answering(
    qtbot: QtBot, window: MainWindow, script: Script, tmp_path: Path
) -> None:
    engine = window.chat._engine
    script.hang_on_load = True
    with measured_stalls() as stalls:
        window.loader.load(fake_model_file(tmp_path))
        qtbot.waitUntil(lambda: engine.state is EngineState.LOADING)
        qtbot.wait(200)
        assert window.commands.restart_engine.isEnabled()
        script.hang_on_load = False
        with qtbot.waitSignal(engine.loaded, timeout=5000):
            window.commands.restart_engine.trigger()
    assert engine.state is EngineState.READY
    assert stalls.longest_s < MAX_STALL_S, f"the window stalled {stalls.longest_s:.3f} s"
