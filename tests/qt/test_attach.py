"""Attaching screenshots and scans as a user does: drag and drop (file URLs and image data),
paste, the file picker, the limit of 10, a page choice for long scans, every bad input shown
in the window, and a model without its vision projector."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from app.core.messages import Role
from app.qt_bridge.settings_controller import SettingsController
from app.ui.main_window import MainWindow
from tests.fixtures.documents import bmp_header, photo, raw_pdf, save
from tests.qt.drive import load_model, send, view_of
from tests.qt.observed_store import ObservedStore
from tests.qt.scripted_engine import Script


def pictures(folder: Path, count: int, suffix: str = ".png") -> list[Path]:
    folder.mkdir(exist_ok=True)
    return [
        save(photo((300 + 10 * i, 200), (i * 20 % 256, 80, 160)), folder / f"shot{i}{suffix}")
        for i in range(count)
    ]


def drop(qtbot: QtBot, target: QWidget, mime: QMimeData) -> None:
    """A real drag entering `target` and dropping `mime` on it."""
    point = target.rect().center()
    enter = QDragEnterEvent(
        point,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    dropped = QDropEvent(
        QPointF(point), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(target, dropped)


def files_mime(paths: list[Path]) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    return mime


def attached(qtbot: QtBot, window: MainWindow, count: int) -> list[str]:
    window.attacher.wait()
    qtbot.waitUntil(lambda: len(window.composer.attachments.images) == count)
    return [image.label for image in window.composer.attachments.images]


def test_dropped_files_are_attached_sent_stored_and_shown(
    qtbot: QtBot, seeing: MainWindow, script: Script, store: ObservedStore, tmp_path: Path
) -> None:
    shots = pictures(tmp_path / "shots", 2, ".jpg")  # photos: the model gets PNGs made of them
    drop(qtbot, seeing.composer._edit.viewport(), files_mime(shots))
    assert attached(qtbot, seeing, 2) == ["shot0.jpg", "shot1.jpg"]
    assert seeing.composer.attachments.isVisible()

    send(qtbot, seeing, "What differs?")

    sent = script.generated[-1].messages[-1]
    assert sent.role is Role.USER and sent.content == "What differs?"
    assert len(sent.images) == 2 and all(image.path.is_file() for image in sent.images)
    assert all("attachments" in image.path.parts for image in sent.images)
    originals = [store.original_of(image.sha256) for image in sent.images]
    assert [o.read_bytes() if o else None for o in originals] == [p.read_bytes() for p in shots]
    assert seeing.composer.attachments.images == []
    user_turn = view_of(seeing).turns[0].node
    assert [image.sha256 for image in user_turn.message.images] == [
        image.sha256 for image in sent.images
    ]
    assert seeing.status.context_format  # counted, image tokens included


def test_images_stay_with_an_edited_or_regenerated_message_and_a_reopened_conversation(
    qtbot: QtBot, seeing: MainWindow, script: Script, tmp_path: Path
) -> None:
    seeing.attacher.add_files(pictures(tmp_path / "kept", 2))
    attached(qtbot, seeing, 2)
    send(qtbot, seeing, "")  # images alone make a message
    first = view_of(seeing).turns[0].node
    hashes = [image.sha256 for image in first.message.images]
    assert len(hashes) == 2

    seeing.chat.regenerate()
    qtbot.waitUntil(lambda: not seeing.chat.busy)
    assert [i.sha256 for i in script.generated[-1].messages[-1].images] == hashes
    seeing.chat.edit_message(first.id, "And now?")
    qtbot.waitUntil(lambda: not seeing.chat.busy)
    edited = script.generated[-1].messages[-1]
    assert edited.content == "And now?" and [i.sha256 for i in edited.images] == hashes

    conversation = seeing.chat.conversation_id
    assert conversation is not None
    seeing.new_chat()
    seeing.open_conversation(conversation)
    reopened = view_of(seeing).turns[0].node.message
    assert [i.sha256 for i in reopened.images] == hashes
    assert all(image.path.is_file() for image in reopened.images)


def test_dropped_image_data_on_the_window_is_attached(qtbot: QtBot, seeing: MainWindow) -> None:
    image = QImage(120, 80, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkRed)
    mime = QMimeData()
    mime.setImageData(image)
    drop(qtbot, seeing.splitter, mime)
    assert attached(qtbot, seeing, 1) == ["Dropped image"]


def test_a_pasted_image_is_attached(qtbot: QtBot, seeing: MainWindow) -> None:
    image = QImage(200, 100, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkCyan)
    QApplication.clipboard().setImage(image)
    seeing.composer.focus_input()
    qtbot.keyClick(seeing.composer._edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert attached(qtbot, seeing, 1) == ["Pasted image"]
    assert seeing.composer.text() == ""  # an image, not text


def test_pasted_file_urls_are_attached(qtbot: QtBot, seeing: MainWindow, tmp_path: Path) -> None:
    shots = pictures(tmp_path / "copied", 2, ".bmp")
    QApplication.clipboard().setMimeData(files_mime(shots))
    seeing.composer.focus_input()
    qtbot.keyClick(seeing.composer._edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert attached(qtbot, seeing, 2) == ["shot0.bmp", "shot1.bmp"]
    assert seeing.composer.text() == ""


def test_the_picker_attaches_and_a_thumbnail_can_be_removed(
    qtbot: QtBot, seeing: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shots = pictures(tmp_path / "picked", 3, ".jpg")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", lambda *_a, **_k: ([str(p) for p in shots], "")
    )
    qtbot.mouseClick(seeing.composer._attach_button, Qt.MouseButton.LeftButton)
    attached(qtbot, seeing, 3)

    qtbot.mouseClick(seeing.composer.attachments.remove_buttons()[1], Qt.MouseButton.LeftButton)

    assert [i.label for i in seeing.composer.attachments.images] == ["shot0.jpg", "shot2.jpg"]


def test_the_attach_shortcut_opens_the_picker(
    qtbot: QtBot, seeing: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    [shot] = pictures(tmp_path / "keyed", 1, ".webp")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *_a, **_k: ([str(shot)], ""))
    seeing.show()
    qtbot.waitExposed(seeing)
    seeing.composer.focus_input()
    qtbot.keyClick(seeing.composer._edit, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert attached(qtbot, seeing, 1) == ["shot0.webp"]


def test_at_most_ten_images_a_message(qtbot: QtBot, seeing: MainWindow, tmp_path: Path) -> None:
    seeing.attacher.add_files(pictures(tmp_path / "many", 12))
    assert len(attached(qtbot, seeing, 10)) == 10
    assert "at most 10 images (the model's limit)" in seeing.notice.text
    assert "shot10.png" in seeing.notice.text


def test_a_long_tiff_scan_asks_which_pages(
    qtbot: QtBot, seeing: MainWindow, tmp_path: Path
) -> None:
    asked: list[tuple[str, int, int]] = []

    def choose(name: str, pages: int, room: int) -> str:
        asked.append((name, pages, room))
        return "1-2, 12"

    seeing.attacher._ask = choose
    pages = [photo((200, 280), (i * 20, 90, 40)) for i in range(12)]
    scan = save(pages[0], tmp_path / "contract.tif", save_all=True, append_images=pages[1:])
    seeing.attacher.add_files([scan])
    labels = attached(qtbot, seeing, 3)
    assert asked == [("contract.tif", 12, 10)]
    assert labels == ["contract.tif, page 1", "contract.tif, page 2", "contract.tif, page 12"]


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("empty.png", lambda p: p.write_bytes(b""), "empty.png is empty (0 bytes)"),
        ("notes.docx", lambda p: p.write_text("hi"), "notes.docx cannot be attached"),
        ("fake.jpg", lambda p: p.write_bytes(b"not a jpeg"), "is not an image Tramontane can read"),
        (
            "cut.png",
            lambda p: p.write_bytes(save(photo((500, 400)), p).read_bytes()[:400]),
            "cut.png is damaged or incomplete",
        ),
        ("locked.pdf", lambda p: raw_pdf(p, encrypted=True), "protected by a password"),
        ("blank.pdf", lambda p: raw_pdf(p, pages=0), "blank.pdf has no pages"),
        ("junk.pdf", lambda p: p.write_bytes(b"%PDF-1.4 junk"), "junk.pdf is not a readable PDF"),
        (
            "bomb.bmp",
            lambda p: p.write_bytes(bmp_header(20_000, 20_000)),
            "bomb.bmp has too many pixels to open safely",
        ),
        (
            "strip.bmp",
            lambda p: p.write_bytes(bmp_header(60_000, 2)),
            "strip.bmp is 60,000 x 2 pixels: too large",
        ),
    ],
)
def test_bad_files_are_said_in_the_window_and_nothing_is_attached(
    qtbot: QtBot, seeing: MainWindow, tmp_path: Path, name: str, make: object, message: str
) -> None:
    path = tmp_path / name
    make(path)  # type: ignore[operator]
    drop(qtbot, seeing.composer._edit.viewport(), files_mime([path]))
    seeing.attacher.wait()
    qtbot.waitUntil(lambda: message in seeing.notice.text)
    assert seeing.composer.attachments.images == []


def test_a_model_without_its_projector_offers_to_fetch_it(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # the Models window lists the shipped catalog
    load_model(qtbot, window, tmp_path)
    window.attacher.add_files(pictures(tmp_path / "one", 1))

    assert "loaded without its vision projector" in window.notice.text
    assert window.composer.attachments.images == []
    window.notice.action_button.click()

    dialog = window.models_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.projector_check.isChecked()
    dialog.controller.wait(10.0)


def test_a_projector_on_disk_is_offered_and_loaded(
    qtbot: QtBot, window: MainWindow, settings: SettingsController, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    projector = tmp_path / "mmproj-F16.gguf"
    projector.write_bytes(b"GGUF")
    window.attacher.add_files(pictures(tmp_path / "one", 1))

    assert "Its projector mmproj-F16.gguf is on disk" in window.notice.text
    assert window.composer.attachments.images == []
    engine = window.chat._engine
    with qtbot.waitSignal(engine.loaded, timeout=5000):
        window.notice.action_button.click()
    qtbot.waitUntil(window.workspace.can_see_images)
    assert settings.settings.model.mmproj_path == projector


def test_sending_waits_for_images_still_being_prepared(
    qtbot: QtBot, seeing: MainWindow, script: Script, tmp_path: Path
) -> None:
    seeing.attacher.add_files(pictures(tmp_path / "slow", 1))
    seeing.composer.set_text("Look at this")
    seeing.composer.submit()  # before the prepared image has come back

    assert "still being prepared" in seeing.notice.text
    assert script.generated == []
    attached(qtbot, seeing, 1)
    assert seeing.composer.text() == "Look at this"


def test_images_are_kept_in_the_composer_when_the_model_lost_its_projector(
    qtbot: QtBot, seeing: MainWindow, settings: SettingsController, script: Script, tmp_path: Path
) -> None:
    seeing.attacher.add_files(pictures(tmp_path / "kept", 1))
    attached(qtbot, seeing, 1)
    model = replace(settings.settings.model, mmproj_path=None)
    settings.update(replace(settings.settings, model=model))
    with qtbot.waitSignal(seeing.chat._engine.loaded, timeout=5000):
        seeing.loader.reload()
    qtbot.waitUntil(lambda: not seeing.workspace.can_see_images())

    send(qtbot, seeing, "What is it?")

    assert "loaded without its vision projector" in seeing.notice.text
    assert script.generated == []
    assert seeing.composer.text() == "What is it?"
    assert len(seeing.composer.attachments.images) == 1


def test_a_drop_before_any_model_is_loaded_asks_for_one(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    drop(qtbot, window.splitter, files_mime(pictures(tmp_path / "early", 1)))
    assert "Load a model with its vision projector first" in window.notice.text
    assert window.notice.action_button.text() == "Load model…"
    assert window.composer.attachments.images == []
