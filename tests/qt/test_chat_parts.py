"""The chat controller's parts: what is on screen, the store-call policy, the cost of a turn."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.conversation import MessageNode, MessageState
from app.core.messages import ChatMessage, Role
from app.qt_bridge.chat_screen import ChatScreen
from app.qt_bridge.chat_signals import ChatSignals
from app.qt_bridge.store_writes import StoreWrites
from app.ui.main_window import MainWindow
from tests.qt.drive import load_model, send, view_of, wait_idle
from tests.qt.observed_store import ObservedStore
from tests.qt.recording_view import RecordingChatView
from tests.qt.scripted_engine import Script


def test_only_what_belongs_to_the_shown_conversation_is_on_screen(
    qtbot: QtBot, store: ObservedStore
) -> None:
    signals = ChatSignals()
    view = RecordingChatView()
    qtbot.addWidget(view)
    said: list[str] = []
    screen = ChatScreen(store, StoreWrites(said.append), view, signals)
    first = store.create_conversation("First")
    second = store.create_conversation("Second")
    question = store.add_message(first, None, ChatMessage(Role.USER, "Hello?"))
    store.set_active_leaf(first, question)

    assert not screen.shows(None)  # a new conversation: nothing streams into it
    assert not screen.shows(first)
    with qtbot.waitSignal(signals.conversation_changed) as changed:
        screen.reload(first)
    assert changed.args == [first]
    assert screen.shows(first) and not screen.shows(second)
    screen.put(MessageNode(99, question, ChatMessage(Role.ASSISTANT, ""), MessageState.STREAMING))
    assert view.contents() == [("user", "Hello?"), ("assistant", "")]
    assert screen.snapshot is not None and screen.snapshot.active_leaf == 99
    screen.show(None, None)
    assert not screen.shows(first) and view.contents() == []
    assert said == []


def test_a_sqlite_failure_is_said_as_a_storage_failure_and_the_message_kept(
    qtbot: QtBot, window: MainWindow, store: ObservedStore, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    store.fail_writes = True
    store.write_error = sqlite3.OperationalError("disk I/O error")
    send(qtbot, window, "Keep me")
    assert window.composer.text() == "Keep me"
    assert window.notice.text == "The conversation could not be saved: disk I/O error"


def test_a_programming_error_in_a_store_call_is_not_disguised(
    qtbot: QtBot, window: MainWindow, store: ObservedStore, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    store.fail_writes = True
    store.write_error = TypeError("a bug in the store")
    with pytest.raises(TypeError, match="a bug in the store"):
        window.chat.send("Hello")
    assert "could not be saved" not in window.notice.text


def test_a_turn_asks_the_engine_once_and_reads_the_conversation_twice(
    qtbot: QtBot, window: MainWindow, store: ObservedStore, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    send(qtbot, window, "First")
    asked, counted, reads = len(script.asked), len(script.counted), store.snapshot_reads

    send(qtbot, window, "Second")
    assert len(script.asked) == asked + 1 and len(script.counted) == counted
    assert store.snapshot_reads == reads + 2  # the question stored, the answer ended

    reads = store.snapshot_reads
    window.chat.regenerate()
    wait_idle(qtbot, window)
    assert len(script.asked) == asked + 2 and len(script.counted) == counted
    assert store.snapshot_reads == reads + 1  # the answer ended
    assert view_of(window).contents()[-1] == ("assistant", script.answer)
