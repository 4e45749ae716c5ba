"""A tool call end to end through real llama.cpp on the tiny model: a grammar makes the model
write an exact call, the window parses it, the user clicks Run, the calculator runs, its result
goes back through the chat template, and the model answers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.conversation import MessageState
from app.core.messages import Role
from app.core.sampling import SamplingParams
from app.engine.template import ChatTemplate
from app.main import build_window
from app.qt_bridge.engine_controller import EngineController
from app.qt_bridge.settings_controller import SettingsController
from app.settings import ModelSettings, Settings, ToolSettings
from app.ui.main_window import MainWindow
from tests.qt.drive import send, view_of, wait_idle
from tests.qt.observed_store import ObservedStore
from tests.qt.recording_view import RecordingChatView
from tests.qt.test_engine_controller_real import ANSWER_TIMEOUT_MS, wait_loaded

pytestmark = pytest.mark.integration

CALL = '[TOOL_CALLS]calculator[CALL_ID]abc123XYZ[ARGS]{"expression": "6*7"}'
FORCED_CALL = (
    'root ::= <[9]> "calculator" <[33]> "abc123XYZ" <[32]> "{\\"expression\\": \\"6*7\\"}"'
)
FORCED_ANSWER = 'root ::= "The answer is 42."'


@pytest.fixture
def settings(tmp_path: Path) -> SettingsController:
    return SettingsController(
        Settings(
            model=ModelSettings(n_ctx=4096, n_gpu_layers=0),
            sampling=SamplingParams(max_tokens=48, seed=7, grammar=FORCED_CALL),
            tools=ToolSettings(enabled=True),
        ),
        tmp_path / "settings.json",
    )


@pytest.fixture
def window(
    qtbot: QtBot, store: ObservedStore, settings: SettingsController
) -> Iterator[MainWindow]:
    engine = EngineController()
    main_window = build_window(
        settings=settings, store=store, engine=engine, chat_view=RecordingChatView()
    )
    qtbot.addWidget(main_window)
    main_window.show()
    yield main_window
    engine.shutdown(timeout=10.0)


def test_a_forced_call_is_parsed_approved_run_and_answered(
    qtbot: QtBot,
    window: MainWindow,
    settings: SettingsController,
    store: ObservedStore,
    tiny_model_path: Path,
) -> None:
    assert window.loader.load(tiny_model_path)
    wait_loaded(qtbot, window.chat._engine)
    bar = window.tool_bar

    send(qtbot, window, "What is 6 times 7?", wait=False)
    qtbot.waitUntil(bar.run_button.isVisible, timeout=ANSWER_TIMEOUT_MS)

    assert bar.title.text() == "The model wants to run calculator (tramontane (builtin))"
    assert bar.arguments.toPlainText() == '{\n  "expression": "6*7"\n}'
    call_turn = view_of(window).turns[-1].node
    assert call_turn.message.role is Role.ASSISTANT
    assert [(c.id, c.name, c.arguments) for c in call_turn.message.tool_calls] == [
        ("abc123XYZ", "calculator", '{"expression": "6*7"}')
    ]
    assert call_turn.message.content == ""  # the markup is not shown as text
    # The next answer is free to be text: here a grammar makes it a known one.
    sampling = replace(settings.settings.sampling, grammar=FORCED_ANSWER)
    settings.update(replace(settings.settings, sampling=sampling))

    qtbot.mouseClick(bar.run_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window, timeout=ANSWER_TIMEOUT_MS)

    turns = [turn.node for turn in view_of(window).turns]
    assert [(n.message.role, n.message.content) for n in turns] == [
        (Role.USER, "What is 6 times 7?"),
        (Role.ASSISTANT, ""),
        (Role.TOOL, "42"),
        (Role.ASSISTANT, "The answer is 42."),
    ]
    assert turns[2].message.tool_call_id == "abc123XYZ"
    assert turns[2].message.name == "calculator"
    assert turns[3].state is MessageState.COMPLETE
    assert not bar.isVisible()

    # What the model read the second time: the call and its result, in Mistral's format.
    rendered = ChatTemplate.builtin(clock=lambda: datetime(2026, 1, 1)).render(
        [n.message for n in turns[:3]]
    )
    assert CALL + "</s>[TOOL_RESULTS]abc123XYZ[TOOL_CONTENT]42[/TOOL_RESULTS]" in rendered

    # Saved: the conversation reopens with the call and its result.
    conversation = window.chat.conversation_id
    assert conversation is not None
    window.new_chat()
    window.open_conversation(conversation)
    reopened = [turn.node.message for turn in view_of(window).turns]
    assert reopened[1].tool_calls == turns[1].message.tool_calls
    assert reopened[2] == turns[2].message
