"""Chat → Switch model or context: another quant or context from the chat, with the planner's
verdict shown before the switch; the conversation goes on and each answer records its quant."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.kv_cache import KvCacheType
from app.models.fit_planner import apple_budget, nvidia_budget
from app.models.hardware import GIB
from app.paths import models_dir
from app.qt_bridge.engine_controller import EngineController, EngineState
from app.qt_bridge.settings_controller import SettingsController
from app.ui.main_window import MainWindow
from app.ui.switch_model_dialog import SwitchModelDialog
from tests.fixtures.fake_hub import FakeHub
from tests.fixtures.models import gguf_payload
from tests.qt.drive import send, view_of
from tests.qt.models_window import REPO, ModelsWindow
from tests.qt.observed_store import ObservedStore

Q4 = "Mistral-Small-3.2-24B-Instruct-2506-Q4_K_M.gguf"
Q8 = "Mistral-Small-3.2-24B-Instruct-2506-Q8_0.gguf"


@pytest.fixture
def builder(
    settings: SettingsController, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ModelsWindow]:
    hub = FakeHub()
    hub.add(REPO, "Tiny-Q4_K_M.gguf", gguf_payload(4096))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    with hub.running():
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        made = ModelsWindow(settings, tmp_path)
        yield made
        made.close()


def on_disk(name: str, size: int) -> Path:
    path = models_dir() / "imported" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gguf_payload(size))
    return path


def opened(qtbot: QtBot, window: MainWindow) -> SwitchModelDialog:
    window.status.model_clicked.emit()  # a click on the model's name in the status bar
    dialog = window.findChild(SwitchModelDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.files.count() == 2, timeout=10000)
    return dialog


def test_switching_quant_and_context_keeps_the_conversation_and_records_the_quant(
    qtbot: QtBot,
    builder: ModelsWindow,
    store: ObservedStore,
    engine: EngineController,
    settings: SettingsController,
) -> None:
    window = builder.window(qtbot, store, engine)
    q4, q8 = on_disk(Q4, 8192), on_disk(Q8, 12288)
    with qtbot.waitSignal(engine.loaded, timeout=5000):
        window.loader.load(q4)
    qtbot.waitUntil(lambda: engine.state is EngineState.READY)
    send(qtbot, window, "First question")
    conversation = window.chat.conversation_id
    dialog = opened(qtbot, window)

    assert dialog.selected_file() is not None
    assert dialog.files.currentItem().text().endswith("·  loaded")
    dialog.select_file(Q8)
    dialog.select_setting(65536, KvCacheType.Q8_0)
    assert dialog.verdict_label.text().startswith(
        "Q8_0 with q8_0 KV cache and a 64K context, all on the RTX 4090 (24.0 GB): "
    )
    assert dialog.switch_button.isEnabled()

    with qtbot.waitSignal(engine.loaded, timeout=5000) as loaded:
        dialog.switch_button.click()

    assert loaded.args[0].model_path == q8
    assert engine.pending_load is not None
    assert (engine.pending_load.n_ctx, engine.pending_load.kv_cache_type) == (
        65536,
        KvCacheType.Q8_0,
    )
    assert settings.settings.model.model_path == q8
    assert settings.settings.model.n_ctx == 65536
    assert window.chat.conversation_id == conversation
    qtbot.waitUntil(lambda: engine.state is EngineState.READY)
    send(qtbot, window, "Second question")
    assert window.chat.conversation_id == conversation
    quants = [
        meta.quant
        for turn in view_of(window).turns
        if (meta := store.answer_meta(turn.node.id)) is not None
    ]
    assert quants == ["Q4_K_M", "Q8_0"]
    assert "Q8_0" in window.status.model_text


def test_a_setting_that_does_not_fit_is_said_and_cannot_be_chosen(
    qtbot: QtBot,
    builder: ModelsWindow,
    store: ObservedStore,
    engine: EngineController,
) -> None:
    builder.budget = nvidia_budget(8 * GIB, 8 * GIB, "RTX 4060")
    window = builder.window(qtbot, store, engine)
    q4 = on_disk(Q4, 8192)
    on_disk(Q8, 12288)
    with qtbot.waitSignal(engine.loaded, timeout=5000):
        window.loader.load(q4)
    dialog = opened(qtbot, window)

    dialog.select_setting(131072, KvCacheType.F16)

    assert "won't fit: it needs" in dialog.verdict_label.text()
    assert not dialog.switch_button.isEnabled()
    dialog.accept()
    assert dialog.isVisible()
    assert engine.loaded_model is not None and engine.loaded_model.model_path == q4


def test_on_a_24_gb_mac_the_dialog_gives_the_way_past_metals_limit(
    qtbot: QtBot,
    builder: ModelsWindow,
    store: ObservedStore,
    engine: EngineController,
) -> None:
    builder.budget = apple_budget(24 * GIB)  # the Mac's figures faked: not run on a Mac
    window = builder.window(qtbot, store, engine)
    q4 = on_disk(Q4, 8192)
    with q4.open("r+b") as handle:
        handle.truncate(14_333_922_848)  # sparse: the planner reads the size
    on_disk(Q8, 12288)
    with qtbot.waitSignal(engine.loaded, timeout=5000):
        window.loader.load(q4)
    dialog = opened(qtbot, window)
    dialog.select_file(Q4)

    dialog.select_setting(131072, KvCacheType.Q4_0)
    assert dialog.vision_label.text().startswith("This does not count a vision projector")
    routes = dialog.metal_box.routes
    assert routes is not None and not dialog.metal_box.isHidden()
    assert routes.quant == "Q4_K_M" and routes.wired.possible
    text = dialog.metal_box.text_label.text()
    assert f"sudo sysctl iogpu.wired_limit_mb={routes.wired.limit_mb}" in text
    assert "administrator" in text and "until the Mac restarts" in text

    dialog.select_setting(8192, KvCacheType.Q8_0)  # fits as things are: no route
    assert dialog.metal_box.isHidden()
