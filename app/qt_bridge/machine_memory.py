"""The memory the planner counts on: the machine as detected once, with the GPU figures the
engine process last reported through llama.cpp's device API (remembered across runs).

Before the engine has ever reported, NVIDIA cards are read through NVML or nvidia-smi and a Mac
falls back to the rule of thumb for Metal's limit.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.core.device_memory import GpuMemory
from app.models.fit_planner import MemoryBudget
from app.models.gpu_readings import load_readings, readings_path, save_readings
from app.models.hardware import MachineInfo, detect_machine, with_device_readings
from app.paths import models_dir
from app.qt_bridge.engine_controller import EngineController

Detect = Callable[[], MachineInfo]


def detect_this_machine() -> MachineInfo:
    return detect_machine(models_dir())


class MachineMemory(QObject):
    changed = Signal()  # new figures from the engine: verdicts may differ

    def __init__(
        self,
        engine: EngineController,
        *,
        path: Path | None = None,
        detect: Detect = detect_this_machine,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._engine = engine
        self._path = path
        self._detect = detect
        self._detected: MachineInfo | None = None
        self._readings: tuple[GpuMemory, ...] | None = None  # read from the file when first used
        engine.gpus_reported.connect(self.record)

    @property
    def readings(self) -> tuple[GpuMemory, ...]:
        if self._readings is None:
            self._readings = load_readings(self._file())
        return self._readings

    def machine(self) -> MachineInfo:
        """The machine with the latest GPU figures (safe to call from a worker thread)."""
        if self._detected is None:
            self._detected = self._detect()
        return with_device_readings(self._detected, self.readings)

    def budget(self) -> MemoryBudget:
        return MemoryBudget.for_machine(self.machine())

    def probe(self) -> None:
        """Ask the engine for its figures when none was ever remembered (the first run)."""
        if not self.readings:
            self._engine.query_devices()

    def limit_changed(self) -> None:
        """Metal's limit was raised: read the machine again; the engine's old figure is stale."""
        self._detected = None
        self._readings = tuple(gpu for gpu in self.readings if gpu.backend != "Metal")
        save_readings(self._readings, self._file())
        self.changed.emit()

    def record(self, gpus: tuple[GpuMemory, ...]) -> None:
        if gpus == self._readings:
            return
        self._readings = gpus
        save_readings(gpus, self._file())
        self.changed.emit()

    def _file(self) -> Path:
        return self._path or readings_path()
