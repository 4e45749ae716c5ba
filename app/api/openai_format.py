"""OpenAI's chat-completions JSON to Tramontane's messages and back, for the local API."""

from __future__ import annotations

import base64
import binascii
import json
import time
from dataclasses import dataclass
from typing import Any

from app.api.file_parts import document_of
from app.core.messages import ChatMessage, Role, ToolCall, ToolSpec
from app.core.sampling import SamplingParams
from app.media.prepare import MediaError, PreparedImage, prepare_bytes

MAX_IMAGES = 10


class RequestError(ValueError):
    """A request the API refuses (400), with the reason for the client."""


@dataclass(frozen=True, slots=True)
class ChatRequest:
    messages: tuple[ChatMessage, ...]
    images: dict[int, tuple[PreparedImage, ...]]  # message index -> its images, to be staged
    system_prompt: str | None
    sampling: SamplingParams
    tools: tuple[ToolSpec, ...]
    stream: bool
    model: str


def parse_request(body: bytes, defaults: SamplingParams, model: str) -> ChatRequest:
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RequestError(f"the body is not JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise RequestError("a chat completion needs a list of messages")
    system: str | None = None
    messages: list[ChatMessage] = []
    images: dict[int, tuple[PreparedImage, ...]] = {}
    for item in data["messages"]:
        if not isinstance(item, dict):
            raise RequestError("each message must be an object")
        role = item.get("role")
        if role == "system":
            system = _text_of(item.get("content"))
            continue
        if role not in ("user", "assistant", "tool"):
            raise RequestError(f"unknown role {role!r}")
        text, pictures = _content(item.get("content"))
        if pictures:
            if role != "user":
                raise RequestError("only user messages can carry images")
            images[len(messages)] = pictures
        messages.append(
            ChatMessage(
                Role(role),
                text,
                tool_calls=_calls(item.get("tool_calls")),
                tool_call_id=item.get("tool_call_id"),
                name=item.get("name"),
            )
        )
    if sum(len(p) for p in images.values()) > MAX_IMAGES:
        raise RequestError(f"at most {MAX_IMAGES} images a request (the model's limit)")
    return ChatRequest(
        tuple(messages),
        images,
        system,
        _sampling(data, defaults),
        _tools(data.get("tools")),
        bool(data.get("stream", False)),
        str(data.get("model") or model),
    )


def _text_of(content: object) -> str:
    text, pictures = _content(content)
    if pictures:
        raise RequestError("a system message cannot carry images")
    return text


def _content(content: object) -> tuple[str, tuple[PreparedImage, ...]]:
    if content is None:
        return "", ()
    if isinstance(content, str):
        return content, ()
    if not isinstance(content, list):
        raise RequestError("content must be a string or a list of parts")
    texts: list[str] = []
    pictures: list[PreparedImage] = []
    for part in content:
        kind = part.get("type") if isinstance(part, dict) else None
        if kind == "text":
            texts.append(str(part.get("text", "")))
        elif kind == "image_url":
            url = part.get("image_url", {})
            url = url.get("url", "") if isinstance(url, dict) else url
            pictures.append(_image(str(url), len(pictures) + 1))
        elif kind == "file":  # a PDF or a text file: its document block (and scanned pages)
            try:
                block, scans = document_of(part, len(texts) + 1)
            except MediaError as exc:
                raise RequestError(str(exc)) from None
            texts.append(block)
            pictures += scans
        else:
            raise RequestError(f"unknown content part {kind!r}")
    return "\n".join(texts), tuple(pictures)


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


def _calls(value: object) -> tuple[ToolCall, ...]:
    if not value:
        return ()
    if not isinstance(value, list):
        raise RequestError("tool_calls must be a list")
    calls = []
    for call in value:
        function = call.get("function", {}) if isinstance(call, dict) else {}
        calls.append(
            ToolCall(
                str(call.get("id", "")),
                str(function.get("name", "")),
                str(function.get("arguments", "{}")),
            )
        )
    return tuple(calls)


def _tools(value: object) -> tuple[ToolSpec, ...]:
    if not value:
        return ()
    if not isinstance(value, list):
        raise RequestError("tools must be a list")
    specs = []
    for tool in value:
        function = tool.get("function") if isinstance(tool, dict) else None
        if not isinstance(function, dict) or not function.get("name"):
            raise RequestError("each tool needs a function with a name")
        specs.append(
            ToolSpec(
                str(function["name"]),
                str(function.get("description", "")),
                dict(function.get("parameters") or {}),
            )
        )
    return tuple(specs)


def _sampling(data: dict[str, Any], defaults: SamplingParams) -> SamplingParams:
    def number(key: str, default: float, low: float, high: float) -> float:
        value = data.get(key)
        if value is None:
            return default
        if (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not low <= value <= high
        ):
            raise RequestError(f"{key} must be a number from {low} to {high}")
        return float(value)

    limit = data.get("max_completion_tokens", data.get("max_tokens"))
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise RequestError("max_tokens must be a positive whole number")
    seed = data.get("seed")
    return SamplingParams(
        temperature=number("temperature", defaults.temperature, 0.0, 2.0),
        top_p=number("top_p", defaults.top_p, 0.0, 1.0),
        max_tokens=limit if isinstance(limit, int) else defaults.max_tokens,
        seed=seed if isinstance(seed, int) and not isinstance(seed, bool) else None,
        repetition_guard=defaults.repetition_guard,
    )


def chunk(completion_id: str, model: str, delta: dict[str, Any], finish: str | None) -> bytes:
    body = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n".encode()


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
