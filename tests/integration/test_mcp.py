"""MCP servers as tool plugins: mcp.json, and a server on the SDK's current protocol that the
tests start over stdio and streamable HTTP (listed, called, failing, dying, tried again)."""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
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
from app.tools.registry import ToolOutput
from tests.fixtures.mcp_http import free_port, http_server

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
ARGS = ["-m", "tests.fixtures.mcp_server"]
ENV = {"PYTHONPATH": str(ROOT)}
SERVER = {"command": sys.executable, "args": ARGS, "env": ENV}  # as mcp.json has it
CURRENT_PROTOCOL = "2026-07-28"
STAY_CONNECTED_S = 32.0


def server_config() -> McpServerConfig:
    return McpServerConfig("test", sys.executable, tuple(ARGS), ENV)


class Seen:
    """The statuses a connection reported, in order, from its thread."""

    def __init__(self) -> None:
        self.statuses: list[McpStatus] = []
        self._lock = threading.Lock()

    def __call__(self, status: McpStatus) -> None:
        with self._lock:
            self.statuses.append(status)

    def states(self) -> list[McpState]:
        with self._lock:
            return [s.state for s in self.statuses]

    def wait_for(self, test: Callable[[list[McpStatus]], bool], timeout_s: float = 30) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            with self._lock:
                if test(list(self.statuses)):
                    return
            time.sleep(0.05)
        raise AssertionError(f"not seen in {timeout_s} s; statuses: {self.statuses}")


def connected(config: McpServerConfig, **retry: float) -> tuple[McpConnection, Seen]:
    seen = Seen()
    running = McpConnection(config, seen, **retry)
    running.start()
    assert running.wait_ready(30), running.status.message
    return running, seen


@pytest.fixture(scope="module")
def connection() -> Iterator[McpConnection]:
    """One server for the tests that only call it."""
    running, _ = connected(server_config())
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
                    "remote": {
                        "url": "http://127.0.0.1:9000/mcp",
                        "headers": {"Authorization": "Bearer abc"},
                    },
                }
            }
        )
    )
    servers = read_mcp_config(path)
    assert servers == [
        McpServerConfig("files", "npx", ("-y", "server"), {"K": "v"}),
        McpServerConfig(
            "remote", url="http://127.0.0.1:9000/mcp", headers={"Authorization": "Bearer abc"}
        ),
    ]
    assert "abc" not in repr(servers[1])  # a token never reaches a log or a traceback


def test_header_and_env_values_may_name_environment_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEAM_TOKEN", "t0ken")
    path = tmp_path / MCP_CONFIG_FILE
    remote = {"url": "https://h/mcp", "headers": {"Authorization": "Bearer ${TEAM_TOKEN}"}}
    local = {"command": "tool", "env": {"KEY": "${TEAM_TOKEN}", "PLAIN": "$HOME"}}
    path.write_text(json.dumps({"mcpServers": {"remote": remote, "local": local}}))
    first, second = read_mcp_config(path)
    assert first.headers == {"Authorization": "Bearer t0ken"}
    assert second.env == {"KEY": "t0ken", "PLAIN": "$HOME"}
    monkeypatch.delenv("TEAM_TOKEN")
    with pytest.raises(McpConfigError, match=r"\$\{TEAM_TOKEN\}, which is not set"):
        read_mcp_config(path)


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("{", "not valid JSON"),
        ('{"servers": {}}', 'no "mcpServers"'),
        ('{"mcpServers": {"x": {}}}', 'needs a "command" or a "url"'),
        ('{"mcpServers": {"x": {"command": "a", "args": "b"}}}', "list of strings"),
        ('{"mcpServers": {"x": {"url": "ftp://h/"}}}', "http:// or https://"),
        ('{"mcpServers": {"x": {"url": "http://h/", "headers": {"A": 1}}}}', "map names"),
    ],
)
def test_a_broken_mcp_json_says_why(tmp_path: Path, content: str, error: str) -> None:
    path = tmp_path / MCP_CONFIG_FILE
    path.write_text(content)
    with pytest.raises(McpConfigError, match=error):
        read_mcp_config(path)


def test_a_server_is_listed_and_called(connection: McpConnection) -> None:
    names = [spec.name for spec in connection.status.tools]
    assert names == ["add", "refuse", "crash", "picture", "documents", "header"]
    assert connection.status.protocol == CURRENT_PROTOCOL
    add = next(tool for tool in connection.tools(10) if tool.name == "add")
    assert add.plugin == "MCP: test"
    assert add.spec.parameters["required"] == ["a", "b"]
    assert add.invoke({"a": 2, "b": 3}) == ToolOutput("5")
    with pytest.raises(RuntimeError, match="not today"):
        connection.call("refuse", {"reason": "not today"}, 10)


def test_an_image_result_comes_as_an_image_with_its_caption(connection: McpConnection) -> None:
    output = connection.call("picture", {"width": 32, "height": 16}, 10)
    assert output.text == "A red square.\n[image 1 (image/png), 32×16]"
    [image] = output.images
    assert (image.width, image.height) == (32, 16)
    assert image.png.startswith(b"\x89PNG")


def test_resource_links_and_embedded_resources_come_as_text_with_their_uri(
    connection: McpConnection,
) -> None:
    output = connection.call("documents", {}, 10)
    assert output.text == (
        "[resource link] report.pdf <file:///srv/report.pdf> (application/pdf): The yearly report\n"
        "[resource] <memo://today> (text/plain)\nBuy bread."
    )
    assert output.images == ()


def test_a_server_that_dies_is_noticed_connected_again_and_restarted() -> None:
    running, seen = connected(server_config(), retry_first_s=0.2)
    try:
        with pytest.raises(Exception, match="closed"):
            running.call("crash", {}, 10)
        seen.wait_for(lambda s: s[-1].state is McpState.FAILED or len(s) > 2, 10)
        failed = next(s for s in seen.statuses if s.state is McpState.FAILED)
        assert "closed" in failed.message and failed.retry_in_s == pytest.approx(0.2)
        seen.wait_for(lambda s: s[-1].state is McpState.READY and len(s) > 3)
        assert running.call("add", {"a": 1, "b": 1}, 10).text == "2"
        running.restart()  # as Settings → Tools does: a running server is started again
        seen.wait_for(lambda s: s[-1].state is McpState.READY and len(s) > 5)
        assert seen.states()[-2:] == [McpState.STARTING, McpState.READY]
        assert running.call("add", {"a": 4, "b": 5}, 10).text == "9"
    finally:
        running.stop()
        running.join(5)


def test_a_server_that_exits_on_its_own_is_noticed_without_a_call(tmp_path: Path) -> None:
    script = tmp_path / "brief.py"  # serves for a moment, then exits as a crash would
    script.write_text(
        "import os, threading\n"
        "from tests.fixtures.mcp_server import server\n"
        "threading.Timer(1.5, lambda: os._exit(1)).start()\n"
        "server.run('stdio')\n"
    )
    config = McpServerConfig("brief", sys.executable, (str(script),), ENV)
    running, seen = connected(config, retry_first_s=60)
    try:
        seen.wait_for(lambda s: s[-1].state is McpState.FAILED, 10)
        assert seen.statuses[-1].retry_in_s == 60
        running.restart()  # not waiting a minute: the user asked
        seen.wait_for(lambda s: s[-1].state is McpState.READY, 10)
    finally:
        running.stop()
        running.join(5)


def test_a_server_that_cannot_start_is_tried_again_less_and_less_often() -> None:
    seen = Seen()
    broken = McpConnection(
        McpServerConfig("gone", "/no/such/server"), seen, retry_first_s=0.05, retry_max_s=0.2
    )
    broken.start()
    try:
        assert not broken.wait_ready(20)
        seen.wait_for(lambda s: sum(x.state is McpState.FAILED for x in s) >= 4, 10)
        failures = [s for s in seen.statuses if s.state is McpState.FAILED]
        assert "No such file" in failures[0].message
        assert [s.retry_in_s for s in failures[:4]] == [0.05, 0.1, 0.2, 0.2]
    finally:
        broken.stop()
        broken.join(5)
    assert seen.states()[-1] is McpState.STOPPED


def test_http_headers_of_mcp_json_reach_the_server() -> None:
    headers = {"Authorization": "Bearer s3cret", "X-Team": "blue"}
    with http_server() as url:
        running, _ = connected(McpServerConfig("remote", url=url, headers=headers))
        try:
            assert running.status.protocol == CURRENT_PROTOCOL
            assert running.call("header", {"name": "Authorization"}, 10).text == "Bearer s3cret"
            assert running.call("header", {"name": "X-Team"}, 10).text == "blue"
        finally:
            running.stop()
            running.join(5)


def test_servers_on_the_current_protocol_stay_connected_and_answer() -> None:
    """Over stdio and HTTP at once, for longer than any ping interval, with calls throughout."""
    with http_server() as url:
        configs = [server_config(), McpServerConfig("remote", url=url)]
        connections = [connected(config) for config in configs]
        try:
            with ThreadPoolExecutor(len(connections)) as pool:
                answers = list(pool.map(_call_for_a_while, [c for c, _ in connections]))
            for (running, seen), calls in zip(connections, answers, strict=True):
                assert calls >= 10
                assert seen.states() == [McpState.STARTING, McpState.READY], seen.statuses
                assert running.status.protocol == CURRENT_PROTOCOL
        finally:
            for running, _ in connections:
                running.stop()
                running.join(5)


def _call_for_a_while(running: McpConnection) -> int:
    calls = 0
    end = time.monotonic() + STAY_CONNECTED_S
    while time.monotonic() < end:
        assert running.status.state is McpState.READY, running.status
        assert running.call("add", {"a": calls, "b": 1}, 10).text == str(calls + 1)
        calls += 1
        time.sleep(2)
    return calls


def test_an_http_server_that_goes_away_is_noticed_and_connected_again_when_back() -> None:
    port = free_port()
    with http_server(port) as url:
        running, seen = connected(McpServerConfig("remote", url=url), retry_first_s=0.5)
    try:
        with pytest.raises(Exception):  # noqa: B017 - whatever the transport says, it is said
            running.call("add", {"a": 1, "b": 2}, 10)
        seen.wait_for(lambda s: s[-1].state is not McpState.READY, 10)
        with http_server(port):
            seen.wait_for(lambda s: s[-1].state is McpState.READY, 30)
            assert running.call("add", {"a": 1, "b": 2}, 10).text == "3"
        assert any(s.state is McpState.FAILED for s in seen.statuses)
    finally:
        running.stop()
        running.join(5)
