"""The window's language: Qt translators for it and its locale's way of writing numbers.

The language is chosen once, at start-up, before any widget exists: the one in the settings,
else the first of the system's preferred languages that is shipped, else English. The window's
widgets are built with their text in that language; a change in the settings applies from the
next start.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.core.i18n import install_translator
from app.core.locale_format import install_formats
from app.qt_bridge.locale_formats import QtLocaleFormats
from app.translations import (
    CATALOG,
    FOLDER,
    SOURCE_LANGUAGE,
    resolve_language,
    shipped_languages,
)

log = logging.getLogger(__name__)

QT_CATALOG = "qtbase"  # the text of Qt's own dialogs and buttons (OK, Cancel, Open…)


class WindowLanguage:
    """Installs the translators of one language in the application; `use` again replaces them."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._translators: list[QTranslator] = []
        self._default_locale = QLocale()
        self.language = SOURCE_LANGUAGE

    def use(self, choice: str | None) -> str:
        """Speak `choice` (a language code; None follows the system); the language used."""
        self._take_out_translators()
        system = QLocale.system()
        language = resolve_language(choice, system.uiLanguages(), shipped_languages())
        self._translators = [
            translator
            for translator in (_ours(language, self._app), _qt_own(language, self._app))
            if translator is not None and self._app.installTranslator(translator)
        ]
        # numbers and dates as the system writes them, unless the user chose another language
        same = choice is None or _same_language(system, language)
        has_locale = system.language() != QLocale.Language.C  # "C": no locale set at all
        locale = system if same and has_locale else QLocale(language)
        QLocale.setDefault(locale)
        install_formats(QtLocaleFormats(locale))
        install_translator(QCoreApplication.translate)
        self.language = language
        log.info("Window language %s (set: %s, system: %s)", language, choice, system.name())
        return language

    def remove(self) -> None:
        """English again, and the locale there was before: for when the window has closed."""
        self._take_out_translators()
        install_translator(None)
        install_formats(None)
        QLocale.setDefault(self._default_locale)
        self.language = SOURCE_LANGUAGE

    def _take_out_translators(self) -> None:
        for translator in self._translators:
            self._app.removeTranslator(translator)
            translator.deleteLater()
        self._translators = []


def _ours(language: str, app: QCoreApplication) -> QTranslator | None:
    return _loaded(f"{CATALOG}_{language}", str(FOLDER), app)


def _qt_own(language: str, app: QCoreApplication) -> QTranslator | None:
    if language == SOURCE_LANGUAGE:
        return None
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    return _loaded(f"{QT_CATALOG}_{language}", folder, app)


def _loaded(name: str, folder: str, app: QCoreApplication) -> QTranslator | None:
    translator = QTranslator(app)  # the application keeps it, whoever holds this object
    if translator.load(name, folder):
        return translator
    translator.deleteLater()
    return None


def _same_language(locale: QLocale, language: str) -> bool:
    return locale.name().split("_")[0] == language.split("_")[0]


def language_name(language: str) -> str:
    """The language's name in itself ("Français"), as language menus show it."""
    if language == SOURCE_LANGUAGE:
        return "English"
    name = QLocale(language).nativeLanguageName()
    return name[:1].upper() + name[1:] if name else language
