"""The local API's HTTP side: a Starlette application served by uvicorn on a thread of its own,
with its own event loop. Requests are parsed on a small pool of workers (images are decoded
there), handed to a `JobRunner` as jobs, and answered from the job's events, whole or streamed
as server-sent events. A client that hangs up has its job cancelled, queued or running."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from typing import Any

import anyio
import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from app.api.guard import GuardRules, Refused, RequestGuard
from app.api.http_protocol import DeadlineH11Protocol
from app.api.jobs import Job, JobEvent, JobRunner
from app.api.openai_format import (
    ChatRequest,
    RequestError,
    chunk,
    completion,
    error_body,
    model_object,
    parse_request,
    tool_calls_json,
    usage_chunk,
)
from app.core.i18n import english
from app.core.messages import ToolCall
from app.core.sampling import SamplingParams
from app.core.tool_calls import ToolCallStream
from app.engine.protocol import EngineError, ErrorKind, Finished, FinishReason

MAX_CONNECTIONS = 32  # beyond this uvicorn answers 503 at once
MAX_OPEN_JOBS = 16  # requests queued or answered at once; more are told to retry (429)
PARSE_WORKERS = 2  # requests parsed (and their images decoded) at the same time
KEEP_ALIVE_S = 5  # an idle connection is closed after this
STOP_TIMEOUT_S = 5.0
FINISH = {
    FinishReason.STOP: "stop",
    FinishReason.LENGTH: "length",
    FinishReason.CANCELLED: "stop",
    FinishReason.REPETITION: "stop",
    FinishReason.ERROR: "error",
}
# Engine errors a client's request caused: a 400 naming the parameter, not a server error.
CLIENT_FAULTS = {
    ErrorKind.PROMPT_TOO_LONG: "messages",
    ErrorKind.TEMPLATE: "messages",
    ErrorKind.BAD_IMAGE: "messages",
    ErrorKind.GRAMMAR: "response_format",
}


@dataclass(frozen=True)
class ApiSetup:
    runner: JobRunner
    model_name: Callable[[], str | None]
    sampling: Callable[[], SamplingParams]
    token: str
    max_body: Callable[[], int]


def loopback_hosts(port: int) -> frozenset[str]:
    return frozenset(f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]"))


def build_app(setup: ApiSetup, allowed_hosts: frozenset[str] | None) -> RequestGuard:
    api = _Api(setup)
    app = Starlette(
        routes=[
            Route("/v1/models", api.models, methods=["GET"]),
            Route("/v1/models/{model_id:path}", api.one_model, methods=["GET"]),
            Route("/v1/chat/completions", api.chat, methods=["POST"]),
        ],
        exception_handlers={HTTPException: _http_error},
    )
    return RequestGuard(app, GuardRules(allowed_hosts, setup.token, setup.max_body))


async def _http_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return _error(exc.status_code, str(exc.detail))


def _error(
    status: int, message: str, kind: str = "invalid_request_error", param: str | None = None
) -> JSONResponse:
    return JSONResponse(error_body(message, kind, param), status_code=status)


class _Api:
    def __init__(self, setup: ApiSetup) -> None:
        self._setup = setup
        self._created = int(time.time())
        self._parsers = anyio.CapacityLimiter(PARSE_WORKERS)
        self._open: set[Job] = set()

    async def models(self, _request: Request) -> Response:
        model = self._setup.model_name()
        listed = [model_object(model, self._created)] if model else []
        return JSONResponse({"object": "list", "data": listed})

    async def one_model(self, request: Request) -> Response:
        model = self._setup.model_name()
        wanted = request.path_params["model_id"]
        if model is None or wanted != model:
            return _error(404, f"no model {wanted!r} is loaded", param="model")
        return JSONResponse(model_object(model, self._created))

    async def chat(self, request: Request) -> Response:
        model = self._setup.model_name()
        if model is None:
            return _error(503, "no model is loaded in Tramontane", "server_error")
        if self._full():
            return self._too_many()
        try:
            body = await request.body()
        except Refused as refused:
            return _error(refused.status, str(refused))
        except ClientDisconnect:
            return Response(status_code=400)
        try:
            parsed = await anyio.to_thread.run_sync(
                _parse_in_english, body, self._setup.sampling(), model, limiter=self._parsers
            )
        except RequestError as exc:
            return _error(400, str(exc), param=exc.param)
        if self._full():  # again: others may have come while this one was read
            return self._too_many()
        job = Job(parsed, asyncio.get_running_loop())
        events = _Events(job, self._setup.runner, request.receive, self._open.discard)
        self._open.add(job)
        self._setup.runner.submit(job)
        streaming = False
        try:
            first = await events.next()
            while isinstance(first, Finished) and first.reason is FinishReason.ERROR:
                first = await events.next()  # an error follows: the answer never began
            if first is None or isinstance(first, EngineError):
                return _failure(first, parsed)
            if parsed.stream:
                streaming = True  # the response lets the job go when it ends
                return _EventStream(events, _streamed(events, first, model))
            return await _whole(events, first, model)
        finally:
            if not streaming:
                events.close()

    def _full(self) -> bool:
        return len(self._open) >= MAX_OPEN_JOBS

    @staticmethod
    def _too_many() -> Response:
        message = f"{MAX_OPEN_JOBS} requests are already waiting; try again later"
        return _error(429, message, "rate_limit_error")


class _Events:
    """A job's events until its end, or None once the client hung up (the job is cancelled)."""

    def __init__(
        self, job: Job, runner: JobRunner, receive: Receive, on_close: Callable[[Job], None]
    ) -> None:
        self.job = job
        self._runner = runner
        self._on_close = on_close
        self._ended = False
        self._hung_up = asyncio.ensure_future(_disconnected(receive))

    async def next(self) -> JobEvent | None:
        if self._ended:
            return None
        getting = asyncio.ensure_future(self.job.next_event())
        await asyncio.wait({getting, self._hung_up}, return_when=asyncio.FIRST_COMPLETED)
        if not getting.done():
            getting.cancel()
            return None
        event = getting.result()
        if isinstance(event, EngineError) or (
            isinstance(event, Finished) and event.reason is not FinishReason.ERROR
        ):
            self._ended = True
        return event

    def close(self) -> None:
        self._hung_up.cancel()
        self._on_close(self.job)
        if not self._ended:
            self._ended = True
            self._runner.cancel(self.job)


class _EventStream(StreamingResponse):
    """Server-sent events; the job is let go however the response ends, even before its
    first byte (a client gone before the headers leaves the body never iterated)."""

    def __init__(self, events: _Events, body: AsyncIterator[bytes]) -> None:
        super().__init__(
            body, media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
        )
        self._events = events

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._events.close()


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def _parse_in_english(body: bytes, sampling: SamplingParams, model: str) -> ChatRequest:
    """The request read, what is wrong with it worded in English (clients parse it), whatever
    the window's language."""
    with english():
        return parse_request(body, sampling, model)


def _failure(error: EngineError | None, request: ChatRequest) -> Response:
    if error is None:
        return Response(status_code=499)  # the client is gone: nobody reads this
    param = CLIENT_FAULTS.get(error.kind)
    if param is not None:
        if error.kind is ErrorKind.GRAMMAR and request.options.output is not None:
            param = "tool_choice" if request.options.output.tool_names else param
        return _error(400, error.message, param=param)
    if error.kind in (ErrorKind.ENGINE_CRASHED, ErrorKind.NO_MODEL):
        return _error(503, error.message, "server_error")
    return _error(500, error.message, "server_error")


class _Answer:
    """Text and tool calls read out of the engine's deltas, ids given back in the client's terms."""

    def __init__(self, request: ChatRequest) -> None:
        self._request = request
        self._calls = ToolCallStream() if request.tools else None

    def feed(self, delta: str) -> str:
        return self._calls.feed(delta) if self._calls is not None else delta

    def calls(self) -> tuple[ToolCall, ...]:
        if self._calls is None:
            return ()
        found = self._calls.finish().calls
        if not self._request.options.parallel_tool_calls:
            found = found[:1]
        ids = self._request.call_ids
        return tuple(replace(call, id=ids.for_client(call.id)) for call in found)

    @staticmethod
    def finish_reason(finished: Finished, calls: tuple[ToolCall, ...]) -> str:
        return "tool_calls" if calls else FINISH[finished.reason]


async def _whole(events: _Events, first: JobEvent, model: str) -> Response:
    request = events.job.request
    answer = _Answer(request)
    texts: list[str] = []
    event: JobEvent | None = first
    while event is not None:
        if isinstance(event, str):
            texts.append(answer.feed(event))
        elif isinstance(event, EngineError):
            return _failure(event, request)
        elif event.reason is not FinishReason.ERROR:
            calls = answer.calls()
            reason = answer.finish_reason(event, calls)
            body = completion(_id(), model, "".join(texts), calls, reason, _usage(event))
            return JSONResponse(body)
        event = await events.next()
    return Response(status_code=499)


async def _streamed(events: _Events, first: JobEvent, model: str) -> AsyncIterator[bytes]:
    request = events.job.request
    with_usage = request.options.include_usage
    answer = _Answer(request)
    completion_id = _id()

    def piece(delta: dict[str, Any], finish: str | None = None) -> bytes:
        return chunk(completion_id, model, delta, finish, with_usage=with_usage)

    yield piece({"role": "assistant", "content": ""})
    event: JobEvent | None = first
    while event is not None:
        if isinstance(event, str):
            text = answer.feed(event)
            if text:
                yield piece({"content": text})
        elif isinstance(event, EngineError):
            kind = "invalid_request_error" if event.kind in CLIENT_FAULTS else "server_error"
            yield f"data: {_json(error_body(event.message, kind))}\n\n".encode()
            return
        elif event.reason is not FinishReason.ERROR:
            calls = answer.calls()
            if calls:
                yield piece({"tool_calls": tool_calls_json(calls)})
            yield piece({}, answer.finish_reason(event, calls))
            if with_usage:
                yield usage_chunk(completion_id, model, _usage(event))
            yield b"data: [DONE]\n\n"
            return
        event = await events.next()


def _json(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False)


def _id() -> str:
    return "chatcmpl-" + secrets.token_hex(12)


def _usage(finished: Finished) -> dict[str, int]:
    usage = finished.usage
    return {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.prompt_tokens + usage.completion_tokens,
    }


class ServerThread:
    """uvicorn on a thread with its own event loop; the socket is bound (and errors raised)
    in the constructor, so the port is known at once and a port in use fails there."""

    def __init__(self, setup: ApiSetup, host: str, port: int, loopback: bool) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._socket = socket.socket(family, socket.SOCK_STREAM)
        try:
            self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._socket.bind((host, port))
            self._socket.listen(64)
        except OSError:
            self._socket.close()
            raise
        self.port = int(self._socket.getsockname()[1])
        app = build_app(setup, loopback_hosts(self.port) if loopback else None)
        config = uvicorn.Config(
            app,
            http=DeadlineH11Protocol,
            ws="none",
            lifespan="off",
            log_config=None,
            access_log=False,
            server_header=False,
            timeout_keep_alive=KEEP_ALIVE_S,
            limit_concurrency=MAX_CONNECTIONS,
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._serve, name="local-api", daemon=True)

    def _serve(self) -> None:
        asyncio.run(self._server.serve(sockets=[self._socket]))

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop serving: open answers are cut (their jobs cancelled), the port is freed."""
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(STOP_TIMEOUT_S)
        with contextlib.suppress(OSError):
            self._socket.close()
