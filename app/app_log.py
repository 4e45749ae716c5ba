"""The program's log: one rotating file in the data folder, the window's and the engine's records.

Records say what the program did (a model loaded, an engine stopped, a download failed), never
what the user wrote: no message text and no file contents are logged at the default level.
A hard crash (a segmentation fault in llama.cpp or Qt) leaves its Python trace through
`faulthandler`: the window's in `crash.log` beside the log, the engine's in the engine's own log,
whose tail is copied into the main log when the engine stops.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
from enum import StrEnum
from multiprocessing.queues import Queue
from pathlib import Path
from typing import IO

from app.paths import data_dir

LOG_FILE_NAME = "tramontane.log"
CRASH_FILE_NAME = "crash.log"
MAX_LOG_BYTES = 2 * 1024 * 1024
KEPT_LOGS = 3
_FORMAT = "%(asctime)s %(processName)s %(levelname)s %(name)s: %(message)s"


class LogLevel(StrEnum):
    DEBUG = "debug"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def number(self) -> int:
        return logging.getLevelNamesMapping()[self.name]


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


class ProgramLog:
    """The log of the window's process, started once by the entry point."""

    def __init__(self, directory: Path, level: LogLevel) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self._handler = logging.handlers.RotatingFileHandler(
            directory / LOG_FILE_NAME,
            maxBytes=MAX_LOG_BYTES,
            backupCount=KEPT_LOGS,
            encoding="utf-8",
        )
        self._handler.setFormatter(logging.Formatter(_FORMAT))
        root = logging.getLogger()
        root.addHandler(self._handler)
        self.set_level(level)
        self._crash_file: IO[str] = (directory / CRASH_FILE_NAME).open("a", encoding="utf-8")
        faulthandler.enable(self._crash_file)

    @property
    def path(self) -> Path:
        return self.directory / LOG_FILE_NAME

    def set_level(self, level: LogLevel) -> None:
        logging.getLogger().setLevel(level.number)

    def close(self) -> None:
        faulthandler.disable()
        self._crash_file.close()
        logging.getLogger().removeHandler(self._handler)
        self._handler.close()


def start_program_log(level: LogLevel) -> ProgramLog | None:
    """The log in the data folder; None when it cannot be written (the program runs on)."""
    try:
        return ProgramLog(log_dir(), level)
    except OSError:
        return None


class ChildRecords:
    """Carries another process's log records into this process's loggers.

    The child gets `queue` and calls `send_records_to`; records come out here in the logger of
    the same name, so they land in the same file with the same level filter.
    """

    def __init__(self, records: Queue[logging.LogRecord]) -> None:
        self.queue = records
        self._listener = logging.handlers.QueueListener(records, _Redispatch())
        self._listener.start()

    def stop(self) -> None:
        self._listener.stop()


class _Redispatch(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        logger = logging.getLogger(record.name)
        if logger.isEnabledFor(record.levelno):
            logger.handle(record)


def send_records_to(records: Queue[logging.LogRecord], level: int) -> None:
    """In a child process: every record goes to the parent through `records`."""
    root = logging.getLogger()
    root.handlers[:] = [logging.handlers.QueueHandler(records)]
    root.setLevel(level)
