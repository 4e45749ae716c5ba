"""Render the first-run welcome view and the Models window and save screenshots of them.

Run as `python -m tests.qt.first_run_screenshot_app THEME WELCOME.png MODELS.png [LANGUAGE]`
under a real X server, offline: the list of quants is the one shipped with Tramontane, judged for
a 24 GB RTX 4090 with 64 GB of RAM, and the files on disk are the ones this writes in
TRAMONTANE_HOME. LANGUAGE (such as fr) is the window's language, as Settings → Appearance →
Language sets it; without it, the system's. It prints the welcome page's start button's text.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.main import build_window, open_window_store
from app.models.fit_planner import nvidia_budget
from app.models.hardware import GIB
from app.models.hub import HubClient
from app.models.model_search import find_local_models
from app.models.other_tools import UserEnvironment
from app.paths import models_dir
from app.qt_bridge.engine_controller import EngineController
from app.qt_bridge.language import WindowLanguage
from app.qt_bridge.models_controller import ModelsController
from app.qt_bridge.settings_controller import SettingsController
from app.settings import AppearanceSettings, LibrarySettings, Settings, ThemeChoice
from app.store import SqliteStore
from app.ui.chat_view import ChatView
from app.ui.main_window import MainWindow
from app.ui.theme import ThemeManager
from tests.fixtures.models import gguf_payload
from tests.qt.scripted_engine import Script, scripted_factory

WINDOW_SIZE = (1280, 900)
DIALOG_SIZE = (960, 720)


def first_run_window(
    app: QApplication, theme: str, user: UserEnvironment
) -> tuple[MainWindow, EngineController, SqliteStore]:
    """The main window on its first run, offline, judged for an RTX 4090; the other programs'
    files are looked for in `user`'s home."""
    themes = ThemeManager(app)
    themes.apply(AppearanceSettings(ThemeChoice(theme), 10))
    home = Path(os.environ["TRAMONTANE_HOME"])
    settings = SettingsController(
        Settings(library=LibrarySettings(offline=True)), home / "settings.json"
    )

    def models() -> ModelsController:
        return ModelsController(
            settings=lambda: settings.settings,
            hub_factory=lambda library: HubClient(offline=True),
            budget=lambda: nvidia_budget(24 * GIB, 64 * GIB, "NVIDIA GeForce RTX 4090"),
            scan=lambda folders: find_local_models(folders, user=user),
        )

    engine = EngineController(scripted_factory(Script()))
    store = open_window_store()
    window = build_window(
        settings=settings,
        store=store,
        engine=engine,
        chat_view=ChatView(),
        theme=themes,
        models_factory=models,
    )
    window.resize(*WINDOW_SIZE)
    window.show()
    return window, engine, store


def main(theme: str, welcome_out: Path, models_out: Path, language: str | None = None) -> int:
    app = QApplication(sys.argv[:1])
    WindowLanguage(app).use(language)  # as the program does at start
    home = Path(os.environ["TRAMONTANE_HOME"])
    found = models_dir() / "imported"
    found.mkdir(parents=True, exist_ok=True)
    (found / "Mistral-Small-3.2-24B-Instruct-2506-Q3_K_M.gguf").write_bytes(gguf_payload(8192))
    (found / "Mistral-Small-3.2-24B-Instruct-2506-Q8_0.gguf").write_bytes(b"GGUF\x03\x00")
    window, engine, store = first_run_window(app, theme, UserEnvironment(home / "user"))
    welcome = window.show_welcome()

    def save_welcome() -> None:
        if not welcome.start_button.isEnabled():
            QTimer.singleShot(50, save_welcome)
            return
        app.processEvents()  # the layout catches up with the button's new text
        window.grab().save(str(welcome_out))
        print(welcome.start_button.text())  # for the caller to check the window's language
        dialog = window.open_models()
        dialog.resize(*DIALOG_SIZE)

        def save_models() -> None:
            if dialog.table.rowCount() == 0:
                QTimer.singleShot(50, save_models)
                return
            dialog.grab().save(str(models_out))
            app.quit()

        QTimer.singleShot(100, save_models)

    QTimer.singleShot(100, save_welcome)
    code = app.exec()
    engine.shutdown()
    store.close()
    return code


if __name__ == "__main__":
    language = sys.argv[4] if len(sys.argv) > 4 else None
    raise SystemExit(main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), language))
