"""A call's JSON arguments checked against the tool's schema (the subset `schema.py` writes:
types, enums, required and unknown properties, array items, anyOf), with messages the model can
act on."""

from __future__ import annotations

import json
from typing import Any

from app.tools.schema import JsonSchema

_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


class ArgumentsError(ValueError):
    """Arguments that do not fit the tool; the message is written for the model."""


def parse_arguments(text: str, schema: JsonSchema) -> dict[str, Any]:
    """The arguments as a dict, or ArgumentsError saying what is wrong."""
    try:
        value = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as exc:
        raise ArgumentsError(f"the arguments are not valid JSON ({exc.msg} at {exc.pos})") from exc
    if not isinstance(value, dict):
        raise ArgumentsError("the arguments must be a JSON object")
    required = schema.get("required", [])
    given = {name: item for name, item in value.items() if item is not None or name in required}
    check(given, schema, "arguments")
    return given  # an optional argument given as null takes its default


def check(value: object, schema: JsonSchema, where: str) -> None:
    if "anyOf" in schema:
        problems = []
        for option in schema["anyOf"]:
            try:
                check(value, option, where)
                return
            except ArgumentsError as exc:
                problems.append(str(exc))
        raise ArgumentsError(" or ".join(problems))
    kind = schema.get("type")
    if kind is not None and not _is(value, kind):
        raise ArgumentsError(f"{where} must be {_article(kind)}, not {json.dumps(value)}")
    if "enum" in schema and value not in schema["enum"]:
        choices = ", ".join(json.dumps(choice) for choice in schema["enum"])
        raise ArgumentsError(f"{where} must be one of {choices}, not {json.dumps(value)}")
    if kind == "array" and "items" in schema and isinstance(value, list):
        for index, item in enumerate(value):
            check(item, schema["items"], f"{where}[{index}]")
    if kind == "object" and "properties" in schema and isinstance(value, dict):
        properties: dict[str, JsonSchema] = schema["properties"]
        missing = [name for name in schema.get("required", []) if name not in value]
        if missing:
            raise ArgumentsError(f"{where} lack {', '.join(missing)}")
        unknown = [name for name in value if name not in properties]
        if unknown:
            known = ", ".join(properties) or "none"
            raise ArgumentsError(f"{where} has unknown {', '.join(unknown)} (known: {known})")
        for name, item in value.items():
            check(item, properties[name], name)


def _is(value: object, kind: str) -> bool:
    if isinstance(value, bool) and kind != "boolean":
        return False  # JSON true is no number
    return isinstance(value, _PYTHON_TYPES.get(kind, (object,)))


def _article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"
