"""The folders the user allows tools to read, set for each tool run (a context variable, so a
tool running in its worker thread sees the setting of the call that started it)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

_ALLOWED: ContextVar[tuple[Path, ...]] = ContextVar("allowed_folders", default=())


@contextmanager
def allowing(folders: Sequence[Path]) -> Iterator[None]:
    token = _ALLOWED.set(tuple(folder.expanduser().resolve() for folder in folders))
    try:
        yield
    finally:
        _ALLOWED.reset(token)


def allowed_path(path: str) -> Path:
    """`path` resolved (links followed), if it lies inside an allowed folder; else ValueError."""
    allowed = _ALLOWED.get()
    if not allowed:
        raise ValueError("the user has allowed no folders (Settings → Tools)")
    candidate = Path(path).expanduser()
    if not candidate.is_absolute():
        candidate = allowed[0] / candidate
    resolved = candidate.resolve()
    if not any(resolved == folder or resolved.is_relative_to(folder) for folder in allowed):
        names = ", ".join(str(folder) for folder in allowed)
        raise ValueError(f"{path} is outside the allowed folders ({names})")
    if not resolved.exists():
        raise ValueError(f"{path} does not exist")
    return resolved
