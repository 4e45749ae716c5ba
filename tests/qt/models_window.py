"""The main window wired to a models controller that lists a test repository on the loopback fake
hub, judges it for a given machine and scans only the test's own folders."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.main import build_window
from app.models.downloader import Downloader
from app.models.fit_planner import MemoryBudget, nvidia_budget
from app.models.hardware import GIB
from app.models.hub import HubClient
from app.models.model_search import find_local_models
from app.models.other_tools import UserEnvironment
from app.qt_bridge.engine_controller import EngineController
from app.qt_bridge.models_controller import ModelsController
from app.qt_bridge.settings_controller import SettingsController
from app.ui.main_window import MainWindow
from tests.qt.observed_store import ObservedStore
from tests.qt.recording_view import RecordingChatView

REPO = "tester/Tiny-GGUF"
RTX_4090 = nvidia_budget(24 * GIB, 64 * GIB, "RTX 4090")


class ModelsWindow:
    """Builds the window; keeps the controllers it made so the test can wait for their threads."""

    def __init__(self, settings: SettingsController, folder: Path) -> None:
        self.settings = settings
        self.folder = folder
        self.budget: MemoryBudget = RTX_4090
        self.controllers: list[ModelsController] = []

    def controller(self) -> ModelsController:
        controller = ModelsController(
            settings=lambda: self.settings.settings,
            repo_id=REPO,
            hub_factory=lambda library: HubClient(library.hub_endpoint, token=False, timeout_s=5),
            downloader_factory=lambda hub: Downloader(hub, retry_delay_s=0.01),
            budget=lambda: self.budget,
            scan=lambda folders: find_local_models(folders, user=self.user()),
        )
        self.controllers.append(controller)
        return controller

    def user(self) -> UserEnvironment:
        """A home of the test's own: the HF cache in `hf-cache`, the other tools' defaults."""
        return UserEnvironment(self.folder, {"HF_HUB_CACHE": str(self.folder / "hf-cache")})

    def window(self, qtbot: QtBot, store: ObservedStore, engine: EngineController) -> MainWindow:
        window = build_window(
            settings=self.settings,
            store=store,
            engine=engine,
            chat_view=RecordingChatView(),
            models_factory=self.controller,
        )
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    def close(self) -> None:
        for controller in self.controllers:
            controller.cancel()
            assert controller.wait(10.0)
