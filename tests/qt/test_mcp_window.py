"""The tools of the servers in mcp.json, offered and run in the window."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.messages import Role
from app.paths import data_dir
from app.qt_bridge.engine_controller import EngineController
from app.qt_bridge.settings_controller import SettingsController
from app.settings import ToolPolicy, ToolSettings
from app.tools.mcp_servers import MCP_CONFIG_FILE, McpState
from app.ui.main_window import MainWindow
from tests.integration.test_mcp import SERVER
from tests.qt.drive import load_model, send, view_of, wait_idle
from tests.qt.observed_store import ObservedStore
from tests.qt.recording_view import RecordingChatView
from tests.qt.scripted_engine import Script

pytestmark = pytest.mark.integration


def test_the_window_offers_and_runs_the_tools_of_mcp_json(
    qtbot: QtBot,
    store: ObservedStore,
    engine: EngineController,
    settings: SettingsController,
    script: Script,
    tmp_path: Path,
) -> None:
    config = {"mcpServers": {"test": SERVER, "gone": {"command": "/no/such/server"}}}
    (data_dir() / MCP_CONFIG_FILE).write_text(json.dumps(config))
    tools = ToolSettings(enabled=True, policies={"add": ToolPolicy.ALWAYS})
    settings.update(replace(settings.settings, tools=tools))
    window = MainWindow(
        settings=settings, store=store, engine=engine, chat_view=RecordingChatView()
    )
    qtbot.addWidget(window)
    window.show()
    try:
        window.start()
        qtbot.waitUntil(lambda: window.tools.tool("add") is not None, timeout=30000)
        qtbot.waitUntil(lambda: "gone" in window.notice.text, timeout=30000)
        assert "MCP server gone is not available" in window.notice.text
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
        statuses = {s.server: s.state for s in window.mcp.statuses.values()}
        assert statuses == {"test": McpState.READY, "gone": McpState.FAILED}
    finally:
        window.mcp.stop()
