"""Every control a screen reader reaches says what it is and what it does: buttons, fields, lists,
boxes and bars of the composer, the sidebar, the status bar, the welcome page, the settings pages
and the dialogs carry an accessible name and description of their own."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.qt_bridge.chat_ports import ContextOverflowFacts
from app.qt_bridge.engine_controller import EngineController
from app.qt_bridge.settings_controller import SettingsController
from app.tools.builtin import calculator
from app.tools.registry import PluginError, function_tool
from app.ui.about_dialog import AboutDialog
from app.ui.composer import Composer, ComposerMode
from app.ui.context_dialog import ContextLimitDialog
from app.ui.engine_page import EnginePage
from app.ui.library_page import LibraryPage
from app.ui.main_window import MainWindow
from app.ui.models_dialog import ModelsDialog
from app.ui.sidebar import Sidebar
from app.ui.snapshot_settings import SnapshotSettingsBox
from app.ui.status_bar import StatusBar
from app.ui.switch_model_dialog import SwitchModelDialog
from app.ui.tool_approval import ToolApprovalBar
from app.ui.tools_page import ToolsPage
from app.ui.welcome_view import WelcomeView
from tests.qt.models_window import ModelsWindow

Shown = TypeVar("Shown", bound=QWidget)
CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QPlainTextEdit,
    QAbstractItemView,
    QProgressBar,
)


def controls(root: QWidget) -> list[QWidget]:
    """The interactive widgets `root` made, less the parts Qt builds inside its own widgets (the
    line edit of a spin box, the list a box pops up, the clear button of a field)."""
    found: list[QWidget] = []
    popups = [combo.view() for combo in root.findChildren(QComboBox)]
    for widget in root.findChildren(QWidget):
        if any(widget is popup for popup in popups):
            continue
        parent = widget.parentWidget()
        inner = isinstance(
            parent, (QAbstractSpinBox, QComboBox, QLineEdit, QAbstractItemView, QTabBar)
        )
        if isinstance(widget, CONTROLS) and not inner and not widget.objectName().startswith("qt_"):
            found.append(widget)
    return found


def unnamed(
    root: QWidget, *, shown_only: bool = False, outside: QWidget | None = None
) -> list[str]:
    """The controls without a name or a description (of those shown now, with `shown_only`;
    leaving out those of `outside`, a part the widget takes from elsewhere)."""
    return [
        f"{type(widget).__name__} {widget.objectName()!r}"
        for widget in controls(root)
        if (widget.isVisibleTo(root) or not shown_only)
        and not (outside is not None and outside.isAncestorOf(widget))
        and not (widget.accessibleName().strip() and widget.accessibleDescription().strip())
    ]


def shown(qtbot: QtBot, widget: Shown) -> Shown:
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_the_composer_names_its_field_and_buttons_in_every_mode(qtbot: QtBot) -> None:
    composer = shown(qtbot, Composer())
    for mode in ComposerMode:
        composer.set_mode(mode)
        assert len(controls(composer)) >= 4
        assert unnamed(composer, shown_only=True) == [], mode
    composer.set_mode(ComposerMode.NO_MODEL)
    banner_button = composer.findChild(QAbstractButton, "primaryButton")
    assert banner_button is not None and banner_button.accessibleName()


def test_the_sidebar_and_status_bar_name_their_controls(qtbot: QtBot) -> None:
    sidebar = shown(qtbot, Sidebar())
    status = shown(qtbot, StatusBar())
    assert len(controls(sidebar)) >= 4
    assert unnamed(sidebar, outside=sidebar.undo_bar) == []
    assert unnamed(status) == []


def test_the_welcome_page_names_every_button(
    qtbot: QtBot, settings: SettingsController, tmp_path: Path
) -> None:
    builder = ModelsWindow(settings, tmp_path)
    welcome = shown(qtbot, WelcomeView(builder.controller()))
    assert len(controls(welcome)) >= 6
    assert unnamed(welcome) == []
    builder.close()


def test_the_models_window_and_the_switch_dialog_name_their_controls(
    qtbot: QtBot,
    window: MainWindow,
    engine: EngineController,
    settings: SettingsController,
    tmp_path: Path,
) -> None:
    builder = ModelsWindow(settings, tmp_path)
    models = shown(
        qtbot,
        ModelsDialog(builder.controller(), engine=engine, settings=settings, loader=window.loader),
    )
    switch = shown(qtbot, SwitchModelDialog(builder.controller(), settings, window.loader))
    assert len(controls(models)) >= 12
    assert unnamed(models) == []
    assert unnamed(switch) == []
    builder.close()


def test_settings_pages_and_dialogs_name_their_controls(qtbot: QtBot) -> None:
    widgets = [
        EnginePage(),
        LibraryPage(),
        SnapshotSettingsBox(),
        ToolApprovalBar(),
        ContextLimitDialog(ContextOverflowFacts(40_000, 32_768, 2_048, 6)),
        ToolsPage(
            [function_tool(calculator, "tramontane (builtin)")],
            [PluginError("broken.py", "failed to load: SyntaxError", "Traceback …")],
            "plugins",
        ),
        AboutDialog(),
    ]
    for widget in widgets:
        shown(qtbot, widget)
        assert controls(widget), type(widget).__name__
        assert unnamed(widget) == [], type(widget).__name__


def test_the_about_icon_is_described_by_its_file_and_size(qtbot: QtBot) -> None:
    dialog = shown(qtbot, AboutDialog())
    described = [
        label.accessibleDescription()
        for label in dialog.findChildren(QWidget)
        if "tramontane.svg" in label.accessibleDescription()
    ]
    assert described == ["Image tramontane.svg, 72 × 72 pixels"]
