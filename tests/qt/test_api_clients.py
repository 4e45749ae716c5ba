"""Third-party clients drive the running window's local API, with the real engine on the tiny
model: llm, LangChain (langchain-openai) and the openai SDK, as their users would call them.
A random model writes neither tool calls nor JSON by itself: `tool_choice` and
`response_format` make the API hold it to a grammar, and where a client cannot ask for that
(llm's tool round), the window's own sampling grammar does."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import llm
import openai
import pytest
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from pydantic import BaseModel
from pytestqt.qtbot import QtBot

from app.api.jobs import Job
from app.api.tool_ids import CallIds
from app.core.messages import Role
from app.core.sampling import SamplingParams
from app.main import build_window
from app.qt_bridge.engine_controller import EngineController
from app.qt_bridge.settings_controller import SettingsController
from app.settings import ApiSettings, ModelSettings, Settings
from app.ui.main_window import MainWindow
from tests.qt.api_http import in_thread
from tests.qt.observed_store import ObservedStore
from tests.qt.recording_view import RecordingChatView
from tests.qt.stall import running_meter
from tests.qt.test_engine_controller_real import ANSWER_TIMEOUT_MS, wait_loaded
from tests.qt.test_local_api import free_port

pytestmark = pytest.mark.integration

MODEL = "Mistral-Small-3.2-24B-Instruct-2506-tiny"
MULTIPLY = {
    "type": "object",
    "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
    "required": ["a", "b"],
    "additionalProperties": False,
}
FORCED_MULTIPLY = 'root ::= <[9]> "multiply" <[33]> "abc123XYZ" <[32]> "{\\"a\\": 6, \\"b\\": 7}"'
FORCED_ANSWER = 'root ::= "The answer is 42."'


class Verdict(BaseModel):
    ok: bool
    count: int


@pytest.fixture
def settings(tmp_path: Path) -> SettingsController:
    return SettingsController(
        Settings(
            model=ModelSettings(n_ctx=4096, n_gpu_layers=0),
            sampling=SamplingParams(max_tokens=64, seed=7),
        ),
        tmp_path / "settings.json",
    )


@pytest.fixture
def api(
    qtbot: QtBot,
    store: ObservedStore,
    settings: SettingsController,
    tiny_model_path: Path,
) -> Iterator[tuple[MainWindow, str, list[Job]]]:
    """The window with the real engine, the tiny model loaded, the API on; and the jobs it got."""
    engine = EngineController()
    window = build_window(
        settings=settings, store=store, engine=engine, chat_view=RecordingChatView()
    )
    qtbot.addWidget(window)
    window.show()
    assert window.loader.load(tiny_model_path)
    wait_loaded(qtbot, engine)
    port = free_port()
    window.apply_settings(replace(settings.settings, api=ApiSettings(True, "127.0.0.1", port)))
    jobs: list[Job] = []
    window.workspace.api_broker.submitted.connect(jobs.append)
    yield window, f"http://127.0.0.1:{port}/v1", jobs
    if window.workspace.api_server is not None:
        window.workspace.api_server.stop()
    engine.shutdown(timeout=10.0)


def call(qtbot: QtBot, work: Any) -> Any:
    return in_thread(qtbot, work, timeout=ANSWER_TIMEOUT_MS)


def use_grammar(settings: SettingsController, grammar: str | None) -> None:
    sampling = replace(settings.settings.sampling, grammar=grammar)
    settings.update(replace(settings.settings, sampling=sampling))


def test_llm_prompt_continuation_and_a_tool_round(
    qtbot: QtBot,
    api: tuple[MainWindow, str, list[Job]],
    settings: SettingsController,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, base, jobs = api
    monkeypatch.setenv("LLM_USER_PATH", str(tmp_path / "llm"))
    monkeypatch.setenv("OPENAI_API_KEY", "unused-on-loopback")
    (tmp_path / "llm").mkdir()
    (tmp_path / "llm" / "extra-openai-models.yaml").write_text(
        f"- model_id: tramontane\n  model_name: {MODEL}\n  api_base: {base}\n"
        "  supports_tools: true\n  supports_schema: true\n"
    )
    model = llm.get_model("tramontane")
    conversation = model.conversation()
    meter = running_meter()

    first = call(qtbot, lambda: conversation.prompt("Say hello.").text())
    again = call(qtbot, lambda: conversation.prompt("Go on.").text())
    assert first and again
    assert [m.role for m in jobs[-1].request.messages] == [Role.USER, Role.ASSISTANT, Role.USER]
    assert jobs[-1].request.messages[1].content == first

    def multiply(a: int, b: int) -> int:
        """Multiply two whole numbers."""
        return a * b

    use_grammar(settings, FORCED_MULTIPLY)
    asked = conversation.prompt("What is 6 times 7?", tools=[multiply])
    call(qtbot, asked.text)
    [tool_call] = asked.tool_calls()
    assert (tool_call.name, tool_call.arguments) == ("multiply", {"a": 6, "b": 7})
    results = asked.execute_tool_calls()
    assert [r.output for r in results] == ["42"]
    use_grammar(settings, FORCED_ANSWER)
    answered = conversation.prompt(tool_results=results, tools=[multiply])
    assert call(qtbot, answered.text) == "The answer is 42."
    sent = jobs[-1].request.messages
    assert [m.role for m in sent][-2:] == [Role.ASSISTANT, Role.TOOL]
    assert sent[-1].tool_call_id == sent[-2].tool_calls[0].id == "abc123XYZ"
    meter.check()
    assert window.status.api_text == ""


def test_langchain_invoke_stream_tools_and_structured_output(
    qtbot: QtBot, api: tuple[MainWindow, str, list[Job]]
) -> None:
    _, base, jobs = api
    chat = ChatOpenAI(model=MODEL, base_url=base, api_key="unused", max_retries=0, timeout=60)
    meter = running_meter()

    assert call(qtbot, lambda: chat.invoke("Hello").content)
    pieces = call(qtbot, lambda: [c.content for c in chat.stream("Hello again")])
    assert len(pieces) > 2 and "".join(pieces)

    @tool
    def multiply(a: int, b: int) -> int:
        """Multiply two whole numbers."""
        return a * b

    forced = chat.bind_tools([multiply], tool_choice="multiply")
    question = HumanMessage("What is 6 times 7?")
    asked = call(qtbot, lambda: forced.invoke([question]))
    [tool_call] = asked.tool_calls
    assert tool_call["name"] == "multiply" and set(tool_call["args"]) == {"a", "b"}
    result = ToolMessage(str(multiply.invoke(tool_call["args"])), tool_call_id=tool_call["id"])
    free = chat.bind_tools([multiply])
    answered = call(qtbot, lambda: free.invoke([question, asked, result]))
    assert answered.content or answered.tool_calls
    assert jobs[-1].request.messages[-1].tool_call_id == asked.tool_calls[0]["id"]

    structured = chat.with_structured_output(Verdict, method="json_schema")
    verdict = call(qtbot, lambda: structured.invoke("Is it fine, and how many?"))
    assert isinstance(verdict, Verdict)
    meter.check()


def test_openai_sdk_schema_tool_choice_stop_and_foreign_ids(
    qtbot: QtBot, api: tuple[MainWindow, str, list[Job]], settings: SettingsController
) -> None:
    _, base, jobs = api
    client = openai.OpenAI(base_url=base, api_key="unused", max_retries=0, timeout=60)
    ask = [{"role": "user", "content": "How many?"}]
    meter = running_meter()

    schema = Verdict.model_json_schema() | {"additionalProperties": False}
    answer = call(
        qtbot,
        lambda: client.chat.completions.create(
            model=MODEL,
            messages=ask,
            response_format={
                "type": "json_schema",
                "json_schema": {"name": "verdict", "schema": schema, "strict": True},
            },
        ),
    )
    Verdict.model_validate_json(answer.choices[0].message.content)
    unknown = {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "frob"}}}
    with pytest.raises(openai.BadRequestError) as refused:
        call(
            qtbot,
            lambda: client.chat.completions.create(
                model=MODEL, messages=ask, response_format=unknown
            ),
        )
    assert refused.value.param == "response_format"

    multiply = {"type": "function", "function": {"name": "multiply", "parameters": MULTIPLY}}
    forced = call(
        qtbot,
        lambda: client.chat.completions.create(
            model=MODEL,
            messages=ask,
            tools=[multiply],
            tool_choice={"type": "function", "function": {"name": "multiply"}},
        ),
    )
    assert forced.choices[0].finish_reason == "tool_calls"
    [made] = forced.choices[0].message.tool_calls
    assert made.function.name == "multiply" and set(json.loads(made.function.arguments)) == {
        "a",
        "b",
    }

    use_grammar(settings, 'root ::= "one, two, three, four"')
    stopped = call(
        qtbot,
        lambda: client.chat.completions.create(model=MODEL, messages=ask, stop=[", three"]),
    )
    assert stopped.choices[0].message.content == "one, two"
    assert stopped.choices[0].finish_reason == "stop"

    # A round with an agent's own ids: the model reads Mistral ids, the client gets its own back.
    foreign = "call_Xy12ab34cd56ef78"
    mistral = CallIds().for_model(foreign)
    use_grammar(settings, FORCED_MULTIPLY.replace("abc123XYZ", mistral))
    history = [
        *ask,
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": foreign,
                    "type": "function",
                    "function": {"name": "multiply", "arguments": '{"a": 6, "b": 7}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": foreign, "content": "42"},
    ]
    again = call(
        qtbot,
        lambda: client.chat.completions.create(model=MODEL, messages=history, tools=[multiply]),
    )
    [repeated] = again.choices[0].message.tool_calls
    assert repeated.id == foreign
    sent = jobs[-1].request.messages
    assert sent[1].tool_calls[0].id == sent[2].tool_call_id == mistral
    meter.check()
