"""A mirror that gives no SHA-256: the Models window marks its quants unverified, a download from
it is said to be unverified, and the first-run view asks before loading it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.paths import models_dir
from app.qt_bridge.engine_controller import EngineController, EngineState
from app.qt_bridge.settings_controller import SettingsController
from app.ui.main_window import MainWindow
from tests.fixtures.fake_hub import FakeHub
from tests.fixtures.models import gguf_payload
from tests.qt.models_window import REPO, ModelsWindow
from tests.qt.observed_store import ObservedStore
from tests.qt.test_models_dialog import listed, make_dialog

Q4 = "Tiny-Q4_K_M.gguf"
Q4_BYTES = gguf_payload(32 * 1024)


@pytest.fixture
def mirror(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    hub = FakeHub(hashes=False)
    hub.add(REPO, Q4, Q4_BYTES)
    hub.add(REPO, "Tiny-Q8_0.gguf", gguf_payload(8 * 1024))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    with hub.running():
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        yield hub


def test_the_models_window_says_unverified(
    qtbot: QtBot,
    window: MainWindow,
    engine: EngineController,
    settings: SettingsController,
    tmp_path: Path,
    mirror: FakeHub,
) -> None:
    dialog = make_dialog(qtbot, window, engine, settings, tmp_path)
    rows = {row[0]: row for row in listed(qtbot, dialog)}
    assert rows["Q4_K_M"][4] == "unverified"
    item = dialog.table.item(1, 4)
    assert "no SHA-256" in item.toolTip()

    dialog.select("Q4_K_M")
    with qtbot.waitSignal(dialog.controller.download_done, timeout=15000) as done:
        dialog.download_button.click()
    assert done.args[0].unverified == (Q4,)
    text = dialog.progress_label.text()
    assert "is downloaded but unverified: the hub gave no SHA-256" in text
    assert "and verified" not in text and text.endswith("Load it now?")
    qtbot.waitUntil(
        lambda: dialog.table.item(1, 4).text() == "✓ on disk, unverified", timeout=10000
    )
    disk = dialog.disk_panel.table
    states = {disk.item(r, 0).text(): disk.item(r, 4).text() for r in range(disk.rowCount())}
    assert states[Q4] == "Ready, unverified (no SHA-256 was given to check it)"
    dialog.controller.cancel()
    assert dialog.controller.wait(10.0)


def test_the_first_run_view_asks_before_loading_an_unverified_download(
    qtbot: QtBot,
    store: ObservedStore,
    engine: EngineController,
    settings: SettingsController,
    tmp_path: Path,
    mirror: FakeHub,
) -> None:
    builder = ModelsWindow(settings, tmp_path)
    window = builder.window(qtbot, store, engine)
    window.workspace.start()
    welcome = window.welcome
    assert welcome is not None
    qtbot.waitUntil(lambda: welcome.start_button.isEnabled(), timeout=10000)
    welcome.projector_check.setChecked(False)

    with qtbot.waitSignal(welcome.controller.download_done, timeout=15000):
        welcome.start_button.click()
    assert "unverified" in welcome.progress_label.text()
    assert welcome.progress_label.text().endswith("To load it, press Start.")
    qtbot.wait(100)
    assert engine.state is EngineState.NO_MODEL  # not loaded without asking
    qtbot.waitUntil(lambda: welcome.start_button.text() == "Start with Q4_K_M", timeout=10000)

    with qtbot.waitSignal(engine.loaded, timeout=5000) as loaded:
        welcome.start_button.click()
    assert loaded.args[0].model_path == models_dir() / "tester" / "Tiny-GGUF" / Q4
    builder.close()


def test_loading_an_unverified_file_from_disk_asks_first(
    qtbot: QtBot, window: MainWindow, engine: EngineController, tmp_path: Path
) -> None:
    path = tmp_path / "mirror" / Q4
    path.parent.mkdir()
    path.write_bytes(Q4_BYTES)
    path.with_name(Q4 + ".unverified").write_text("sha256 …, not given by the hub\n")

    assert not window.loader.load(path)
    assert f"{Q4} is unverified: the hub it came from gave no SHA-256" in window.notice.text
    assert engine.state is EngineState.NO_MODEL
    with qtbot.waitSignal(engine.loaded, timeout=5000):
        window.notice.action_button.click()  # "Load it anyway"
    assert window.loader.load(path)  # asked once a session
