"""Numbers and dates written by a `QLocale`, for `app.core.locale_format`."""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import QDate, QLocale, QTime

from app.core.locale_format import DateStyle

_DATE_FORMATS = {
    DateStyle.LONG: QLocale.FormatType.LongFormat,
    DateStyle.SHORT: QLocale.FormatType.ShortFormat,
}


class QtLocaleFormats:
    """Qt's rules of `locale`: its separators, its date order and month names."""

    def __init__(self, locale: QLocale) -> None:
        self._locale = locale

    def number(self, value: float, decimals: int) -> str:
        if decimals == 0:
            return self._locale.toString(round(value))
        return self._locale.toString(float(value), "f", decimals)

    def day(self, day: date, style: DateStyle) -> str:
        qdate = QDate(day.year, day.month, day.day)
        if style is DateStyle.DAY_MONTH:
            return self._locale.toString(qdate, _day_month_format(self._locale))
        return self._locale.toString(qdate, _DATE_FORMATS[style])

    def clock(self, moment: time) -> str:
        qtime = QTime(moment.hour, moment.minute)
        return self._locale.toString(qtime, QLocale.FormatType.ShortFormat)

    def weekday(self, day: date) -> str:
        return self._locale.dayName(day.isoweekday(), QLocale.FormatType.LongFormat)


def _day_month_format(locale: QLocale) -> str:
    """The locale's short date without its year, in the locale's order ("d MMM" or "MMM d")."""
    short = locale.dateFormat(QLocale.FormatType.ShortFormat)  # "M/d/yy", "dd/MM/yyyy"…
    return "MMM d" if short.find("M") < short.find("d") else "d MMM"
