"""Typed reading of the settings' JSON, with a message for the user on every wrong value."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from app.core.i18n import translate
from app.settings.schema import ToolPolicy

_E = TypeVar("_E", bound=StrEnum)
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(_[A-Z]{2})?")


class SettingsError(ValueError):
    """A settings file that cannot be used; the message says why, in words for the user."""


class JsonReader:
    """Typed access to one JSON object; a missing key gives the default, a wrong value raises."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, dict):
            raise SettingsError(translate("Settings", "“{key}” is not an object").format(key=where))
        self._data: dict[str, object] = data
        self._where = where

    def has(self, key: str) -> bool:
        return self._data.get(key) is not None

    def section(self, key: str) -> JsonReader:
        return JsonReader(self._data.get(key, {}), key)

    def _name(self, key: str) -> str:
        return f"{self._where}.{key}"

    def _get(self, key: str, *kinds: type) -> object | None:
        value = self._data.get(key)
        if value is None:
            return None
        # bool is an int in Python; a JSON true must not pass for a number
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise SettingsError(
                translate("Settings", "“{key}” has the wrong type").format(key=self._name(key))
            )
        return value

    def text(self, key: str, default: str | None) -> str | None:
        value = self._get(key, str)
        return default if value is None else str(value)

    def flag(self, key: str, default: bool) -> bool:
        value = self._get(key, bool)
        return default if value is None else bool(value)

    def path(self, key: str) -> Path | None:
        value = self._get(key, str)
        return Path(str(value)) if value else None

    def paths(self, key: str) -> tuple[Path, ...]:
        value = self._get(key, list)
        if value is None:
            return ()
        items = value if isinstance(value, list) else []
        if not all(isinstance(item, str) and item for item in items):
            raise SettingsError(
                translate("Settings", "“{key}” must list folder paths").format(key=self._name(key))
            )
        return tuple(Path(item) for item in items)

    def language(self, key: str) -> str | None:
        """A language code such as "fr" or "pt_BR"; None (follow the system) when absent."""
        value = self.text(key, None)
        if value is None:
            return None
        if not LANGUAGE_CODE.fullmatch(value):
            raise self._unknown(key, value)
        return value

    def policies(self, key: str) -> dict[str, ToolPolicy]:
        section = self.section(key)
        return {name: section.enum(name, ToolPolicy, ToolPolicy.ASK) for name in section.names()}

    def names(self) -> list[str]:
        return list(self._data)

    def integer(
        self, key: str, default: int, *, low: int | None = None, high: int | None = None
    ) -> int:
        value = self.optional_integer(key, low=low, high=high)
        return default if value is None else value

    def optional_integer(
        self, key: str, *, low: int | None = None, high: int | None = None
    ) -> int | None:
        value = self._get(key, int)
        if not isinstance(value, int):
            return None
        self._check_range(key, value, low, high)
        return value

    def number(self, key: str, default: float, *, low: float, high: float) -> float:
        value = self._get(key, int, float)
        if not isinstance(value, int | float):
            return default
        self._check_range(key, value, low, high)
        return float(value)

    def enum(self, key: str, kind: type[_E], default: _E) -> _E:
        value = self._get(key, str)
        if value is None:
            return default
        try:
            return kind(str(value))
        except ValueError:
            raise self._unknown(key, str(value)) from None

    def _unknown(self, key: str, value: str) -> SettingsError:
        message = translate("Settings", "“{key}” has an unknown value “{value}”")
        return SettingsError(message.format(key=self._name(key), value=value))

    def _check_range(self, key: str, value: float, low: float | None, high: float | None) -> None:
        if (low is not None and value < low) or (high is not None and value > high):
            message = translate("Settings", "“{key}” is out of range ({value})")
            raise SettingsError(message.format(key=self._name(key), value=value))
