"""Loading a model file: checks the user can act on at once, then the engine does the rest."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.models.local_models import is_unverified
from app.qt_bridge.engine_controller import EngineController
from app.qt_bridge.settings_controller import SettingsController

GGUF_MAGIC = b"GGUF"


def check_model_file(path: Path) -> str | None:
    """A message for the user when the file clearly cannot be a model; None when it may be."""
    if not path.exists():
        return f"The model file {path} does not exist (was it moved or deleted?)."
    if path.is_dir():
        return f"{path} is a folder; choose a .gguf model file."
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as exc:
        return f"The model file {path} cannot be read: {exc.strerror or exc}."
    if magic != GGUF_MAGIC:
        return f"{path.name} is not a GGUF model file."
    return None


class ModelLoader(QObject):
    refused = Signal(str)  # a file the engine is not even asked to load, and why
    confirm_unverified = Signal(
        object
    )  # Path downloaded without a SHA-256: load if the user agrees

    def __init__(
        self, engine: EngineController, settings: SettingsController, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._engine = engine
        self._settings = settings
        self._trusted: set[Path] = set()  # unverified files the user chose to load

    def current_path(self) -> Path | None:
        """The file of the loaded model, if one is loaded."""
        loaded = self._engine.loaded_model
        return loaded.model_path if loaded is not None else None

    def load(self, path: Path, *, builtin_template: bool = False, confirmed: bool = False) -> bool:
        """Load `path`; a file downloaded unverified only once the user confirms (`confirmed`,
        else `confirm_unverified` asks; the answer holds for this session)."""
        problem = check_model_file(path)
        if problem is not None:
            self.refused.emit(problem)
            return False
        if confirmed:
            self._trusted.add(path)
        elif is_unverified(path) and path not in self._trusted:
            self.confirm_unverified.emit(path)
            return False
        self._settings.set_model_path(path)
        command = self._settings.settings.model.load_command(path)
        self._engine.load_model(replace(command, use_builtin_template=builtin_template))
        return True

    def load_with_builtin_template(self) -> bool:
        """Load the current model with Tramontane's own Mistral Small 3.2 chat template, for a
        file whose template is missing or broken."""
        path = self._settings.settings.model.model_path
        return path is not None and self.load(path, builtin_template=True)

    def load_remembered(self) -> bool:
        """Load the model of the last session, if there is one; say so when it is gone."""
        path = self._settings.settings.model.model_path
        return path is not None and self.load(path)

    def reload(self) -> bool:
        """Load the current model again, with the model settings as they are now."""
        return self.load_remembered()
