from __future__ import annotations

from datetime import date

from app.core.system_prompt import fill_system_prompt


def test_placeholders_are_filled() -> None:
    text = "You help {name}. Today is {today}, yesterday was {yesterday}."
    assert fill_system_prompt(text, name="Ada", today=date(2026, 3, 1)) == (
        "You help Ada. Today is 2026-03-01, yesterday was 2026-02-28."
    )


def test_other_braces_stay_and_a_missing_name_reads_naturally() -> None:
    text = 'Reply as JSON like {"a": 1} to {name}.'
    assert fill_system_prompt(text, name="", today=date(2026, 1, 1)) == (
        'Reply as JSON like {"a": 1} to the user.'
    )
