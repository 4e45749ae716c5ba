"""A third-party MCP server from npm, as people configure it: `npx -y
@modelcontextprotocol/server-filesystem FOLDER`. Needs Node.js (`.ci/run` installs it); the
package comes from npm's cache, or from the registry the first time."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from mcp_types.version import KNOWN_PROTOCOL_VERSIONS

from app.tools.mcp_servers import McpConnection, McpServerConfig, McpState
from tests.integration.test_mcp import Seen

pytestmark = pytest.mark.integration

PACKAGE = "@modelcontextprotocol/server-filesystem"
FETCH_TIMEOUT_S = 300
OFFLINE_FIRST = {"npm_config_prefer_offline": "true"}  # the registry only when not in the cache


@pytest.fixture(scope="module")
def npx() -> str:
    """npx, once the package is in npm's cache; the tests are skipped, saying why, without."""
    found = shutil.which("npx")
    if found is None:
        pytest.skip("npx (Node.js) is not installed, so the npm MCP server cannot run")
    try:  # with its input closed the server starts, then ends at once
        probe = subprocess.run(
            [found, "-y", PACKAGE, str(Path.cwd())],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=FETCH_TIMEOUT_S,
            env={**os.environ, **OFFLINE_FIRST},
        )
    except subprocess.TimeoutExpired:
        pytest.skip(f"npx could not get {PACKAGE} within {FETCH_TIMEOUT_S} s")
    if probe.returncode != 0:
        reason = (probe.stderr.strip().splitlines() or ["no message"])[-1]
        pytest.skip(f"npx could not run {PACKAGE}: {reason}")
    return found


@pytest.fixture
def files(npx: str, tmp_path: Path) -> Iterator[tuple[McpConnection, Path]]:
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "notes.txt").write_text("Tramontane blows from the north.\n", encoding="utf-8")
    config = McpServerConfig("files", npx, ("-y", PACKAGE, str(folder)), OFFLINE_FIRST)
    seen = Seen()
    running = McpConnection(config, seen)
    running.start()
    assert running.wait_ready(120), running.status.message
    yield running, folder
    running.stop()
    running.join(10)
    assert McpState.FAILED not in seen.states(), seen.statuses


def test_the_npm_filesystem_server_lists_and_reads_files(
    files: tuple[McpConnection, Path],
) -> None:
    running, folder = files
    assert running.status.protocol in KNOWN_PROTOCOL_VERSIONS
    names = {spec.name for spec in running.status.tools}
    assert {"list_directory", "read_text_file"} <= names
    listing = running.call("list_directory", {"path": str(folder)}, 30)
    assert "[FILE] notes.txt" in listing.text
    content = running.call("read_text_file", {"path": str(folder / "notes.txt")}, 30)
    assert content.text.strip() == "Tramontane blows from the north."
    with pytest.raises(RuntimeError, match=r"denied|outside"):
        running.call("read_text_file", {"path": "/etc/hostname"}, 30)
