"""The tools of the servers in mcp.json, offered and run in the window, their image results
shown and passed to a model that can see, and a server restarted from Settings → Tools."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.messages import Role
from app.engine.template import MEDIA_MARKER, ChatTemplate
from app.main import build_window
from app.paths import data_dir
from app.qt_bridge.engine_controller import EngineController
from app.qt_bridge.settings_controller import SettingsController
from app.settings import ToolPolicy, ToolSettings
from app.tools.mcp_servers import MCP_CONFIG_FILE, McpState
from app.ui.main_window import MainWindow
from app.ui.tools_page import ToolsPage
from tests.integration.test_mcp import SERVER
from tests.qt.drive import load_model, send, view_of, wait_idle
from tests.qt.observed_store import ObservedStore
from tests.qt.recording_view import RecordingChatView
from tests.qt.scripted_engine import Script

pytestmark = pytest.mark.integration

PICTURE_CALL = '[TOOL_CALLS]picture[CALL_ID]mcpCall02[ARGS]{"width": 40, "height": 30}'


@pytest.fixture
def mcp_window(
    qtbot: QtBot,
    store: ObservedStore,
    engine: EngineController,
    settings: SettingsController,
) -> Iterator[MainWindow]:
    """The window with the test server and a server that cannot start in mcp.json, its
    tools always allowed."""
    config = {"mcpServers": {"test": SERVER, "gone": {"command": "/no/such/server"}}}
    (data_dir() / MCP_CONFIG_FILE).write_text(json.dumps(config))
    policies = {"add": ToolPolicy.ALWAYS, "picture": ToolPolicy.ALWAYS}
    settings.update(replace(settings.settings, tools=ToolSettings(True, policies)))
    window = build_window(
        settings=settings, store=store, engine=engine, chat_view=RecordingChatView()
    )
    qtbot.addWidget(window)
    window.show()
    try:
        window.workspace.start()
        qtbot.waitUntil(lambda: window.workspace.tools.tool("add") is not None, timeout=30000)
        yield window
    finally:
        window.workspace.mcp.stop()


def test_the_window_offers_and_runs_the_tools_of_mcp_json(
    qtbot: QtBot, mcp_window: MainWindow, script: Script, tmp_path: Path
) -> None:
    window = mcp_window
    qtbot.waitUntil(lambda: "gone" in window.notice.text, timeout=30000)
    assert "MCP server gone is not available" in window.notice.text
    assert "Settings → Tools can restart it" in window.notice.text
    load_model(qtbot, window, tmp_path)
    script.answers = ['[TOOL_CALLS]add[CALL_ID]mcpCall01[ARGS]{"a": 20, "b": 22}', "42."]

    send(qtbot, window, "Add them", wait=False)
    wait_idle(qtbot, window, timeout=30000)

    assert "add" in [spec.name for spec in script.generated[0].tools]
    turns = [t.node.message for t in view_of(window).turns]
    assert [(m.role, m.content) for m in turns[2:]] == [
        (Role.TOOL, "42"),
        (Role.ASSISTANT, "42."),
    ]
    assert window.workspace.mcp.statuses["test"].state is McpState.READY
    assert window.workspace.mcp.statuses["gone"].state is not McpState.READY


def test_an_image_result_is_shown_and_given_to_a_model_that_sees(
    qtbot: QtBot,
    mcp_window: MainWindow,
    settings: SettingsController,
    script: Script,
    tmp_path: Path,
) -> None:
    projector = tmp_path / "mmproj-F16.gguf"
    projector.write_bytes(b"GGUF")
    model = replace(settings.settings.model, mmproj_path=projector)
    settings.update(replace(settings.settings, model=model))
    load_model(qtbot, mcp_window, tmp_path)
    script.answers = [PICTURE_CALL, "It is red."]

    send(qtbot, mcp_window, "Draw something", wait=False)
    wait_idle(qtbot, mcp_window, timeout=30000)

    result = script.generated[1].messages[-1]
    assert result.role is Role.TOOL and len(result.images) == 1
    assert result.content == "A red square.\n[image 1 (image/png), 40×30]"
    prompt = ChatTemplate.builtin().render(script.generated[1].messages)
    assert prompt.endswith(
        f"[TOOL_CONTENT]{result.content}[/TOOL_RESULTS]"
        f"[INST]{MEDIA_MARKER}(The images returned by picture.)[/INST]"
    )
    shown = [t for t in view_of(mcp_window).turns if t.node.message.role is Role.TOOL]
    assert len(shown[0].node.message.images) == 1  # kept with the conversation, and shown


def test_without_a_projector_the_model_is_told_the_images_were_left_out(
    qtbot: QtBot, mcp_window: MainWindow, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, mcp_window, tmp_path)
    script.answers = [PICTURE_CALL, "I cannot see it."]

    send(qtbot, mcp_window, "Draw something", wait=False)
    wait_idle(qtbot, mcp_window, timeout=30000)

    result = script.generated[1].messages[-1]
    assert result.images == ()
    assert "the model is loaded without its projector" in result.content


def test_a_server_is_restarted_from_settings(qtbot: QtBot, mcp_window: MainWindow) -> None:
    page = ToolsPage(
        mcp_window.workspace.tools.tools(), [], str(data_dir()), mcp_window.workspace.mcp
    )
    qtbot.addWidget(page)
    panel = page.servers
    assert panel is not None
    rows = {panel.list.item(i).text().split(":")[0]: i for i in range(panel.list.count())}
    running = panel.list.item(rows["test"]).text()
    assert "running, protocol 2026-07-28" in running and "add" in running
    assert not panel.restart.isEnabled()  # nothing chosen yet

    panel.list.setCurrentRow(rows["test"])
    with qtbot.waitSignal(
        mcp_window.workspace.mcp.status_changed,
        check_params_cb=lambda s: s.server == "test" and s.state is McpState.STARTING,
        timeout=5000,
    ):
        qtbot.mouseClick(panel.restart, Qt.MouseButton.LeftButton)
    assert panel.list.item(rows["test"]).text() == "test: starting…"
    qtbot.waitUntil(lambda: "running" in panel.list.item(rows["test"]).text(), timeout=30000)
    qtbot.waitUntil(lambda: mcp_window.workspace.tools.tool("add") is not None, timeout=5000)
