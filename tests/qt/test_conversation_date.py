"""A conversation keeps the date it started: its prompt does not change at midnight, so its
KV cache and snapshot stay valid; "Use today's date" renews it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.ui.main_window import MainWindow
from tests.qt.drive import load_model, send
from tests.qt.observed_store import ObservedStore
from tests.qt.scripted_engine import Script


def test_the_date_stays_fixed_across_midnight_until_renewed(
    qtbot: QtBot, window: MainWindow, store: ObservedStore, script: Script, tmp_path: Path
) -> None:
    settings = window.chat._settings
    settings.update(replace(settings.settings, system_prompt="Today is {today}."))
    load_model(qtbot, window, tmp_path)
    send(qtbot, window, "Before midnight")
    (record,) = store.list_conversations()
    started = date.today()
    assert record.prompt_date == started
    before = script.generated[-1]
    assert before.today == started and before.conversation_id == record.id

    tomorrow = started + timedelta(days=1)
    window.chat._today = lambda: tomorrow  # midnight passes
    send(qtbot, window, "After midnight")

    after = script.generated[-1]
    assert after.today == started
    assert after.system_prompt == before.system_prompt == f"Today is {started:%Y-%m-%d}."
    assert after.conversation_id == record.id

    window.chat.renew_date(record.id)
    send(qtbot, window, "Renewed")

    renewed = script.generated[-1]
    assert renewed.today == tomorrow
    assert renewed.system_prompt == f"Today is {tomorrow:%Y-%m-%d}."
    assert store.conversation(record.id).prompt_date == tomorrow
