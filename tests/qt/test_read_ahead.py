"""The message being written is read ahead when the typing pauses: the engine gets exactly the
prompt that Send will ask for (history, draft, images, system prompt, tools), never while an
answer is under way, and not at all when the setting is off."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.messages import Role
from app.engine.protocol import Finished, Prefilled
from app.qt_bridge.draft_reader import PAUSE_MS
from app.qt_bridge.settings_controller import SettingsController
from app.ui.main_window import MainWindow
from tests.qt.drive import load_model, send, wait_idle
from tests.qt.scripted_engine import Script
from tests.qt.test_attach import attached, drop, files_mime, pictures


def type_text(qtbot: QtBot, window: MainWindow, text: str) -> None:
    qtbot.keyClicks(window.composer._edit, text)


def test_a_pause_in_the_typing_reads_the_prompt_that_send_then_asks_for(
    qtbot: QtBot, window: MainWindow, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    send(qtbot, window, "What is the capital of France?")
    assert script.prefilled == []  # sent at once: no pause to read in

    type_text(qtbot, window, "And of Italy?")
    qtbot.waitUntil(lambda: len(script.prefilled) == 1, timeout=PAUSE_MS * 10)
    send(qtbot, window, "And of Italy?")

    read, sent = script.prefilled[0], script.generated[-1]
    assert [m.role for m in read.messages] == [Role.USER, Role.ASSISTANT, Role.USER]
    assert read.messages == sent.messages
    assert (read.system_prompt, read.tools) == (sent.system_prompt, sent.tools)


def test_one_reading_per_pause_not_per_key(
    qtbot: QtBot, window: MainWindow, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    type_text(qtbot, window, "A question typed quickly")
    qtbot.waitUntil(lambda: len(script.prefilled) == 1, timeout=PAUSE_MS * 10)
    qtbot.wait(PAUSE_MS * 2)
    assert len(script.prefilled) == 1
    assert script.prefilled[0].messages[-1].content == "A question typed quickly"


def test_images_of_the_draft_are_read_as_the_files_send_stores(
    qtbot: QtBot, seeing: MainWindow, script: Script, tmp_path: Path
) -> None:
    drop(qtbot, seeing.composer._edit.viewport(), files_mime(pictures(tmp_path / "shots", 2)))
    attached(qtbot, seeing, 2)
    qtbot.waitUntil(lambda: len(script.prefilled) >= 1, timeout=PAUSE_MS * 10)
    draft_images = script.prefilled[-1].messages[-1].images
    assert len(draft_images) == 2 and all(image.path.is_file() for image in draft_images)

    type_text(qtbot, seeing, "What differs?")
    qtbot.waitUntil(
        lambda: script.prefilled[-1].messages[-1].content == "What differs?",
        timeout=PAUSE_MS * 10,
    )
    send(qtbot, seeing, "What differs?")

    read, sent = script.prefilled[-1], script.generated[-1]
    assert read.messages[-1].content == "What differs?"
    assert [i.sha256 for i in read.messages[-1].images] == [
        i.sha256 for i in sent.messages[-1].images
    ]


def test_nothing_is_read_while_an_answer_streams_and_the_draft_is_read_after_it(
    qtbot: QtBot, window: MainWindow, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    script.answer = "Once upon a time " * 30
    script.token_interval_s = 0.1
    send(qtbot, window, "Tell me a story.", wait=False)
    qtbot.waitUntil(lambda: window.chat.busy)

    type_text(qtbot, window, "Shorter, please")
    qtbot.wait(PAUSE_MS * 2)
    assert window.chat.busy and script.prefilled == []

    window.chat.stop()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: len(script.prefilled) == 1, timeout=PAUSE_MS * 10)
    assert script.prefilled[0].messages[-1].content == "Shorter, please"
    assert len(script.prefilled[0].messages) == 3


def test_the_setting_turns_reading_ahead_off(
    qtbot: QtBot,
    window: MainWindow,
    script: Script,
    settings: SettingsController,
    tmp_path: Path,
) -> None:
    model = replace(settings.settings.model, read_ahead=False)
    settings.update(replace(settings.settings, model=model))
    load_model(qtbot, window, tmp_path)
    type_text(qtbot, window, "Not read ahead")
    qtbot.wait(PAUSE_MS * 3)
    assert script.prefilled == []


@pytest.mark.integration
def test_through_llama_cpp_sending_a_read_draft_evaluates_one_position(
    qtbot: QtBot, window_with_real_engine: MainWindow, tiny_model_path: Path
) -> None:
    window = window_with_real_engine
    engine = window.chat._engine
    with qtbot.waitSignal(engine.loaded, timeout=60_000):
        assert window.loader.load(tiny_model_path)
    send(qtbot, window, "Hello there.")

    with qtbot.waitSignal(engine.prefilled, timeout=30_000) as reading:
        type_text(qtbot, window, "What comes next?")
    done = reading.args[0]
    assert isinstance(done, Prefilled) and done.complete
    with qtbot.waitSignal(engine.finished, timeout=60_000) as answering:
        send(qtbot, window, "What comes next?")

    finished = answering.args[0]
    assert isinstance(finished, Finished)
    assert finished.usage.prompt_tokens == done.positions
    assert finished.usage.cached_tokens == done.positions - 1
