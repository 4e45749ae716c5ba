from __future__ import annotations

from datetime import date

from app.core.system_prompt import fill_system_prompt

MODEL = "Mistral-Small-3.2-24B-Instruct-2506"


def test_placeholders_are_filled() -> None:
    text = "You are {name}; you help {user}. Today is {today}, yesterday was {yesterday}."
    assert fill_system_prompt(text, model_name=MODEL, user_name="Ada", today=date(2026, 3, 1)) == (
        f"You are {MODEL}; you help Ada. Today is 2026-03-01, yesterday was 2026-02-28."
    )


def test_mistrals_own_system_prompt_reads_as_intended() -> None:
    text = "You are {name}, a Large Language Model (LLM) created by Mistral AI."
    filled = fill_system_prompt(text, model_name=MODEL, user_name="Ada", today=date(2026, 1, 1))
    assert filled == f"You are {MODEL}, a Large Language Model (LLM) created by Mistral AI."


def test_other_braces_stay_and_a_missing_user_name_reads_naturally() -> None:
    text = 'Reply as JSON like {"a": 1} to {user}.'
    assert fill_system_prompt(text, model_name=MODEL, user_name="", today=date(2026, 1, 1)) == (
        'Reply as JSON like {"a": 1} to the user.'
    )
