"""The local API under hostile and malformed requests, through real HTTP against the running
window: web pages refused, body lengths checked, malformed fields a 400 naming them, and the
window's event loop never stalled more than 100 ms meanwhile."""

from __future__ import annotations

import base64
import io
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.api import http_protocol, server
from app.engine.protocol import ErrorKind
from app.qt_bridge import local_api
from app.qt_bridge.language import WindowLanguage
from app.qt_bridge.settings_controller import SettingsController
from app.settings import ApiSettings
from app.ui.main_window import MainWindow
from tests.qt.api_http import Reply, get, in_thread, post, raw_exchange
from tests.qt.drive import load_model, send, wait_idle
from tests.qt.scripted_engine import Script
from tests.qt.stall import StallMeter, running_meter
from tests.qt.test_local_api import free_port

pytestmark = pytest.mark.integration

HI = {"messages": [{"role": "user", "content": "Hi"}]}


@pytest.fixture
def port(
    qtbot: QtBot, window: MainWindow, settings: SettingsController, tmp_path: Path
) -> Iterator[int]:
    load_model(qtbot, window, tmp_path)
    number = free_port()
    window.apply_settings(replace(settings.settings, api=ApiSettings(True, "127.0.0.1", number)))
    assert window.workspace.api_server is not None
    yield number
    if window.workspace.api_server is not None:
        window.workspace.api_server.stop()


@pytest.fixture
def stalls(qtbot: QtBot) -> StallMeter:
    """Measures the window's event loop; each test checks it before the window closes (closing
    stops the server, which waits for uvicorn's next tick)."""
    return running_meter()


def exchange(qtbot: QtBot, port: int, request: bytes, **kwargs: float) -> Reply:
    return in_thread(qtbot, lambda: raw_exchange(port, request, **kwargs))  # type: ignore[no-any-return]


def test_a_web_page_is_refused(qtbot: QtBot, port: int, stalls: StallMeter) -> None:
    cross_site = post(port, HI, {"Origin": "https://evil.example", "Content-Type": "text/plain"})
    reply = exchange(qtbot, port, cross_site)
    assert reply.status == 403 and "web pages" in reply.error["message"]
    rebinding = post(port, HI, {"Host": f"evil.example:{port}"})
    reply = exchange(qtbot, port, rebinding)
    assert reply.status == 403 and "Host" in reply.error["message"]
    fetch = get(port, "/v1/models", {"Sec-Fetch-Site": "cross-site"})
    assert exchange(qtbot, port, fetch).status == 403
    answered = exchange(qtbot, port, post(port, HI))
    assert answered.status == 200
    assert not any(name.startswith("access-control") for name in answered.headers)
    stalls.check()


def test_only_json_bodies_are_read(qtbot: QtBot, port: int, stalls: StallMeter) -> None:
    for kind in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None):
        reply = exchange(qtbot, port, post(port, HI, {"Content-Type": kind}))
        assert reply.status == 415, kind
    charset = post(port, HI, {"Content-Type": "application/json; charset=utf-8"})
    assert exchange(qtbot, port, charset).status == 200
    stalls.check()


def test_the_body_length_is_checked(
    qtbot: QtBot, port: int, stalls: StallMeter, monkeypatch: pytest.MonkeyPatch
) -> None:
    for length, status in (("-1", 400), ("abc", 400), (None, 411)):
        reply = exchange(qtbot, port, post(port, HI, {"Content-Length": length}))
        assert reply.status == status, length
    monkeypatch.setattr(local_api, "MAX_BODY_BYTES", 1000)
    big = {"messages": [{"role": "user", "content": "x" * 2000}]}
    assert exchange(qtbot, port, post(port, big)).status == 413
    data = json.dumps(big).encode()
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(data[i : i + 300]), data[i : i + 300])
                      for i in range(0, len(data), 300))  # fmt: skip
    head = post(port, b"", {"Content-Length": None, "Transfer-Encoding": "chunked"})
    reply = exchange(qtbot, port, head + chunks + b"0\r\n\r\n")
    assert reply.status == 413
    stalls.check()


def test_malformed_fields_are_a_400_naming_them(
    qtbot: QtBot, port: int, stalls: StallMeter
) -> None:
    cases = {
        "messages[1].tool_calls[0]": {"messages": [
            {"role": "user", "content": "x"},
            {"role": "assistant", "tool_calls": [1]},
        ]},
        "tools[0].function.parameters": {**HI, "tools": [
            {"type": "function", "function": {"name": "f", "parameters": "abc"}}]},
        "max_tokens": {**HI, "max_tokens": True},
        "stream": {**HI, "stream": "false"},
        "n": {**HI, "n": 3},
        "messages": {"messages": "hi"},
    }  # fmt: skip
    for named, body in cases.items():
        reply = exchange(qtbot, port, post(port, body))
        assert (reply.status, reply.error["param"]) == (400, named)
        assert named in reply.error["message"]
    not_json = exchange(qtbot, port, post(port, b"{not json"))
    assert not_json.status == 400 and "not JSON" in not_json.error["message"]
    assert exchange(qtbot, port, get(port, "/v1/nowhere")).status == 404
    assert exchange(qtbot, port, get(port, "/v1/chat/completions")).status == 405
    stalls.check()


def test_a_huge_image_is_refused_before_it_is_decoded(
    qtbot: QtBot, port: int, stalls: StallMeter
) -> None:
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")
    url = "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
    content = [{"type": "image_url", "image_url": {"url": url}}]
    body = {"messages": [{"role": "user", "content": content}]}
    stalls.reset()  # making the picture above is the test's own work, on this thread
    started = time.perf_counter()
    replies = [exchange(qtbot, port, post(port, body)) for _ in range(3)]
    assert [r.status for r in replies] == [400] * 3
    assert "9,000 x 9,000 pixels" in replies[0].error["message"]
    assert time.perf_counter() - started < 5
    stalls.check()


def test_errors_stay_english_in_a_french_window(
    qtbot: QtBot, qapp: QApplication, port: int
) -> None:
    language = WindowLanguage(qapp)
    language.use("fr")
    try:
        out = io.BytesIO()
        Image.new("1", (9000, 9000)).save(out, "PNG")
        url = "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
        content = [{"type": "image_url", "image_url": {"url": url}}]
        reply = exchange(
            qtbot, port, post(port, {"messages": [{"role": "user", "content": content}]})
        )
    finally:
        language.remove()
    assert reply.status == 400
    assert "is 9,000 x 9,000 pixels: too large" in reply.error["message"]


def test_an_idle_or_slow_connection_is_closed(
    qtbot: QtBot, port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http_protocol, "HEAD_TIMEOUT_S", 1.0)
    for opening in (b"", b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127"):
        start = time.perf_counter()
        reply = exchange(qtbot, port, opening, timeout=30)
        assert reply.status == 0  # closed without a word
        assert time.perf_counter() - start < 5


def test_a_client_that_hangs_up_has_its_answer_cancelled(
    qtbot: QtBot, port: int, window: MainWindow, script: Script, stalls: StallMeter
) -> None:
    script.token_interval_s = 0.2
    script.answers = ["word " * 30]  # six seconds of answer
    started = time.perf_counter()
    in_thread(qtbot, lambda: raw_exchange(port, post(port, HI), timeout=0.5))
    qtbot.waitUntil(lambda: not window.workspace.api_broker.busy, timeout=3000)
    assert time.perf_counter() - started < 3  # cancelled, not finished
    assert window.status.api_text == ""
    assert len(script.generated) == 1
    stalls.check()


def test_a_queued_client_that_hangs_up_gives_up_its_place(
    qtbot: QtBot, port: int, window: MainWindow, script: Script, stalls: StallMeter
) -> None:
    script.token_interval_s = 0.1
    script.answers = ["word " * 40]  # the window answers for four seconds
    send(qtbot, window, "Window first", wait=False)
    gone: list[Reply] = []
    threading.Thread(
        target=lambda: gone.append(raw_exchange(port, post(port, HI), timeout=0.5)), daemon=True
    ).start()
    qtbot.waitUntil(lambda: window.status.api_text == "API: 1 waiting", timeout=3000)
    qtbot.waitUntil(lambda: window.status.api_text == "", timeout=2000)
    assert window.chat.busy  # the window's own answer goes on
    wait_idle(qtbot, window)
    assert len(script.generated) == 1  # the request that left was never generated
    stalls.check()


def test_requests_beyond_the_queue_are_told_to_come_back(
    qtbot: QtBot,
    port: int,
    window: MainWindow,
    script: Script,
    stalls: StallMeter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(server, "MAX_OPEN_JOBS", 1)
    script.token_interval_s = 0.05
    script.answers = ["word " * 30, "The API's answer."]
    send(qtbot, window, "Window first", wait=False)
    waiting: list[Reply] = []
    threading.Thread(
        target=lambda: waiting.append(raw_exchange(port, post(port, HI))), daemon=True
    ).start()
    qtbot.waitUntil(lambda: window.status.api_text == "API: 1 waiting", timeout=3000)
    reply = exchange(qtbot, port, post(port, HI))
    assert reply.status == 429
    qtbot.waitUntil(lambda: bool(waiting), timeout=10000)
    assert waiting[0].status == 200
    wait_idle(qtbot, window)
    stalls.check()


def test_a_request_queued_behind_an_engine_crash_fails_at_once(
    qtbot: QtBot, port: int, window: MainWindow, script: Script
) -> None:
    script.token_interval_s = 0.05
    script.crash_after_tokens = 3
    script.answers = ["The window's answer, cut short by a crash of the engine."]
    send(qtbot, window, "Window first", wait=False)
    started = time.perf_counter()
    reply: list[Reply] = []
    threading.Thread(
        target=lambda: reply.append(raw_exchange(port, post(port, HI))), daemon=True
    ).start()
    qtbot.waitUntil(lambda: window.status.api_text == "API: 1 waiting", timeout=5000)
    qtbot.waitUntil(lambda: bool(reply), timeout=5000)
    assert time.perf_counter() - started < 3
    assert reply[0].status == 503 and "engine stopped" in reply[0].error["message"]
    qtbot.waitUntil(lambda: window.status.api_text == "", timeout=2000)
    wait_idle(qtbot, window)


def test_an_api_requests_error_goes_to_its_client_not_to_the_window(
    qtbot: QtBot, port: int, window: MainWindow, script: Script
) -> None:
    script.answer_error = ErrorKind.GRAMMAR
    reply = exchange(qtbot, port, post(port, HI))
    assert reply.status >= 400 and "could not be written" in reply.error["message"]
    qtbot.waitUntil(lambda: not window.workspace.api_broker.busy, timeout=3000)
    qtbot.wait(50)  # any notice would be shown by now
    assert not window.notice.isVisible()
    script.token_interval_s = 0.05
    script.crash_after_tokens = 2  # a crash, whoever asked, is the window's to show
    reply = exchange(qtbot, port, post(port, HI))
    assert reply.status == 503
    qtbot.waitUntil(window.notice.isVisible, timeout=3000)
    assert "stopped unexpectedly" in window.notice.text
