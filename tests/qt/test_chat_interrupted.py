"""A turn interrupted at an awkward moment: while the user is asked about a conversation too
long for the context, or while a dropped answer is still stopping."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.engine.protocol import EngineError, ErrorKind, PromptFitted, TokenCount
from app.qt_bridge.chat_ports import ContextOverflowDecision, ContextOverflowFacts
from app.qt_bridge.engine_controller import EngineState
from app.settings import ContextOverflow
from app.ui.main_window import MainWindow
from tests.qt.drive import load_model, send, wait_idle
from tests.qt.observed_store import ObservedStore
from tests.qt.scripted_engine import Script, ScriptedEngineClient
from tests.qt.test_chat_controller import LONG, fill

LEAVE_OUT = ContextOverflowDecision(ContextOverflow.DROP_OLDEST, remember=False)


@pytest.fixture
def too_long(qtbot: QtBot, window: MainWindow, script: Script, tmp_path: Path) -> None:
    """A conversation whose next question only fits with its oldest turns left out."""
    script.n_ctx = 1024
    script.answer = "Short answer."
    load_model(qtbot, window, tmp_path)
    fill(qtbot, window, 5)


def test_a_new_chat_while_the_user_is_asked_sends_nothing(
    qtbot: QtBot, window: MainWindow, script: Script, store: ObservedStore, too_long: None
) -> None:
    def ask(facts: ContextOverflowFacts) -> ContextOverflowDecision:
        window.chat.new_conversation()
        return LEAVE_OUT

    window.chat._ask_overflow = ask
    asked = len(script.asked)
    send(qtbot, window, f"Question 5 {LONG}")
    qtbot.wait(100)
    assert len(script.asked) == asked + 1  # the first, fitted and not sent; no second
    assert window.workspace.engine.state is EngineState.READY
    (record,) = store.list_conversations()
    snapshot = store.snapshot(record.id)
    assert snapshot.active_leaf is not None
    last = snapshot.path_to(snapshot.active_leaf)[-1]
    assert last.message.content.startswith("Question 5 ")  # the message is kept


def test_an_engine_crash_while_the_user_is_asked_sends_nothing(
    qtbot: QtBot,
    window: MainWindow,
    script: Script,
    engine_clients: list[ScriptedEngineClient],
    too_long: None,
) -> None:
    engine = window.workspace.engine

    def crash_then_agree(facts: ContextOverflowFacts) -> ContextOverflowDecision:
        engine_clients[-1].stop()  # the process dies; its reader reports it
        engine._receive(EngineError(ErrorKind.ENGINE_CRASHED, "The engine stopped (SIGKILL)."))
        qtbot.waitUntil(lambda: engine.state is EngineState.CRASHED, timeout=3000)
        return LEAVE_OUT

    window.chat._ask_overflow = crash_then_agree
    asked = len(script.asked)
    send(qtbot, window, f"Question 5 {LONG}")
    qtbot.wait(100)
    assert len(script.asked) == asked + 1
    assert engine.state is EngineState.CRASHED
    assert "SIGKILL" in window.notice.text


def test_the_user_is_asked_after_the_engines_events_before_it_are_delivered(
    qtbot: QtBot, window: MainWindow, too_long: None
) -> None:
    engine = window.workspace.engine
    marker = 10**6
    order: list[str] = []
    engine.token_count.connect(
        lambda count: order.append("later event") if count.request_id == marker else None
    )

    def ask(facts: ContextOverflowFacts) -> ContextOverflowDecision:
        order.append("asked")
        return ContextOverflowDecision(ContextOverflow.STOP, remember=False)

    window.chat._ask_overflow = ask
    send(qtbot, window, f"Question 5 {LONG}", wait=False)
    # Without running the event loop, let the report arrive and queue an event behind it.
    deadline = time.monotonic() + 5
    while not any(isinstance(e, PromptFitted) for e in engine._inbox):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    engine._receive(TokenCount(marker, 0, 1024))
    wait_idle(qtbot, window)
    assert order == ["later event", "asked"]


def test_sending_while_a_dropped_answer_stops_says_so(
    qtbot: QtBot, window: MainWindow, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    script.token_interval_s = 0.02
    script.answers = ["word " * 20]
    assert window.chat.send("First question")
    window.chat.new_conversation()  # right after Send: the answer is dropped
    assert not window.chat.busy
    assert not window.chat.send("Second question")
    assert "still stopping" in window.notice.text
    assert "local API" not in window.notice.text
    qtbot.waitUntil(lambda: window.workspace.engine.state is EngineState.READY, timeout=5000)
