"""Numbers, sizes and dates before the window installs its locale: the English way."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from app.core.locale_format import (
    DateStyle,
    format_count,
    format_date,
    format_memory,
    format_number,
    format_percent,
    format_size,
    format_time,
    format_weekday,
)
from app.translations import resolve_language


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (999, "999 bytes"),
        (1000, "1.0 kB"),
        (512_400, "512.4 kB"),
        (14_300_000_000, "14.3 GB"),
        (2_500_000_000_000, "2,500.0 GB"),
    ],
)
def test_file_sizes_in_decimal_units_like_the_hub(size: int, text: str) -> None:
    assert format_size(size) == text


def test_memory_in_binary_gigabytes_labelled_gb() -> None:
    assert format_memory(24 * 2**30) == "24.0 GB"
    assert format_memory(3 * 2**29) == "1.5 GB"


def test_numbers_with_thousands_separators() -> None:
    assert format_count(131072) == "131,072"
    assert format_number(1234.5, 1) == "1,234.5"
    assert format_number(0.15, 2) == "0.15"
    assert format_percent(0.853) == "85%"
    assert format_percent(0.8536, 1) == "85.4%"


def test_dates_and_times() -> None:
    day = date(2026, 12, 6)
    assert format_date(day) == "Sunday 6 December 2026"
    assert format_date(day, DateStyle.SHORT) == "06/12/2026"
    assert format_date(day, DateStyle.DAY_MONTH) == "6 Dec"
    assert format_weekday(day) == "Sunday"
    assert format_time(time(14, 5)) == "14:05"
    assert format_time(datetime(2026, 12, 6, 9, 30)) == "09:30"


@pytest.mark.parametrize(
    ("choice", "system", "language"),
    [
        ("fr", ["en-US"], "fr"),  # the user's choice first
        ("en", ["fr-FR"], "en"),
        (None, ["fr-CA", "en-US"], "fr"),  # else the system's first shipped language
        (None, ["de-DE", "fr-FR"], "fr"),
        (None, ["de-DE"], "en"),  # else English
        ("de", ["de-DE"], "en"),  # a choice no longer shipped
        (None, ["pt-BR"], "pt_BR"),
    ],
)
def test_the_language_spoken(choice: str | None, system: list[str], language: str) -> None:
    assert resolve_language(choice, system, ["en", "fr", "pt_BR"]) == language
