"""A tool call that would hold the interpreter for minutes (a plugin's endless loop, a number
with a hundred million digits) runs in its own process: the window keeps answering, and the
call is stopped at its timeout or when the user cancels."""

from __future__ import annotations

import time
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core.messages import ToolCall
from app.qt_bridge.tool_box import ToolBox
from app.settings import ToolSettings
from app.tools.registry import discover
from app.tools.runner import ToolResult
from tests.qt.stall import MAX_STALL_S, measured_stalls

PLUGIN = """
def grow(digits: int) -> str:
    '''A number with many digits.'''
    return str(len(str(7 ** digits)))

TOOLS = [grow]
"""


def tool_box(tmp_path: Path) -> ToolBox:
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "grow.py").write_text(PLUGIN)
    return ToolBox(lambda: discover(plugins))


def run(qtbot: QtBot, box: ToolBox, call: ToolCall, timeout_s: int) -> ToolResult:
    with qtbot.waitSignal(box.finished, timeout=(timeout_s + 10) * 1000) as blocker:
        box.run(call, ToolSettings(enabled=True, timeout_s=timeout_s))
    result = blocker.args[0]
    assert isinstance(result, ToolResult)
    return result


def test_a_runaway_call_neither_stalls_the_window_nor_outlives_its_timeout(
    qtbot: QtBot, tmp_path: Path
) -> None:
    box = tool_box(tmp_path)
    started = time.perf_counter()
    with measured_stalls() as stalls:
        result = run(qtbot, box, ToolCall("a" * 9, "grow", '{"digits": 100000000}'), 1)
    assert result.text == "Error: grow did not finish within 1 s and was stopped"
    assert time.perf_counter() - started < 3.0
    assert stalls.longest_s < MAX_STALL_S, f"the window stalled {stalls.longest_s:.3f} s"


def test_the_calculator_of_the_model_cannot_freeze_the_window(qtbot: QtBot, tmp_path: Path) -> None:
    box = tool_box(tmp_path)
    with measured_stalls() as stalls:
        result = run(
            qtbot, box, ToolCall("b" * 9, "calculator", '{"expression": "round(5, -10**8)"}'), 5
        )
    assert result.text.startswith("Error: calculator failed: ValueError: round keeps at most")
    assert stalls.longest_s < MAX_STALL_S, f"the window stalled {stalls.longest_s:.3f} s"


def test_a_cancelled_call_is_stopped_at_once(qtbot: QtBot, tmp_path: Path) -> None:
    box = tool_box(tmp_path)
    with qtbot.waitSignal(box.finished, timeout=5000) as blocker:
        box.run(ToolCall("c" * 9, "grow", '{"digits": 1000000000}'), ToolSettings(timeout_s=60))
        qtbot.wait(300)
        box.cancel()
    assert blocker.args[0].text == "Error: the user cancelled this tool before it finished"
    assert box.running is None
    ok = run(qtbot, box, ToolCall("d" * 9, "grow", '{"digits": 10}'), 30)  # the next one runs
    assert ok.ok and ok.text == "9"
