"""The settings in use, shared by the window's parts: one place that changes and saves them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.settings import (
    ContextOverflow,
    Settings,
    SettingsSaveError,
    save_settings,
    settings_path,
)


class SettingsController(QObject):
    changed = Signal(object)  # Settings
    save_failed = Signal(str)  # a message for the user; the new settings stay in use

    def __init__(
        self, settings: Settings, path: Path | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._path = path or settings_path()

    @property
    def settings(self) -> Settings:
        return self._settings

    def update(self, settings: Settings) -> None:
        if settings == self._settings:
            return
        self._settings = settings
        try:
            save_settings(settings, self._path)
        except SettingsSaveError as exc:
            self.save_failed.emit(str(exc))
        self.changed.emit(settings)

    def set_model_path(self, model_path: Path) -> None:
        model = replace(self._settings.model, model_path=model_path)
        self.update(replace(self._settings, model=model))

    def set_context_overflow(self, choice: ContextOverflow) -> None:
        self.update(replace(self._settings, context_overflow=choice))
