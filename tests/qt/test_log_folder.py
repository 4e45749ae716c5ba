"""Help → Open log folder shows the folder that holds the program's log."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from app.app_log import log_dir
from app.ui.main_window import MainWindow


class OpenedUrls(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def opened() -> Iterator[OpenedUrls]:
    handler = OpenedUrls()
    QDesktopServices.setUrlHandler("file", handler, "open")
    yield handler
    QDesktopServices.unsetUrlHandler("file")


def test_help_opens_the_log_folder(qtbot: QtBot, window: MainWindow, opened: OpenedUrls) -> None:
    help_menu = window.menuBar().actions()[-1].menu()
    assert window.commands.open_log in help_menu.actions()
    window.commands.open_log.trigger()
    assert [url.toLocalFile() for url in opened.urls] == [str(log_dir())]
