"""The settings file in the data folder: read with a fallback, written atomically.

A settings file that cannot be read (bad JSON, wrong types, written by a newer version) never
stops the program: the defaults are used, the user is told, and the file is kept aside.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.core.i18n import translate
from app.paths import data_dir
from app.settings.json_mapping import settings_from_json, settings_to_dict
from app.settings.json_reader import SettingsError
from app.settings.schema import Settings

SETTINGS_FILE_NAME = "settings.json"


class SettingsSaveError(OSError):
    """The settings could not be written (read-only folder, full disk)."""


@dataclass(frozen=True, slots=True)
class LoadedSettings:
    settings: Settings
    notice: str | None = None  # set when the file was unusable and the defaults are in use


def settings_path() -> Path:
    return data_dir() / SETTINGS_FILE_NAME


def load_settings(path: Path | None = None) -> LoadedSettings:
    """Read the settings file; fall back to the defaults (with a notice) when it is unusable."""
    path = path or settings_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LoadedSettings(Settings())
    except (OSError, UnicodeDecodeError) as exc:
        message = translate("Settings", "The settings file {path} could not be read ({reason}).")
        return LoadedSettings(Settings(), message.format(path=path, reason=exc))
    try:
        return LoadedSettings(settings_from_json(raw))
    except SettingsError as exc:
        return LoadedSettings(Settings(), _reset_notice(exc, _keep_aside(path)))


def _reset_notice(reason: SettingsError, kept: Path | None) -> str:
    if kept is None:
        message = translate("Settings", "Settings were reset to the defaults: {reason}.")
        return message.format(reason=reason)
    message = translate(
        "Settings", "Settings were reset to the defaults: {reason}. The file was kept as {name}."
    )
    return message.format(reason=reason, name=kept.name)


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write atomically: a temporary file in the same folder, then a rename over the old one."""
    path = path or settings_path()
    text = json.dumps(settings_to_dict(settings), indent=2, ensure_ascii=False) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
    except OSError as exc:
        message = translate("Settings", "The settings could not be saved to {path}: {reason}")
        raise SettingsSaveError(message.format(path=path, reason=exc)) from exc


def _keep_aside(path: Path) -> Path | None:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.bad-{stamp}")
    try:
        os.replace(path, target)
    except OSError:
        return None
    return target
