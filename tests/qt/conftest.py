"""Qt test setup: the scripted engine, the store double and the real main window around them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.sampling import SamplingParams
from app.main import build_window
from app.qt_bridge.engine_controller import EngineController
from app.qt_bridge.settings_controller import SettingsController
from app.settings import ModelSettings, Settings
from app.ui.main_window import MainWindow
from tests.qt.drive import load_model
from tests.qt.observed_store import ObservedStore
from tests.qt.recording_view import RecordingChatView
from tests.qt.scripted_engine import Script, ScriptedEngineClient, scripted_factory

TEST_SETTINGS = Settings(
    model=ModelSettings(n_ctx=4096),
    sampling=SamplingParams(max_tokens=256),
)


@pytest.fixture
def script() -> Script:
    return Script()


@pytest.fixture
def engine_clients() -> list[ScriptedEngineClient]:
    return []


@pytest.fixture
def engine(
    qtbot: object, script: Script, engine_clients: list[ScriptedEngineClient]
) -> Iterator[EngineController]:
    controller = EngineController(scripted_factory(script, engine_clients))
    yield controller
    controller.shutdown(timeout=2.0)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ObservedStore]:
    observed = ObservedStore(tmp_path / "conversations.sqlite3")
    yield observed
    observed.close()


@pytest.fixture
def settings(tmp_path: Path) -> SettingsController:
    return SettingsController(TEST_SETTINGS, tmp_path / "settings.json")


@pytest.fixture
def window(
    qtbot: QtBot, store: ObservedStore, engine: EngineController, settings: SettingsController
) -> Iterator[MainWindow]:
    view = RecordingChatView()
    main_window = build_window(settings=settings, store=store, engine=engine, chat_view=view)
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitExposed(main_window)
    yield main_window
    main_window.workspace.conversations.tasks.wait(5000)


@pytest.fixture
def window_with_real_engine(
    qtbot: QtBot, store: ObservedStore, tmp_path: Path
) -> Iterator[MainWindow]:
    """The window with the real engine process; answers are kept short for speed."""
    settings = SettingsController(
        Settings(
            model=ModelSettings(n_ctx=2048, n_gpu_layers=0),
            sampling=SamplingParams(max_tokens=24, seed=7),
        ),
        tmp_path / "settings.json",
    )
    engine = EngineController()
    main_window = build_window(
        settings=settings, store=store, engine=engine, chat_view=RecordingChatView()
    )
    qtbot.addWidget(main_window)
    main_window.show()
    yield main_window
    engine.shutdown(timeout=10.0)


@pytest.fixture
def seeing(
    qtbot: QtBot, window: MainWindow, settings: SettingsController, tmp_path: Path
) -> MainWindow:
    """The window with a model loaded with its vision projector."""
    projector = tmp_path / "mmproj-F16.gguf"
    projector.write_bytes(b"GGUF")
    model = replace(settings.settings.model, mmproj_path=projector)
    settings.update(replace(settings.settings, model=model))
    load_model(qtbot, window, tmp_path)
    assert window.workspace.can_see_images()
    return window
