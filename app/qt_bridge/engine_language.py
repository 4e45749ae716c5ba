"""The engine process in the window's language.

The engine words its messages (a file that will not load, memory that runs out) with
`app.core.i18n.translate`, in its own process, where no window installed Qt's translators and
the engine layer may not import Qt. The window hands the engine process a start-up step made
here: it installs the window's catalogue, through a `QTranslator` (which needs no
`QCoreApplication`), and the window's locale for numbers.

Qt is imported in the engine process only when the first message is worded: importing it adds
about 100 ms to the engine's start, and most engine runs word no message at all.
"""

from __future__ import annotations

import logging
from datetime import date, time
from functools import partial
from typing import TYPE_CHECKING

from app.core.i18n import install_translator
from app.core.locale_format import DateStyle, LocaleFormats, install_formats
from app.engine.worker import ChildSetup

if TYPE_CHECKING:
    from PySide6.QtCore import QTranslator

log = logging.getLogger(__name__)

# the locales whose numbers the engine writes already (32,768 and 49.5), without Qt
PLAIN_ENGLISH = frozenset({"en_US", "C"})


def engine_language() -> ChildSetup | None:
    """The start-up step that makes an engine process speak as the window does now; None while
    the window speaks English and writes numbers the English way, as the engine does anyway."""
    # imported here, not above: the engine process imports this module to run `speak`
    from PySide6.QtCore import QLocale

    from app.qt_bridge.language import spoken_language
    from app.translations import SOURCE_LANGUAGE

    language = spoken_language()
    locale_name = QLocale().name()
    if language == SOURCE_LANGUAGE and locale_name in PLAIN_ENGLISH:
        return None
    return partial(speak, language, locale_name)


def speak(language: str, locale_name: str) -> None:
    """In the engine process: word messages in `language`, write numbers as `locale_name` does."""
    words = _LanguageOnDemand(language, locale_name)
    install_translator(words.translate)
    install_formats(words)


class _LanguageOnDemand:
    """A language's translator and locale, loaded when first asked for a word or a number."""

    def __init__(self, language: str, locale_name: str) -> None:
        self._language = language
        self._locale_name = locale_name
        self._loaded: tuple[QTranslator | None, LocaleFormats] | None = None

    def _load(self) -> tuple[QTranslator | None, LocaleFormats]:
        if self._loaded is None:
            from PySide6.QtCore import QLocale

            from app.qt_bridge.language import catalog_translator
            from app.qt_bridge.locale_formats import QtLocaleFormats

            translator = catalog_translator(self._language)
            if translator is None:
                log.warning("no %s catalogue: the engine's words stay English", self._language)
            self._loaded = translator, QtLocaleFormats(QLocale(self._locale_name))
        return self._loaded

    def translate(self, context: str, source: str, disambiguation: str | None, n: int) -> str:
        """What `QCoreApplication.translate` gives, from one translator and without an
        application: the translation, else the source, with `%n` replaced by the count."""
        translator = self._load()[0]
        text = translator.translate(context, source, disambiguation, n) if translator else ""
        text = text or source
        return text.replace("%n", str(n)) if n >= 0 else text

    def number(self, value: float, decimals: int) -> str:
        return self._load()[1].number(value, decimals)

    def day(self, day: date, style: DateStyle) -> str:
        return self._load()[1].day(day, style)

    def clock(self, moment: time) -> str:
        return self._load()[1].clock(moment)

    def weekday(self, day: date) -> str:
        return self._load()[1].weekday(day)
