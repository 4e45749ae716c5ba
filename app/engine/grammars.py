"""Grammars for structured answers: JSON Schema through llama-cpp-python's converter (the one
its own server uses for `response_format`), and Mistral tool calls whose arguments follow each
tool's parameter schema."""

from __future__ import annotations

import json
from typing import Any

from llama_cpp.llama_grammar import SchemaConverter

from app.core.i18n import translate
from app.core.messages import ToolSpec
from app.core.structured_output import StructuredOutput

# JSON strings exclude control characters; the converter's own `char` rule lets them through,
# and a model that writes a raw newline inside a string gives JSON no parser reads.
JSON_CHAR_RULE = r'char ::= [^"\\\x7F\x00-\x1F] | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F]{4})'
# Tekken's control tokens, written by id: llama.cpp grammars match them as tokens, not text.
TOOL_CALLS_TOKEN = 9
ARGS_TOKEN = 32
CALL_ID_TOKEN = 33


class GrammarUnavailable(ValueError):
    """A schema or tool choice that cannot become a grammar, with the reason."""


def grammar_for(output: StructuredOutput, tools: tuple[ToolSpec, ...]) -> str | None:
    if output.tool_names:
        return _tool_call_grammar(output.tool_names, tools)
    if output.json_schema is not None:
        converter = _converter()
        _visit(converter, _loads(output.json_schema), "")
        return _rules(converter)
    return None


def _tool_call_grammar(names: tuple[str, ...], tools: tuple[ToolSpec, ...]) -> str:
    offered = {tool.name: tool for tool in tools}
    converter = _converter()
    choices = []
    for index, name in enumerate(names):
        tool = offered.get(name)
        if tool is None:
            raise GrammarUnavailable(
                translate("Grammars", "no tool named {name} is offered").format(name=repr(name))
            )
        schema = tool.parameters or {"type": "object"}
        rule = _visit(converter, schema, f"tool{index}-arguments")
        choices.append(f"{json.dumps(name)} <[{CALL_ID_TOKEN}]> call-id <[{ARGS_TOKEN}]> {rule}")
    rules = _rules(converter)
    return (
        f"root ::= <[{TOOL_CALLS_TOKEN}]> ( {' | '.join(choices)} )\n"
        "call-id ::= [a-zA-Z0-9]{9}\n" + rules
    )


def _rules(converter: SchemaConverter) -> str:
    text = str(converter.format_grammar())  # type: ignore[no-untyped-call]
    lines = text.splitlines()
    return "\n".join(JSON_CHAR_RULE if line.startswith("char ::= ") else line for line in lines)


def _converter() -> SchemaConverter:
    return SchemaConverter(  # type: ignore[no-untyped-call]
        prop_order={}, allow_fetch=False, dotall=False, raw_pattern=False
    )


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise GrammarUnavailable(
            translate("Grammars", "the schema is not JSON ({reason})").format(reason=exc)
        ) from None


def _visit(converter: SchemaConverter, schema: Any, name: str) -> str:
    if not isinstance(schema, dict):
        raise GrammarUnavailable(translate("Grammars", "a schema must be a JSON object"))
    try:
        resolved = converter.resolve_refs(schema, "request")
        rule = str(converter.visit(resolved, name))  # type: ignore[no-untyped-call]
    except Exception as exc:  # the converter asserts on what it does not support
        raise GrammarUnavailable(
            translate("Grammars", "the schema cannot be turned into a grammar ({reason})").format(
                reason=exc
            )
        ) from None
    return rule
