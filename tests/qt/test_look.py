"""High contrast from the system, and the focus outline of the styled controls."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QItemSelectionModel, QStringListModel, Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QListView, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.core.contrast import LARGE_TEXT_OR_UI, contrast_ratio
from app.settings import AppearanceSettings, ThemeChoice
from app.ui.theme import Look, ThemeManager, choose_look, palette_colors, style_sheet
from app.ui.theme_colors import DARK, LIGHT


@pytest.mark.parametrize(
    ("theme", "system_dark", "high_contrast", "look"),
    [
        (ThemeChoice.SYSTEM, False, False, Look.LIGHT),
        (ThemeChoice.SYSTEM, True, False, Look.DARK),
        (ThemeChoice.LIGHT, True, False, Look.LIGHT),
        (ThemeChoice.DARK, False, False, Look.DARK),
        (ThemeChoice.SYSTEM, True, True, Look.SYSTEM_CONTRAST),
        (ThemeChoice.LIGHT, False, True, Look.SYSTEM_CONTRAST),
        (ThemeChoice.DARK, False, True, Look.SYSTEM_CONTRAST),
    ],
)
def test_high_contrast_from_the_system_wins_over_the_theme(
    theme: ThemeChoice, system_dark: bool, high_contrast: bool, look: Look
) -> None:
    assert choose_look(theme, system_dark, high_contrast) is look


class Contrast:
    """What the system says about contrast, as a test sets it."""

    def __init__(self) -> None:
        self.high = False

    def __call__(self) -> bool:
        return self.high


@pytest.fixture
def contrast() -> Contrast:
    return Contrast()


@pytest.fixture
def themes(qapp: QApplication, contrast: Contrast) -> Iterator[ThemeManager]:
    manager = ThemeManager(qapp, high_contrast=contrast)
    yield manager
    contrast.high = False
    manager.apply(AppearanceSettings(ThemeChoice.LIGHT))
    manager.setParent(None)


def test_with_high_contrast_the_system_palette_replaces_ours(
    qapp: QApplication, themes: ThemeManager, contrast: Contrast
) -> None:
    themes.apply(AppearanceSettings(ThemeChoice.DARK))
    assert qapp.palette().window().color().name() == DARK.window
    qapp.setPalette(QPalette())
    system = QPalette(qapp.palette())
    themes.apply(AppearanceSettings(ThemeChoice.DARK))

    contrast.high = True
    accessibility = QGuiApplication.styleHints().accessibility()
    accessibility.contrastPreferenceChanged.emit(Qt.ContrastPreference.HighContrast)

    assert themes.look is Look.SYSTEM_CONTRAST
    role = QPalette.ColorRole
    for which in (role.Window, role.WindowText, role.Base, role.Text, role.Highlight):
        assert qapp.palette().color(which) == system.color(which), which
    sheet = qapp.styleSheet()
    assert DARK.window not in sheet and DARK.accent not in sheet
    assert system.color(role.Highlight).name() in sheet  # the focus outline and the selection
    assert themes.colors.muted == system.color(role.WindowText).name()  # no dimmed text

    contrast.high = False
    accessibility.contrastPreferenceChanged.emit(Qt.ContrastPreference.NoPreference)
    assert qapp.palette().window().color().name() == DARK.window


def test_the_sheet_from_a_palette_names_only_its_colors(qapp: QApplication) -> None:
    palette = QPalette(qapp.palette())
    colors = palette_colors(palette)
    sheet = style_sheet(colors, 11)
    assert "@" not in sheet.split("*/", 1)[1]  # every @name replaced
    assert colors.window == palette.window().color().name()


def focusable(kind: str, parent: QWidget) -> QWidget:
    """A control as the window has it: a styled one (by its name) or a plain one."""
    if kind == "check box":
        return QCheckBox("Also download the vision projector", parent)
    if kind == "combo box":
        choice = QComboBox(parent)
        choice.addItems(["System", "Light", "Dark"])
        return choice
    button = QPushButton(kind, parent)
    button.setObjectName({"New chat": "newChatButton", "Undo": "linkButton"}.get(kind, ""))
    return button


@pytest.mark.parametrize("theme", [ThemeChoice.LIGHT, ThemeChoice.DARK])
@pytest.mark.parametrize(
    "kind", ["New chat", "Undo", "Open a GGUF file…", "check box", "combo box"]
)
def test_a_focused_control_gets_an_outline_that_stands_out(
    qtbot: QtBot, themes: ThemeManager, theme: ThemeChoice, kind: str
) -> None:
    themes.apply(AppearanceSettings(theme))
    colors = LIGHT if theme is ThemeChoice.LIGHT else DARK
    panel = QWidget()
    qtbot.addWidget(panel)
    control = focusable(kind, panel)
    other = QPushButton("Other", panel)
    other.move(0, 80)
    panel.show()
    qtbot.waitExposed(panel)
    other.setFocus()
    unfocused = control.grab().toImage()
    control.setFocus()
    qtbot.waitUntil(control.hasFocus)
    focused = control.grab().toImage()
    edge = focused.pixelColor(focused.width() // 2, 0).name()
    assert edge != unfocused.pixelColor(unfocused.width() // 2, 0).name()
    assert edge == colors.focus
    assert contrast_ratio(edge, colors.window) >= LARGE_TEXT_OR_UI
    assert control.size() == control.sizeHint()  # the outline moved nothing


@pytest.mark.parametrize("theme", [ThemeChoice.LIGHT, ThemeChoice.DARK])
def test_the_focused_conversation_is_outlined(
    qtbot: QtBot, themes: ThemeManager, theme: ThemeChoice
) -> None:
    themes.apply(AppearanceSettings(theme))
    colors = LIGHT if theme is ThemeChoice.LIGHT else DARK
    titles = QStringListModel(["Plan a weekend", "TCP and UDP"])
    view = QListView()
    view.setObjectName("conversationList")
    view.setModel(titles)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    second = titles.index(1)
    view.selectionModel().setCurrentIndex(second, QItemSelectionModel.SelectionFlag.NoUpdate)
    rect = view.visualRect(second)  # the outline starts under the item's 1px margin
    image = view.viewport().grab().toImage()
    assert image.pixelColor(rect.center().x(), rect.top() + 1).name() == colors.focus
    view.selectionModel().select(second, QItemSelectionModel.SelectionFlag.Select)
    image = view.viewport().grab().toImage()
    assert image.pixelColor(rect.center().x(), rect.top() + 1).name() == colors.text
