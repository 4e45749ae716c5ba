"""OpenAI's chat-completions JSON to Tramontane's messages and back, for the local API."""

from __future__ import annotations

import base64
import binascii
import json
import time
from dataclasses import dataclass
from typing import Any

from app.api.fields import (
    RequestError,
    optional_flag,
    optional_list,
    optional_number,
    optional_object,
    optional_text,
    optional_whole,
    refuse,
    required_text,
)
from app.api.file_parts import document_of
from app.api.options import AnswerOptions, answer_options
from app.api.tool_ids import CallIds
from app.core.messages import ChatMessage, Role, ToolCall, ToolSpec
from app.core.mistral_rules import JOIN, ConversationRefused, prepare
from app.core.sampling import SamplingParams
from app.media.prepare import MediaError, PreparedImage, prepare_bytes

__all__ = ["ChatRequest", "RequestError", "parse_request"]

MAX_IMAGES = 10
KNOWN_KEYS = frozenset(
    {
        "messages", "model", "stream", "stream_options", "temperature", "top_p", "top_k",
        "min_p", "repeat_penalty", "max_tokens", "max_completion_tokens", "seed", "tools",
        "tool_choice", "parallel_tool_calls", "response_format", "stop", "n", "user",
        "presence_penalty", "frequency_penalty", "logprobs", "top_logprobs", "logit_bias",
        "store", "metadata", "service_tier", "functions", "function_call",
    }
)  # fmt: skip
ROLES = ("system", "developer", "user", "assistant", "tool")


@dataclass(frozen=True, slots=True)
class ChatRequest:
    messages: tuple[ChatMessage, ...]
    images: dict[int, tuple[PreparedImage, ...]]  # message index -> its images, to be staged
    system_prompt: str | None
    sampling: SamplingParams
    tools: tuple[ToolSpec, ...]  # offered to the model (none for tool_choice "none")
    stream: bool
    model: str
    options: AnswerOptions
    call_ids: CallIds  # clients' tool-call ids and the model's


def parse_request(body: bytes, defaults: SamplingParams, model: str) -> ChatRequest:
    """The request in `body`, every field checked; raises `RequestError` naming what is wrong."""
    data = _json_object(body)
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise RequestError(f"{unknown[0]}: this parameter is not supported", unknown[0])
    items = optional_list(data, "messages", "messages")
    if not items:
        raise RequestError("messages: a chat completion needs a non-empty list", "messages")
    # The cheap checks first: no image is decoded for a request that is refused anyway.
    stream = bool(optional_flag(data, "stream", "stream"))
    tools = _tools(data)
    options = answer_options(data, tools, stream)
    sampling = _sampling(data, defaults)
    if _image_parts(items) > MAX_IMAGES:
        raise RequestError(f"at most {MAX_IMAGES} images a request (the model's limit)", "messages")
    messages: list[ChatMessage] = []
    images: dict[int, tuple[PreparedImage, ...]] = {}
    call_ids = CallIds()
    answered: list[str] = []  # ids of the last assistant turn's calls, for tool results
    for number, item in enumerate(items):
        path = f"messages[{number}]"
        if not isinstance(item, dict):
            raise refuse(path, "must be an object")
        role = item.get("role")
        if role not in ROLES:
            raise refuse(f"{path}.role", f"must be one of {', '.join(ROLES)}")
        role = "system" if role == "developer" else role
        content = _content(item.get("content"), f"{path}.content")
        if content.pictures:
            if role != "user":
                raise refuse(f"{path}.content", "only user messages can carry images")
            images[len(messages)] = content.pictures
        calls = _calls(item, path, call_ids) if role == "assistant" else ()
        if calls:
            answered = [call.id for call in calls]
        messages.append(
            ChatMessage(
                Role(role),
                content.text,
                tool_calls=calls,
                tool_call_id=_result_id(item, path, call_ids, answered) if role == "tool" else None,
                name=optional_text(item, "name", f"{path}.name"),
                image_offsets=content.offsets,
            )
        )
    try:
        prepare(messages, tools=tools)
    except ConversationRefused as exc:
        raise RequestError(str(exc), "messages") from None
    system: str | None = None
    if messages and messages[0].role is Role.SYSTEM:  # the conversation's own system prompt
        system = messages.pop(0).content
        images = {index - 1: pictures for index, pictures in images.items()}
    return ChatRequest(
        tuple(messages),
        images,
        system,
        sampling,
        tools if options.tools_offered else (),
        stream,
        optional_text(data, "model", "model") or model,
        options,
        call_ids,
    )


def _image_parts(items: list[Any]) -> int:
    return sum(
        1
        for item in items
        if isinstance(item, dict) and isinstance(item.get("content"), list)
        for part in item["content"]
        if isinstance(part, dict) and part.get("type") == "image_url"
    )


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body, parse_constant=_no_constant)
    except RecursionError:
        raise RequestError("the body is nested too deeply") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise RequestError(f"the body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise RequestError("the body must be a JSON object")
    return data


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


@dataclass(frozen=True, slots=True)
class _Content:
    text: str  # the text parts, joined as Mistral's encoder joins them
    pictures: tuple[PreparedImage, ...] = ()
    offsets: tuple[int, ...] = ()  # where each picture stands in `text`; () = all before it


def _content(content: object, where: str) -> _Content:
    """A message's content in the request's order: text parts next to each other are joined
    with a blank line (empty ones skipped); each image keeps its place between the texts."""
    if content is None:
        return _Content("")
    if isinstance(content, str):
        return _Content(content)
    if not isinstance(content, list):
        raise refuse(where, "must be a string or a list of parts")
    text = ""
    joinable = False  # the text so far ends with a text part, not an image
    pictures: list[PreparedImage] = []
    offsets: list[int] = []
    files = 0
    for part in content:
        kind = part.get("type") if isinstance(part, dict) else None
        if kind == "text":
            piece = part.get("text", "")
            if not isinstance(piece, str):
                raise refuse(where, "a text part's text must be a string")
            if piece:
                text += (JOIN if joinable else "") + piece
                joinable = True
        elif kind == "image_url":
            url = part.get("image_url", {})
            url = url.get("url", "") if isinstance(url, dict) else url
            pictures.append(_image(str(url), len(pictures) + 1))
            offsets.append(len(text))
            joinable = False
        elif kind == "file":  # a PDF or a text file: its document block (and scanned pages)
            files += 1
            try:
                block, scans = document_of(part, files)
            except MediaError as exc:
                raise refuse(where, str(exc)) from None
            text += (JOIN if joinable else "") + block
            joinable = not scans
            pictures += scans
            offsets += [len(text)] * len(scans)
        else:
            raise refuse(where, f"unknown content part {kind!r}")
    return _Content(text, tuple(pictures), tuple(offsets) if any(offsets) else ())


def _image(url: str, number: int) -> PreparedImage:
    if not url.startswith("data:") or ";base64," not in url:
        raise RequestError("images must be data URLs (this server reaches no network)")
    try:
        data = base64.b64decode(url.split(";base64,", 1)[1], validate=True)
    except (binascii.Error, ValueError):
        raise RequestError(f"image {number} is not valid base64") from None
    try:
        return prepare_bytes(data, f"image {number}")
    except MediaError as exc:
        raise RequestError(str(exc)) from None


def _function_of(entry: object, where: str) -> dict[str, Any]:
    """The `function` object of a tool or a tool call (`{"type": "function", "function": …}`)."""
    if not isinstance(entry, dict):
        raise refuse(where, "must be an object")
    if entry.get("type", "function") != "function":
        raise refuse(f"{where}.type", 'must be "function"')
    function = optional_object(entry, "function", f"{where}.function")
    if function is None:
        raise refuse(f"{where}.function", "is required")
    return function


def _calls(item: dict[str, Any], path: str, call_ids: CallIds) -> tuple[ToolCall, ...]:
    calls = []
    for index, call in enumerate(optional_list(item, "tool_calls", f"{path}.tool_calls") or []):
        where = f"{path}.tool_calls[{index}]"
        function = _function_of(call, where)
        name = required_text(function, "name", f"{where}.function.name")
        arguments = optional_text(function, "arguments", f"{where}.function.arguments")
        client_id = optional_text(call, "id", f"{where}.id") or f"{path}-{index}"
        calls.append(ToolCall(call_ids.for_model(client_id), name, arguments or "{}"))
    return tuple(calls)


def _result_id(item: dict[str, Any], path: str, call_ids: CallIds, answered: list[str]) -> str:
    """The model's id of the call a tool result answers; without one, the next call unanswered."""
    client_id = optional_text(item, "tool_call_id", f"{path}.tool_call_id")
    if client_id:
        model_id = call_ids.for_model(client_id)
        if model_id in answered:
            answered.remove(model_id)
        return model_id
    if not answered:
        raise refuse(f"{path}.tool_call_id", "is required (no tool call is waiting for a result)")
    return answered.pop(0)


def _tools(data: dict[str, Any]) -> tuple[ToolSpec, ...]:
    specs = []
    for index, tool in enumerate(optional_list(data, "tools", "tools") or []):
        where = f"tools[{index}]"
        function = _function_of(tool, where)
        name = required_text(function, "name", f"{where}.function.name")
        parameters = optional_object(function, "parameters", f"{where}.function.parameters")
        description = optional_text(function, "description", f"{where}.function.description")
        optional_flag(function, "strict", f"{where}.function.strict")
        specs.append(ToolSpec(name, description or "", dict(parameters or {})))
    names = [spec.name for spec in specs]
    if len(set(names)) != len(names):
        raise refuse("tools", "two tools have the same name")
    return tuple(specs)


def _sampling(data: dict[str, Any], defaults: SamplingParams) -> SamplingParams:
    def number(key: str, default: float, low: float, high: float) -> float:
        value = optional_number(data, key, key, low, high)
        return default if value is None else value

    limit = optional_whole(data, "max_completion_tokens", "max_completion_tokens", 1)
    if limit is None:
        limit = optional_whole(data, "max_tokens", "max_tokens", 1)
    top_k = optional_whole(data, "top_k", "top_k", 0)
    seed = optional_whole(data, "seed", "seed", -(2**63), 2**64 - 1)
    return SamplingParams(
        temperature=number("temperature", defaults.temperature, 0.0, 2.0),
        top_p=number("top_p", defaults.top_p, 0.0, 1.0),
        top_k=defaults.top_k if top_k is None else top_k,
        min_p=number("min_p", defaults.min_p, 0.0, 1.0),
        repeat_penalty=number("repeat_penalty", defaults.repeat_penalty, 0.0, 2.0),
        max_tokens=defaults.max_tokens if limit is None else limit,
        seed=seed,
        repetition_guard=defaults.repetition_guard,
        grammar=defaults.grammar,
        speculative=defaults.speculative,
    )


def chunk(
    completion_id: str,
    model: str,
    delta: dict[str, Any],
    finish: str | None,
    *,
    with_usage: bool = False,
) -> bytes:
    """One server-sent event of a streamed answer; `with_usage`: the client asked for the usage
    chunk, so every other chunk carries `"usage": null`, as the spec says."""
    body: dict[str, Any] = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    if with_usage:
        body["usage"] = None
    return event(body)


def usage_chunk(completion_id: str, model: str, usage: dict[str, int]) -> bytes:
    body = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [],
        "usage": usage,
    }
    return event(body)


def event(body: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n".encode()


def model_object(model: str, created: int) -> dict[str, Any]:
    return {"id": model, "object": "model", "created": created, "owned_by": "tramontane"}


def error_body(message: str, kind: str, param: str | None = None, code: str | None = None
               ) -> dict[str, Any]:  # fmt: skip
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def tool_calls_json(calls: tuple[ToolCall, ...]) -> list[dict[str, Any]]:
    return [
        {
            "index": index,
            "id": call.id,
            "type": "function",
            "function": {"name": call.name, "arguments": call.arguments},
        }
        for index, call in enumerate(calls)
    ]


def completion(
    completion_id: str,
    model: str,
    content: str,
    calls: tuple[ToolCall, ...],
    finish: str,
    usage: dict[str, int],
) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": content or None}
    if calls:
        message["tool_calls"] = tool_calls_json(calls)
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": usage,
    }
