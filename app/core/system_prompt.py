"""Filling the placeholders of a system prompt: {name}, {user}, {today}, {yesterday}.

`{name}`, `{today}` and `{yesterday}` are those of Mistral's own SYSTEM_PROMPT.txt files ("You are
{name}, a Large Language Model..."), so such a file works when pasted: `{name}` is the model's name.
"""

from __future__ import annotations

from datetime import date, timedelta

DATE_FORMAT = "%Y-%m-%d"
MODEL_NAME = "Mistral-Small-3.2-24B-Instruct-2506"  # {name} before a model has said its own


def fill_system_prompt(template: str, *, model_name: str, user_name: str, today: date) -> str:
    """Replace the known placeholders; any other braces are left exactly as written."""
    values = {
        "{name}": model_name,
        "{user}": user_name or "the user",
        "{today}": today.strftime(DATE_FORMAT),
        "{yesterday}": (today - timedelta(days=1)).strftime(DATE_FORMAT),
    }
    for placeholder, value in values.items():
        template = template.replace(placeholder, value)
    return template
