"""The window at twice the usual font size: no button or label cut short."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.main import build_window
from app.qt_bridge.engine_controller import EngineController
from app.qt_bridge.settings_controller import SettingsController
from app.settings import AppearanceSettings, Settings, ThemeChoice
from app.ui.chat_view import ChatView
from app.ui.elided_button import ElidedButton
from app.ui.settings_dialog import SettingsDialog
from app.ui.theme import ThemeManager
from tests.qt.drive import load_model, send
from tests.qt.observed_store import ObservedStore
from tests.qt.scripted_engine import Script

DOUBLE = AppearanceSettings().font_size * 2


@pytest.fixture
def large_text(qapp: QApplication) -> Iterator[ThemeManager]:
    themes = ThemeManager(qapp)
    themes.apply(AppearanceSettings(ThemeChoice.LIGHT, DOUBLE))
    yield themes
    themes.apply(AppearanceSettings(ThemeChoice.LIGHT))
    themes.setParent(None)


def shown_text(widget: QWidget) -> str:
    if isinstance(widget, QAbstractButton):
        return widget.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    assert isinstance(widget, QLabel)
    if widget.textFormat() is Qt.TextFormat.PlainText:
        return widget.text()
    document = QTextDocument()
    document.setHtml(widget.text())
    return document.toPlainText()


def cut_short(widget: QWidget) -> str | None:
    """Why the widget cannot show all of its text, or None when it can."""
    text = shown_text(widget)
    if not text.strip() or "\n" in text:
        return None
    metrics = widget.fontMetrics()
    width = metrics.horizontalAdvance(text)
    if isinstance(widget, QLabel) and widget.wordWrap():
        needed = widget.heightForWidth(widget.width())
        if widget.height() < needed:
            return f"{widget.height()}px high for {needed}px of wrapped text"
        return None
    room = widget.contentsRect().width()
    if room < width:
        return f"{room}px wide for {width}px of text"
    if widget.height() < metrics.height():
        return f"{widget.height()}px high for {metrics.height()}px of text"
    return None


def visible_text_widgets(root: QWidget) -> list[QWidget]:
    found: list[QWidget] = [*root.findChildren(QAbstractButton), *root.findChildren(QLabel)]
    return [w for w in found if w.isVisibleTo(root)]


def problems_in(root: QWidget) -> dict[str, str]:
    return {
        f"{type(w).__name__}#{w.objectName()} {shown_text(w)!r}": reason
        for w in visible_text_widgets(root)
        if (reason := cut_short(w)) is not None
    }


def test_at_twice_the_font_size_the_window_shows_all_its_text(
    qtbot: QtBot,
    large_text: ThemeManager,
    store: ObservedStore,
    engine: EngineController,
    settings: SettingsController,
    script: Script,
    tmp_path: Path,
) -> None:
    script.answer = "Use `pathlib`:\n\n```python\nfrom pathlib import Path\n```\n\nThat is all."
    window = build_window(settings=settings, store=store, engine=engine, chat_view=ChatView())
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    assert window.font().pointSize() == DOUBLE
    load_model(qtbot, window, tmp_path)
    send(qtbot, window, "How do I join paths in Python?")
    qtbot.wait(100)
    assert not problems_in(window), problems_in(window)
    assert len(visible_text_widgets(window)) >= 10
    meter = window.status.findChild(QProgressBar, "contextMeter")
    assert meter is not None and meter.isVisible()
    text_width = meter.fontMetrics().horizontalAdvance(meter.text())
    assert meter.contentsRect().width() >= text_width
    assert meter.height() >= meter.fontMetrics().height()
    window.workspace.conversations.tasks.wait(5000)


def test_at_twice_the_font_size_every_settings_page_shows_all_its_text(
    qtbot: QtBot, large_text: ThemeManager
) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    tabs = dialog.findChild(QTabWidget)
    assert tabs is not None
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        qtbot.wait(10)
        assert not problems_in(dialog), (tabs.tabText(index), problems_in(dialog))


def test_a_long_model_name_gives_way_to_an_ellipsis_and_comes_back(qtbot: QtBot) -> None:
    name = "Mistral-Small-3.2-24B-Instruct-2506 · UD-Q4_K_XL"
    button = ElidedButton(name)
    qtbot.addWidget(button)
    button.show()
    button.resize(button.minimumSizeHint())
    shown = QPushButton.text(button)
    assert "…" in shown and len(shown) < len(name)
    assert button.text() == name
    assert button.minimumSizeHint().width() < button.sizeHint().width()
    button.resize(button.sizeHint())
    assert QPushButton.text(button) == name
