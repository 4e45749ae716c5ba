"""The first-run view: the machine, the planner's recommendation, one click that downloads from
the loopback fake hub (or uses a copy on disk) and loads the model with the proposed setting."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.paths import models_dir
from app.qt_bridge.engine_controller import EngineController, EngineState
from app.qt_bridge.settings_controller import SettingsController
from app.ui.download_bar import PROGRESS_STEPS
from app.ui.main_window import MainWindow
from app.ui.welcome_view import WelcomeView
from tests.fixtures.fake_hub import FakeHub
from tests.fixtures.models import gguf_payload
from tests.fixtures.other_tools import llama_cpp_file, lm_studio_settings, ollama_model
from tests.qt.drive import fake_model_file, send
from tests.qt.models_window import REPO, ModelsWindow
from tests.qt.observed_store import ObservedStore

Q4 = "Tiny-Q4_K_M.gguf"
Q8 = "Tiny-Q8_0.gguf"
MMPROJ = "mmproj-F16.gguf"
Q4_BYTES = gguf_payload(64 * 1024)
Q8_BYTES = gguf_payload(8 * 1024)
MMPROJ_BYTES = gguf_payload(2048)


@pytest.fixture
def fake_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    hub = FakeHub()
    for name, content in ((Q4, Q4_BYTES), (Q8, Q8_BYTES), (MMPROJ, MMPROJ_BYTES)):
        hub.add(REPO, name, content)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    with hub.running():
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        yield hub


@pytest.fixture
def first_run_window(
    qtbot: QtBot,
    store: ObservedStore,
    engine: EngineController,
    settings: SettingsController,
    tmp_path: Path,
    fake_hub: FakeHub,
) -> Iterator[MainWindow]:
    builder = ModelsWindow(settings, tmp_path)
    yield builder.window(qtbot, store, engine)
    builder.close()


def welcomed(qtbot: QtBot, window: MainWindow) -> WelcomeView:
    window.workspace.start()
    welcome = window.welcome
    assert welcome is not None
    qtbot.waitUntil(lambda: welcome.start_button.isEnabled(), timeout=10000)
    return welcome


def test_a_first_run_recommends_a_quant_and_one_click_makes_the_chat_usable(
    qtbot: QtBot,
    first_run_window: MainWindow,
    settings: SettingsController,
    engine: EngineController,
) -> None:
    window = first_run_window
    welcome = welcomed(qtbot, window)

    assert window.chat_stack.currentWidget() is welcome and not window.composer.isVisible()
    assert welcome.machine_label.text() == "The model will run on the RTX 4090 (24.0 GB)."
    proposal = welcome.proposal
    assert proposal is not None and proposal.quant == "Q4_K_M"
    assert welcome.recommendation_label.text().startswith("Recommended: Q4_K_M with")
    assert welcome.projector_check.isVisible() and welcome.projector_check.isChecked()
    assert (
        welcome.start_button.text()
        == "Download Q4_K_M with the vision projector (67.6 kB) and start"
    )
    welcome.projector_check.setChecked(False)
    assert welcome.start_button.text() == "Download Q4_K_M (65.5 kB) and start"
    welcome.projector_check.setChecked(True)

    with qtbot.waitSignal(engine.loaded, timeout=15000) as loaded:
        welcome.start_button.click()

    assert welcome.progress_bar.value() == PROGRESS_STEPS
    assert loaded.args[0].model_path == models_dir() / "tester" / "Tiny-GGUF" / Q4
    model = settings.settings.model
    assert (model.n_ctx, model.kv_cache_type) == (proposal.n_ctx, proposal.kv_type)
    assert model.mmproj_path == models_dir() / "tester" / "Tiny-GGUF" / MMPROJ
    assert window.chat_stack.currentWidget() is window.chat_view
    assert window.composer.isVisible()
    qtbot.waitUntil(lambda: engine.state is EngineState.READY)
    send(qtbot, window, "Hello")
    assert window.chat.conversation_id is not None


def test_a_copy_in_the_hugging_face_cache_is_used_instead_of_downloading(
    qtbot: QtBot,
    first_run_window: MainWindow,
    engine: EngineController,
    fake_hub: FakeHub,
    tmp_path: Path,
) -> None:
    snapshot = tmp_path / "hf-cache" / "models--tester--Tiny-GGUF" / "snapshots" / ("c" * 40)
    for name, content in ((Q4, Q4_BYTES), (MMPROJ, MMPROJ_BYTES)):
        blob = snapshot.parents[1] / "blobs" / hashlib.sha256(content).hexdigest()
        blob.parent.mkdir(parents=True, exist_ok=True)
        blob.write_bytes(content)
        snapshot.mkdir(parents=True, exist_ok=True)
        (snapshot / name).symlink_to(blob)
    welcome = welcomed(qtbot, first_run_window)

    assert welcome.start_button.text() == "Start with Q4_K_M"
    found = f"A copy is already on disk (Hugging Face cache): {snapshot / Q4}"
    assert found in welcome.recommendation_label.text()
    with qtbot.waitSignal(engine.loaded, timeout=5000) as loaded:
        welcome.start_button.click()

    assert loaded.args[0].model_path == snapshot / Q4
    assert fake_hub.gets(Q4) == []


def test_a_model_ollama_keeps_is_used_in_place_and_only_the_projector_is_downloaded(
    qtbot: QtBot,
    first_run_window: MainWindow,
    engine: EngineController,
    settings: SettingsController,
    fake_hub: FakeHub,
    tmp_path: Path,
) -> None:
    blob, _ = ollama_model(tmp_path / ".ollama" / "models", REPO, "Q4_K_M", Q4_BYTES)
    welcome = welcomed(qtbot, first_run_window)

    assert f"A copy is already on disk (Ollama): {blob}" in welcome.recommendation_label.text()
    assert welcome.start_button.text() == "Download the vision projector (2.0 kB) and start"
    welcome.projector_check.setChecked(False)
    assert welcome.start_button.text() == "Start with Q4_K_M"
    welcome.projector_check.setChecked(True)
    with qtbot.waitSignal(engine.loaded, timeout=15000) as loaded:
        welcome.start_button.click()

    assert loaded.args[0].model_path == blob
    assert settings.settings.model.mmproj_path == models_dir() / "tester" / "Tiny-GGUF" / MMPROJ
    assert fake_hub.gets(Q4) == [] and len(fake_hub.gets(MMPROJ)) == 1
    assert blob.read_bytes() == Q4_BYTES


def test_with_both_files_in_other_tools_nothing_is_downloaded(
    qtbot: QtBot,
    first_run_window: MainWindow,
    engine: EngineController,
    settings: SettingsController,
    fake_hub: FakeHub,
    tmp_path: Path,
) -> None:
    model = llama_cpp_file(tmp_path / ".cache" / "llama.cpp", REPO, Q4, Q4_BYTES)
    chosen = tmp_path / "lm-models"
    projector = chosen / "tester" / "Tiny-GGUF" / MMPROJ
    projector.parent.mkdir(parents=True)
    projector.write_bytes(MMPROJ_BYTES)
    lm_studio_settings(tmp_path, chosen)
    welcome = welcomed(qtbot, first_run_window)

    assert welcome.start_button.text() == "Start with Q4_K_M"
    assert "(llama.cpp's cache)" in welcome.recommendation_label.text()
    with qtbot.waitSignal(engine.loaded, timeout=5000) as loaded:
        welcome.start_button.click()

    assert loaded.args[0].model_path == model
    assert settings.settings.model.mmproj_path == projector
    assert fake_hub.gets(Q4) == [] and fake_hub.gets(MMPROJ) == []


def test_a_failed_download_is_said_and_the_welcome_stays(
    qtbot: QtBot, first_run_window: MainWindow, fake_hub: FakeHub
) -> None:
    welcome = welcomed(qtbot, first_run_window)
    fake_hub.repos[REPO][Q4].served = gguf_payload(len(Q4_BYTES))  # other bytes, same size

    with qtbot.waitSignal(welcome.controller.download_failed, timeout=15000):
        welcome.start_button.click()

    assert welcome.error_label.isVisible()
    assert "arrived damaged" in welcome.error_label.text()
    assert first_run_window.chat_stack.currentWidget() is welcome
    assert welcome.start_button.isEnabled()


def test_with_a_model_from_before_the_window_opens_on_the_chat(
    qtbot: QtBot,
    first_run_window: MainWindow,
    settings: SettingsController,
    engine: EngineController,
    tmp_path: Path,
) -> None:
    settings.set_model_path(fake_model_file(tmp_path))
    with qtbot.waitSignal(engine.loaded, timeout=5000):
        first_run_window.workspace.start()
    assert first_run_window.welcome is None
    assert first_run_window.composer.isVisible()


def test_open_a_file_from_the_welcome_loads_it(
    qtbot: QtBot,
    first_run_window: MainWindow,
    engine: EngineController,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    welcome = welcomed(qtbot, first_run_window)
    chosen = fake_model_file(tmp_path)
    monkeypatch.setattr(
        "app.ui.main_window.QFileDialog.getOpenFileName", lambda *_args: (str(chosen), "")
    )
    with qtbot.waitSignal(engine.loaded, timeout=5000):
        welcome.open_file_requested.emit()
    assert first_run_window.chat_stack.currentWidget() is first_run_window.chat_view
    assert first_run_window.chat._settings.settings.model.model_path == chosen
