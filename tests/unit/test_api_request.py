"""The local API's request parser: every malformed field refused by name, the parameters it
honours read into what the engine is asked, tool-call ids mapped both ways."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import pytest
from PIL import Image

from app.api.openai_format import RequestError, parse_request
from app.api.tool_ids import CallIds
from app.core.messages import Role
from app.core.sampling import SamplingParams
from app.core.structured_output import StructuredOutput

USER = [{"role": "user", "content": "Hi"}]
TOOL = {
    "type": "function",
    "function": {
        "name": "calculator",
        "parameters": {"type": "object", "properties": {"expression": {"type": "string"}}},
    },
}


def parse(**fields: Any) -> Any:
    body = {"messages": USER, **fields}
    return parse_request(json.dumps(body).encode(), SamplingParams(), "tiny")


def refused(body: object) -> RequestError:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    with pytest.raises(RequestError) as caught:
        parse_request(raw, SamplingParams(), "tiny")
    return caught.value


ASSISTANT_CALL = {"role": "assistant", "content": None, "tool_calls": [1]}


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"messages": USER, "max_tokens": True}, "max_tokens"),
        ({"messages": USER, "max_tokens": 0}, "max_tokens"),
        ({"messages": USER, "max_tokens": "5"}, "max_tokens"),
        ({"messages": USER, "stream": "false"}, "stream"),
        ({"messages": USER, "n": 3}, "n"),
        ({"messages": USER, "temperature": "hot"}, "temperature"),
        ({"messages": USER, "top_p": 2}, "top_p"),
        ({"messages": USER, "seed": 1.5}, "seed"),
        ({"messages": USER, "stop": [1]}, "stop"),
        ({"messages": USER, "stop": ["a", "b", "c", "d", "e"]}, "stop"),
        ({"messages": USER, "presence_penalty": 0.5}, "presence_penalty"),
        ({"messages": USER, "logprobs": True}, "logprobs"),
        ({"messages": USER, "logit_bias": {"1": 5}}, "logit_bias"),
        ({"messages": USER, "functions": []}, "functions"),
        ({"messages": USER, "frobnicate": 1}, "frobnicate"),
        ({"messages": USER, "model": 7}, "model"),
        ({"messages": USER, "tools": "calculator"}, "tools"),
        ({"messages": USER, "tools": [1]}, "tools[0]"),
        ({"messages": USER, "tools": [{"function": {"name": "f", "parameters": "abc"}}]},
         "tools[0].function.parameters"),
        ({"messages": USER, "tools": [TOOL, TOOL]}, "tools"),
        ({"messages": USER, "tool_choice": "required"}, "tool_choice"),
        ({"messages": USER, "tool_choice": "sometimes", "tools": [TOOL]}, "tool_choice"),
        ({"messages": USER, "tools": [TOOL],
          "tool_choice": {"type": "function", "function": {"name": "weather"}}},
         "tool_choice.function.name"),
        ({"messages": USER, "response_format": {"type": "xml"}}, "response_format.type"),
        ({"messages": USER, "response_format": {"type": "json_schema"}},
         "response_format.json_schema"),
        ({"messages": USER, "response_format": {"type": "json_schema",
          "json_schema": {"name": "a", "schema": {"type": "array", "minItems": 10**9}}}},
         "response_format.json_schema.schema.minItems"),
        ({"messages": USER, "tools": [TOOL], "tool_choice": "required",
          "response_format": {"type": "json_object"}}, "response_format"),
        ({"messages": USER, "stream_options": {"include_usage": True}}, "stream_options"),
        ({"messages": USER, "stream": True, "stream_options": {"include_usage": "yes"}},
         "stream_options.include_usage"),
        ({"messages": [], "model": "x"}, "messages"),
        ({"messages": "hello"}, "messages"),
        ({"messages": [1]}, "messages[0]"),
        ({"messages": [{"role": "wizard", "content": "x"}]}, "messages[0].role"),
        ({"messages": [*USER, ASSISTANT_CALL]}, "messages[1].tool_calls[0]"),
        ({"messages": [*USER, {"role": "assistant", "tool_calls": "x"}]},
         "messages[1].tool_calls"),
        ({"messages": [*USER, {"role": "assistant", "tool_calls": [{"function": {"name": 5}}]}]},
         "messages[1].tool_calls[0].function.name"),
        ({"messages": [*USER, {"role": "assistant", "tool_calls": [
            {"id": "a", "function": {"name": "f", "arguments": {"x": 1}}}]}]},
         "messages[1].tool_calls[0].function.arguments"),
        ({"messages": [*USER, {"role": "tool", "content": "42"}]}, "messages[1].tool_call_id"),
        ({"messages": [*USER, {"role": "tool", "tool_call_id": 5, "content": "42"}]},
         "messages[1].tool_call_id"),
        ({"messages": [{"role": "user", "content": "x", "name": 3}]}, "messages[0].name"),
    ],
)  # fmt: skip
def test_a_malformed_field_is_refused_by_name(body: dict[str, Any], named: str) -> None:
    error = refused(body)
    assert error.param == named
    assert str(error).startswith(f"{named}:")


@pytest.mark.parametrize(
    "raw", [b"", b"{", b"[1]", b'"x"', b"\xff\xfe", b'{"messages": NaN}', b"[" * 100_000]
)
def test_a_body_that_is_no_json_object_is_refused(raw: bytes) -> None:
    assert "body" in str(refused(raw))


def test_the_parameters_honoured_reach_the_request() -> None:
    request = parse(
        temperature=0.5, top_p=0.9, top_k=40, min_p=0.05, max_completion_tokens=12, seed=3,
        stop="END", n=1, presence_penalty=0, user="someone", stream=True,
        stream_options={"include_usage": True}, parallel_tool_calls=False,
    )  # fmt: skip
    sampling = request.sampling
    assert (sampling.temperature, sampling.top_p, sampling.top_k, sampling.min_p) == (
        0.5, 0.9, 40, 0.05,
    )  # fmt: skip
    assert (sampling.max_tokens, sampling.seed) == (12, 3)
    assert request.options.stop == ("END",)
    assert request.options.include_usage and request.stream
    assert not request.options.parallel_tool_calls


def test_role_developer_is_the_system_prompt() -> None:
    request = parse_request(
        json.dumps({"messages": [{"role": "developer", "content": "Be brief."}, *USER]}).encode(),
        SamplingParams(),
        "tiny",
    )
    assert request.system_prompt == "Be brief."
    assert [m.role for m in request.messages] == [Role.USER]


def test_tool_choice_and_response_format_become_structured_output() -> None:
    assert parse(tools=[TOOL]).options.output is None
    assert parse(tools=[TOOL]).tools[0].name == "calculator"
    none = parse(tools=[TOOL], tool_choice="none")
    assert none.tools == () and none.options.output is None
    assert parse(tools=[TOOL], tool_choice="required").options.output == StructuredOutput(
        tool_names=("calculator",)
    )
    named = {"type": "function", "function": {"name": "calculator"}}
    assert parse(tools=[TOOL], tool_choice=named).options.output == StructuredOutput(
        tool_names=("calculator",)
    )
    as_object = parse(response_format={"type": "json_object"}).options.output
    assert as_object is not None and json.loads(as_object.json_schema or "") == {"type": "object"}
    schema = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}
    fmt = {"type": "json_schema", "json_schema": {"name": "answer", "schema": schema}}
    output = parse(response_format=fmt).options.output
    assert output is not None and json.loads(output.json_schema or "") == schema
    assert parse(response_format={"type": "text"}).options.output is None


def test_foreign_tool_call_ids_are_mapped_to_mistral_ids_the_same_in_every_request() -> None:
    def conversation() -> Any:
        return parse_request(
            json.dumps(
                {
                    "messages": [
                        *USER,
                        {
                            "role": "assistant",
                            "tool_calls": [
                                {
                                    "id": "call_Xy12ab34cd56ef",
                                    "type": "function",
                                    "function": {"name": "calculator", "arguments": "{}"},
                                },
                                {
                                    "id": "toolu_01ABCDEF",
                                    "type": "function",
                                    "function": {"name": "calculator", "arguments": "{}"},
                                },
                            ],
                        },
                        {"role": "tool", "tool_call_id": "toolu_01ABCDEF", "content": "2"},
                        {"role": "tool", "tool_call_id": "call_Xy12ab34cd56ef", "content": "1"},
                    ]
                }
            ).encode(),
            SamplingParams(),
            "tiny",
        )

    first, again = conversation(), conversation()
    calls = first.messages[1].tool_calls
    ids = [call.id for call in calls]
    assert all(len(i) == 9 and i.isalnum() for i in ids) and len(set(ids)) == 2
    assert [call.id for call in again.messages[1].tool_calls] == ids
    assert [m.tool_call_id for m in first.messages[2:]] == [ids[1], ids[0]]
    assert first.call_ids.for_client(ids[0]) == "call_Xy12ab34cd56ef"
    assert first.call_ids.for_client("NewOne123") == "NewOne123"


def test_a_mistral_id_is_kept_and_a_missing_result_id_answers_the_next_call() -> None:
    ids = CallIds()
    assert ids.for_model("abc123XYZ") == "abc123XYZ"
    request = parse_request(
        json.dumps(
            {
                "messages": [
                    *USER,
                    {"role": "assistant", "tool_calls": [
                        {"function": {"name": "calculator", "arguments": "{}"}}]},
                    {"role": "tool", "content": "2"},
                ]
            }
        ).encode(),
        SamplingParams(),
        "tiny",
    )  # fmt: skip
    assert request.messages[2].tool_call_id == request.messages[1].tool_calls[0].id


def _data_url(width: int, height: int) -> str:
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def test_an_image_with_too_many_pixels_is_refused_from_its_header() -> None:
    content = [{"type": "image_url", "image_url": {"url": _data_url(9000, 9000)}}]
    error = refused({"messages": [{"role": "user", "content": content}]})
    assert "9,000 x 9,000 pixels" in str(error)


def test_images_beyond_the_models_limit_are_refused_before_any_is_decoded() -> None:
    broken = {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
    error = refused({"messages": [{"role": "user", "content": [broken] * 11}]})
    assert error.param == "messages" and "at most 10 images" in str(error)
