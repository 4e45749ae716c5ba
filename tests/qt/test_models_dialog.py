"""File → Models…: the catalog with fit verdicts, downloads against the loopback fake hub
(progress, pause, cancel, errors, offline) and Load into the scripted engine."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.core.kv_cache import KvCacheType
from app.models.catalog import DEFAULT_REPO
from app.models.download_types import DownloadRequest
from app.models.downloader import Downloader
from app.models.errors import NoNetworkError
from app.models.fit_planner import (
    MemoryBudget,
    MemoryEstimate,
    Verdict,
    VerdictKind,
    nvidia_budget,
)
from app.models.hardware import GIB
from app.models.hub import HubClient
from app.models.local_models import ImportMode
from app.models.model_search import find_local_models
from app.models.other_tools import UserEnvironment
from app.paths import models_dir
from app.qt_bridge.engine_controller import EngineController
from app.qt_bridge.models_controller import ModelsController
from app.qt_bridge.models_overview import verdict_text
from app.qt_bridge.settings_controller import SettingsController
from app.settings import LibrarySettings
from app.ui.download_bar import PROGRESS_STEPS
from app.ui.main_window import MainWindow
from app.ui.models_dialog import ModelsDialog
from tests.fixtures.fake_hub import FakeHub
from tests.fixtures.models import gguf_payload
from tests.fixtures.other_tools import llama_cpp_file
from tests.qt.drive import load_model, send

REPO = "tester/Tiny-GGUF"
Q4 = "Tiny-Q4_K_M.gguf"
Q8 = "Tiny-Q8_0.gguf"
MMPROJ = "mmproj-F16.gguf"
Q4_BYTES = gguf_payload(4 + 48 * 1024)
Q8_BYTES = gguf_payload(4100)
MMPROJ_BYTES = gguf_payload(1028)
RTX_4090 = nvidia_budget(24 * GIB, 32 * GIB, "RTX 4090")


@pytest.fixture
def fake_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    hub = FakeHub()
    for repo in (REPO, DEFAULT_REPO):
        hub.add(repo, Q4 if repo == REPO else Q4.replace("Tiny", "Model"), Q4_BYTES)
        hub.add(repo, Q8 if repo == REPO else Q8.replace("Tiny", "Model"), Q8_BYTES)
        hub.add(repo, MMPROJ, MMPROJ_BYTES)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    with hub.running():
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        yield hub


def make_dialog(
    qtbot: QtBot,
    window: MainWindow,
    engine: EngineController,
    settings: SettingsController,
    tmp_path: Path,
    budget: MemoryBudget = RTX_4090,
) -> ModelsDialog:
    controller = ModelsController(
        settings=lambda: settings.settings,
        repo_id=REPO,
        hub_factory=lambda library: HubClient(
            library.hub_endpoint, offline=library.offline, token=False, timeout_s=5
        ),
        downloader_factory=lambda hub: Downloader(hub, retry_delay_s=0.01, progress_interval_s=0.0),
        budget=lambda: budget,
        scan=lambda folders: find_local_models(
            folders, user=UserEnvironment(tmp_path, {"HF_HUB_CACHE": str(tmp_path / "hf-cache")})
        ),
        parent=window,
    )
    dialog = ModelsDialog(
        controller, engine=engine, settings=settings, loader=window.loader, parent=window
    )
    dialog.show()
    return dialog


@pytest.fixture
def dialog(
    qtbot: QtBot,
    window: MainWindow,
    engine: EngineController,
    settings: SettingsController,
    tmp_path: Path,
    fake_hub: FakeHub,
) -> Iterator[ModelsDialog]:
    made = make_dialog(qtbot, window, engine, settings, tmp_path)
    yield made
    made.controller.cancel()
    assert made.controller.wait(10.0)


def listed(qtbot: QtBot, dialog: ModelsDialog) -> list[list[str]]:
    with qtbot.waitSignal(dialog.controller.overview_ready, timeout=10000):
        dialog.refresh()
    table = dialog.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def target(filename: str) -> Path:
    return models_dir() / "tester" / "Tiny-GGUF" / filename


# ---- the list -------------------------------------------------------------------------------


def test_the_list_shows_each_quant_with_its_verdict_and_the_files_on_disk(
    qtbot: QtBot, dialog: ModelsDialog
) -> None:
    target(Q8).parent.mkdir(parents=True)
    target(Q8).write_bytes(Q8_BYTES)

    rows = listed(qtbot, dialog)

    assert [row[0] for row in rows] == ["Q8_0", "Q4_K_M"]
    assert rows[1][1] == "49.2 kB"
    # the fake hub's projector is a few kilobytes: images change nothing here
    assert all(row[3] == "Fits with the full 128K context, images included" for row in rows)
    assert [row[4] for row in rows] == ["✓ on disk", ""]
    assert "RTX 4090" in dialog.machine_label.text()
    assert "f16 KV cache" in dialog.machine_label.text()
    assert dialog.table.item(1, 3).toolTip().startswith("Q4_K_M runs the full 128K context")
    assert dialog.selected_label() == "Q4_K_M"  # the catalog's default
    assert "mmproj-F16" in dialog.projector_check.text()
    assert not dialog.load_button.isEnabled()
    dialog.select("Q8_0")
    assert dialog.load_button.isEnabled()  # on disk: it can be loaded without a download


def test_a_smaller_gpu_gets_a_context_limit_in_plain_words(
    qtbot: QtBot,
    window: MainWindow,
    engine: EngineController,
    settings: SettingsController,
    tmp_path: Path,
    fake_hub: FakeHub,
) -> None:
    small = make_dialog(qtbot, window, engine, settings, tmp_path, nvidia_budget(16 * GIB, GIB))
    rows = listed(qtbot, small)
    assert all(row[3].startswith("Fits up to ") and "images" in row[3] for row in rows)
    assert small.controller.wait(5.0)


@pytest.mark.parametrize(
    ("kind", "layers", "text"),
    [
        (VerdictKind.FULL_CONTEXT, 0, "Fits with the full 128K context"),
        (VerdictKind.UP_TO, 0, "Fits up to 45,056 tokens"),
        (VerdictKind.PARTIAL, 30, "Runs partly on the CPU (30/41 layers on the GPU)"),
        (VerdictKind.PARTIAL, 0, "Runs on the CPU only (slow)"),
        (VerdictKind.WONT_FIT, 0, "Won't fit in this machine's memory"),
    ],
)
def test_verdicts_read_as_plain_words(kind: VerdictKind, layers: int, text: str) -> None:
    estimate = MemoryEstimate(0, 0, 0, 0)
    verdict = Verdict("Q4_K_M", KvCacheType.F16, kind, 45056, layers, estimate)
    assert verdict_text(verdict) == text


def test_a_verdict_says_what_images_leave() -> None:
    estimate = MemoryEstimate(0, 0, 0, 0)
    text = Verdict("Q4_K_M", KvCacheType.Q8_0, VerdictKind.UP_TO, 22272, 0, estimate)
    images = Verdict("Q4_K_M", KvCacheType.Q8_0, VerdictKind.UP_TO, 7424, 0, estimate)
    assert verdict_text(text, images) == "Fits up to 22,272 tokens; 7,424 with images"
    partial = Verdict("Q4_K_M", KvCacheType.F16, VerdictKind.PARTIAL, 0, 39, estimate)
    assert verdict_text(images, partial).endswith(
        "; with images: runs partly on the CPU (39/41 layers on the GPU)"
    )


# ---- downloads ------------------------------------------------------------------------------


def test_a_download_shows_progress_to_100_percent_and_the_file_can_be_loaded(
    qtbot: QtBot,
    dialog: ModelsDialog,
    window: MainWindow,
    engine: EngineController,
    settings: SettingsController,
    fake_hub: FakeHub,
    tmp_path: Path,
) -> None:
    load_model(qtbot, window, tmp_path)  # switching quants: a model is loaded already
    send(qtbot, window, "Hello")
    conversation = window.chat.conversation_id
    assert conversation is not None
    listed(qtbot, dialog)
    fake_hub.chunk_delay_s = 0.002
    values: list[int] = []
    dialog.controller.progress.connect(lambda _p: values.append(dialog.progress_bar.value()))
    dialog.projector_check.setChecked(True)

    with qtbot.waitSignal(dialog.controller.download_done, timeout=15000):
        dialog.download_button.click()
        assert not dialog.download_button.isEnabled()
        assert dialog.cancel_button.isEnabled()

    assert dialog.progress_bar.value() == PROGRESS_STEPS
    assert len(values) > 3 and values == sorted(values)
    assert target(Q4).read_bytes() == Q4_BYTES  # verified and renamed: usable
    assert target(MMPROJ).read_bytes() == MMPROJ_BYTES
    assert "downloaded and verified" in dialog.progress_label.text()
    assert dialog.load_button.isEnabled() and not dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.table.item(1, 4).text() == "✓ on disk", timeout=10000)

    with qtbot.waitSignal(engine.loaded, timeout=5000) as blocker:
        dialog.load_button.click()
    assert blocker.args[0].model_path == target(Q4)
    assert blocker.args[0].has_vision
    assert settings.settings.model.model_path == target(Q4)
    assert settings.settings.model.mmproj_path == target(MMPROJ)
    assert window.chat.conversation_id == conversation  # the conversation goes on
    memory = dialog.memory_label.text()
    assert Q4 in memory and "predicted" in memory and "llama.cpp reports 14.0 GB" in memory


def test_with_the_quant_in_llama_cpp_s_cache_only_the_projector_is_downloaded(
    qtbot: QtBot, dialog: ModelsDialog, fake_hub: FakeHub, tmp_path: Path
) -> None:
    found = llama_cpp_file(tmp_path / ".cache" / "llama.cpp", REPO, Q4, Q4_BYTES)
    listed(qtbot, dialog)
    dialog.select("Q4_K_M")
    dialog.projector_check.setChecked(False)
    assert dialog.download_button.text() == "Download" and not dialog.download_button.isEnabled()
    dialog.projector_check.setChecked(True)
    assert dialog.download_button.text() == "Download the vision projector (1.0 kB)"

    with qtbot.waitSignal(dialog.controller.download_done, timeout=15000) as done:
        dialog.download_button.click()

    assert done.args[0].model_path == found
    assert done.args[0].projector_path == target(MMPROJ)
    assert fake_hub.gets(Q4) == [] and len(fake_hub.gets(MMPROJ)) == 1
    assert not target(Q4).exists()
    assert dialog.path_to_load() == found
    rows = disk_rows(dialog)
    assert rows[Q4][:2] == ["Q4_K_M", "llama.cpp's cache"]


def test_pause_then_cancel_stops_the_download_and_leaves_nothing(
    qtbot: QtBot, dialog: ModelsDialog, fake_hub: FakeHub
) -> None:
    listed(qtbot, dialog)
    fake_hub.chunk_delay_s = 0.02
    dialog.download_button.click()
    qtbot.waitUntil(lambda: dialog.progress_bar.value() > 0, timeout=10000)
    assert "/s" in dialog.progress_label.text() or "kB" in dialog.progress_label.text()

    dialog.pause_button.click()
    assert dialog.pause_button.text() == "Resume"
    qtbot.waitUntil(lambda: "paused" in dialog.progress_label.text(), timeout=10000)
    with qtbot.waitSignal(dialog.controller.download_cancelled, timeout=10000):
        dialog.cancel_button.click()

    assert "cancelled" in dialog.progress_label.text()
    assert dialog.progress_bar.value() == 0
    assert not target(Q4).exists()
    assert list(target(Q4).parent.glob("*.part*")) == []
    assert dialog.download_button.isEnabled() and not dialog.pause_button.isEnabled()
    assert not dialog.error_label.isVisible()


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        ("gone", Q4),  # the hub answers 404
        ("damaged", "arrived damaged"),
        ("no network", "cannot be reached"),
    ],
)
def test_download_failures_show_a_clear_error(
    qtbot: QtBot,
    dialog: ModelsDialog,
    fake_hub: FakeHub,
    monkeypatch: pytest.MonkeyPatch,
    failure: str,
    message: str,
) -> None:
    listed(qtbot, dialog)
    if failure == "gone":
        del fake_hub.repos[REPO][Q4]
    elif failure == "damaged":
        fake_hub.repos[REPO][Q4].served = b"GGUF" + bytes(len(Q4_BYTES) - 4)
    else:
        monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")

    with qtbot.waitSignal(dialog.controller.download_failed, timeout=15000):
        dialog.download_button.click()

    assert dialog.error_label.isVisible()
    assert message in dialog.error_label.text()
    assert dialog.progress_label.text() == "The download stopped."
    assert dialog.download_button.isEnabled() and not dialog.load_button.isEnabled()
    assert not target(Q4).exists()


def test_offline_mode_says_so_when_downloading(
    qtbot: QtBot, dialog: ModelsDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed(qtbot, dialog)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")

    with qtbot.waitSignal(dialog.controller.download_failed, timeout=10000):
        dialog.download_button.click()

    assert dialog.error_label.text().startswith("Offline mode is on")


def test_offline_without_a_saved_list_shows_why_nothing_is_listed(
    qtbot: QtBot, dialog: ModelsDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")

    with qtbot.waitSignal(dialog.controller.overview_failed, timeout=10000):
        dialog.refresh()

    assert dialog.table.rowCount() == 0
    assert dialog.error_label.text().startswith("Offline mode is on")
    assert not dialog.download_button.isEnabled()


# ---- the window -----------------------------------------------------------------------------


def test_file_menu_opens_the_models_window(
    qtbot: QtBot, window: MainWindow, fake_hub: FakeHub
) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    assert window.commands.models in file_menu.actions()

    window.commands.models.trigger()
    dialog = window.models_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=15000)
    labels = [dialog.table.item(r, 0).text() for r in range(2)]
    assert labels == ["Q8_0", "Q4_K_M"]
    assert all(dialog.table.item(r, 3).text() for r in range(2))
    assert dialog.controller.wait(5.0)


# ---- files on this computer -----------------------------------------------------------------


def disk_rows(dialog: ModelsDialog) -> dict[str, list[str]]:
    table = dialog.disk_panel.table
    return {
        table.item(r, 0).text(): [table.item(r, c).text() for c in range(1, table.columnCount())]
        for r in range(table.rowCount())
    }


def test_files_on_disk_are_listed_with_where_they_are_and_broken_ones_say_why(
    qtbot: QtBot, dialog: ModelsDialog, settings: SettingsController, tmp_path: Path
) -> None:
    target(Q8).parent.mkdir(parents=True)
    target(Q8).write_bytes(Q8_BYTES)
    mine = tmp_path / "my-models"
    mine.mkdir()
    (mine / "Other-Q5_K_M.gguf").write_bytes(Q4_BYTES[:60])  # ends inside its header
    (mine / "notes.gguf").write_bytes(b"just some text")
    settings.update(replace(settings.settings, library=LibrarySettings(model_folders=(mine,))))

    listed(qtbot, dialog)
    rows = disk_rows(dialog)

    assert rows[Q8] == ["Q8_0", "Tramontane's folder", "4.1 kB", "Ready"]
    assert rows["Other-Q5_K_M.gguf"][:2] == ["other model", "Your folder"]
    assert rows["Other-Q5_K_M.gguf"][3].startswith("Broken: truncated")
    assert rows["notes.gguf"][3].startswith("Broken: not a usable GGUF file")
    panel = dialog.disk_panel
    panel.select_file("notes.gguf")
    assert not panel.load_button.isEnabled()
    assert not panel.delete_button.isEnabled()  # not Tramontane's own file
    assert panel.delete_button.toolTip() == "Only files in Tramontane's folder can be deleted."
    panel.select_file(Q8)
    assert panel.load_button.isEnabled() and panel.delete_button.isEnabled()


def test_deleting_a_file_asks_first_and_says_how_much_space_was_freed(
    qtbot: QtBot, dialog: ModelsDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    target(Q8).parent.mkdir(parents=True)
    target(Q8).write_bytes(Q8_BYTES)
    listed(qtbot, dialog)
    panel = dialog.disk_panel
    panel.select_file(Q8)
    asked: list[str] = []

    def answer(_parent: object, _title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    with qtbot.waitSignal(dialog.controller.overview_ready, timeout=10000):
        panel.delete_button.click()

    assert asked and Q8 in asked[0] and "4.1 kB" in asked[0]
    assert "from Tramontane's folder" in asked[0]
    assert panel.message_label.text() == f"{Q8} was deleted: 4.1 kB freed."
    assert not target(Q8).exists()
    assert Q8 not in disk_rows(dialog)


def test_the_loaded_model_is_not_deleted(
    qtbot: QtBot, dialog: ModelsDialog, window: MainWindow, tmp_path: Path
) -> None:
    loaded = load_model(qtbot, window, tmp_path)
    panel = dialog.disk_panel
    imported = models_dir() / "imported"
    imported.mkdir(parents=True)
    os.link(loaded.model_path, imported / loaded.model_path.name)
    window.loader.load(imported / loaded.model_path.name)
    qtbot.waitUntil(lambda: window.loader.current_path() == imported / loaded.model_path.name)
    listed(qtbot, dialog)
    panel.select_file(loaded.model_path.name)

    panel.delete_button.click()

    assert "load another one before deleting it" in panel.message_label.text()
    assert (imported / loaded.model_path.name).exists()


def test_importing_a_copy_shows_its_progress_and_lists_the_file(
    qtbot: QtBot, dialog: ModelsDialog, tmp_path: Path
) -> None:
    source = tmp_path / "Downloads" / "Found-Q6_K.gguf"
    source.parent.mkdir()
    source.write_bytes(gguf_payload(3 * 1024 * 1024))
    listed(qtbot, dialog)
    panel = dialog.disk_panel
    copied: list[tuple[int, int]] = []
    dialog.controller.import_progress.connect(lambda done, total: copied.append((done, total)))

    with qtbot.waitSignal(dialog.controller.overview_ready, timeout=10000):
        panel.start_import(source, ImportMode.COPY)

    assert copied[-1] == (source.stat().st_size, source.stat().st_size)
    assert "was copied into" in panel.message_label.text()
    assert disk_rows(dialog)["Found-Q6_K.gguf"][3] == "Ready"
    assert (models_dir() / "imported" / source.name).read_bytes() == source.read_bytes()


def test_importing_a_file_that_is_no_model_says_why(
    qtbot: QtBot, dialog: ModelsDialog, tmp_path: Path
) -> None:
    source = tmp_path / "photo.gguf"
    source.write_bytes(b"\xff\xd8\xff\xe0 not a model")
    listed(qtbot, dialog)

    with qtbot.waitSignal(dialog.controller.chore_failed, timeout=10000):
        dialog.disk_panel.start_import(source, ImportMode.LINK)

    assert "photo.gguf cannot be imported: not a usable GGUF file" in (
        dialog.disk_panel.message_label.text()
    )
    assert not (models_dir() / "imported" / source.name).exists()


def test_an_unfinished_download_is_listed_and_can_be_resumed_or_removed(
    qtbot: QtBot, dialog: ModelsDialog, fake_hub: FakeHub
) -> None:
    def leave_partial(filename: str) -> None:
        fake_hub.drops = [20_000 if filename == Q4 else 2_000, 0]
        earlier = Downloader(HubClient(fake_hub.url, token=False), retries=0, retry_delay_s=0)
        with pytest.raises(NoNetworkError):
            earlier.download(
                DownloadRequest(REPO, filename, size=len(fake_hub.repos[REPO][filename].content))
            )

    leave_partial(Q4)
    leave_partial(Q8)
    panel = dialog.disk_panel
    dialog.tabs.setCurrentWidget(panel)
    listed(qtbot, dialog)
    assert panel.pending_box.isVisibleTo(dialog)
    pending = [panel.pending_table.item(r, 1).text() for r in range(2)]
    assert sorted(pending) == ["2.0 kB of 4.1 kB (49%)", "20.0 kB of 49.2 kB (41%)"]

    row_of = {panel.pending_table.item(r, 0).text(): r for r in range(2)}
    panel.pending_table.selectRow(row_of[Q4])
    with qtbot.waitSignal(dialog.controller.download_done, timeout=15000):
        panel.resume_button.click()
    assert target(Q4).read_bytes() == Q4_BYTES
    assert fake_hub.gets(Q4)[-1].range == "bytes=20000-"

    qtbot.waitUntil(lambda: panel.pending_table.rowCount() == 1, timeout=10000)
    panel.pending_table.selectRow(0)
    with qtbot.waitSignal(dialog.controller.chore_done, timeout=10000):
        panel.discard_button.click()
    assert "was removed" in panel.message_label.text()
    assert list(target(Q8).parent.glob("*.part*")) == []
    qtbot.waitUntil(lambda: not panel.pending_box.isVisibleTo(dialog), timeout=10000)


def test_the_hub_address_and_offline_mode_come_from_settings(
    qtbot: QtBot,
    dialog: ModelsDialog,
    settings: SettingsController,
    fake_hub: FakeHub,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("HF_ENDPOINT")
    settings.update(replace(settings.settings, library=LibrarySettings(hub_endpoint=fake_hub.url)))
    assert [row[0] for row in listed(qtbot, dialog)] == ["Q8_0", "Q4_K_M"]
    assert "listed by the hub just now" in dialog.source_label.text()

    settings.update(replace(settings.settings, library=LibrarySettings(offline=True)))
    with qtbot.waitSignal(dialog.controller.download_failed, timeout=10000):
        dialog.download_button.click()
    assert dialog.error_label.text().startswith("Offline mode is on")
    assert not target(Q4).exists()
