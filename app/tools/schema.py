"""A typed Python function as a tool the model can call: its JSON schema from the signature
(types, defaults, enums) and its descriptions from the docstring's summary and `Args:` section."""

from __future__ import annotations

import enum
import inspect
import re
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, Union, get_args, get_origin

from app.core.messages import ToolSpec

JsonSchema = dict[str, Any]

_SCALARS: dict[type, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}
_SECTION = re.compile(r"^\s*(Args|Arguments|Parameters|Returns|Raises|Yields|Examples?):\s*$")
_PARAMETER = re.compile(r"^\s*(\w+)\s*(?:\([^)]*\))?\s*:\s*(.*)$")


class ToolDefinitionError(TypeError):
    """A function that cannot be offered as a tool, and why."""


def spec_from_function(function: Callable[..., object], name: str | None = None) -> ToolSpec:
    tool_name = name or function.__name__
    summary, described = parse_docstring(inspect.getdoc(function) or "")
    if not summary:
        raise ToolDefinitionError(f"{tool_name} needs a docstring: it tells the model what it does")
    try:
        hints = typing.get_type_hints(function)
    except Exception as exc:
        raise ToolDefinitionError(f"the type hints of {tool_name} cannot be read: {exc}") from exc
    properties: dict[str, JsonSchema] = {}
    required: list[str] = []
    for parameter in inspect.signature(function).parameters.values():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            raise ToolDefinitionError(f"{tool_name} takes *args or **kwargs: name each argument")
        if parameter.name not in hints:
            raise ToolDefinitionError(f"the argument {parameter.name} of {tool_name} has no type")
        schema = type_schema(hints[parameter.name], f"{tool_name}.{parameter.name}")
        if parameter.name in described:
            schema["description"] = described[parameter.name]
        if parameter.default is parameter.empty:
            required.append(parameter.name)
        elif parameter.default is not None:
            default = parameter.default
            schema["default"] = default.value if isinstance(default, enum.Enum) else default
        properties[parameter.name] = schema
    parameters: JsonSchema = {"type": "object", "properties": properties, "required": required}
    return ToolSpec(tool_name, summary, parameters)


def type_schema(hint: object, where: str) -> JsonSchema:
    """The JSON schema of one annotation."""
    origin = get_origin(hint)
    if hint in _SCALARS:
        return {"type": _SCALARS[hint]}
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        values = [member.value for member in hint]
        return {"type": _json_type_of(values, where), "enum": values}
    if origin is Literal:
        values = list(get_args(hint))
        return {"type": _json_type_of(values, where), "enum": values}
    if origin in (list, tuple) or hint in (list, tuple):
        items = {arg for arg in get_args(hint) if arg is not Ellipsis}
        schema: JsonSchema = {"type": "array"}
        if len(items) == 1:  # list[X], tuple[X, ...]
            schema["items"] = type_schema(items.pop(), where)
        return schema
    if origin in (Union, types.UnionType):
        options = [arg for arg in get_args(hint) if arg is not type(None)]
        if len(options) == 1:
            return type_schema(options[0], where)  # Optional[X]: X, and not required
        return {"anyOf": [type_schema(option, where) for option in options]}
    if origin is dict or hint is dict:
        return {"type": "object"}
    raise ToolDefinitionError(f"{where}: the type {hint!r} cannot be written as JSON")


def _json_type_of(values: list[object], where: str) -> str:
    kinds = {_SCALARS.get(type(value)) for value in values}
    if len(kinds) != 1 or None in kinds:
        raise ToolDefinitionError(f"{where}: the choices must all be strings or all numbers")
    return str(kinds.pop())


def parse_docstring(doc: str) -> tuple[str, dict[str, str]]:
    """The description (the text before any section) and each argument's description from a
    Google-style `Args:` section."""
    summary: list[str] = []
    described: dict[str, str] = {}
    section: str | None = None
    current: str | None = None
    for line in doc.splitlines():
        heading = _SECTION.match(line)
        if heading:
            section, current = heading.group(1), None
            continue
        if section is None:
            summary.append(line.strip())
        elif section in ("Args", "Arguments", "Parameters"):
            match = _PARAMETER.match(line)
            if match and (line[: len(line) - len(line.lstrip())].count(" ") <= 4):
                current = match.group(1)
                described[current] = match.group(2).strip()
            elif current is not None and line.strip():
                described[current] = f"{described[current]} {line.strip()}".strip()
    text = " ".join(" ".join(summary).split())
    return text, described
