"""The request parameters beyond messages and sampling: what shape the answer takes
(`response_format`, `tool_choice`), where it stops, and the parameters that are accepted only at
the value that changes nothing here. Anything else is refused by name, never ignored."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.api.fields import (
    optional_flag,
    optional_list,
    optional_object,
    optional_text,
    refuse,
    required_text,
)
from app.core.messages import ToolSpec
from app.core.structured_output import StructuredOutput

MAX_STOPS = 4
MAX_STOP_CHARS = 200
MAX_SCHEMA_CHARS = 64 * 1024
MAX_SCHEMA_DEPTH = 32
MAX_SCHEMA_COUNT = 1000  # minItems, maxLength and the like: each becomes grammar repetitions
_COUNT_KEYS = ("minItems", "maxItems", "minLength", "maxLength", "minProperties", "maxProperties")
_NEUTRAL: dict[str, tuple[object, ...]] = {  # accepted at these values only
    "n": (1,),
    "presence_penalty": (0, 0.0),
    "frequency_penalty": (0, 0.0),
    "logprobs": (False,),
    "top_logprobs": (0,),
    "store": (False,),
}
_FREE = ("user", "metadata", "service_tier")  # about the caller, not the answer


@dataclass(frozen=True, slots=True)
class AnswerOptions:
    stop: tuple[str, ...]
    output: StructuredOutput | None
    tools_offered: bool  # False for tool_choice "none": the model sees no tools
    parallel_tool_calls: bool
    include_usage: bool


def answer_options(
    data: dict[str, Any], tools: tuple[ToolSpec, ...], stream: bool
) -> AnswerOptions:
    _check_neutral(data)
    if optional_object(data, "logit_bias", "logit_bias"):
        raise refuse("logit_bias", "is not supported")
    for legacy in ("functions", "function_call"):
        if legacy in data:
            raise refuse(legacy, "the legacy function fields are not supported; use tools")
    offered, forced = _tool_choice(data, tools)
    json_schema = _response_format(data)
    if json_schema is not None and forced:
        raise refuse("response_format", "cannot be asked together with a forced tool call")
    output = StructuredOutput(tool_names=forced) if forced else None
    if json_schema is not None:
        output = StructuredOutput(json_schema=json_schema)
    stream_options = optional_object(data, "stream_options", "stream_options")
    if stream_options is not None and not stream:
        raise refuse("stream_options", "is only allowed when stream is true")
    usage = optional_flag(stream_options or {}, "include_usage", "stream_options.include_usage")
    unknown = set(stream_options or {}) - {"include_usage"}
    if unknown:
        raise refuse(f"stream_options.{sorted(unknown)[0]}", "is not supported")
    parallel = optional_flag(data, "parallel_tool_calls", "parallel_tool_calls")
    return AnswerOptions(
        stop=_stop(data),
        output=output,
        tools_offered=offered,
        parallel_tool_calls=parallel is not False,
        include_usage=bool(usage),
    )


def _check_neutral(data: dict[str, Any]) -> None:
    for key, neutral in _NEUTRAL.items():
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, bool) != isinstance(neutral[0], bool) or value not in neutral:
            raise refuse(key, f"only {neutral[0]!r} is supported")
    optional_text(data, "user", "user")
    optional_object(data, "metadata", "metadata")
    optional_text(data, "service_tier", "service_tier")


def _tool_choice(data: dict[str, Any], tools: tuple[ToolSpec, ...]) -> tuple[bool, tuple[str, ...]]:
    """Whether the model sees the tools, and the names of which it must call one (if any)."""
    value = data.get("tool_choice")
    if value is None or value == "auto":
        return bool(tools), ()
    if value == "none":
        return False, ()
    names = tuple(tool.name for tool in tools)
    if value == "required":
        if not tools:
            raise refuse("tool_choice", '"required" needs tools')
        return True, names
    if isinstance(value, dict):
        function = optional_object(value, "function", "tool_choice.function")
        if value.get("type") != "function" or function is None:
            raise refuse("tool_choice", 'must be "none", "auto", "required" or a function')
        name = required_text(function, "name", "tool_choice.function.name")
        if name not in names:
            raise refuse("tool_choice.function.name", f"no tool named {name!r} is offered")
        return True, (name,)
    raise refuse("tool_choice", 'must be "none", "auto", "required" or a function')


def _response_format(data: dict[str, Any]) -> str | None:
    """The JSON Schema (as text) the answer must follow, or None for free text."""
    value = optional_object(data, "response_format", "response_format")
    if value is None:
        return None
    kind = value.get("type")
    if kind == "text":
        return None
    if kind == "json_object":
        return '{"type": "object"}'
    if kind != "json_schema":
        raise refuse("response_format.type", 'must be "text", "json_object" or "json_schema"')
    spec = optional_object(value, "json_schema", "response_format.json_schema")
    if spec is None:
        raise refuse("response_format.json_schema", "is required")
    required_text(spec, "name", "response_format.json_schema.name")
    optional_flag(spec, "strict", "response_format.json_schema.strict")
    schema = optional_object(spec, "schema", "response_format.json_schema.schema")
    if schema is None:
        return '{"type": "object"}'
    _check_schema(schema, "response_format.json_schema.schema", 0)
    text = json.dumps(schema)
    if len(text) > MAX_SCHEMA_CHARS:
        raise refuse("response_format.json_schema.schema", "is too large")
    return text


def _check_schema(schema: object, path: str, depth: int) -> None:
    """Bounds on what the grammar made from a schema can cost."""
    if depth > MAX_SCHEMA_DEPTH:
        raise refuse(path, f"is nested more than {MAX_SCHEMA_DEPTH} levels deep")
    if isinstance(schema, list):
        for item in schema:
            _check_schema(item, path, depth + 1)
    elif isinstance(schema, dict):
        for key, item in schema.items():
            if key in _COUNT_KEYS and (
                not isinstance(item, int) or isinstance(item, bool) or item > MAX_SCHEMA_COUNT
            ):
                raise refuse(f"{path}.{key}", f"must be a whole number up to {MAX_SCHEMA_COUNT}")
            _check_schema(item, path, depth + 1)


def _stop(data: dict[str, Any]) -> tuple[str, ...]:
    value = data.get("stop")
    if value is None:
        return ()
    stops = [value] if isinstance(value, str) else optional_list(data, "stop", "stop") or []
    if len(stops) > MAX_STOPS:
        raise refuse("stop", f"at most {MAX_STOPS} stop strings")
    for stop in stops:
        if not isinstance(stop, str) or not stop or len(stop) > MAX_STOP_CHARS:
            raise refuse("stop", f"each stop must be a string of 1 to {MAX_STOP_CHARS} characters")
    return tuple(stops)
