"""Mistral function calls parsed out of a streamed answer.

Mistral Small 3.2 writes `[TOOL_CALLS]name[CALL_ID]id[ARGS]{json}`, once per call (several in
a row for parallel calls); older Mistral models write `[TOOL_CALLS][{"name": …, "arguments":
…, "id": …}]`. The engine renders those control tokens as text when tools are offered. The
text before the first call is the answer's visible text; the calls come out as they complete.
"""

from __future__ import annotations

import json
import re
import secrets
import string
from dataclasses import dataclass, field

from app.core.messages import ToolCall
from app.core.mistral_rules import TOOL_NAME

TOOL_CALLS = "[TOOL_CALLS]"
CALL_ID = "[CALL_ID]"
ARGS = "[ARGS]"
CALL_ID_LENGTH = 9
_ID_ALPHABET = string.ascii_letters + string.digits
_VALID_ID = re.compile(rf"^[A-Za-z0-9]{{{CALL_ID_LENGTH}}}$")
_JSON = json.JSONDecoder()


def new_call_id() -> str:
    """Nine random letters and digits, the shape Mistral's template expects."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(CALL_ID_LENGTH))


def checked_call_id(candidate: str | None) -> str:
    return candidate if candidate is not None and _VALID_ID.match(candidate) else new_call_id()


@dataclass(frozen=True, slots=True)
class ParsedAnswer:
    content: str  # the text before the first call, as shown
    calls: tuple[ToolCall, ...]
    problems: tuple[str, ...]  # what could not be read, for the model and the user


@dataclass
class ToolCallStream:
    """Feed deltas as they arrive; `feed` returns the text to show now. `finish` at the end."""

    _visible: list[str] = field(default_factory=list)
    _held: str = ""  # text that may be the start of [TOOL_CALLS]
    _calls_text: str | None = None  # everything from the first [TOOL_CALLS] on
    _calls: list[ToolCall] = field(default_factory=list)
    _problems: list[str] = field(default_factory=list)
    _consumed: int = 0  # of _calls_text, parsed into calls

    def feed(self, delta: str) -> str:
        if self._calls_text is not None:
            self._calls_text += delta
            self._parse(final=False)
            return ""
        text = self._held + delta
        start = text.find(TOOL_CALLS)
        if start >= 0:
            self._held = ""
            self._calls_text = text[start:]
            self._parse(final=False)
            return self._show(text[:start])
        keep = _partial_marker_length(text)
        self._held = text[len(text) - keep :] if keep else ""
        return self._show(text[: len(text) - keep])

    def _show(self, text: str) -> str:
        if text:
            self._visible.append(text)
        return text

    @property
    def calls(self) -> tuple[ToolCall, ...]:
        """The calls complete so far."""
        return tuple(self._calls)

    @property
    def calling(self) -> bool:
        """The model has started writing calls."""
        return self._calls_text is not None

    def finish(self) -> ParsedAnswer:
        if self._calls_text is None:
            self._show(self._held)
            self._held = ""
        else:
            self._parse(final=True)
        content = "".join(self._visible).rstrip() if self._calls else "".join(self._visible)
        return ParsedAnswer(content, tuple(self._calls), tuple(self._problems))

    # ---- the calls ------------------------------------------------------------------------

    def _parse(self, *, final: bool) -> None:
        assert self._calls_text is not None
        while True:
            rest = self._calls_text[self._consumed :]
            if not rest.strip():
                return
            if not rest.startswith(TOOL_CALLS):
                if not final:
                    return  # perhaps the start of the next [TOOL_CALLS]
                self._problem(f"unexpected text after the tool calls: {_quote(rest)}")
                self._consumed = len(self._calls_text)
                return
            body = rest[len(TOOL_CALLS) :]
            used = self._one_call(body, final=final)
            if used is None:
                return  # wait for more text
            self._consumed += len(TOOL_CALLS) + used

    def _one_call(self, body: str, *, final: bool) -> int | None:
        """Parse one call at the start of `body`: the characters used, or None to wait."""
        stripped = body.lstrip()
        if stripped.startswith("[") and not stripped.startswith((CALL_ID, ARGS)):
            return self._legacy_calls(body, final=final)
        args_at = body.find(ARGS)
        if args_at < 0:
            if final:
                self._problem(f"a tool call without arguments: {_quote(body)}")
                return len(body)
            return None
        head, after = body[:args_at], body[args_at + len(ARGS) :]
        name, _, call_id = head.partition(CALL_ID)
        value_end = _json_end(after)
        if value_end is None:
            if final:  # the runner tells the model its arguments are not valid JSON
                self._add(name, call_id or None, after.strip())
                return len(body)
            return None
        self._add(name, call_id or None, after[:value_end].strip())
        return args_at + len(ARGS) + value_end

    def _legacy_calls(self, body: str, *, final: bool) -> int | None:
        start = len(body) - len(body.lstrip())
        try:
            value, end = _JSON.raw_decode(body, start)
        except json.JSONDecodeError:
            if final:
                self._problem(f"the tool calls are not valid JSON: {_quote(body)}")
                return len(body)
            return None
        items = value if isinstance(value, list) else [value]
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                self._problem(f"a tool call without a name: {_quote(json.dumps(item))}")
                continue
            arguments = item.get("arguments", {})
            text = arguments if isinstance(arguments, str) else json.dumps(arguments)
            call_id = item.get("id")
            self._add(item["name"], call_id if isinstance(call_id, str) else None, text)
        return end

    def _add(self, name: str, call_id: str | None, arguments: str) -> None:
        name = name.strip()
        if not TOOL_NAME.fullmatch(name):  # a name Mistral's format refuses in the history
            self._problem(f"a tool call with an unusable name: {_quote(name)}")
            return
        self._calls.append(ToolCall(checked_call_id(call_id), name, arguments))

    def _problem(self, text: str) -> None:
        self._problems.append(text)


def _json_end(text: str) -> int | None:
    """Where the JSON value at the start of `text` ends, or None while it is incomplete."""
    start = len(text) - len(text.lstrip())
    if start == len(text):
        return None
    try:
        _, end = _JSON.raw_decode(text, start)
    except json.JSONDecodeError:
        return None
    return end


def _partial_marker_length(text: str) -> int:
    """How many characters at the end of `text` could be the start of [TOOL_CALLS]."""
    for size in range(min(len(TOOL_CALLS) - 1, len(text)), 0, -1):
        if TOOL_CALLS.startswith(text[-size:]):
            return size
    return 0


def _quote(text: str, limit: int = 120) -> str:
    text = text.strip()
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
