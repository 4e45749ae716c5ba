"""The code stays as clean as it is now: ruff (lint and format) and strict mypy pass."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_ruff_finds_nothing() -> None:
    result = run_tool("ruff", "check", "app", "tests")
    assert result.returncode == 0, result.stdout


def test_code_is_formatted() -> None:
    result = run_tool("ruff", "format", "--check", "app", "tests")
    assert result.returncode == 0, result.stdout


def test_mypy_strict_finds_nothing() -> None:
    result = run_tool("mypy", "app")
    assert result.returncode == 0, result.stdout
