"""Loading a model file: checks the user can act on at once, the planner's layer count for
"GPU layers: automatic", then the engine does the rest. A load that runs out of memory is tried
once more with the next smaller plan, and the user is told."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.core.i18n import translate
from app.engine.protocol import EngineError, ErrorKind, LoadModel
from app.models.fit_load import smaller_plan, speed_cost_words
from app.models.fit_planner import MISTRAL_SMALL_3_2
from app.models.local_models import is_unverified
from app.qt_bridge.engine_controller import EngineController
from app.qt_bridge.machine_memory import MachineMemory
from app.qt_bridge.settings_controller import SettingsController
from app.settings import AUTOMATIC_GPU_LAYERS

GGUF_MAGIC = b"GGUF"


def check_model_file(path: Path) -> str | None:
    """A message for the user when the file clearly cannot be a model; None when it may be."""
    if not path.exists():
        return translate(
            "ModelLoader", "The model file {path} does not exist (was it moved or deleted?)."
        ).format(path=path)
    if path.is_dir():
        return translate("ModelLoader", "{path} is a folder; choose a .gguf model file.").format(
            path=path
        )
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as exc:
        return translate("ModelLoader", "The model file {path} cannot be read: {reason}.").format(
            path=path, reason=exc.strerror or exc
        )
    if magic != GGUF_MAGIC:
        return translate("ModelLoader", "{name} is not a GGUF model file.").format(name=path.name)
    return None


def retry_message(failed: LoadModel, layers: int, *, unified: bool) -> str:
    units = MISTRAL_SMALL_3_2.offload_units
    tried = units if failed.n_gpu_layers < 0 else failed.n_gpu_layers
    cost = speed_cost_words(layers, units, unified=unified)
    return translate(
        "ModelLoader",
        "{name} did not fit in memory with {tried} of {units} layers on the GPU; loading it "
        "again with {layers} ({cost}).",
    ).format(name=failed.model_path.name, tried=tried, units=units, layers=layers, cost=cost)


class ModelLoader(QObject):
    refused = Signal(str)  # a file the engine is not even asked to load, and why
    confirm_unverified = Signal(
        object
    )  # Path downloaded without a SHA-256: load if the user agrees
    retrying = Signal(str)  # a load ran out of memory and goes again with fewer GPU layers

    def __init__(
        self,
        engine: EngineController,
        settings: SettingsController,
        parent: QObject | None = None,
        *,
        memory: MachineMemory | None = None,
    ) -> None:
        super().__init__(parent)
        self._engine = engine
        self._settings = settings
        self._trusted: set[Path] = set()  # unverified files the user chose to load
        self.memory = memory or MachineMemory(engine, parent=self)
        self._retry_allowed = False  # one retry per load the user asked for
        engine.loaded.connect(self._spend_retry)

    def _spend_retry(self) -> None:
        """A load that succeeded: a later crash is no load's to retry."""
        self._retry_allowed = False

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
        model = self._settings.settings.model
        command = model.load_command(path, self.memory.budget())
        self._retry_allowed = model.n_gpu_layers == AUTOMATIC_GPU_LAYERS
        self._engine.load_model(replace(command, use_builtin_template=builtin_template))
        return True

    def retry_smaller(self, error: EngineError) -> bool:
        """After a load that ran out of memory (or took the engine down): load again, once,
        with the next smaller plan. False when this error is not such a load's, or the one
        retry was spent, or no smaller plan is left; the error is then the user's to read."""
        command = self._engine.pending_load
        out_of_memory = error.kind in (ErrorKind.OUT_OF_MEMORY, ErrorKind.ENGINE_CRASHED)
        if not (self._retry_allowed and out_of_memory and error.request_id is None):
            return False
        if command is None:
            return False
        self._retry_allowed = False
        budget = self.memory.budget()
        if not budget.has_gpu:
            return False  # nothing to move off a GPU: the memory that lacked is the RAM
        setting = self._settings.settings.model.load_setting(command.model_path)
        layers = smaller_plan(setting, command.n_gpu_layers)
        if layers is None:
            return False
        self.retrying.emit(retry_message(command, layers, unified=budget.unified))
        self._engine.load_model(replace(command, n_gpu_layers=layers))
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
