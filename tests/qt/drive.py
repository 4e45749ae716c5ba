"""Driving the real main window in tests, as a user would."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.engine.protocol import Loaded
from app.qt_bridge.engine_controller import EngineState
from app.ui.main_window import MainWindow
from tests.qt.recording_view import RecordingChatView
from tests.qt.scripted_engine import fake_model_file


def view_of(window: MainWindow) -> RecordingChatView:
    assert isinstance(window.chat_view, RecordingChatView)
    return window.chat_view


def load_model(qtbot: QtBot, window: MainWindow, folder: Path) -> Loaded:
    engine = window.chat._engine
    with qtbot.waitSignal(engine.loaded, timeout=5000) as blocker:
        assert window.loader.load(fake_model_file(folder))
    qtbot.waitUntil(lambda: engine.state is EngineState.READY)
    loaded = blocker.args[0]
    assert isinstance(loaded, Loaded)
    return loaded


def send(qtbot: QtBot, window: MainWindow, text: str, *, wait: bool = True) -> None:
    """Type into the composer and press Enter, as the user does."""
    window.composer.set_text(text)
    qtbot.keyClick(window.composer._edit, Qt.Key.Key_Return)
    if wait:
        wait_idle(qtbot, window)


def wait_idle(qtbot: QtBot, window: MainWindow, timeout: int = 10000) -> None:
    qtbot.waitUntil(lambda: not window.chat.busy, timeout=timeout)
