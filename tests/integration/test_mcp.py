"""MCP servers as tool plugins: mcp.json, and a tiny server the tests start over stdio (listed,
called, failing, dying)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.tools.mcp_servers import (
    MCP_CONFIG_FILE,
    McpConfigError,
    McpConnection,
    McpServerConfig,
    McpState,
    McpStatus,
    read_mcp_config,
)

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
ARGS = ["-m", "tests.fixtures.mcp_server"]
ENV = {"PYTHONPATH": str(ROOT)}
SERVER = {"command": sys.executable, "args": ARGS, "env": ENV}  # as mcp.json has it


def server_config() -> McpServerConfig:
    return McpServerConfig("test", sys.executable, tuple(ARGS), ENV)


@pytest.fixture
def connection() -> Iterator[McpConnection]:
    seen: list[McpStatus] = []
    running = McpConnection(server_config(), seen.append)
    running.start()
    assert running.wait_ready(30), running.status.message
    yield running
    running.stop()
    running.join(5)


def test_the_common_mcp_json_shape_is_read(tmp_path: Path) -> None:
    path = tmp_path / MCP_CONFIG_FILE
    assert read_mcp_config(path) == []  # no file: no servers
    path.write_text(
        json.dumps(
            {
                "mcpServers": {
                    "files": {"command": "npx", "args": ["-y", "server"], "env": {"K": "v"}},
                    "remote": {"url": "http://127.0.0.1:9000/mcp"},
                }
            }
        )
    )
    assert read_mcp_config(path) == [
        McpServerConfig("files", "npx", ("-y", "server"), {"K": "v"}),
        McpServerConfig("remote", url="http://127.0.0.1:9000/mcp"),
    ]


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("{", "not valid JSON"),
        ('{"servers": {}}', 'no "mcpServers"'),
        ('{"mcpServers": {"x": {}}}', 'needs a "command" or a "url"'),
        ('{"mcpServers": {"x": {"command": "a", "args": "b"}}}', "list of strings"),
    ],
)
def test_a_broken_mcp_json_says_why(tmp_path: Path, content: str, error: str) -> None:
    path = tmp_path / MCP_CONFIG_FILE
    path.write_text(content)
    with pytest.raises(McpConfigError, match=error):
        read_mcp_config(path)


def test_a_server_is_listed_and_called(connection: McpConnection) -> None:
    assert [spec.name for spec in connection.status.tools] == ["add", "refuse", "crash"]
    add = next(tool for tool in connection.tools(10) if tool.name == "add")
    assert add.plugin == "MCP: test"
    assert add.spec.parameters["required"] == ["a", "b"]
    assert add.invoke({"a": 2, "b": 3}) == "5"
    with pytest.raises(RuntimeError, match="not today"):
        connection.call("refuse", {"reason": "not today"}, 10)


def test_a_server_that_dies_is_reported(connection: McpConnection) -> None:
    with pytest.raises(Exception, match="closed"):
        connection.call("crash", {}, 10)
    assert connection.status.state is McpState.FAILED
    assert "the server stopped" in connection.status.message
    with pytest.raises(RuntimeError, match="not running"):
        connection.call("add", {"a": 1, "b": 1}, 10)


def test_a_server_that_cannot_start_is_reported() -> None:
    seen: list[McpStatus] = []
    broken = McpConnection(McpServerConfig("gone", "/no/such/server"), seen.append)
    broken.start()
    assert not broken.wait_ready(20)
    assert seen[-1].state is McpState.FAILED and "No such file" in seen[-1].message
