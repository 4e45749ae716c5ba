"""Structured answers from the real engine on the tiny model: JSON held to a schema, a forced
tool call whose arguments follow the tool's parameters, stop strings, and a schema that cannot
become a grammar refused by name."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.messages import ChatMessage, Role, ToolSpec
from app.core.sampling import SamplingParams
from app.core.structured_output import StructuredOutput
from app.core.tool_calls import ToolCallStream
from app.engine.protocol import EngineError, ErrorKind, Finished, FinishReason, Generate
from tests.integration.engine_helpers import EngineProbe

pytestmark = pytest.mark.integration

ASK = (ChatMessage(Role.USER, "Answer me."),)
SCHEMA = {
    "type": "object",
    "properties": {"ok": {"type": "boolean"}, "count": {"type": "integer"}},
    "required": ["ok", "count"],
    "additionalProperties": False,
}
CALCULATOR = ToolSpec(
    "calculator",
    "Math.",
    {
        "type": "object",
        "properties": {"expression": {"type": "string", "maxLength": 12}},
        "required": ["expression"],
        "additionalProperties": False,
    },
)


@pytest.fixture(scope="module")
def loaded(tiny_model_path: Path) -> Iterator[EngineProbe]:
    """One engine for the module: each test sends its own request ids."""
    engine = EngineProbe()
    engine.client.start()
    engine.load(tiny_model_path, n_ctx=1024)
    yield engine
    engine.client.stop()


def generate(engine: EngineProbe, request_id: int, **fields: object) -> Finished | EngineError:
    sampling = SamplingParams(max_tokens=96, seed=3, repetition_guard=False)
    engine.client.send(Generate(request_id, ASK, sampling, **fields))  # type: ignore[arg-type]
    event = engine.next_of(Finished, EngineError)
    assert isinstance(event, Finished | EngineError)
    return event


def test_a_json_schema_holds_the_answer(loaded: EngineProbe) -> None:
    finished = generate(loaded, 1, output=StructuredOutput(json_schema=json.dumps(SCHEMA)))
    assert isinstance(finished, Finished) and finished.reason is FinishReason.STOP
    answer = json.loads(finished.text)
    assert set(answer) == {"ok", "count"}
    assert isinstance(answer["ok"], bool) and isinstance(answer["count"], int)


def test_a_forced_tool_call_follows_the_tools_parameters(loaded: EngineProbe) -> None:
    finished = generate(
        loaded, 2, tools=(CALCULATOR,), output=StructuredOutput(tool_names=("calculator",))
    )
    assert isinstance(finished, Finished) and finished.reason is FinishReason.STOP
    stream = ToolCallStream()
    stream.feed(finished.text)
    [call] = stream.finish().calls
    assert call.name == "calculator" and len(call.id) == 9
    assert set(json.loads(call.arguments)) == {"expression"}


def test_the_answer_ends_before_a_stop_string(loaded: EngineProbe) -> None:
    sampling = SamplingParams(max_tokens=32, seed=3, grammar='root ::= "The answer is 42. Yes."')
    loaded.client.send(Generate(3, ASK, sampling, stop=("42",)))
    finished = loaded.next_of(Finished)
    assert isinstance(finished, Finished)
    assert (finished.text, finished.reason) == ("The answer is ", FinishReason.STOP)


def test_a_schema_that_cannot_be_a_grammar_is_refused(loaded: EngineProbe) -> None:
    error = generate(loaded, 4, output=StructuredOutput(json_schema='{"type": "frobnicate"}'))
    assert isinstance(error, EngineError) and error.kind is ErrorKind.GRAMMAR
    assert "schema" in error.message
    assert isinstance(generate(loaded, 5), Finished)  # the engine goes on
