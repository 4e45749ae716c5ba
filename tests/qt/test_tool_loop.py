"""The tool loop in the window with the scripted engine: policies, Skip, edited arguments,
errors the model can read, the round limit, cancel, timeouts and results cut to fit."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest
from pytestqt.qtbot import QtBot

from app.core.messages import Role
from app.main import build_window
from app.qt_bridge.engine_controller import EngineController
from app.qt_bridge.settings_controller import SettingsController
from app.qt_bridge.tool_box import ToolBox
from app.settings import ToolPolicy, ToolSettings
from app.tools.builtin import calculator
from app.tools.registry import ToolCatalog, function_tool
from app.ui.main_window import MainWindow
from tests.qt.drive import load_model, send, view_of, wait_idle
from tests.qt.observed_store import ObservedStore
from tests.qt.recording_view import RecordingChatView
from tests.qt.scripted_engine import Script

RELEASE = threading.Event()


def wait_for_release(seconds: int) -> str:
    """Wait until the test lets go (a slow tool).

    Args:
        seconds: Ignored.
    """
    RELEASE.wait(10)
    return "released"


def explode(reason: str) -> str:
    """Always fails."""
    raise RuntimeError(reason)


def long_text(size: int) -> str:
    """Text of a given length."""
    return "z" * size


def call(name: str, arguments: str, call_id: str = "abc123XYZ") -> str:
    return f"[TOOL_CALLS]{name}[CALL_ID]{call_id}[ARGS]{arguments}"


@pytest.fixture
def tool_window(
    qtbot: QtBot,
    store: ObservedStore,
    engine: EngineController,
    settings: SettingsController,
    tmp_path: object,
) -> Iterator[MainWindow]:
    catalog = ToolCatalog()
    for function in (calculator, wait_for_release, explode, long_text):
        catalog.add(function_tool(function, "tests"))
    settings.update(replace(settings.settings, tools=ToolSettings(enabled=True)))
    window = build_window(
        settings=settings,
        store=store,
        engine=engine,
        chat_view=RecordingChatView(),
        tools=ToolBox(lambda: catalog),
    )
    qtbot.addWidget(window)
    window.show()
    RELEASE.clear()
    yield window
    RELEASE.set()


def contents(window: MainWindow) -> list[tuple[Role, str]]:
    return [(t.node.message.role, t.node.message.content) for t in view_of(window).turns]


def set_policy(settings: SettingsController, **policies: ToolPolicy) -> None:
    tools = replace(settings.settings.tools, policies=policies)
    settings.update(replace(settings.settings, tools=tools))


def test_offered_tools_follow_the_switch_and_the_policies(
    qtbot: QtBot,
    tool_window: MainWindow,
    script: Script,
    settings: SettingsController,
    tmp_path: object,
) -> None:
    load_model(qtbot, tool_window, tmp_path)  # type: ignore[arg-type]
    set_policy(settings, explode=ToolPolicy.NEVER)
    send(qtbot, tool_window, "Hi")
    offered = [spec.name for spec in script.generated[-1].tools]
    assert offered == ["calculator", "wait_for_release", "long_text"]
    counted = script.asked[-1]  # the engine counts the request it answers, with its tools
    assert counted.fit is not None and [spec.name for spec in counted.tools] == offered

    settings.update(replace(settings.settings, tools=ToolSettings(enabled=False)))
    send(qtbot, tool_window, "Again")
    assert script.generated[-1].tools == ()


def test_always_runs_without_asking_and_the_model_goes_on(
    qtbot: QtBot,
    tool_window: MainWindow,
    script: Script,
    settings: SettingsController,
    tmp_path: object,
) -> None:
    load_model(qtbot, tool_window, tmp_path)  # type: ignore[arg-type]
    set_policy(settings, calculator=ToolPolicy.ALWAYS)
    script.answers = ["Let me compute." + call("calculator", '{"expression": "2+3"}'), "It is 5."]

    send(qtbot, tool_window, "2+3?")
    wait_idle(qtbot, tool_window)

    assert contents(tool_window) == [
        (Role.USER, "2+3?"),
        (Role.ASSISTANT, "Let me compute."),
        (Role.TOOL, "5"),
        (Role.ASSISTANT, "It is 5."),
    ]
    assert [m.role for m in script.generated[-1].messages][-2:] == [Role.ASSISTANT, Role.TOOL]
    assert not tool_window.tool_bar.isVisible()


def test_skip_and_edited_arguments_and_errors_reach_the_model(
    qtbot: QtBot, tool_window: MainWindow, script: Script, tmp_path: object
) -> None:
    load_model(qtbot, tool_window, tmp_path)  # type: ignore[arg-type]
    script.answers = [
        call("calculator", '{"expression": "1+1"}', "aaaaaaaa1")
        + call("calculator", '{"expression": "2+2"}', "aaaaaaaa2")
        + call("explode", '{"reason": "boom"}', "aaaaaaaa3")
        + call("weather", "{}", "aaaaaaaa4")
        + call("calculator", '{"expr": "1"}', "aaaaaaaa5"),
        "Done.",
    ]
    bar = tool_window.tool_bar
    send(qtbot, tool_window, "Go", wait=False)
    qtbot.waitUntil(bar.run_button.isVisible)

    bar.skip_button.click()  # 1+1: skipped
    qtbot.waitUntil(lambda: '"2+2"' in bar.arguments.toPlainText())
    bar.arguments.setPlainText('{"expression": "10*10"}')
    bar.run_button.click()  # 2+2, edited to 10*10
    qtbot.waitUntil(lambda: "explode" in bar.title.text())
    bar.run_button.click()
    qtbot.waitUntil(lambda: '"expr"' in bar.arguments.toPlainText())
    bar.run_button.click()  # the unknown tool was answered without asking
    wait_idle(qtbot, tool_window)

    results = [text for role, text in contents(tool_window) if role is Role.TOOL]
    assert results[0] == "Error: the user chose not to run this call"
    assert results[1] == '(The user changed the arguments to {"expression": "10*10"}.)\n100'
    assert results[2] == "Error: explode failed: RuntimeError: boom"
    assert results[3] == "Error: there is no tool named weather"
    assert results[4].startswith("Error: arguments lack expression")
    assert contents(tool_window)[-1] == (Role.ASSISTANT, "Done.")


def test_the_round_limit_stops_a_model_that_keeps_calling(
    qtbot: QtBot,
    tool_window: MainWindow,
    script: Script,
    settings: SettingsController,
    tmp_path: object,
) -> None:
    load_model(qtbot, tool_window, tmp_path)  # type: ignore[arg-type]
    tools = ToolSettings(enabled=True, policies={"calculator": ToolPolicy.ALWAYS}, max_rounds=2)
    settings.update(replace(settings.settings, tools=tools))
    script.answer = call("calculator", '{"expression": "1"}')

    send(qtbot, tool_window, "Loop")
    wait_idle(qtbot, tool_window)

    roles = [role for role, _ in contents(tool_window)]
    assert roles == [
        Role.USER,
        Role.ASSISTANT,
        Role.TOOL,
        Role.ASSISTANT,
        Role.TOOL,
        Role.ASSISTANT,
    ]
    assert "called tools 2 time" in tool_window.notice.text
    assert len(script.generated) == 3


def test_stop_cancels_a_running_tool_and_the_calls_left(
    qtbot: QtBot,
    tool_window: MainWindow,
    script: Script,
    settings: SettingsController,
    tmp_path: object,
) -> None:
    load_model(qtbot, tool_window, tmp_path)  # type: ignore[arg-type]
    set_policy(settings, wait_for_release=ToolPolicy.ALWAYS)
    script.answers = [
        call("wait_for_release", '{"seconds": 1}', "bbbbbbbb1")
        + call("calculator", '{"expression": "1"}', "bbbbbbbb2")
    ]
    bar = tool_window.tool_bar
    send(qtbot, tool_window, "Slow", wait=False)
    qtbot.waitUntil(bar.cancel_button.isVisible)
    assert bar.title.text() == "Running wait_for_release…"

    bar.cancel_button.click()
    wait_idle(qtbot, tool_window)
    RELEASE.set()

    results = [text for role, text in contents(tool_window) if role is Role.TOOL]
    assert results == [
        "Error: the user stopped the tool calls",
        "Error: the user stopped the tool calls",
    ]
    assert len(script.generated) == 1  # no answer asked after a stop
    assert not bar.isVisible()


def test_a_tool_that_runs_too_long_is_abandoned(
    qtbot: QtBot,
    tool_window: MainWindow,
    script: Script,
    settings: SettingsController,
    tmp_path: object,
) -> None:
    load_model(qtbot, tool_window, tmp_path)  # type: ignore[arg-type]
    tools = ToolSettings(
        enabled=True, policies={"wait_for_release": ToolPolicy.ALWAYS}, timeout_s=1
    )
    settings.update(replace(settings.settings, tools=tools))
    script.answers = [call("wait_for_release", '{"seconds": 5}'), "Too slow."]

    send(qtbot, tool_window, "Slow", wait=False)
    wait_idle(qtbot, tool_window, timeout=5000)

    assert contents(tool_window)[2] == (
        Role.TOOL,
        "Error: wait_for_release did not finish within 1 s and was abandoned",
    )
    assert contents(tool_window)[-1] == (Role.ASSISTANT, "Too slow.")


def test_a_result_larger_than_the_context_allows_is_cut_and_said(
    qtbot: QtBot,
    tool_window: MainWindow,
    script: Script,
    settings: SettingsController,
    tmp_path: object,
) -> None:
    load_model(qtbot, tool_window, tmp_path)  # type: ignore[arg-type]
    set_policy(settings, long_text=ToolPolicy.ALWAYS)
    script.answers = [call("long_text", '{"size": 50000}'), "Read it."]

    send(qtbot, tool_window, "Long", wait=False)
    wait_idle(qtbot, tool_window)

    result = contents(tool_window)[2][1]
    assert len(result) < 50000 and "[The result was cut: it has 50,000 characters" in result
    assert "was cut to fit the context" in tool_window.notice.text
