"""The window's side of the engine: starts the engine process, sends commands, relays events.

`on_event` is called on a reader thread; the Qt controller re-emits events as queued signals. If
the process dies mid-answer, the text streamed so far comes back as `Finished(reason=ERROR)`,
followed by `EngineError(ENGINE_CRASHED)` naming the cause and quoting llama.cpp's last log
lines; `start()` then starts a fresh engine.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import tempfile
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path

from app.app_log import ChildRecords
from app.core.i18n import translate
from app.engine.engine_log import log_tail
from app.engine.protocol import (
    Command,
    EngineError,
    ErrorKind,
    Event,
    Finished,
    FinishReason,
    Generate,
    PromptFitted,
    Shutdown,
    TokenDelta,
    Usage,
)
from app.engine.worker import ChildSetup, run_worker

log = logging.getLogger(__name__)


def describe_exit(exitcode: int | None) -> str:
    """Why the engine process ended, as a clause for the user."""
    if exitcode is None:
        return translate("EngineClient", "it stopped responding")
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        if name == "SIGABRT":
            return translate("EngineClient", "llama.cpp aborted (SIGABRT)")
        if name == "SIGKILL":
            return translate(
                "EngineClient", "it was killed (SIGKILL), possibly by the system for lack of memory"
            )
        return translate("EngineClient", "it was stopped by {signal}").format(signal=name)
    return translate("EngineClient", "it exited with code {code}").format(code=exitcode)


class EngineClient:
    def __init__(
        self, on_event: Callable[[Event], None], child_setup: ChildSetup | None = None
    ) -> None:
        """`child_setup` runs first in every engine process started (see `ChildSetup`)."""
        self._on_event = on_event
        self._child_setup = child_setup
        self._context = multiprocessing.get_context("spawn")
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._reader: threading.Thread | None = None
        self._cancel_upto: Synchronized[int] = self._context.Value("q", 0, lock=False)
        self._log_path: Path | None = None
        self._lock = threading.Lock()
        self._stopping = False
        self._current_request: int | None = None
        self._partial: list[str] = []
        self._records: ChildRecords | None = None

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.is_alive()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        """Start the engine process, unless one is already running."""
        if self.alive:
            return
        self._reap()
        fd, log_name = tempfile.mkstemp(prefix="tramontane-engine-", suffix=".log")
        os.close(fd)
        self._log_path = Path(log_name)
        parent, child = self._context.Pipe()
        self._stopping = False
        self._records = ChildRecords(self._context.Queue())
        process = self._context.Process(
            target=run_worker,
            args=(
                child,
                self._cancel_upto,
                log_name,
                self._records.queue,
                logging.getLogger().getEffectiveLevel(),
                self._child_setup,
            ),
            name="tramontane-engine",
            daemon=True,
        )
        process.start()
        log.info("engine process %s started", process.pid)
        child.close()
        self._process, self._conn = process, parent
        self._reader = threading.Thread(
            target=self._read_events, args=(parent, process), name="engine-events", daemon=True
        )
        self._reader.start()

    def send(self, command: Command) -> None:
        if self._conn is None or not self.alive:
            raise RuntimeError("the engine is not running")
        if isinstance(command, Generate):
            with self._lock:
                self._current_request = command.request_id
                self._partial = []
        self._conn.send(command)

    def cancel(self) -> None:
        """Stop the answer being generated, at the next token (no message queued)."""
        with self._lock:
            if self._current_request is not None:
                self._cancel_upto.value = self._current_request

    def stop(self, timeout: float = 5.0) -> None:
        """Shut the engine down (its memory goes back to the system), killing it if needed."""
        process = self._process
        if process is None:
            return
        self._stopping = True
        self.cancel()
        if self._conn is not None and process.is_alive():
            with contextlib.suppress(OSError):  # it may be dying already
                self._conn.send(Shutdown())
        process.join(timeout)
        if process.is_alive():
            process.kill()
            process.join()
        self._reap()

    def kill(self) -> None:
        """End the engine at once; the surest way to hand all GPU memory back."""
        if self._process is not None and self._process.is_alive():
            self._stopping = True
            self._process.kill()
        self._reap()

    def _reap(self) -> None:
        if self._process is not None:
            self._process.join(timeout=5)
        if self._reader is not None and self._reader is not threading.current_thread():
            self._reader.join(timeout=5)
        if self._conn is not None:
            self._conn.close()
        if self._log_path is not None:
            self._log_path.unlink(missing_ok=True)
        if self._records is not None:
            self._records.stop()
        self._process = self._conn = self._reader = None
        self._records = None
        self._log_path = None

    def _read_events(self, conn: Connection, process: BaseProcess) -> None:
        log_path = self._log_path
        while True:
            try:
                event: Event = conn.recv()
            except (EOFError, OSError):
                break
            self._track(event)
            self._on_event(event)
        if self._stopping:
            return
        process.join(timeout=2)
        cause = describe_exit(process.exitcode)
        log.error("engine process stopped: %s; its last log lines:\n%s", cause, log_tail(log_path))
        with self._lock:
            request, partial = self._current_request, "".join(self._partial)
            self._current_request = None
        if request is not None:
            self._on_event(Finished(request, FinishReason.ERROR, partial, Usage(0, 0, 0, 0, 0, 0)))
        self._on_event(
            EngineError(
                ErrorKind.ENGINE_CRASHED,
                translate(
                    "EngineClient",
                    "The engine stopped: {cause}. What was written so far is kept; restart the "
                    "engine to go on.",
                ).format(cause=cause),
                request,
                log_tail(log_path),
            )
        )

    def _track(self, event: Event) -> None:
        with self._lock:
            if isinstance(event, TokenDelta) and event.request_id == self._current_request:
                self._partial.append(event.text)
            elif (
                isinstance(event, Finished) or (isinstance(event, PromptFitted) and not event.sent)
            ) and event.request_id == self._current_request:
                self._current_request = None  # nothing more comes for it
                self._partial = []
            elif (
                isinstance(event, EngineError)
                and event.request_id is not None
                and event.request_id == self._current_request
            ):
                self._current_request = None
