"""The loaded model served on an OpenAI-compatible API (opt-in): `/v1/models` and
`/v1/chat/completions` (streaming or not, tools, images as data URLs).

HTTP is served by threads of the standard library's server; each request becomes a job for the
broker on the GUI thread, which runs it through the window's engine when neither the window nor
an earlier request is answering, and hands the events back. Bound to 127.0.0.1 by default;
bound elsewhere, every request needs the bearer token the app generated.
"""

from __future__ import annotations

import hmac
import json
import queue
import secrets
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.api.openai_format import (
    ChatRequest,
    RequestError,
    chunk,
    completion,
    parse_request,
    tool_calls_json,
)
from app.core.messages import ChatMessage, ImagePart
from app.core.sampling import SamplingParams
from app.core.tool_calls import ToolCallStream
from app.engine.protocol import EngineError, Finished, FinishReason
from app.qt_bridge.engine_controller import EngineController, EngineState

MAX_BODY_BYTES = 64 * 1024 * 1024  # ten large screenshots as base64, with room to spare
LOOPBACK = ("127.0.0.1", "localhost", "::1")
FINISH = {
    FinishReason.STOP: "stop",
    FinishReason.LENGTH: "length",
    FinishReason.CANCELLED: "stop",
    FinishReason.REPETITION: "stop",
    FinishReason.ERROR: "error",
}


def needs_token(host: str) -> bool:
    return host not in LOOPBACK


def new_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass
class Job:
    request: ChatRequest
    events: queue.Queue[object] = field(default_factory=queue.Queue)  # str | Finished | Error
    request_id: int | None = None
    folder: tempfile.TemporaryDirectory[str] | None = None


class ApiBroker(QObject):
    """Runs API requests one at a time through the engine, behind the window's own answers."""

    submitted = Signal(object)  # Job, from an HTTP thread
    queue_changed = Signal(int, int)  # running, waiting

    def __init__(
        self, engine: EngineController, window_busy: Callable[[], bool], parent: QObject | None
    ) -> None:
        super().__init__(parent)
        self._engine = engine
        self._window_busy = window_busy
        self._waiting: list[Job] = []
        self._running: Job | None = None
        self.submitted.connect(self._add)
        engine.delta.connect(self._on_delta)
        engine.finished.connect(self._on_finished)
        engine.error.connect(self._on_error)
        engine.state_changed.connect(lambda _state: self.try_next())

    @property
    def busy(self) -> bool:
        return self._running is not None

    def _add(self, job: Job) -> None:
        self._waiting.append(job)
        self._report()
        self.try_next()

    def try_next(self) -> None:
        """Start the next request when the engine is free and the window is not answering."""
        if self._running is not None or not self._waiting:
            return
        if self._engine.state is not EngineState.READY or self._window_busy():
            return
        job = self._waiting.pop(0)
        self._running = job
        request = job.request
        messages = list(request.messages)
        if request.images:
            job.folder = tempfile.TemporaryDirectory(prefix="tramontane-api-")
            for index, pictures in request.images.items():
                parts = []
                for picture in pictures:
                    path = Path(job.folder.name) / f"{picture.sha256}.png"
                    path.write_bytes(picture.png)
                    parts.append(ImagePart(path, picture.sha256))
                messages[index] = _with_images(messages[index], tuple(parts))
        job.request_id = self._engine.generate(
            tuple(messages),
            sampling=request.sampling,
            system_prompt=request.system_prompt,
            tools=request.tools,
        )
        self._report()

    def _on_delta(self, request_id: int, text: str) -> None:
        if self._running is not None and request_id == self._running.request_id:
            self._running.events.put(text)

    def _on_finished(self, finished: Finished) -> None:
        job = self._running
        if job is not None and finished.request_id == job.request_id:
            job.events.put(finished)
            if finished.reason is not FinishReason.ERROR:
                self._done()

    def _on_error(self, error: EngineError) -> None:
        job = self._running
        if job is not None and error.request_id in (None, job.request_id):
            job.events.put(error)
            self._done()

    def _done(self) -> None:
        job = self._running
        self._running = None
        if job is not None and job.folder is not None:
            job.folder.cleanup()
        self._report()
        self.try_next()

    def _report(self) -> None:
        self.queue_changed.emit(int(self._running is not None), len(self._waiting))


def _with_images(message: ChatMessage, images: tuple[ImagePart, ...]) -> ChatMessage:
    return replace(message, images=images)


class LocalApiServer:
    """The HTTP side: threads that parse, check and answer requests through the broker."""

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
            raise ValueError("an API reachable from other computers needs a token")
        self.broker = broker
        self.token = token
        self._model_name = model_name
        self._sampling = sampling
        api = self

        class Handler(_Handler):
            owner = api

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def model(self) -> str | None:
        return self._model_name()

    def defaults(self) -> SamplingParams:
        return self._sampling()


class _Handler(BaseHTTPRequestHandler):
    owner: LocalApiServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass  # requests are shown in the window, not printed

    def _json(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str, kind: str = "invalid_request_error") -> None:
        self._json(status, {"error": {"message": message, "type": kind, "code": status}})

    def _allowed(self) -> bool:
        token = self.owner.token
        if not token:
            return True
        given = self.headers.get("Authorization", "")
        if hmac.compare_digest(given, f"Bearer {token}"):
            return True
        self._error(401, "a valid bearer token is needed", "authentication_error")
        return False

    def do_GET(self) -> None:
        if not self._allowed():
            return
        if self.path.rstrip("/") != "/v1/models":
            self._error(404, f"no such path: {self.path}")
            return
        model = self.owner.model()
        listed = [{"id": model, "object": "model", "owned_by": "tramontane"}] if model else []
        self._json(200, {"object": "list", "data": listed})

    def do_POST(self) -> None:
        if not self._allowed():
            return
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._error(404, f"no such path: {self.path}")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self._error(413, f"the request is larger than {MAX_BODY_BYTES // 2**20} MB")
            return
        model = self.owner.model()
        if model is None:
            self._error(503, "no model is loaded in Tramontane", "server_error")
            return
        try:
            request = parse_request(self.rfile.read(length), self.owner.defaults(), model)
        except RequestError as exc:
            self._error(400, str(exc))
            return
        job = Job(request)
        self.owner.broker.submitted.emit(job)
        if request.stream:
            self._stream(job, model)
        else:
            self._whole(job, model)

    def _events(self, job: Job) -> Iterator[tuple[str, Any]]:
        calls = ToolCallStream() if job.request.tools else None
        while True:
            event = job.events.get()
            if isinstance(event, str):
                text = calls.feed(event) if calls is not None else event
                if text:
                    yield "text", text
            elif isinstance(event, Finished):
                parsed = calls.finish() if calls is not None else None
                yield "end", (event, parsed.calls if parsed is not None else ())
                if event.reason is not FinishReason.ERROR:
                    return
            elif isinstance(event, EngineError):
                yield "error", event
                return

    def _whole(self, job: Job, model: str) -> None:
        texts: list[str] = []
        for kind, value in self._events(job):
            if kind == "text":
                texts.append(value)
            elif kind == "error":
                self._error(500, value.message, "server_error")
                return
            else:
                finished, calls = value
                if finished.reason is FinishReason.ERROR:
                    continue
                usage = _usage(finished)
                finish = "tool_calls" if calls else FINISH[finished.reason]
                body = completion(_id(), model, "".join(texts), calls, finish, usage)
                self._json(200, body)
                return

    def _stream(self, job: Job, model: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        completion_id = _id()
        self.wfile.write(chunk(completion_id, model, {"role": "assistant", "content": ""}, None))
        for kind, value in self._events(job):
            if kind == "text":
                self.wfile.write(chunk(completion_id, model, {"content": value}, None))
                self.wfile.flush()
            elif kind == "error":
                error = {"error": {"message": value.message, "type": "server_error"}}
                self.wfile.write(f"data: {json.dumps(error)}\n\n".encode())
                return
            else:
                finished, calls = value
                if finished.reason is FinishReason.ERROR:
                    continue
                if calls:
                    delta = {"tool_calls": tool_calls_json(calls)}
                    self.wfile.write(chunk(completion_id, model, delta, None))
                finish = "tool_calls" if calls else FINISH[finished.reason]
                self.wfile.write(chunk(completion_id, model, {}, finish))
                usage = {"id": completion_id, "object": "chat.completion.chunk", "model": model,
                         "choices": [], "usage": _usage(finished)}  # fmt: skip
                self.wfile.write(f"data: {json.dumps(usage)}\n\ndata: [DONE]\n\n".encode())
                self.wfile.flush()
                return


def _id() -> str:
    return "chatcmpl-" + secrets.token_hex(12)


def _usage(finished: Finished) -> dict[str, int]:
    usage = finished.usage
    return {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.prompt_tokens + usage.completion_tokens,
    }
