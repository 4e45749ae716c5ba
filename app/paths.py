"""Where Tramontane keeps its files (platformdirs locations) and where its resources live."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "Tramontane"
RESOURCES = Path(__file__).resolve().parent.parent / "resources"

_dirs = PlatformDirs(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """Conversations, attachments, settings. `TRAMONTANE_HOME` overrides it (tests, portable)."""
    override = os.environ.get("TRAMONTANE_HOME")
    path = Path(override) / "data" if override else Path(_dirs.user_data_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def models_dir() -> Path:
    override = os.environ.get("TRAMONTANE_HOME")
    path = Path(override) / "models" if override else data_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def resource(*parts: str) -> Path:
    return RESOURCES.joinpath(*parts)
