"""Running one tool call: arguments checked, the function run, and every failure (unknown tool,
bad JSON, arguments that do not fit, an exception) turned into a result the model can read."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.messages import ToolCall
from app.tools.arguments import ArgumentsError, parse_arguments
from app.tools.folders import allowing
from app.tools.registry import Tool, ToolOutput

if TYPE_CHECKING:
    from app.media.prepare import PreparedImage

CHARS_PER_TOKEN = 3  # a cautious average for Tekken on mixed text and JSON


@dataclass(frozen=True, slots=True)
class ToolResult:
    call: ToolCall
    text: str
    ok: bool
    cut: bool = False  # the text was shortened to fit the context
    images: tuple[PreparedImage, ...] = ()  # for the model when it can see, and for the window


def error_result(call: ToolCall, message: str) -> ToolResult:
    return ToolResult(call, f"Error: {message}", ok=False)


def execute(tool: Tool | None, call: ToolCall, allowed_folders: Sequence[Path]) -> ToolResult:
    """Run `call` (blocking). Never raises for anything the tool or the model did."""
    if tool is None:
        return error_result(call, f"there is no tool named {call.name}")
    try:
        arguments = parse_arguments(call.arguments, tool.spec.parameters)
    except ArgumentsError as exc:
        return error_result(call, f"{exc}. Call {call.name} again with corrected arguments.")
    try:
        with allowing(allowed_folders):
            value = tool.invoke(arguments)
    except Exception as exc:
        return error_result(call, f"{call.name} failed: {type(exc).__name__}: {exc}")
    if isinstance(value, ToolOutput):
        return ToolResult(call, value.text, ok=True, images=value.images)
    return ToolResult(call, as_text(value), ok=True)


def as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


def fit_result(result: ToolResult, max_tokens: int) -> ToolResult:
    """Cut a result longer than `max_tokens` (roughly), saying so to the model."""
    limit = max(0, max_tokens) * CHARS_PER_TOKEN
    if len(result.text) <= limit:
        return result
    notice = (
        f"\n[The result was cut: it has {len(result.text):,} characters and only the first "
        f"{limit:,} fit the remaining context.]"
    )
    return ToolResult(
        result.call, result.text[:limit] + notice, result.ok, cut=True, images=result.images
    )
