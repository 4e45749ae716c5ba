"""Settings → Model → Quick reopening, and the window's side of KV snapshots without an engine
running: the settings reach the engine controller, Delete all empties the folder."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import shiboken6
from PySide6.QtCore import SIGNAL, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from app.engine.protocol import ReadProgress
from app.qt_bridge.engine_controller import EngineController
from app.qt_bridge.settings_controller import SettingsController
from app.qt_bridge.snapshot_bridge import SnapshotBridge, describe_read_progress
from app.settings import ConversationOverrides, ModelSettings, Settings, same_load
from app.ui.conversation_settings_dialog import ConversationSettingsDialog
from app.ui.main_window import MainWindow
from app.ui.settings_dialog import SettingsDialog


def test_the_model_page_sets_snapshots_and_budget_and_says_the_space_in_use(
    qtbot: QtBot,
) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    box = dialog.snapshots
    assert box.enabled.isChecked() and box.budget.value() == 20

    box.enabled.setChecked(False)
    box.budget.setValue(5)
    box.show_usage(2, 3_500_000_000)

    model = dialog.settings().model
    assert (model.kv_snapshots, model.snapshot_budget_gb) == (False, 5)
    usage = box.usage.text()  # "2 conversation(s)" until the English catalogue picks the plural
    assert usage.startswith("2 conversation") and usage.endswith(", 3.50 GB")
    assert same_load(model, ModelSettings())  # no reload for these


def test_delete_all_empties_the_folder_even_with_no_engine_running(
    qtbot: QtBot, tmp_path: Path
) -> None:
    settings = SettingsController(Settings())
    engine = EngineController()
    bridge = SnapshotBridge(engine, settings, tmp_path)
    bridge.folder.mkdir()
    for name in ("1.kvsnap", "2.kvsnap"):
        (bridge.folder / name).write_bytes(b"x" * 100)
    told: list[tuple[int, int]] = []
    bridge.usage_changed.connect(lambda files, size: told.append((files, size)))

    bridge.forget(1)
    assert sorted(p.name for p in bridge.folder.iterdir()) == ["2.kvsnap"]
    bridge.delete_all()

    assert list(bridge.folder.iterdir()) == []
    assert told[-1] == (0, 0)


def test_turning_snapshots_off_tells_the_engine_controller(qtbot: QtBot, tmp_path: Path) -> None:
    settings = SettingsController(Settings())
    engine = EngineController()
    bridge = SnapshotBridge(engine, settings, tmp_path)
    assert engine._snapshots.folder == tmp_path / "kv-snapshots"

    model = replace(settings.settings.model, kv_snapshots=False)
    settings.update(replace(settings.settings, model=model))

    assert engine._snapshots.folder is None
    assert bridge.folder == tmp_path / "kv-snapshots"


def test_reading_progress_reads_as_tokens_and_time_left() -> None:
    reading = ReadProgress(1, 25_000, 100_000, 95.0)
    assert describe_read_progress(reading) == (
        "Reading the conversation: 25,000 of 100,000 tokens, about 1 min 35 s left (Stop cancels)."
    )
    restored = ReadProgress(1, 99_990, 100_000, None, restored=True)
    assert "restored from disk" in describe_read_progress(restored)


def test_conversation_settings_offer_todays_date_with_a_warning(qtbot: QtBot) -> None:
    started = date.today() - timedelta(days=3)
    dialog = ConversationSettingsDialog(
        "Winds", ConversationOverrides(), Settings(), prompt_date=started
    )
    qtbot.addWidget(dialog)
    assert f"{started.day} {started:%B %Y}" in dialog.date.label.text()
    assert not dialog.renew_date and dialog.date.warning.isHidden()

    dialog.date.renew.setChecked(True)

    assert dialog.renew_date and not dialog.date.warning.isHidden()


def test_a_closed_settings_window_is_deleted_and_hears_no_more(
    qtbot: QtBot, window: MainWindow
) -> None:
    snapshots = window.workspace.snapshots
    usage = SIGNAL("usage_changed(int,int)")
    listening = snapshots.receivers(usage)
    while_open: list[int] = []
    opened: list[QWidget] = []

    def close() -> None:
        while_open.append(snapshots.receivers(usage))
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog):
            opened.append(dialog)
            dialog.reject()

    for _ in range(2):
        QTimer.singleShot(0, close)
        window.settings_flow.open_settings()
    assert while_open == [listening + 1] * 2  # each opening is told the space in use once
    assert snapshots.receivers(usage) == listening
    assert len(opened) == 2
    qtbot.waitUntil(lambda: not any(shiboken6.isValid(d) for d in opened), timeout=2000)
