"""macOS's and the BSDs' `sysctl` values, read through the command (empty where there is none)."""

from __future__ import annotations

import subprocess


def sysctl(name: str) -> str:
    try:
        done = subprocess.run(["sysctl", "-n", name], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def sysctl_int(name: str) -> int:
    value = sysctl(name)
    return int(value) if value.isdigit() else 0
