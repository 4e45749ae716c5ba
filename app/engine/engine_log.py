"""The engine process's log file (llama.cpp writes to stderr), quoted when something fails."""

from __future__ import annotations

import os
import re
from pathlib import Path

LOG_TAIL_LINES = 12
_OOM_HINTS = ("out of memory", "failed to allocate", "unable to allocate", "cudamalloc failed")
# "load_tensors:   CUDA0 model buffer size =  13664.00 MiB", "... CPU KV buffer size = 1.00 MiB"
_BUFFER_LINE = re.compile(r"\b(?:model|output|KV|compute) buffer size =\s*([0-9.]+) MiB")


def log_size(path: Path | None) -> int:
    """Where the log ends now, to read what a later step adds."""
    try:
        return path.stat().st_size if path is not None else 0
    except OSError:
        return 0


def log_since(path: Path | None, offset: int) -> str:
    if path is None:
        return ""
    try:
        with path.open("rb") as log:
            log.seek(offset)
            return log.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


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


def reported_buffer_bytes(log: str) -> int:
    """The sum of the weight, KV cache, output and compute buffers llama.cpp logged loading."""
    return int(sum(float(size) for size in _BUFFER_LINE.findall(log)) * 1024 * 1024)
