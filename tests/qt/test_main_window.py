"""The main window as a whole: model loading, sidebar actions, menus, shortcuts, export/import."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.core.conversation import ExportFormat
from app.engine.protocol import Backend
from app.main import build_window
from app.qt_bridge.engine_controller import EngineController
from app.qt_bridge.settings_controller import SettingsController
from app.settings import AppearanceSettings, ThemeChoice, load_settings
from app.ui.composer import ComposerMode
from app.ui.main_window import MainWindow
from app.ui.settings_dialog import SettingsDialog
from app.ui.shortcuts import ShortcutsDialog
from app.ui.theme import ThemeManager
from tests.qt.drive import load_model, send, view_of, wait_idle
from tests.qt.observed_store import ObservedStore
from tests.qt.recording_view import RecordingChatView
from tests.qt.scripted_engine import Script, ScriptedEngineClient, fake_model_file


def titles(window: MainWindow) -> list[str]:
    return [r.title for r in window.sidebar.conversations.items()]


# ---- no model, loading --------------------------------------------------------------------------


def test_without_a_model_the_composer_says_so_and_offers_to_load_one(
    qtbot: QtBot, window: MainWindow, engine_clients: list[ScriptedEngineClient]
) -> None:
    assert window.composer.mode is ComposerMode.NO_MODEL
    assert window.status.model_text == "No model loaded"
    assert not window.composer._edit.isEnabled()
    assert engine_clients == []  # no engine process until a model is loaded
    assert window.sidebar.empty_label.text() == "No conversations yet."


def test_load_model_button_opens_a_file_dialog_and_loads_the_choice(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = fake_model_file(tmp_path, "Mistral-Small-3.2-24B-Instruct-2506-UD-Q4_K_XL.gguf")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *args: (str(model), "GGUF models (*.gguf)")
    )
    engine = window.chat._engine
    with qtbot.waitSignal(engine.loaded, timeout=5000):
        window.composer._banner_button.click()
    assert window.status.model_text == "Mistral-Small-3.2-24B-Instruct-2506 · UD-Q4_K_XL"
    assert window.status.backend_text == "CPU only"
    assert window.composer.mode is ComposerMode.READY
    assert window.chat._settings.settings.model.model_path == model
    saved = load_settings(window.chat._settings._path).settings
    assert saved.model.model_path == model


def test_a_file_that_is_not_a_model_is_refused_with_a_reason(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, engine_clients: list[ScriptedEngineClient]
) -> None:
    notes = tmp_path / "notes.gguf"
    notes.write_text("hello")
    assert not window.loader.load(notes)
    assert "not a GGUF model file" in window.notice.text
    assert not window.loader.load(tmp_path / "gone.gguf")
    assert "does not exist" in window.notice.text
    assert engine_clients == []


def test_the_model_of_the_last_session_loads_after_the_window_shows(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, script: Script
) -> None:
    window.chat._settings.set_model_path(fake_model_file(tmp_path))
    script.backend = Backend.CUDA
    with qtbot.waitSignal(window.chat._engine.loaded, timeout=5000):
        window.workspace.start()
    assert window.status.backend_text == "CUDA"


# ---- sidebar ------------------------------------------------------------------------------------


def test_new_chat_shortcut_starts_an_empty_conversation(
    qtbot: QtBot, window: MainWindow, store: ObservedStore, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    send(qtbot, window, "One")
    assert window.chat.conversation_id is not None
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.chat.conversation_id is None
    assert view_of(window).turns == []
    assert window.composer._edit.hasFocus()
    send(qtbot, window, "Two")
    assert titles(window) == ["Two", "One"]  # newest first


def test_clicking_a_conversation_opens_it(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    load_model(qtbot, window, tmp_path)
    send(qtbot, window, "One")
    window.new_chat()
    send(qtbot, window, "Two")
    view = window.sidebar.list_view
    rect = view.visualRect(window.sidebar.conversations.index(1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view_of(window).contents()[0] == ("user", "One")


def test_rename_and_pin(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    load_model(qtbot, window, tmp_path)
    send(qtbot, window, "Old one")
    window.new_chat()
    send(qtbot, window, "New one")
    old_id = window.sidebar.conversations.items()[1].id
    window.sidebar.rename_requested.emit(old_id, "Renamed")
    assert titles(window) == ["New one", "Renamed"]
    window.sidebar.pin_requested.emit(old_id, True)
    assert titles(window) == ["Renamed", "New one"]
    assert window.sidebar.conversations.items()[0].pinned


def test_delete_then_undo_then_delete_for_good(
    qtbot: QtBot, window: MainWindow, store: ObservedStore, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    send(qtbot, window, "Keep")
    window.new_chat()
    send(qtbot, window, "Doomed")
    doomed = window.chat.conversation_id
    assert doomed is not None
    window.sidebar.delete_requested.emit(doomed)
    assert titles(window) == ["Keep"]
    assert window.chat.conversation_id is None
    assert window.sidebar.undo_bar.isVisible()
    assert "Doomed" in window.sidebar.undo_bar.message

    window.sidebar.undo_bar.undo_button.click()
    assert titles(window) == ["Doomed", "Keep"]
    assert window.chat.conversation_id == doomed
    assert view_of(window).contents()[0] == ("user", "Doomed")

    window.sidebar.delete_requested.emit(doomed)
    window.sidebar.undo_bar.show_message("gone", seconds=0)
    qtbot.waitUntil(lambda: not window.sidebar.undo_bar.isVisible())
    with pytest.raises(KeyError):
        store.snapshot(doomed)


def test_search_finds_messages_and_opens_the_conversation_at_the_hit(
    qtbot: QtBot, window: MainWindow, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    script.answers = ["Paris is the capital.", "Berlin it is."]
    send(qtbot, window, "Capital of France?")
    window.new_chat()
    send(qtbot, window, "Capital of Germany?")
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.sidebar.search_field.hasFocus()
    qtbot.keyClicks(window.sidebar.search_field, "paris")
    qtbot.waitUntil(lambda: len(window.sidebar.results.hits()) == 1, timeout=3000)
    hit = window.sidebar.results.hits()[0]
    assert hit.snippet[hit.highlights[0][0] : hit.highlights[0][1]] == "Paris"
    window.sidebar.search_hit_activated.emit(hit.conversation_id, hit.message_id)
    view = view_of(window)
    assert view.contents()[1] == ("assistant", "Paris is the capital.")
    assert view.focused == hit.message_id


def test_a_hit_on_another_branch_shows_that_branch(
    qtbot: QtBot, window: MainWindow, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    script.answers = ["Answer about apples.", "Answer about pears."]
    send(qtbot, window, "Fruit?")
    window.chat.regenerate()
    wait_idle(qtbot, window)
    window.sidebar.search_field.setText("apples")
    window.workspace.conversations.search("apples")
    (hit,) = window.sidebar.results.hits()
    window.sidebar.search_hit_activated.emit(hit.conversation_id, hit.message_id)
    assert view_of(window).contents()[-1] == ("assistant", "Answer about apples.")


# ---- menus and shortcuts ------------------------------------------------------------------------


def test_copy_last_answer_and_focus_composer_shortcuts(
    qtbot: QtBot, window: MainWindow, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    send(qtbot, window, "Hello")
    window.sidebar.search_field.setFocus()
    qtbot.keyClick(
        window,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert QGuiApplication.clipboard().text() == script.answer
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.composer._edit.hasFocus()


def test_help_shows_the_keyboard_shortcuts(qtbot: QtBot, window: MainWindow) -> None:
    seen: list[int] = []

    def close_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ShortcutsDialog)
        seen.append(len(dialog.rows))
        dialog.reject()

    QTimer.singleShot(100, close_dialog)
    window.commands.shortcuts.trigger()
    assert seen and seen[0] >= 10
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Chat", "&Help"]


def test_settings_dialog_changes_apply_and_are_saved(
    qtbot: QtBot, store: ObservedStore, engine: EngineController, settings: SettingsController
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme = ThemeManager(app)
    window = build_window(
        settings=settings, store=store, engine=engine, chat_view=RecordingChatView(), theme=theme
    )
    qtbot.addWidget(window)

    def change_and_accept() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SettingsDialog)
        dialog.user_name.setText("Ada")
        dialog.font_size.setValue(13)
        dialog.accept()

    QTimer.singleShot(100, change_and_accept)
    window.commands.settings.trigger()
    chosen = settings.settings
    assert chosen.user_name == "Ada"
    assert chosen.appearance.font_size == 13
    assert load_settings(settings._path).settings.user_name == "Ada"
    window.apply_settings(replace(chosen, appearance=AppearanceSettings(ThemeChoice.DARK, 13)))
    assert theme.dark


def test_changed_model_settings_reload_the_model(
    qtbot: QtBot, window: MainWindow, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    settings = window.chat._settings.settings
    with qtbot.waitSignal(window.chat._engine.loaded, timeout=5000) as blocker:
        window.apply_settings(replace(settings, model=replace(settings.model, n_ctx=2048)))
    assert blocker.args[0].n_ctx == 2048


# ---- export and import --------------------------------------------------------------------------


def test_export_markdown_json_all_and_import_back(
    qtbot: QtBot,
    window: MainWindow,
    store: ObservedStore,
    script: Script,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_model(qtbot, window, tmp_path)
    send(qtbot, window, "Export me")
    conversation_id = window.chat.conversation_id
    assert conversation_id is not None
    target = tmp_path / "out.md"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(target), ""))
    window.commands.export_markdown.trigger()
    qtbot.waitUntil(lambda: target.exists() and "Exported" in window.notice.text)
    assert "Export me" in target.read_text()

    json_target = tmp_path / "one.json"
    window.workspace.conversations.export_conversation(
        conversation_id, ExportFormat.JSON, json_target
    )
    qtbot.waitUntil(json_target.exists)

    all_target = tmp_path / "all.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(all_target), ""))
    window.commands.export_all.trigger()
    qtbot.waitUntil(all_target.exists)
    assert json.loads(all_target.read_text())["conversations"][0]["title"] == "Export me"

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(all_target), ""))
    window.commands.import_json.trigger()
    qtbot.waitUntil(lambda: titles(window) == ["Export me", "Export me"])
    assert "Imported 1 conversation" in window.notice.text  # the plural form is the language's


def test_a_failed_import_or_export_is_shown(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[]")
    window.workspace.conversations.import_file(bad)
    qtbot.waitUntil(lambda: "not a Tramontane conversation export" in window.notice.text)
    window.workspace.conversations.export_all(tmp_path / "missing-folder" / "all.json")
    qtbot.waitUntil(lambda: "could not be written" in window.notice.text)


def test_closing_saves_a_streaming_answer(
    qtbot: QtBot, window: MainWindow, store: ObservedStore, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    script.answer = "long " * 300
    script.token_interval_s = 0.01
    send(qtbot, window, "Go", wait=False)
    qtbot.waitUntil(lambda: bool(view_of(window).streams) and view_of(window).appends > 5)
    window.close()
    assert any(state.value == "streaming" and text for _, text, state in store.updates)


# ---- start-up refusals --------------------------------------------------------------------------


def test_a_second_instance_is_refused_with_a_message(
    qtbot: QtBot, tramontane_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.main import run_gui
    from app.store import open_store

    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "critical", lambda parent, title, text: shown.append(f"{title}: {text}")
    )
    first = open_store()  # as the running program holds it
    try:
        assert run_gui([]) == 1
    finally:
        first.close()
    assert shown == [
        "Tramontane cannot start: Tramontane is already running. "
        "Switch to its window, or close it first."
    ]


def test_an_unwritable_data_folder_is_refused_with_a_message(
    qtbot: QtBot, tramontane_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.main import run_gui

    tramontane_home.mkdir(parents=True, exist_ok=True)
    (tramontane_home / "data").write_text("a file where the folder should be")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    assert run_gui([]) == 1
    assert len(shown) == 1 and "data folder" in shown[0]
