"""`tramontane --self-test` from the source tree (CI runs it from the bundle too)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def test_the_self_test_passes_and_reports_each_check(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "app", "--self-test"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    lines = result.stdout.splitlines()
    checks = [line for line in lines if line.startswith(("ok ", "FAIL"))]
    assert [line.split("(")[0].strip() for line in checks] == [
        "ok   write a tiny model",
        "ok   render the chat template",
        "ok   generate with the engine process",
        "ok   open the main window",
    ]
    assert lines[-1] == "self-test passed"
    assert list(tmp_path.iterdir()) == []  # nothing left behind
    generated = checks[2]
    assert " tokens and 1 image on " in generated  # the projector encoded an image
    assert any(f"on {where}" in generated for where in ("CUDA", "Metal", "the CPU"))


def test_without_qt_the_self_test_checks_the_engine_only(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "--self-test", "--no-window"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert "-    open the main window: not checked (--no-window)" in result.stdout
    assert "ok   generate with the engine process" in result.stdout


def test_a_broken_installation_fails_the_self_test(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "no-such-platform"}  # as if Qt's plugin were gone
    result = subprocess.run(
        [sys.executable, "-m", "app", "--self-test"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "self-test passed" not in result.stdout
    assert "no-such-platform" in result.stderr  # Qt says which platform plugin it lacks
