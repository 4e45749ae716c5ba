"""Renders a model's own Jinja chat template, safely, into the prompt text llama.cpp tokenizes."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from app.core.messages import ChatMessage, Role, ToolSpec, model_text
from app.paths import resource

# mtmd replaces this marker in the prompt with the image's embeddings (llama.cpp's default marker).
MEDIA_MARKER = "<__media__>"
BUILTIN_TEMPLATE_PATH = resource("templates", "mistral_small_3_2.jinja")
SYSTEM_OPEN, SYSTEM_CLOSE = "[SYSTEM_PROMPT]", "[/SYSTEM_PROMPT]"


@dataclass(frozen=True, slots=True)
class PromptPart:
    """A piece of the rendered prompt. Literal parts are what people wrote: their text is never
    read as control tokens, exactly as Mistral's own encoder treats message content."""

    text: str
    literal: bool


class TemplateError(Exception):
    """The chat template is missing, does not compile, or refused the conversation."""


class _TemplateRaised(Exception):
    pass


def _raise_exception(message: str) -> None:
    raise _TemplateRaised(message)


def _to_json(
    value: Any,
    ensure_ascii: bool = False,
    indent: int | None = None,
    separators: tuple[str, str] | None = None,
    sort_keys: bool = False,
) -> str:
    """Templates' `tojson`. By default as Mistral's own encoder writes JSON: keys in their order,
    non-ASCII characters as they are."""
    return json.dumps(
        value, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys
    )


def _message_dict(message: ChatMessage, wrap: Callable[[str], str]) -> dict[str, Any]:
    data: dict[str, Any] = {"role": message.role.value}
    text = model_text(message)
    content = wrap(text) if text else ""
    if message.images:
        blocks: list[dict[str, str]] = [{"type": "image"} for _ in message.images]
        if content:
            blocks.append({"type": "text", "text": content})
        data["content"] = blocks
    else:
        data["content"] = content
    if message.tool_calls:
        data["tool_calls"] = [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": _parsed_arguments(call.arguments)},
            }
            for call in message.tool_calls
        ]
    if message.tool_call_id is not None:
        data["tool_call_id"] = message.tool_call_id
    return data


def _parsed_arguments(arguments: str) -> Any:
    """Valid JSON is re-serialized the way the model was trained on; anything else kept verbatim."""
    try:
        return json.loads(arguments)
    except ValueError:
        return arguments


class ChatTemplate:
    def __init__(
        self,
        source: str,
        bos_token: str,
        eos_token: str,
        *,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        if not source.strip():
            raise TemplateError("the model file has no chat template")
        self.source = source
        self.bos_token = bos_token
        self.eos_token = eos_token
        self._clock = clock
        env = ImmutableSandboxedEnvironment(
            trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"]
        )
        env.filters["tojson"] = _to_json
        env.globals["raise_exception"] = _raise_exception
        env.globals["strftime_now"] = self._strftime_now
        try:
            self._template = env.from_string(source)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                f"the chat template does not compile: {exc} (line {exc.lineno})"
            ) from exc

    @classmethod
    def builtin(
        cls,
        bos_token: str = "<s>",
        eos_token: str = "</s>",
        *,
        clock: Callable[[], datetime] = datetime.now,
    ) -> ChatTemplate:
        """The Mistral Small 3.2 template that ships with Tramontane."""
        source = BUILTIN_TEMPLATE_PATH.read_text(encoding="utf-8")
        return cls(source, bos_token, eos_token, clock=clock)

    def default_system_prompt(self) -> str | None:
        """The system prompt the template writes when the conversation has none (dated today)."""
        text = self.render([], add_generation_prompt=False)
        start, end = text.find(SYSTEM_OPEN), text.find(SYSTEM_CLOSE)
        if start < 0 or end < start:
            return None
        return text[start + len(SYSTEM_OPEN) : end]

    def _strftime_now(self, fmt: str) -> str:
        return self._clock().strftime(fmt)

    def render(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        system_prompt: str | None = None,
        add_generation_prompt: bool = True,
        continue_last: bool = False,
    ) -> str:
        """The prompt text for `messages`; images become `MEDIA_MARKER`."""
        parts = self.render_parts(
            messages,
            tools=tools,
            system_prompt=system_prompt,
            add_generation_prompt=add_generation_prompt,
            continue_last=continue_last,
        )
        return "".join(part.text for part in parts)

    def render_parts(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        system_prompt: str | None = None,
        add_generation_prompt: bool = True,
        continue_last: bool = False,
    ) -> list[PromptPart]:
        """The prompt for `messages`, split into template text and literal message text.

        `system_prompt` replaces the model's own default system prompt. With `continue_last`, the
        last assistant message is left open so generation continues it.
        """
        messages = tool_images_as_user_turns(messages)
        if any(m.images for m in messages if m.role is not Role.USER):
            raise TemplateError("only user messages can carry images")
        literals: list[str] = []
        nonce = secrets.token_hex(4)

        def wrap(text: str) -> str:
            literals.append(text)
            return f"\ue000{nonce}:{len(literals) - 1}\ue001"

        dicts = [_message_dict(m, wrap) for m in messages if m.role is not Role.SYSTEM]
        system = system_prompt
        if system is None:
            system = next((m.content for m in messages if m.role is Role.SYSTEM), None)
        if system is not None:
            dicts.insert(0, {"role": "system", "content": wrap(system) if system else ""})
        if continue_last and (not dicts or dicts[-1]["role"] != "assistant"):
            raise TemplateError("only an assistant message can be continued")
        try:
            text = self._template.render(
                messages=dicts,
                tools=[t.as_template_dict() for t in tools] or None,
                bos_token=self.bos_token,
                eos_token=self.eos_token,
                add_generation_prompt=add_generation_prompt and not continue_last,
                image_marker=MEDIA_MARKER,
            )
        except _TemplateRaised as exc:
            raise TemplateError(str(exc)) from exc
        except jinja2.TemplateError as exc:
            raise TemplateError(f"the chat template failed: {exc}") from exc
        except Exception as exc:  # a template is foreign code: report any failure, don't crash
            raise TemplateError(f"the chat template failed: {type(exc).__name__}: {exc}") from exc
        if continue_last and text.endswith(self.eos_token):
            text = text[: -len(self.eos_token)]
        return _split_literals(text, nonce, literals)


def tool_images_as_user_turns(messages: Sequence[ChatMessage]) -> list[ChatMessage]:
    """Images of tool results, which Mistral's format has no place for inside a result, moved
    to a user turn right after the results (or to the start of the user message that follows
    them): the order of all images stays the order of the messages."""
    out: list[ChatMessage] = []
    waiting: list[ChatMessage] = []  # tool results whose images are not placed yet
    for message in [*messages, None]:
        if message is not None and message.role is Role.TOOL:
            out.append(replace(message, images=()) if message.images else message)
            if message.images:
                waiting.append(message)
            continue
        if waiting:
            images = tuple(image for result in waiting for image in result.images)
            if message is not None and message.role is Role.USER:
                message = replace(message, images=images + message.images)
            else:
                names = ", ".join(dict.fromkeys(result.name or "a tool" for result in waiting))
                out.append(ChatMessage(Role.USER, f"(The images returned by {names}.)", images))
            waiting = []
        if message is not None:
            out.append(message)
    return out


def _split_literals(text: str, nonce: str, literals: list[str]) -> list[PromptPart]:
    parts: list[PromptPart] = []
    pieces = re.split(f"\ue000{nonce}:(\\d+)\ue001", text)
    for index, piece in enumerate(pieces):
        if index % 2:
            parts.append(PromptPart(literals[int(piece)], literal=True))
        elif piece:
            parts.append(PromptPart(piece, literal=False))
    return parts
