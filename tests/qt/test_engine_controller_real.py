"""The window's engine path against real llama.cpp, on the tiny generated model."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.conversation import MessageState
from app.core.messages import ChatMessage, Role
from app.core.sampling import SamplingParams
from app.engine.client import EngineClient
from app.engine.protocol import Command, EngineError, Event, FinishReason, LoadModel, Prefill
from app.main import build_window
from app.qt_bridge.engine_controller import EngineController, EngineState
from app.qt_bridge.settings_controller import SettingsController
from app.settings import ModelSettings, Settings
from app.ui.composer import ComposerMode
from app.ui.main_window import MainWindow
from tests.qt.drive import send, view_of, wait_idle
from tests.qt.observed_store import ObservedStore
from tests.qt.recording_view import RecordingChatView

pytestmark = pytest.mark.integration

LOAD_TIMEOUT_MS = 60_000
ANSWER_TIMEOUT_MS = 60_000


@pytest.fixture
def real_engine(qtbot: QtBot) -> Iterator[EngineController]:
    controller = EngineController()  # the real engine process
    yield controller
    controller.shutdown(timeout=10.0)


def wait_loaded(qtbot: QtBot, engine: EngineController) -> None:
    """Wait for the load to end either way; fail with the engine's own words if it failed."""
    errors: list[EngineError] = []
    engine.error.connect(errors.append)
    qtbot.waitUntil(lambda: engine.state is not EngineState.LOADING, timeout=LOAD_TIMEOUT_MS)
    assert engine.state is EngineState.READY, errors


def load_tiny(qtbot: QtBot, engine: EngineController, model: Path) -> None:
    engine.load_model(LoadModel(model_path=model, n_ctx=2048, n_gpu_layers=0))
    wait_loaded(qtbot, engine)


def test_load_count_generate_and_stop_through_the_controller(
    qtbot: QtBot, real_engine: EngineController, tiny_model_path: Path
) -> None:
    load_tiny(qtbot, real_engine, tiny_model_path)
    messages = (ChatMessage(Role.USER, "Hello"),)
    with qtbot.waitSignal(real_engine.token_count, timeout=ANSWER_TIMEOUT_MS) as counted:
        real_engine.count_tokens(messages, system_prompt="Be brief.")
    assert 0 < counted.args[0].tokens < 2048

    deltas: list[str] = []
    real_engine.delta.connect(lambda _id, text: deltas.append(text))
    with qtbot.waitSignal(real_engine.finished, timeout=ANSWER_TIMEOUT_MS) as blocker:
        real_engine.generate(
            messages, sampling=SamplingParams(max_tokens=16, seed=1), system_prompt=None
        )
    finished = blocker.args[0]
    assert finished.reason in (FinishReason.STOP, FinishReason.LENGTH)
    assert "".join(deltas) == finished.text

    with qtbot.waitSignal(real_engine.finished, timeout=ANSWER_TIMEOUT_MS) as stopped:
        real_engine.generate(
            messages, sampling=SamplingParams(max_tokens=1000, seed=2), system_prompt=None
        )
        real_engine.cancel()
    assert stopped.args[0].reason in (FinishReason.CANCELLED, FinishReason.STOP)
    assert real_engine.state is EngineState.READY


def test_the_window_chats_with_the_real_engine(
    qtbot: QtBot,
    window_with_real_engine: MainWindow,
    tiny_model_path: Path,
) -> None:
    window = window_with_real_engine
    assert window.loader.load(tiny_model_path)
    wait_loaded(qtbot, window.chat._engine)
    assert window.composer.mode is ComposerMode.READY
    assert "tokens" in window.status.context_format
    send(qtbot, window, "Hello there", wait=False)
    wait_idle(qtbot, window, timeout=ANSWER_TIMEOUT_MS)
    view = view_of(window)
    answer = view.turns[-1].node
    assert answer.message.role is Role.ASSISTANT
    assert answer.state in (MessageState.COMPLETE, MessageState.LENGTH)
    assert window.status.speed_text.endswith("tokens/s")
    window.chat.regenerate()
    wait_idle(qtbot, window, timeout=ANSWER_TIMEOUT_MS)
    assert view.turns[-1].alternatives == 2


def test_a_model_without_template_can_use_the_builtin_one(
    qtbot: QtBot, window_with_real_engine: MainWindow, tiny_model_without_template: Path
) -> None:
    window = window_with_real_engine
    engine = window.chat._engine
    assert window.loader.load(tiny_model_without_template)
    qtbot.waitUntil(lambda: window.notice.isVisible(), timeout=LOAD_TIMEOUT_MS)
    assert "no chat template" in window.notice.text
    assert window.notice.action_button.text() == "Use the built-in template"
    window.notice.action_button.click()
    wait_loaded(qtbot, engine)
    assert engine.loaded_model is not None
    assert engine.loaded_model.template_source == "builtin"


class CountingClient(EngineClient):
    """The real engine client, keeping every command the window sends through it."""

    def __init__(self, on_event: Callable[[Event], None], sent: list[Command]) -> None:
        super().__init__(on_event)
        self._sent = sent

    def send(self, command: Command) -> None:
        self._sent.append(command)
        super().send(command)


def test_a_turn_asks_the_engine_process_once_before_its_first_token(
    qtbot: QtBot, store: ObservedStore, tiny_model_path: Path, tmp_path: Path
) -> None:
    sent: list[Command] = []
    engine = EngineController(lambda on_event: CountingClient(on_event, sent))
    settings = SettingsController(
        Settings(
            model=ModelSettings(n_ctx=2048, n_gpu_layers=0),
            sampling=SamplingParams(max_tokens=8, seed=7),
        ),
        tmp_path / "settings.json",
    )
    window = build_window(
        settings=settings, store=store, engine=engine, chat_view=RecordingChatView()
    )
    qtbot.addWidget(window)
    try:
        assert window.loader.load(tiny_model_path)
        wait_loaded(qtbot, engine)
        before_first_token: list[Command] = []
        engine.delta.connect(lambda *_: before_first_token or before_first_token.extend(sent))
        asked_from = len(sent)
        send(qtbot, window, "Hello there", wait=False)
        wait_idle(qtbot, window, timeout=ANSWER_TIMEOUT_MS)
        answer = view_of(window).turns[-1].node
        assert answer.message.role is Role.ASSISTANT and answer.message.content
        asked = [  # a read-ahead of the draft is not part of the turn
            type(c).__name__ for c in before_first_token[asked_from:] if not isinstance(c, Prefill)
        ]
        assert asked == ["Generate"]  # counted, fitted and answered in one request
        assert store.snapshot_reads <= 2
    finally:
        engine.shutdown(timeout=10.0)
