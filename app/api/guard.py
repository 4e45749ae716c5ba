"""The checks every request passes before the API reads it, as ASGI middleware.

- `Host` must name this server (a DNS-rebinding page's requests carry its own host name);
- no `Origin` and no cross-site `Sec-Fetch-Site`: web pages are refused, and no CORS header is
  ever sent, so a browser lets no page read an answer;
- the bearer token, when the server has one;
- a `POST` body is JSON (415 otherwise: a page's no-preflight `text/plain` post is refused), has a
  length or is chunked (411), is within the cap (413, a chunked body counted as it comes) and
  arrives within the time allowed (408).
"""

from __future__ import annotations

import asyncio
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.openai_format import error_body

BODY_TIMEOUT_S = 30.0


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class GuardRules:
    allowed_hosts: frozenset[str] | None  # None: any (the server is reached by other computers)
    token: str
    max_body: Callable[[], int]


class RequestGuard:
    def __init__(self, app: ASGIApp, rules: GuardRules) -> None:
        self._app = app
        self._rules = rules

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        started = False

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            headers = Headers(scope=scope)
            self._check(scope, headers)
            if scope["method"] == "POST":
                receive = self._bounded(receive, self._body_length(headers))
            await self._app(scope, receive, watched_send)
        except Refused as refused:
            if not started:
                await _refuse(send, refused.status, str(refused))

    def _check(self, scope: Scope, headers: Headers) -> None:
        rules = self._rules
        host = headers.get("host", "")
        if rules.allowed_hosts is not None and host.lower() not in rules.allowed_hosts:
            raise Refused(403, f"the Host header must name this server, not {host!r}")
        if "origin" in headers or headers.get("sec-fetch-site", "none") not in ("none",):
            raise Refused(403, "requests from web pages are refused")
        if rules.token:
            given = headers.get("authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {rules.token}".encode()):
                raise Refused(401, "a valid bearer token is needed")
        if scope["method"] == "POST":
            media_type = headers.get("content-type", "").split(";")[0].strip().lower()
            if media_type != "application/json":
                raise Refused(415, "the body must be JSON (Content-Type: application/json)")

    def _body_length(self, headers: Headers) -> int | None:
        """The declared length, or None for a chunked body (counted as it comes)."""
        cap = self._rules.max_body()
        if "chunked" in headers.get("transfer-encoding", "").lower():
            return None
        declared = headers.get("content-length")
        if declared is None:
            raise Refused(411, "a Content-Length is needed")
        if not declared.isascii() or not declared.isdigit():
            raise Refused(400, "the Content-Length must be a whole number of bytes")
        if int(declared) > cap:
            raise Refused(413, f"the request is larger than {cap // 2**20} MB")
        return int(declared)

    def _bounded(self, receive: Receive, declared: int | None) -> Receive:
        cap = self._rules.max_body()
        received = 0
        complete = declared == 0

        async def bounded_receive() -> Message:
            nonlocal received, complete
            if complete:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), BODY_TIMEOUT_S)
            except TimeoutError:
                raise Refused(408, "the body did not arrive in time") from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                complete = not message.get("more_body", False)
                if received > cap:
                    raise Refused(413, f"the request is larger than {cap // 2**20} MB")
            return message

        return bounded_receive


async def _refuse(send: Send, status: int, message: str) -> None:
    kinds = {401: "authentication_error", 403: "permission_error"}
    body = json.dumps(error_body(message, kinds.get(status, "invalid_request_error"))).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
