"""Filling the placeholders of a system prompt: {name}, {today}, {yesterday}."""

from __future__ import annotations

from datetime import date, timedelta

DATE_FORMAT = "%Y-%m-%d"


def fill_system_prompt(template: str, *, name: str, today: date) -> str:
    """Replace the known placeholders; any other braces are left exactly as written."""
    values = {
        "{name}": name or "the user",
        "{today}": today.strftime(DATE_FORMAT),
        "{yesterday}": (today - timedelta(days=1)).strftime(DATE_FORMAT),
    }
    for placeholder, value in values.items():
        template = template.replace(placeholder, value)
    return template
