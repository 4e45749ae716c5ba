"""The engine process's log file (llama.cpp writes to stderr), quoted when something fails."""

from __future__ import annotations

import os
from pathlib import Path

LOG_TAIL_LINES = 12
_OOM_HINTS = ("out of memory", "failed to allocate", "unable to allocate", "cudamalloc failed")


def log_tail(path: Path | None, lines: int = LOG_TAIL_LINES) -> str:
    """The last `lines` lines of the log, or "" when there is none."""
    if path is None:
        return ""
    try:
        with path.open("rb") as log:
            log.seek(0, os.SEEK_END)
            log.seek(max(0, log.tell() - 16384))
            text = log.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def looks_like_out_of_memory(log: str) -> bool:
    lowered = log.lower()
    return any(hint in lowered for hint in _OOM_HINTS)
