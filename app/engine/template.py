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

from app.core.messages import ChatMessage, Role, ToolSpec, user_parts
from app.core.mistral_rules import prepare
from app.engine.template_limits import (
    BoundedSandbox,
    TemplateLimitExceeded,
    bounded_filter,
    render_bounded,
)
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


class _Literals:
    """The texts of one rendering that are data, not markup: each is replaced by a marker the
    template cannot forge (a random nonce), and the marker by the text after rendering."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.nonce = secrets.token_hex(4)
        self.marker = re.compile(f"\ue000{self.nonce}:(\\d+)\ue001")

    def wrap(self, text: str) -> str:
        self.texts.append(text)
        return f"\ue000{self.nonce}:{len(self.texts) - 1}\ue001"

    def unwrap(self, value: Any) -> Any:
        """`value` with every marker in its strings replaced by its text again."""
        if isinstance(value, str):
            return self.marker.sub(lambda found: self.texts[int(found[1])], value)
        if isinstance(value, dict):
            return {self.unwrap(k): self.unwrap(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.unwrap(item) for item in value]
        return value

    def to_json(self, value: Any, *args: Any, **kwargs: Any) -> str:
        """`tojson` while this rendering runs: JSON is data (tool lists, arguments), so all of it
        is read as text, never as control tokens."""
        return self.wrap(_to_json(self.unwrap(value), *args, **kwargs))

    def split(self, text: str) -> list[PromptPart]:
        parts: list[PromptPart] = []
        for index, piece in enumerate(self.marker.split(text)):
            if index % 2:
                parts.append(PromptPart(self.texts[int(piece)], literal=True))
            elif piece:
                parts.append(PromptPart(piece, literal=False))
        return parts


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
    if message.images:
        data["content"] = [
            {"type": "text", "text": wrap(part)} if isinstance(part, str) else {"type": "image"}
            for part in user_parts(message)
        ]
    else:
        data["content"] = wrap(message.content) if message.content else ""
    if message.tool_calls:
        data["tool_calls"] = [
            {
                "id": call.id,  # 9 letters and digits (checked): no control token can hide there
                "type": "function",
                "function": {"name": wrap(call.name), "arguments": wrap(call.arguments)},
            }
            for call in message.tool_calls
        ]
    if message.tool_call_id is not None:
        data["tool_call_id"] = message.tool_call_id
    return data


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
        env = BoundedSandbox(
            filters={"tojson": _to_json},
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=["jinja2.ext.loopcontrols"],
        )
        env.globals["raise_exception"] = _raise_exception
        env.globals["strftime_now"] = self._strftime_now
        self._env = env
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
        """The prompt for `messages`, split into template text and literal text (everything that
        is data: message text, tool names, arguments and definitions).

        The messages go through Mistral's rules first (`mistral_rules.prepare`; its refusals
        propagate as `ConversationRefused`). `system_prompt` replaces the model's own default
        system prompt; system messages in `messages` stay where they are, after it. With
        `continue_last`, the last assistant message is left open so generation continues it.
        """
        prepared = prepare(
            tool_images_as_user_turns(messages), tools=tools, continue_last=continue_last
        )
        literals = _Literals()
        dicts = [_message_dict(m, literals.wrap) for m in prepared]
        if system_prompt is not None:
            content = literals.wrap(system_prompt) if system_prompt else ""
            dicts.insert(0, {"role": "system", "content": content})
        if continue_last and (not dicts or dicts[-1]["role"] != "assistant"):
            raise TemplateError("only an assistant message can be continued")
        # renders run one at a time; the filter keeps the sandbox's limits
        self._env.filters["tojson"] = bounded_filter(literals.to_json)
        try:
            text = render_bounded(
                self._template,
                messages=dicts,
                tools=[t.as_template_dict() for t in tools] or None,
                bos_token=self.bos_token,
                eos_token=self.eos_token,
                add_generation_prompt=add_generation_prompt and not continue_last,
                image_marker=MEDIA_MARKER,
            )
        except _TemplateRaised as exc:
            raise TemplateError(str(exc)) from exc
        except TemplateLimitExceeded as exc:
            raise TemplateError(f"the chat template was stopped: {exc}") from exc
        except jinja2.TemplateError as exc:
            raise TemplateError(f"the chat template failed: {exc}") from exc
        except Exception as exc:  # a template is foreign code: report any failure, don't crash
            raise TemplateError(f"the chat template failed: {type(exc).__name__}: {exc}") from exc
        if continue_last and text.endswith(self.eos_token):
            text = text[: -len(self.eos_token)]
        return literals.split(text)


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
                offsets = message.image_offsets and (0,) * len(images) + message.image_offsets
                message = replace(message, images=images + message.images, image_offsets=offsets)
            else:
                names = ", ".join(dict.fromkeys(result.name or "a tool" for result in waiting))
                out.append(ChatMessage(Role.USER, f"(The images returned by {names}.)", images))
            waiting = []
        if message is not None:
            out.append(message)
    return out
