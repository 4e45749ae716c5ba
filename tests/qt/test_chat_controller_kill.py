"""Killing the program mid-answer (SIGKILL) loses at most two seconds of the answer."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.conversation import MessageState
from app.core.messages import Role

ROOT = Path(__file__).resolve().parents[2]
STREAM_BEFORE_KILL_S = 3.3  # past at least one checkpoint, between two of them
ALLOWED_LOSS_S = 2.0
REPORT_SLACK_S = 0.1  # progress is reported every 50 ms


def database_files(home: Path) -> list[Path]:
    return [
        p
        for p in (home / "data").rglob("*")
        if p.is_file() and p.suffix in (".db", ".sqlite", ".sqlite3")
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_while_streaming_keeps_the_answer_up_to_two_seconds(tramontane_home: Path) -> None:
    home = tramontane_home
    env = dict(
        os.environ, TRAMONTANE_HOME=str(home), QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT)
    )
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.qt.streaming_app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    progress: list[tuple[float, int]] = []
    started: float | None = None
    try:
        for line in child.stdout:
            if not line.startswith("PROGRESS"):
                continue
            _, moment, length = line.split()
            progress.append((float(moment), int(length)))
            if int(length) > 0 and started is None:
                started = float(moment)
            if started is not None and float(moment) - started >= STREAM_BEFORE_KILL_S:
                break
        killed_at = time.monotonic()
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        _, errors = child.communicate(timeout=30)
    assert started is not None, f"the answer never started streaming:\n{errors[-3000:]}"

    (database,) = database_files(home)
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    from app.main import open_window_store

    store = open_window_store()
    try:
        (record,) = store.list_conversations()
        snapshot = store.snapshot(record.id)
    finally:
        store.close()
    answer = snapshot.active_path[-1]
    assert answer.message.role is Role.ASSISTANT
    assert answer.state is MessageState.INTERRUPTED  # cut short, and marked as such
    saved = len(answer.message.content)
    assert saved > 0
    saved_at = max(moment for moment, length in progress if length <= saved)
    assert killed_at - saved_at <= ALLOWED_LOSS_S + REPORT_SLACK_S
