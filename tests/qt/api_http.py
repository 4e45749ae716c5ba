"""Raw HTTP against the local API from a thread, while the GUI thread (which serves it) runs,
and a meter of the GUI event loop's longest stall meanwhile."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pytestqt.qtbot import QtBot


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def error(self) -> dict[str, Any]:
        return dict(self.json()["error"])


def outcome_in_thread(qtbot: QtBot, work: Callable[[], Any], timeout: int = 10000) -> Any:
    """Run a blocking client call off the GUI thread (which serves it) and wait for it, the
    GUI loop running: its result, or the exception it raised."""
    result: list[Any] = []

    def run() -> None:
        try:
            result.append(work())
        except Exception as exc:
            result.append(exc)

    threading.Thread(target=run, daemon=True).start()
    qtbot.waitUntil(lambda: bool(result), timeout=timeout)
    return result[0]


def in_thread(qtbot: QtBot, work: Callable[[], Any], timeout: int = 10000) -> Any:
    """`outcome_in_thread`, raising what the call raised."""
    outcome = outcome_in_thread(qtbot, work, timeout)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def raw_exchange(port: int, request: bytes, *, pause_s: float = 0.0, timeout: float = 10) -> Reply:
    """Send `request` as it is (after `pause_s`, the rest of it), read the whole reply."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        if pause_s:
            time.sleep(pause_s)
        data = b""
        while True:
            try:
                piece = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not piece:
                break
            data += piece
            if _complete(data):
                break
    return _parse(data)


def _complete(data: bytes) -> bool:
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value.strip())
    return False


def _parse(data: bytes) -> Reply:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and lines[0] else 0
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Reply(status, headers, body)


def post(
    port: int,
    body: bytes | dict[str, Any],
    headers: dict[str, str | None] | None = None,
    path: str = "/v1/chat/completions",
) -> bytes:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    fields: dict[str, str | None] = {
        "Host": f"127.0.0.1:{port}",
        "Content-Type": "application/json",
        "Content-Length": str(len(data)),
        **(headers or {}),
    }
    head = "".join(f"{k}: {v}\r\n" for k, v in fields.items() if v is not None)
    return f"POST {path} HTTP/1.1\r\n{head}\r\n".encode() + data


def get(port: int, path: str, headers: dict[str, str] | None = None) -> bytes:
    fields = {"Host": f"127.0.0.1:{port}", **(headers or {})}
    head = "".join(f"{k}: {v}\r\n" for k, v in fields.items())
    return f"GET {path} HTTP/1.1\r\n{head}\r\n".encode()
