"""Tool calls a model can make hostile: numbers too large to compute, files too large to read,
plugins that never end. Each is refused quickly, or stopped in its own process."""

from __future__ import annotations

import os
import time
import tracemalloc
from pathlib import Path

import pytest

from app.core.messages import ToolCall
from app.tools.builtin import MAX_FILE_CHARACTERS, calculator, list_folder, read_text_file
from app.tools.folders import allowing
from app.tools.isolated import IsolatedCall
from app.tools.registry import discover


@pytest.mark.parametrize(
    "expression",
    [
        "round(5, -10**8)",
        "round(5, 10**8)",
        "(10**100)**10000",
        "((10**100)**10000)**10000",
        "(9**9)**9999",
        "-(7**10000)",
    ],
)
def test_huge_numbers_are_refused_before_they_are_computed(expression: str) -> None:
    started = time.perf_counter()
    with pytest.raises(ValueError, match=r"too large|at most"):
        calculator(expression)
    assert time.perf_counter() - started < 0.05


def test_ordinary_powers_and_rounding_still_work() -> None:
    assert calculator("2**64") == str(2**64)
    assert calculator("round(1234.5678, -2)") == "1200"
    assert calculator("round(2.675, 2)") == "2.67"
    assert calculator("10**100") == str(10**100)


def test_the_file_tool_reads_no_more_than_it_returns(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as stream:
        stream.write(b"word " * 100_000)
        stream.truncate(1024**3)  # 1 GiB (sparse: zeros after the text)
    tracemalloc.start()
    started = time.perf_counter()
    with allowing([tmp_path]):
        text = read_text_file(str(big))
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert text.startswith("word word")
    assert text.endswith(f"[… cut at {MAX_FILE_CHARACTERS:,} characters]")
    assert len(text) < MAX_FILE_CHARACTERS + 100
    assert peak < 16 * 1024**2, f"{peak:,} bytes allocated to read it"
    assert elapsed < 0.5


def test_a_short_file_comes_back_whole(tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("héllo\n", encoding="utf-8")
    with allowing([tmp_path]):
        assert read_text_file("note.txt") == "héllo\n"


def test_a_folder_of_many_files_is_listed_without_reading_it_all(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for index in range(600):
        (folder / f"f{index:04}.txt").write_bytes(b"x")
    with allowing([tmp_path]):
        listing = list_folder(str(folder))
    lines = listing.splitlines()
    assert len(lines) == 501 and lines[-1] == "[… and 100 more]"
    assert lines[0] == "f0000.txt (1 bytes)"


def _spin_plugin(plugins: Path) -> None:
    plugins.mkdir(exist_ok=True)
    (plugins / "spin.py").write_text(
        "def spin(seconds: float) -> str:\n"
        "    '''Compute for a while.'''\n"
        "    import time\n"
        "    end = time.monotonic() + seconds\n"
        "    while time.monotonic() < end:\n"
        "        pass\n"
        "    return 'done'\n\n"
        "def grow(digits: int) -> str:\n"
        "    '''A number with many digits (holds the interpreter while it computes).'''\n"
        "    return str(len(str(7 ** digits)))\n\n"
        "TOOLS = [spin, grow]\n"
    )


def test_discovered_tools_run_in_their_own_process(tmp_path: Path) -> None:
    plugins = tmp_path / "plugins"
    _spin_plugin(plugins)
    catalog = discover(plugins)
    for name in ("calculator", "read_text_file", "spin"):
        assert catalog.tools[name].locator is not None, name

    calculation = IsolatedCall(
        catalog.tools["calculator"].locator,  # type: ignore[arg-type]
        ToolCall("a" * 9, "calculator", '{"expression": "6*7"}'),
        (),
    )
    result = calculation.wait(30)
    assert result.ok and result.text == "42"

    quick = IsolatedCall(
        catalog.tools["spin"].locator,  # type: ignore[arg-type]
        ToolCall("b" * 9, "spin", '{"seconds": 0.01}'),
        (),
    )
    assert quick.wait(30).text == "done"


def test_a_runaway_call_is_killed_at_its_timeout(tmp_path: Path) -> None:
    plugins = tmp_path / "plugins"
    _spin_plugin(plugins)
    tool = discover(plugins).tools["spin"]
    assert tool.locator is not None
    call = IsolatedCall(tool.locator, ToolCall("c" * 9, "spin", '{"seconds": 600}'), ())
    started = time.perf_counter()
    result = call.wait(2.0)
    assert time.perf_counter() - started < 4.0
    assert not result.ok
    assert result.text == "Error: spin did not finish within 2 s and was stopped"
    assert call._process.exitcode is not None  # gone, not left running
    assert not _alive(call._process.pid)


def test_a_stopped_call_says_so(tmp_path: Path) -> None:
    plugins = tmp_path / "plugins"
    _spin_plugin(plugins)
    tool = discover(plugins).tools["spin"]
    assert tool.locator is not None
    call = IsolatedCall(tool.locator, ToolCall("d" * 9, "spin", '{"seconds": 600}'), ())
    call.stop()  # before it started: it never starts
    assert call.wait(5).text == "Error: spin was stopped before it finished"


def _alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
