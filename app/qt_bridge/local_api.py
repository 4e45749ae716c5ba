"""The loaded model served on an OpenAI-compatible API (opt-in): `/v1/models`,
`/v1/models/{id}` and `/v1/chat/completions` (streaming or not, tools, images as data URLs,
structured output).

The HTTP side (app/api/server.py) runs uvicorn on a thread of its own; each request becomes a
job for the broker here, on the GUI thread, which runs it through the window's engine when
neither the window nor an earlier request is answering, and hands the events back. Bound to
127.0.0.1 by default; bound elsewhere, every request needs the bearer token the app generated.
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.api.jobs import Job
from app.api.server import ApiSetup, ServerThread
from app.core.i18n import translate
from app.core.messages import ChatMessage, ImagePart
from app.core.sampling import SamplingParams
from app.engine.protocol import EngineError, ErrorKind, Finished, FinishReason
from app.qt_bridge.engine_controller import EngineController, EngineState

MAX_BODY_BYTES = 64 * 1024 * 1024  # ten large screenshots as base64, with room to spare
LOOPBACK = ("127.0.0.1", "localhost", "::1")
_GONE = {
    EngineState.CRASHED: (
        ErrorKind.ENGINE_CRASHED,
        "The engine stopped before this request's turn; restart it in Tramontane.",
    ),
    EngineState.NO_MODEL: (
        ErrorKind.NO_MODEL,
        "The model was unloaded before this request's turn.",
    ),
}
# API bodies stay in English; the window words a crash in its own language.
CRASHED = "The engine stopped while answering this request; restart it in Tramontane."


def needs_token(host: str) -> bool:
    return host not in LOOPBACK


def new_token() -> str:
    return secrets.token_urlsafe(24)


class _Running:
    def __init__(self, job: Job, request_id: int, folder: tempfile.TemporaryDirectory[str] | None):
        self.job = job
        self.request_id = request_id
        self.folder = folder


class ApiBroker(QObject):
    """Runs API requests one at a time through the engine, behind the window's own answers.
    `submit` and `cancel` are called on the server's thread; the work happens on this one."""

    submitted = Signal(object)  # Job
    cancelled = Signal(object)  # Job whose client hung up
    queue_changed = Signal(int, int)  # running, waiting

    def __init__(
        self, engine: EngineController, window_busy: Callable[[], bool], parent: QObject | None
    ) -> None:
        super().__init__(parent)
        self._engine = engine
        self._window_busy = window_busy
        self._waiting: list[Job] = []
        self._running: _Running | None = None
        self._last_request_id: int | None = None  # the engine request of the latest job run
        self.submitted.connect(self._add)
        self.cancelled.connect(self._cancel)
        engine.delta.connect(self._on_delta)
        engine.finished.connect(self._on_finished)
        engine.error.connect(self._on_error)
        engine.state_changed.connect(self._on_state)

    @property
    def busy(self) -> bool:
        return self._running is not None

    def owns(self, request_id: int | None) -> bool:
        """Whether the engine request is the one an API request runs, or ran last: its errors
        are told to the API's client, not to the window."""
        return request_id is not None and request_id == self._last_request_id

    def submit(self, job: Job) -> None:
        self.submitted.emit(job)

    def cancel(self, job: Job) -> None:
        self.cancelled.emit(job)

    def _add(self, job: Job) -> None:
        self._waiting.append(job)
        self._report()
        self.try_next()

    def _cancel(self, job: Job) -> None:
        if job in self._waiting:
            self._waiting.remove(job)
            self._report()
        elif self._running is not None and self._running.job is job:
            self._engine.cancel()  # its Finished(CANCELLED) ends it

    def _on_state(self, state: EngineState) -> None:
        gone = _GONE.get(state)
        if gone is not None and self._waiting:
            kind, message = gone
            for job in self._waiting:
                job.put(EngineError(kind, message))
            self._waiting.clear()
            self._report()
        self.try_next()

    def try_next(self) -> None:
        """Start the next request when the engine is free and the window is not answering."""
        if self._running is not None or not self._waiting:
            return
        if self._engine.state is not EngineState.READY or self._window_busy():
            return
        job = self._waiting.pop(0)
        request = job.request
        messages = list(request.messages)
        folder = None
        if request.images:
            folder = tempfile.TemporaryDirectory(prefix="tramontane-api-")
            for index, pictures in request.images.items():
                parts = []
                for picture in pictures:
                    path = Path(folder.name) / f"{picture.sha256}.png"
                    path.write_bytes(picture.png)
                    parts.append(ImagePart(path, picture.sha256))
                messages[index] = _with_images(messages[index], tuple(parts))
        request_id = self._engine.generate(
            tuple(messages),
            sampling=request.sampling,
            system_prompt=request.system_prompt,
            tools=request.tools,
            stop=request.options.stop,
            output=request.options.output,
            english=True,
        )
        self._last_request_id = request_id
        self._running = _Running(job, request_id, folder)
        self._report()

    def _on_delta(self, request_id: int, text: str) -> None:
        if self._running is not None and request_id == self._running.request_id:
            self._running.job.put(text)

    def _on_finished(self, finished: Finished) -> None:
        running = self._running
        if running is not None and finished.request_id == running.request_id:
            running.job.put(finished)
            if finished.reason is not FinishReason.ERROR:
                self._done()

    def _on_error(self, error: EngineError) -> None:
        running = self._running
        if running is not None and error.request_id in (None, running.request_id):
            if error.kind is ErrorKind.ENGINE_CRASHED:
                error = replace(error, message=CRASHED)
            running.job.put(error)
            self._done()

    def _done(self) -> None:
        running = self._running
        self._running = None
        if running is not None and running.folder is not None:
            running.folder.cleanup()
        self._report()
        self.try_next()

    def _report(self) -> None:
        self.queue_changed.emit(int(self._running is not None), len(self._waiting))


def _with_images(message: ChatMessage, images: tuple[ImagePart, ...]) -> ChatMessage:
    return replace(message, images=images)


class LocalApiServer:
    """The API's server: bound at construction (so a port in use fails there), served after
    `start` until `stop`."""

    def __init__(
        self,
        broker: ApiBroker,
        *,
        host: str,
        port: int,
        token: str,
        model_name: Callable[[], str | None],
        sampling: Callable[[], SamplingParams],
    ) -> None:
        if needs_token(host) and not token:
            raise ValueError(
                translate("LocalApiServer", "an API reachable from other computers needs a token")
            )
        self.broker = broker
        self.token = token
        setup = ApiSetup(broker, model_name, sampling, token, lambda: MAX_BODY_BYTES)
        self._thread = ServerThread(setup, host, port, loopback=not needs_token(host))

    @property
    def port(self) -> int:
        return self._thread.port

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._thread.stop()
