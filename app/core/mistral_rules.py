"""Mistral's own rules for a conversation, as its reference encoder (mistral-common, tokenizer
v11) applies them before it writes a prompt: what it refuses, and how it rewrites what it takes.

Every way a prompt is built (the window, the local API, a remote server) goes through `prepare`,
so the model reads exactly what Mistral's encoder would give it, and a conversation that encoder
refuses is refused here too, with the message named, never silently changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import replace

from app.core.i18n import translate
from app.core.messages import (
    ChatMessage,
    Part,
    Role,
    ToolCall,
    ToolSpec,
    user_parts,
    with_documents_read,
    with_parts,
)

TOOL_NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}")
CALL_ID = re.compile(r"[a-zA-Z0-9]{9}")
JOIN = "\n\n"  # between the texts of joined messages and of a message's text parts

# The roles each role may be followed by.
_MAY_FOLLOW: dict[Role, frozenset[Role]] = {
    Role.SYSTEM: frozenset({Role.USER, Role.ASSISTANT, Role.SYSTEM}),
    Role.USER: frozenset({Role.ASSISTANT, Role.SYSTEM, Role.USER}),
    Role.ASSISTANT: frozenset({Role.ASSISTANT, Role.USER, Role.TOOL}),
    Role.TOOL: frozenset({Role.ASSISTANT, Role.TOOL, Role.USER}),
}


class ConversationRefused(ValueError):
    """A conversation Mistral's encoder does not accept; `index` is the message's place in what
    was given (0-based), None when the problem is not one message's."""

    def __init__(self, index: int | None, reason: str) -> None:
        if index is None:
            super().__init__(reason)
        else:
            super().__init__(
                translate("MistralRules", "Message {number}: {reason}").format(
                    number=index + 1, reason=reason
                )
            )
        self.index = index
        self.reason = reason


def tool_name_problem(name: str) -> str | None:
    """Why the model could not call a tool of this name, or None when it can."""
    if TOOL_NAME.fullmatch(name):
        return None
    return translate(
        "MistralRules",
        "the tool name {name} is not 1 to 64 letters (a-z, A-Z), digits, underscores or "
        "dashes, so the model cannot call it",
    ).format(name=repr(name))


def normalize_arguments(arguments: str) -> str:
    """Tool-call arguments as Mistral's encoder writes them: JSON re-serialized with its
    characters as they are, `{}` for none, and text that is not JSON as a JSON string."""
    if not arguments:
        return "{}"
    try:
        value = json.loads(arguments)
    except (ValueError, RecursionError):
        value = arguments
    return json.dumps(value, ensure_ascii=False)


def check_tools(tools: Sequence[ToolSpec]) -> None:
    """Refuse tools offered under a name the model could not call."""
    for tool in tools:
        problem = tool_name_problem(tool.name)
        if problem is not None:
            raise ConversationRefused(
                None,
                translate("MistralRules", "A tool offered to the model: {problem}.").format(
                    problem=problem
                ),
            )


def check(messages: Sequence[ChatMessage]) -> None:
    """Refuse what Mistral's encoder refuses: role order, tool names and call ids, tool results
    that answer no call, images outside user messages."""
    previous: Role | None = None
    expected: set[str] = set()  # the call ids the last assistant message made
    answered: set[str] = set()
    for index, message in enumerate(messages):
        role = message.role
        if previous is not None and role not in _MAY_FOLLOW[previous]:
            raise ConversationRefused(index, _out_of_order(role, previous))
        if message.images and role is not Role.USER:
            raise ConversationRefused(
                index, translate("MistralRules", "only user messages can carry images.")
            )
        if role is Role.ASSISTANT:
            # Mistral's encoder also refuses calls left without a result before the next answer;
            # the window keeps the calls of a stopped answer unrun, so those are accepted here.
            expected, answered = set(), set()
            for call in message.tool_calls:
                _check_call(index, call)
                if call.id in expected:
                    raise ConversationRefused(
                        index,
                        translate("MistralRules", "two tool calls have the id {id}.").format(
                            id=call.id
                        ),
                    )
                expected.add(call.id)
        elif role is Role.TOOL:
            _check_result(index, message)
            if previous is not None:
                call_id = message.tool_call_id or ""
                if call_id in answered:
                    raise ConversationRefused(
                        index,
                        translate("MistralRules", "a second result for the call {id}.").format(
                            id=call_id
                        ),
                    )
                if call_id not in expected:
                    raise ConversationRefused(
                        index,
                        translate(
                            "MistralRules",
                            "the tool result answers no call of the message before ({id}).",
                        ).format(id=call_id),
                    )
                answered.add(call_id)
        previous = role


def _out_of_order(role: Role, previous: Role) -> str:
    """Why `role` may not come after `previous`: a tool result follows no system or user
    message, and a system message follows no answer or tool result."""
    if role is Role.TOOL and previous is Role.SYSTEM:
        return translate("MistralRules", "A tool result cannot follow a system message.")
    if role is Role.TOOL:
        return translate("MistralRules", "A tool result cannot follow a user message.")
    if previous is Role.TOOL:
        return translate("MistralRules", "A system message cannot follow a tool result.")
    return translate("MistralRules", "A system message cannot follow an assistant message.")


def _check_call(index: int, call: ToolCall) -> None:
    problem = tool_name_problem(call.name)
    if problem is not None:
        raise ConversationRefused(index, f"{problem}.")
    if not CALL_ID.fullmatch(call.id):
        raise ConversationRefused(
            index,
            translate(
                "MistralRules", "the tool call id {id} is not 9 letters (a-z, A-Z) and digits."
            ).format(id=repr(call.id)),
        )


def _check_result(index: int, message: ChatMessage) -> None:
    if message.name is not None:
        problem = tool_name_problem(message.name)
        if problem is not None:
            raise ConversationRefused(index, f"{problem}.")
    if message.tool_call_id is None or not CALL_ID.fullmatch(message.tool_call_id):
        raise ConversationRefused(
            index,
            translate(
                "MistralRules",
                "the tool result's call id {id} is not 9 letters (a-z, A-Z) and digits.",
            ).format(id=repr(message.tool_call_id)),
        )


def prepare(
    messages: Sequence[ChatMessage],
    *,
    tools: Sequence[ToolSpec] = (),
    continue_last: bool = False,
) -> tuple[ChatMessage, ...]:
    """`messages` checked (see `check`) and rewritten as Mistral's encoder reads them: messages of
    the same role in a row joined (user and assistant text with a blank line, tool results in
    the order of their calls), tool-call arguments normalized, an assistant's trailing spaces
    dropped. An assistant message without text or tool calls is refused."""
    check_tools(tools)
    messages = [with_documents_read(message) for message in messages]
    check(messages)
    out: list[ChatMessage] = []
    start = 0
    while start < len(messages):
        end = start + 1
        role = messages[start].role
        while end < len(messages) and messages[end].role is role:
            end += 1
        run = messages[start:end]
        if role is Role.USER:
            out.append(_joined_user(run))
        elif role is Role.ASSISTANT:
            out.append(_joined_assistant(run, end - 1, last=end == len(messages) and continue_last))
        elif role is Role.TOOL:
            out += _in_call_order(run, out[-1] if out else None)
        else:
            out += run
        start = end
    return tuple(out)


def _joined_user(run: Sequence[ChatMessage]) -> ChatMessage:
    """Text parts next to each other (in one message or across messages) join with a blank
    line; images keep their places. A text followed by one image has the image moved first."""
    parts: list[Part] = []
    for message in run:
        for part in user_parts(message):
            if isinstance(part, str) and parts and isinstance(parts[-1], str):
                parts[-1] = parts[-1] + JOIN + part
            else:
                parts.append(part)
    if len(parts) == 2 and isinstance(parts[0], str) and not isinstance(parts[1], str):
        parts.reverse()
    return with_parts(run[0], parts)


def _joined_assistant(run: Sequence[ChatMessage], last_index: int, *, last: bool) -> ChatMessage:
    text = JOIN.join(message.content for message in run if message.content)
    calls = tuple(
        replace(call, arguments=normalize_arguments(call.arguments))
        for message in run
        for call in message.tool_calls
    )
    if not text and not calls:
        reason = (
            translate(
                "MistralRules", "an answer to continue needs text or tool calls; it is empty."
            )
            if last
            else translate(
                "MistralRules", "an assistant message needs text or tool calls; it is empty."
            )
        )
        raise ConversationRefused(last_index, reason)
    return replace(run[0], content=text.rstrip(" "), tool_calls=calls)


def _in_call_order(run: Sequence[ChatMessage], before: ChatMessage | None) -> list[ChatMessage]:
    order = {call.id: place for place, call in enumerate(before.tool_calls if before else ())}
    ranked = sorted(
        enumerate(run),
        key=lambda item: (order.get(item[1].tool_call_id or "", len(order)), item[0]),
    )
    return [message for _, message in ranked]
