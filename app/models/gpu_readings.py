"""The GPU figures the engine process last reported, kept in the data folder so that the next
run's welcome page and Models window judge with them before any model is loaded."""

from __future__ import annotations

import json
import os
from pathlib import Path

from app.core.device_memory import GpuMemory
from app.paths import data_dir

READINGS_FILE = "gpu-memory.json"


def readings_path() -> Path:
    return data_dir() / READINGS_FILE


def save_readings(gpus: tuple[GpuMemory, ...], path: Path) -> None:
    """Write atomically; a folder that cannot be written costs only the memory of the figures."""
    rows = [
        {
            "name": gpu.name,
            "description": gpu.description,
            "backend": gpu.backend,
            "total_bytes": gpu.total_bytes,
            "free_bytes": gpu.free_bytes,
            "own_bytes": gpu.own_bytes,
        }
        for gpu in gpus
    ]
    temporary = path.with_name(path.name + ".tmp")
    try:
        temporary.write_text(json.dumps({"gpus": rows}, indent=1), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)


def load_readings(path: Path) -> tuple[GpuMemory, ...]:
    """The saved figures; none when the file is missing or not what this module writes."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return tuple(_reading(row) for row in data["gpus"])
    except (OSError, ValueError, KeyError, TypeError):
        return ()


def _reading(row: dict[str, object]) -> GpuMemory:
    return GpuMemory(
        _text(row, "name"),
        _text(row, "description"),
        _text(row, "backend"),
        _count(row, "total_bytes"),
        _count(row, "free_bytes"),
        _count(row, "own_bytes"),
    )


def _text(row: dict[str, object], key: str) -> str:
    value = row[key]
    if not isinstance(value, str):
        raise TypeError(f"{key} is not text")
    return value


def _count(row: dict[str, object], key: str) -> int:
    value = row[key]
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise TypeError(f"{key} is not a count of bytes")
    return value
