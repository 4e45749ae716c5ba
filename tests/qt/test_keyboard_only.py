"""The window used with the keyboard alone, against real llama.cpp on the tiny generated model:
send a message, reach the answer, copy it and regenerate it without a single mouse event."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.core.conversation import MessageState
from app.core.messages import Role
from app.core.sampling import SamplingParams
from app.main import build_window
from app.qt_bridge.engine_controller import EngineController, EngineState
from app.qt_bridge.settings_controller import SettingsController
from app.settings import ModelSettings, Settings
from app.ui.chat_view import ChatView
from app.ui.main_window import MainWindow
from app.ui.message_widget import MessageWidget
from tests.qt.observed_store import ObservedStore

pytestmark = pytest.mark.integration

TIMEOUT_MS = 60_000
Key = Qt.Key
MOUSE_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
}


class MouseWatch(QObject):
    """Counts every mouse click that reaches any object of the program."""

    def __init__(self) -> None:
        super().__init__()
        self.clicks = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        self.clicks += event.type() in MOUSE_EVENTS
        return False


@pytest.fixture
def window(qtbot: QtBot, store: ObservedStore, tmp_path: Path) -> Iterator[MainWindow]:
    """The real window: the real conversation view and the real engine process."""
    settings = SettingsController(
        Settings(
            model=ModelSettings(n_ctx=2048, n_gpu_layers=0),
            sampling=SamplingParams(max_tokens=12, seed=7),
        ),
        tmp_path / "settings.json",
    )
    engine = EngineController()
    main_window = build_window(settings=settings, store=store, engine=engine, chat_view=ChatView())
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitExposed(main_window)
    yield main_window
    engine.shutdown(timeout=10.0)


def focus() -> QWidget | None:
    return QApplication.focusWidget()


def press(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """A key pressed where the keyboard focus is, as the user's keyboard would."""
    target = focus()
    assert target is not None
    qtbot.keyClick(target, key, modifier)


def view_of(window: MainWindow) -> ChatView:
    assert isinstance(window.chat_view, ChatView)
    return window.chat_view


def focused_message(window: MainWindow) -> MessageWidget:
    widget = focus()
    assert isinstance(widget, MessageWidget), widget
    assert view_of(window).isAncestorOf(widget)
    return widget


def test_send_copy_and_regenerate_with_the_keyboard_alone(
    qtbot: QtBot, window: MainWindow, tiny_model_path: Path
) -> None:
    watch = MouseWatch()
    QApplication.instance().installEventFilter(watch)
    try:
        assert window.loader.load(tiny_model_path)
        engine = window.chat._engine
        qtbot.waitUntil(lambda: engine.state is EngineState.READY, timeout=TIMEOUT_MS)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

        # Ctrl+L goes to the message field; type, Enter sends
        qtbot.keyClick(window, Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: focus() is window.composer._edit)
        qtbot.keyClicks(window.composer._edit, "Hello there")
        press(qtbot, Key.Key_Return)
        qtbot.waitUntil(lambda: not window.chat.busy, timeout=TIMEOUT_MS)
        view = view_of(window)
        question, answer = view.message_widgets
        assert question.role is Role.USER and answer.role is Role.ASSISTANT
        assert answer.turn.node.state in (MessageState.COMPLETE, MessageState.LENGTH)

        # Shift+Tab from the message field reaches the conversation: the newest message
        for _ in range(10):  # past the composer's own buttons
            if isinstance(focus(), MessageWidget):
                break
            press(qtbot, Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        assert focused_message(window) is answer
        # Up and Down move between messages; Tab goes on to the message field
        press(qtbot, Key.Key_Up)
        assert focused_message(window) is question
        press(qtbot, Key.Key_Down)
        assert focused_message(window) is answer
        press(qtbot, Key.Key_Tab)
        assert window.composer.isAncestorOf(focus())
        press(qtbot, Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        assert focused_message(window) is answer  # back where the keyboard left it
        press(qtbot, Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        assert window.sidebar.isAncestorOf(focus())  # the conversation list is before it
        press(qtbot, Key.Key_Tab)
        assert focused_message(window) is answer

        # C copies the focused answer
        QApplication.clipboard().clear()
        press(qtbot, Key.Key_C)
        assert answer.text and QApplication.clipboard().text() == answer.text

        # Enter goes inside the answer, Tab walks its parts, Escape comes back
        press(qtbot, Key.Key_Return)
        inside = focus()
        assert inside is not answer and answer.isAncestorOf(inside)
        press(qtbot, Key.Key_Tab)
        assert answer.isAncestorOf(focus())
        press(qtbot, Key.Key_Escape)
        assert focused_message(window) is answer

        # R regenerates it: a second version, written by the engine
        press(qtbot, Key.Key_R)
        qtbot.waitUntil(lambda: window.chat.busy or len(window.chat_view.message_widgets) == 2)
        qtbot.waitUntil(lambda: not window.chat.busy, timeout=TIMEOUT_MS)
        last = view.message_widgets[-1]
        assert last.turn.alternatives == 2 and last.turn.alternative == 2
        assert focused_message(window) is last  # the keyboard stays on the answer
        assert watch.clicks == 0
    finally:
        QApplication.instance().removeEventFilter(watch)
