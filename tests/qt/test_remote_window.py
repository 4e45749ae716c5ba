"""Settings → Engine: the window answering through an OpenAI-compatible server (a loopback one
the test starts), recording which engine answered, saying what went wrong, keeping the key."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.api_key import KEY_FILE, load_api_key
from app.core.conversation import MessageState
from app.paths import data_dir
from app.qt_bridge.engine_controller import EngineState
from app.qt_bridge.settings_controller import SettingsController
from app.settings import (
    ConversationOverrides,
    EngineChoice,
    RemoteSettings,
)
from app.ui.main_window import MainWindow
from app.ui.settings_dialog import SettingsDialog
from tests.fixtures.fake_openai import MODEL, FakeOpenAI
from tests.qt.drive import load_model, send, view_of, wait_idle
from tests.qt.observed_store import ObservedStore

pytestmark = pytest.mark.integration


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI().running() as server:
        yield server


def use_server(window: MainWindow, settings: SettingsController, fake: FakeOpenAI) -> None:
    remote = RemoteSettings(enabled=True, base_url=fake.base_url, model=MODEL)
    window.apply_settings(replace(settings.settings, remote=remote))


def test_a_server_answers_and_each_answer_records_it(
    qtbot: QtBot,
    window: MainWindow,
    settings: SettingsController,
    store: ObservedStore,
    fake: FakeOpenAI,
) -> None:
    engine = window.chat._engine
    with qtbot.waitSignal(engine.loaded, timeout=10000):
        use_server(window, settings, fake)
    assert window.status.backend_text == "server"
    assert window.status.model_text.startswith(f"{MODEL} @ 127.0.0.1")

    send(qtbot, window, "What is 2+2?")
    wait_idle(qtbot, window, timeout=10000)

    answer = view_of(window).turns[-1].node
    assert answer.message.content == "The answer is 4."
    meta = store.answer_meta(answer.id)
    assert meta is not None and meta.model_file.startswith(f"{MODEL} @ 127.0.0.1")
    assert meta.completion_tokens == 4
    assert fake.requests[-1]["messages"][-1] == {"role": "user", "content": "What is 2+2?"}


def test_a_failing_server_is_said_and_the_partial_answer_kept(
    qtbot: QtBot, window: MainWindow, settings: SettingsController, fake: FakeOpenAI
) -> None:
    engine = window.chat._engine
    with qtbot.waitSignal(engine.loaded, timeout=10000):
        use_server(window, settings, fake)
    fake.mode = "cut"

    send(qtbot, window, "Go on", wait=False)
    wait_idle(qtbot, window, timeout=10000)

    answer = view_of(window).turns[-1].node
    assert answer.message.content == "The answer"
    assert answer.state is MessageState.ERROR
    assert "stopped sending before the answer ended" in window.notice.text
    assert engine.state is EngineState.READY  # the next message can be sent: retry

    fake.mode = "ok"
    window.chat.regenerate()
    wait_idle(qtbot, window, timeout=10000)
    assert view_of(window).turns[-1].node.message.content == "The answer is 4."


def test_the_engine_page_keeps_the_key_apart_and_only_for_the_user(
    qtbot: QtBot, settings: SettingsController, fake: FakeOpenAI
) -> None:
    dialog = SettingsDialog(settings.settings)
    qtbot.addWidget(dialog)
    page = dialog.engine_page
    page.use_server.setChecked(True)
    page.base_url.setText("not a url")
    dialog.accept()
    assert dialog.result() == 0 and "is not an http(s) URL" in dialog.error_label.text()

    page.base_url.setText(fake.base_url + "/")
    page.api_key.setText("sk-secret")
    dialog.accept()

    assert dialog.settings().remote == RemoteSettings(True, fake.base_url, "")
    assert load_api_key() == "sk-secret"
    assert (
        "sk-secret" not in (data_dir() / "settings.json").read_text()
        if (data_dir() / "settings.json").exists()
        else True
    )
    mode = (data_dir() / KEY_FILE).stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_a_conversation_can_be_answered_by_the_server_and_others_by_this_computer(
    qtbot: QtBot,
    window: MainWindow,
    settings: SettingsController,
    fake: FakeOpenAI,
    tmp_path: Path,
) -> None:
    engine = window.chat._engine
    remote = RemoteSettings(enabled=False, base_url=fake.base_url, model=MODEL)
    window.apply_settings(replace(settings.settings, remote=remote))
    load_model(qtbot, window, tmp_path)
    send(qtbot, window, "Local question")
    local_conversation = window.chat.conversation_id
    assert local_conversation is not None

    window.new_chat()
    send(qtbot, window, "Server question")
    server_conversation = window.chat.conversation_id
    assert server_conversation is not None
    with qtbot.waitSignal(engine.loaded, timeout=10000):
        window.chat.set_overrides(
            server_conversation, ConversationOverrides(engine=EngineChoice.SERVER)
        )
        window.workspace.follow_engine_choice(server_conversation)
    assert window.status.backend_text == "server"
    window.chat.regenerate()
    wait_idle(qtbot, window, timeout=10000)
    assert view_of(window).turns[-1].node.message.content == "The answer is 4."

    with qtbot.waitSignal(engine.loaded, timeout=10000):
        window.open_conversation(local_conversation)
    assert window.status.backend_text == "CPU only"  # this computer again
    assert window.workspace.engine_choice is EngineChoice.LOCAL
