"""Numbers, sizes and dates as the user's locale writes them, usable from every layer.

Like `app.core.i18n`, this module gives Qt-free code one entry point and lets the window install
the real thing: at start-up the Qt layer installs formats made from the `QLocale` of the chosen
language (a comma for decimals and a narrow space between thousands in French). Until then, and in
command-line output, numbers are written the English way.

Sizes put a translated unit after a locale-formatted number: decimal units (14.3 GB, as the
Hugging Face hub shows files) or binary gigabytes labelled GB (as GPU tools show memory).
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import Enum
from typing import Protocol

from app.core.i18n import translate

KILO = 1000
GIB = 2**30


class DateStyle(Enum):
    LONG = "long"  # Sunday 6 December 2026
    SHORT = "short"  # 06/12/2026
    DAY_MONTH = "day_month"  # 6 Dec (the year left out)


class LocaleFormats(Protocol):
    """What a locale must know how to write; `app.qt_bridge.locale_formats` gives Qt's."""

    def number(self, value: float, decimals: int) -> str: ...

    def day(self, day: date, style: DateStyle) -> str: ...

    def clock(self, moment: time) -> str: ...

    def weekday(self, day: date) -> str: ...


class EnglishFormats:
    """The formats used before the window installs its locale's (and by the command line)."""

    def number(self, value: float, decimals: int) -> str:
        return f"{value:,.{decimals}f}"

    def day(self, day: date, style: DateStyle) -> str:
        if style is DateStyle.LONG:
            return f"{day:%A} {day.day} {day:%B %Y}"
        if style is DateStyle.DAY_MONTH:
            return f"{day.day} {day:%b}"
        return f"{day:%d/%m/%Y}"

    def clock(self, moment: time) -> str:
        return f"{moment:%H:%M}"

    def weekday(self, day: date) -> str:
        return f"{day:%A}"


_formats: LocaleFormats = EnglishFormats()


def install_formats(formats: LocaleFormats | None) -> None:
    """Write numbers and dates with `formats` from now on, or the English way again with None."""
    global _formats
    _formats = formats or EnglishFormats()


def format_number(value: float, decimals: int = 0) -> str:
    """`value` with the locale's decimal point and thousands separators."""
    return _formats.number(value, decimals)


def format_count(value: int) -> str:
    """A whole number with the locale's thousands separators (131,072 or 131 072)."""
    return _formats.number(value, 0)


def format_percent(fraction: float, decimals: int = 0) -> str:
    """`fraction` (0.85) as a percentage: 85% in English, 85 % in French."""
    number = format_number(fraction * 100, decimals)
    return translate("LocaleFormat", "{number}%").format(number=number)


def format_size(size: int) -> str:
    """A file size in decimal units, the way the hub shows them: 14.3 GB, 512 bytes."""
    value = float(size)
    if abs(value) < KILO:
        return translate("LocaleFormat", "{number} bytes").format(number=format_count(size))
    value /= KILO
    if abs(value) < KILO:
        return translate("LocaleFormat", "{number} kB").format(number=format_number(value, 1))
    value /= KILO
    if abs(value) < KILO:
        return translate("LocaleFormat", "{number} MB").format(number=format_number(value, 1))
    return translate("LocaleFormat", "{number} GB").format(number=format_number(value / KILO, 1))


def format_memory(size: int) -> str:
    """Memory the way GPU tools show it: binary gigabytes, labelled GB (a 24 GB RTX 4090)."""
    return translate("LocaleFormat", "{number} GB").format(number=format_number(size / GIB, 1))


def format_date(day: date, style: DateStyle = DateStyle.LONG) -> str:
    return _formats.day(day, style)


def format_time(moment: time | datetime) -> str:
    """Hours and minutes (14:05, or 2:05 PM where the locale writes it so)."""
    return _formats.clock(moment.time() if isinstance(moment, datetime) else moment)


def format_weekday(day: date) -> str:
    return _formats.weekday(day)
