"""The window's language: French from the shipped files, Qt's own buttons, the locale's numbers,
and the settings dialogs named for screen readers."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date, time

import pytest
from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.core.i18n import install_translator, translate
from app.core.locale_format import (
    DateStyle,
    format_count,
    format_date,
    format_memory,
    format_percent,
    format_size,
    format_time,
    install_formats,
)
from app.qt_bridge.language import WindowLanguage, language_name
from app.settings import ConversationOverrides, Settings
from app.ui.conversation_settings_dialog import ConversationSettingsDialog
from app.ui.settings_dialog import SettingsDialog

NARROW_SPACE = "\u202f"  # French thousands separator
# controls whose own parts Qt builds (and names from the control) or whose buttons are Qt's own
BUILT_INSIDE = (QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit, QTabBar, QDialogButtonBox)


@pytest.fixture
def language(qapp: QApplication) -> Iterator[WindowLanguage]:
    window_language = WindowLanguage(qapp)
    yield window_language
    window_language.remove()


def test_french_translates_our_text_and_qt_own_buttons(
    language: WindowLanguage, qtbot: QtBot
) -> None:
    assert language.use("fr") == "fr"
    assert translate("SettingsDialog", "Settings") == "Réglages"
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel is not None and cancel.text() == "Annuler"


def test_french_numbers_sizes_and_dates(language: WindowLanguage) -> None:
    language.use("fr")
    assert format_size(14_300_000_000) == "14,3 Go"
    assert format_size(512) == "512 octets"
    assert format_memory(24 * 2**30) == "24,0 Go"
    assert format_count(131072) == f"131{NARROW_SPACE}072"
    assert format_percent(0.853) == "85\u00a0%"
    assert format_date(date(2026, 12, 6)) == "dimanche 6 décembre 2026"
    assert format_date(date(2026, 12, 6), DateStyle.DAY_MONTH) == "6 déc."
    assert format_time(time(14, 5)) == "14:05"


def test_english_again_after_french(language: WindowLanguage) -> None:
    language.use("fr")
    assert language.use("en") == "en"
    assert translate("SettingsDialog", "Settings") == "Settings"
    assert format_size(14_300_000_000).endswith(" GB")


def test_a_language_that_is_not_shipped_falls_back(language: WindowLanguage) -> None:
    assert language.use("xx") in ("en", "fr")  # the system's, as far as it is shipped


def test_removing_the_language_puts_english_and_the_locale_back(
    language: WindowLanguage,
) -> None:
    before = QLocale().name()
    language.use("fr")
    assert QLocale().name() == "fr_FR"
    language.remove()
    assert QLocale().name() == before
    assert translate("SettingsDialog", "Settings") == "Settings"
    assert format_size(14_300_000_000) == "14.3 GB"
    assert format_count(131072) == "131,072"


def test_the_translators_stay_when_their_installer_is_dropped(qapp: QApplication) -> None:
    before = QLocale()
    WindowLanguage(qapp).use("fr")
    gc.collect()
    try:
        assert translate("SettingsDialog", "Settings") == "Réglages"
    finally:
        for translator in qapp.findChildren(QTranslator):
            qapp.removeTranslator(translator)
            translator.deleteLater()
        install_translator(None)
        install_formats(None)
        QLocale.setDefault(before)


def test_languages_are_listed_in_their_own_names() -> None:
    assert language_name("fr") == "Français"
    assert language_name("en") == "English"


def test_the_settings_dialog_speaks_french_and_saves_the_language(
    language: WindowLanguage, qtbot: QtBot
) -> None:
    language.use("fr")
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Réglages"
    assert [dialog.tabs.tabText(i) for i in range(4)] == [
        "Modèle",
        "Réponses",
        "Apparence",
        "Conversations",
    ]
    assert dialog.language.currentData() is None  # follows the system
    assert [dialog.language.itemText(i) for i in range(1, dialog.language.count())] == [
        "English",
        "Français",
    ]
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    assert dialog.settings().language == "fr"
    dialog.language.setCurrentIndex(0)
    assert dialog.settings().language is None


def controls(root: QWidget, others: tuple[QWidget, ...]) -> list[QWidget]:
    """The interactive widgets of `root`, outside `others` (pages with their own tests) and the
    parts Qt builds inside a control (a spin box's line edit)."""
    kinds = (QAbstractButton, QComboBox, QAbstractSpinBox, QLineEdit, QPlainTextEdit, QTabWidget)
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, kinds) or widget.objectName().startswith("qt_"):
            continue
        ancestors = []
        parent = widget.parentWidget()
        while parent is not None and parent is not root:
            ancestors.append(parent)
            parent = parent.parentWidget()
        inside_control = any(isinstance(a, BUILT_INSIDE) for a in ancestors)
        if not inside_control and not any(a in others for a in ancestors):
            found.append(widget)
    return found


def unnamed(widgets: list[QWidget]) -> list[str]:
    return [
        f"{type(w).__name__} {w.objectName() or w.accessibleName()!r}"
        for w in widgets
        if not w.accessibleName() or not w.accessibleDescription()
    ]


def test_every_control_of_the_settings_dialog_is_named_and_described(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    others = (dialog.library_page, dialog.tools_page, dialog.engine_page, dialog.snapshots)
    found = controls(dialog, others)
    assert len(found) >= 20
    assert not unnamed(found)


def test_every_control_of_a_conversation_s_settings_is_named_and_described(
    qtbot: QtBot,
) -> None:
    dialog = ConversationSettingsDialog("Trip", ConversationOverrides(), Settings())
    qtbot.addWidget(dialog)
    found = controls(dialog, (dialog.date,))
    assert len(found) >= 10
    assert not unnamed(found)
