"""The program's log file: levels, rotation, and records that cross from a child process."""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.app_log import (
    LOG_FILE_NAME,
    MAX_LOG_BYTES,
    ChildRecords,
    LogLevel,
    ProgramLog,
    send_records_to,
)
from app.settings import Settings, settings_from_dict, settings_to_dict


@pytest.fixture
def program_log(tmp_path: Path) -> Iterator[ProgramLog]:
    started = ProgramLog(tmp_path / "logs", LogLevel.INFO)
    yield started
    started.close()


def test_records_at_or_above_the_level_reach_the_file(program_log: ProgramLog) -> None:
    logger = logging.getLogger("app.test")
    logger.debug("a detail")
    logger.info("a model loaded")
    program_log.set_level(LogLevel.DEBUG)
    logger.debug("now the detail too")
    text = program_log.path.read_text(encoding="utf-8")
    assert "a model loaded" in text
    assert "now the detail too" in text
    assert "a detail\n" not in text


def test_the_file_rotates_instead_of_growing(program_log: ProgramLog) -> None:
    logger = logging.getLogger("app.test")
    line = "x" * 1000
    for _ in range(3 * MAX_LOG_BYTES // 1000):
        logger.info(line)
    files = sorted(p.name for p in program_log.directory.glob(LOG_FILE_NAME + "*"))
    assert files[0] == LOG_FILE_NAME
    assert len(files) > 1
    assert all(p.stat().st_size <= MAX_LOG_BYTES + 2000 for p in program_log.directory.iterdir())


def _child(records: multiprocessing.Queue[logging.LogRecord], level: int) -> None:
    send_records_to(records, level)
    logging.getLogger("app.engine.child").info("hello from the engine process")
    logging.getLogger("app.engine.child").debug("below the level")


def test_a_child_process_records_land_in_the_same_file(program_log: ProgramLog) -> None:
    context = multiprocessing.get_context("spawn")
    child_records = ChildRecords(context.Queue())
    process = context.Process(target=_child, args=(child_records.queue, logging.INFO))
    process.start()
    process.join(30)
    child_records.stop()
    text = program_log.path.read_text(encoding="utf-8")
    assert "app.engine.child: hello from the engine process" in text
    assert "below the level" not in text


def test_the_level_is_a_setting() -> None:
    chosen = Settings(log_level=LogLevel.DEBUG)
    assert settings_from_dict(settings_to_dict(chosen)).log_level is LogLevel.DEBUG
    assert settings_from_dict({"schema_version": 1}).log_level is LogLevel.INFO
