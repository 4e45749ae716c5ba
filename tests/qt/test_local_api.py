"""The local OpenAI-compatible API, used with the `openai` client as any program would:
streaming, a tool call, an image, the token rule, the size limit, and a request that waits for
the window's own answer."""

from __future__ import annotations

import base64
import io
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import openai
import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from app.api.tool_ids import CallIds
from app.core.structured_output import StructuredOutput
from app.qt_bridge import local_api
from app.qt_bridge.settings_controller import SettingsController
from app.settings import ApiSettings
from app.ui.main_window import MainWindow
from tests.qt.api_http import outcome_in_thread
from tests.qt.drive import load_model, send, wait_idle
from tests.qt.scripted_engine import Script

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def serving(
    qtbot: QtBot, window: MainWindow, settings: SettingsController, tmp_path: Path
) -> Iterator[tuple[MainWindow, str]]:
    load_model(qtbot, window, tmp_path)
    port = free_port()
    window.apply_settings(replace(settings.settings, api=ApiSettings(True, "127.0.0.1", port)))
    assert window.workspace.api_server is not None
    yield window, f"http://127.0.0.1:{port}/v1"
    if window.workspace.api_server is not None:
        window.workspace.api_server.stop()


def client(base: str, key: str = "none") -> openai.OpenAI:
    return openai.OpenAI(base_url=base, api_key=key, max_retries=0, timeout=10)


def test_models_and_a_streamed_answer(
    qtbot: QtBot, serving: tuple[MainWindow, str], script: Script
) -> None:
    _, base = serving
    api = client(base)
    models = outcome_in_thread(qtbot, lambda: [m.id for m in api.models.list()])
    assert models == ["Mistral-Small-3.2-24B-Instruct-2506-Q4_K_M"]
    script.answers = ["Hello from the API."]

    def stream() -> list[str]:
        chunks = api.chat.completions.create(
            model=models[0], messages=[{"role": "user", "content": "Hi"}], stream=True
        )
        return [c.choices[0].delta.content or "" for c in chunks if c.choices]

    pieces = outcome_in_thread(qtbot, stream)
    assert "".join(pieces) == "Hello from the API."
    assert len(pieces) > 2
    sent = script.generated[-1]
    assert [m.content for m in sent.messages] == ["Hi"]

    whole = outcome_in_thread(
        qtbot,
        lambda: api.chat.completions.create(
            model=models[0], messages=[{"role": "user", "content": "Again"}], max_tokens=50
        ),
    )
    assert (
        whole.choices[0].message.content
        == "Hello! This is a scripted answer with **markdown** and `code`."
    )
    assert whole.usage.completion_tokens > 0
    assert script.generated[-1].sampling.max_tokens == 50


def test_a_tool_call_comes_back_in_openais_shape(
    qtbot: QtBot, serving: tuple[MainWindow, str], script: Script
) -> None:
    _, base = serving
    script.answers = ['[TOOL_CALLS]calculator[CALL_ID]abc123XYZ[ARGS]{"expression": "6*7"}']
    parameters = {"type": "object", "properties": {"expression": {"type": "string"}}}
    tool = {
        "type": "function",
        "function": {"name": "calculator", "description": "Math.", "parameters": parameters},
    }
    answer = outcome_in_thread(
        qtbot,
        lambda: client(base).chat.completions.create(
            model="x", messages=[{"role": "user", "content": "6*7?"}], tools=[tool]
        ),
    )
    choice = answer.choices[0]
    assert choice.finish_reason == "tool_calls"
    [call] = choice.message.tool_calls
    assert (call.id, call.function.name, call.function.arguments) == (
        "abc123XYZ",
        "calculator",
        '{"expression": "6*7"}',
    )
    assert [t.name for t in script.generated[-1].tools] == ["calculator"]


def test_an_image_reaches_the_engine(
    qtbot: QtBot, serving: tuple[MainWindow, str], script: Script
) -> None:
    _, base = serving
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(picture, "PNG")
    url = "data:image/png;base64," + base64.b64encode(picture.getvalue()).decode()
    content = [
        {"type": "text", "text": "What colour?"},
        {"type": "image_url", "image_url": {"url": url}},
    ]
    outcome_in_thread(
        qtbot,
        lambda: client(base).chat.completions.create(
            model="x", messages=[{"role": "user", "content": content}]
        ),
    )
    [message] = script.generated[-1].messages
    assert message.content == "What colour?" and len(message.images) == 1


def test_another_address_needs_the_token(
    qtbot: QtBot, window: MainWindow, settings: SettingsController, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    with pytest.raises(ValueError, match="needs a token"):
        local_api.LocalApiServer(
            window.workspace.api_broker, host="0.0.0.0", port=0, token="", model_name=lambda: "m",
            sampling=lambda: settings.settings.sampling,
        )  # fmt: skip
    port = free_port()
    api = ApiSettings(True, "0.0.0.0", port, token="s3cret-token")
    window.apply_settings(replace(settings.settings, api=api))
    base = f"http://127.0.0.1:{port}/v1"
    try:
        refused = outcome_in_thread(qtbot, lambda: client(base, "wrong").models.list())
        assert isinstance(refused, openai.AuthenticationError)
        listed = outcome_in_thread(qtbot, lambda: client(base, "s3cret-token").models.list())
        assert [m.id for m in listed] == ["Mistral-Small-3.2-24B-Instruct-2506-Q4_K_M"]
    finally:
        assert window.workspace.api_server is not None
        window.workspace.api_server.stop()


def test_a_request_too_large_is_refused(
    qtbot: QtBot, serving: tuple[MainWindow, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, base = serving
    monkeypatch.setattr(local_api, "MAX_BODY_BYTES", 1000)
    body = b'{"messages": [{"role": "user", "content": "' + b"x" * 2000 + b'"}]}'
    request = urllib.request.Request(
        f"{base}/chat/completions",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json"},
    )

    def post() -> int:
        try:
            urllib.request.urlopen(request, timeout=10)
        except urllib.error.HTTPError as error:
            error.close()  # its socket, else left to the garbage collector
            return error.code
        return 200

    assert outcome_in_thread(qtbot, post) == 413


def test_a_request_waits_for_the_windows_answer_and_is_shown(
    qtbot: QtBot, serving: tuple[MainWindow, str], script: Script
) -> None:
    window, base = serving
    script.token_interval_s = 0.05
    slowly = "The window's own answer, written slowly" + " and at length" * 12 + "."
    script.answers = [slowly, "The API's answer."]
    send(qtbot, window, "Window first", wait=False)
    result: list[Any] = []

    def ask() -> None:
        answer = client(base).chat.completions.create(
            model="x", messages=[{"role": "user", "content": "Me next"}]
        )
        result.append(answer.choices[0].message.content)

    threading.Thread(target=ask, daemon=True).start()
    qtbot.waitUntil(lambda: window.status.api_text == "API: 1 waiting", timeout=5000)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: bool(result), timeout=10000)

    assert result == ["The API's answer."]
    assert [g.messages[-1].content for g in script.generated[-2:]] == ["Window first", "Me next"]
    qtbot.waitUntil(lambda: window.status.api_text == "")


def test_developer_role_model_lookup_and_the_usage_chunk_only_when_asked(
    qtbot: QtBot, serving: tuple[MainWindow, str], script: Script
) -> None:
    _, base = serving
    api = client(base)
    name = "Mistral-Small-3.2-24B-Instruct-2506-Q4_K_M"
    model = outcome_in_thread(qtbot, lambda: api.models.retrieve(name))
    assert (model.id, model.object) == (name, "model") and model.created > 0
    missing = outcome_in_thread(qtbot, lambda: api.models.retrieve("gpt-4o"))
    assert isinstance(missing, openai.NotFoundError)

    developer = [{"role": "developer", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    outcome_in_thread(qtbot, lambda: api.chat.completions.create(model=name, messages=developer))
    assert script.generated[-1].system_prompt == "Be brief."

    def stream(**options: Any) -> list[Any]:
        return list(
            api.chat.completions.create(
                model=name, messages=[{"role": "user", "content": "Hi"}], stream=True, **options
            )
        )

    plain = outcome_in_thread(qtbot, stream)
    assert all(c.choices and c.usage is None for c in plain)
    counted = outcome_in_thread(qtbot, lambda: stream(stream_options={"include_usage": True}))
    *answer, usage = counted
    assert all(c.choices for c in answer)
    assert usage.choices == [] and usage.usage.completion_tokens > 0 and usage.created > 0

    refused = outcome_in_thread(
        qtbot,
        lambda: api.chat.completions.create(model=name, messages=developer, n=2),
    )
    assert isinstance(refused, openai.BadRequestError) and "n:" in refused.message


def test_the_options_reach_the_engine_and_a_models_call_id_goes_back_as_the_clients(
    qtbot: QtBot, serving: tuple[MainWindow, str], script: Script
) -> None:
    _, base = serving
    foreign = "toolu_01A09q90qw90lq917835lq9"
    mistral = CallIds().for_model(foreign)
    script.answers = [f'[TOOL_CALLS]calculator[CALL_ID]{mistral}[ARGS]{{"expression": "1"}}']
    tool = {"type": "function", "function": {"name": "calculator", "parameters": {}}}
    history = [
        {"role": "user", "content": "1?"},
        {"role": "assistant", "tool_calls": [
            {"id": foreign, "type": "function",
             "function": {"name": "calculator", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": foreign, "content": "1"},
    ]  # fmt: skip
    answer = outcome_in_thread(
        qtbot,
        lambda: client(base).chat.completions.create(
            model="x", messages=history, tools=[tool], tool_choice="required", stop=["END"]
        ),
    )
    assert answer.choices[0].message.tool_calls[0].id == foreign
    sent = script.generated[-1]
    assert sent.messages[1].tool_calls[0].id == sent.messages[2].tool_call_id == mistral
    assert sent.stop == ("END",)
    assert sent.output == StructuredOutput(tool_names=("calculator",))
