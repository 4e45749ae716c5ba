"""The streaming tool-call parser against mistral-common's own encoding of tool calls, with the
stream split at every possible point, the older JSON form, and malformed outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mistral_common.protocol.instruct.messages import AssistantMessage
from mistral_common.protocol.instruct.tool_calls import FunctionCall
from mistral_common.protocol.instruct.tool_calls import ToolCall as MistralCall
from mistral_common.tokens.tokenizers.base import SpecialTokenPolicy
from mistral_common.tokens.tokenizers.mistral import MistralTokenizer

from app.core.messages import ToolCall
from app.core.tool_calls import CALL_ID_LENGTH, ParsedAnswer, ToolCallStream, new_call_id

Call = tuple[str, str, dict[str, object]]  # name, id, arguments

REFERENCE_CASES: list[tuple[str, list[Call]]] = [
    ("", [("calculator", "abc123XYZ", {"expression": "6*7"})]),
    ("Let me compute that.", [("calculator", "k9J2mQ7pL", {"expression": "2**10"})]),
    (
        "Two things at once:",
        [
            ("get_time", "T1me0zone", {"zone": "Europe/Paris"}),
            ("convert_units", "u5n1tC0nv", {"value": 3.5, "from_unit": "km", "to_unit": "mi"}),
        ],
    ),
    ("", [("now", "n0wN0wN0w", {})]),
    (
        "Reading it.",
        [
            (
                "read_text_file",
                "r3adF1le0",
                {"path": "notes/[ARGS] and [TOOL_CALLS].txt", "lines": [1, 2], "note": "é ✓ {x}"},
            )
        ],
    ),
]


@pytest.fixture(scope="module")
def reference(tekken_v11: Path) -> MistralTokenizer:
    return MistralTokenizer.from_file(str(tekken_v11))


def model_output(reference: MistralTokenizer, content: str, calls: list[Call]) -> str:
    """What the model writes for this answer, as Mistral's tokenizer encodes it, decoded with
    its control tokens (the engine stops at the end-of-sequence token and never shows it)."""
    message = AssistantMessage(
        content=content or None,
        tool_calls=[
            MistralCall(id=cid, function=FunctionCall(name=name, arguments=json.dumps(args)))
            for name, cid, args in calls
        ],
    )
    instruct = reference.instruct_tokenizer
    ids = instruct.encode_assistant_message(message, False)  # type: ignore[attr-defined]
    text = instruct.tokenizer.decode(ids, special_token_policy=SpecialTokenPolicy.KEEP)
    assert text.endswith("</s>")
    return str(text[: -len("</s>")])


def parse(*deltas: str) -> tuple[ParsedAnswer, str]:
    stream = ToolCallStream()
    shown = "".join(stream.feed(delta) for delta in deltas)
    return stream.finish(), shown


def expected_calls(calls: list[Call]) -> list[tuple[str, str, object]]:
    return [(name, cid, args) for name, cid, args in calls]


def as_tuples(calls: tuple[ToolCall, ...]) -> list[tuple[str, str, object]]:
    return [(c.name, c.id, json.loads(c.arguments)) for c in calls]


@pytest.mark.parametrize(("content", "calls"), REFERENCE_CASES)
def test_mistral_encoded_calls_parse_whole_and_split_at_every_point(
    reference: MistralTokenizer, content: str, calls: list[Call]
) -> None:
    text = model_output(reference, content, calls)
    assert "[TOOL_CALLS]" in text and "[CALL_ID]" in text and "[ARGS]" in text

    for split in range(len(text) + 1):
        parsed, shown = parse(text[:split], text[split:])
        assert parsed.content == content, split
        assert shown.rstrip() == content, split
        assert as_tuples(parsed.calls) == expected_calls(calls), split
        assert parsed.problems == ()


@pytest.mark.parametrize(("content", "calls"), REFERENCE_CASES)
def test_one_character_at_a_time(
    reference: MistralTokenizer, content: str, calls: list[Call]
) -> None:
    text = model_output(reference, content, calls)
    stream = ToolCallStream()
    seen: list[int] = []
    shown = ""
    for char in text:
        shown += stream.feed(char)
        seen.append(len(stream.calls))
        assert "[" not in shown or content.count("[") == shown.count("[")
    parsed = stream.finish()
    assert as_tuples(parsed.calls) == expected_calls(calls)
    assert seen == sorted(seen)  # calls come out as they complete, never taken back
    assert seen[-1] == len(calls)  # the last one is known before the stream ends


def test_plain_answers_pass_through_untouched_even_with_brackets() -> None:
    text = "Use [TOOL] or [TOOL_CALL to see; arrays look like [1, 2]. End with [TOOL"
    for split in range(len(text) + 1):
        parsed, shown = parse(text[:split], text[split:])
        assert parsed == ParsedAnswer(text, (), ())
        assert text.startswith(shown)  # only a possible "[TOOL_CALLS]" start is held back
        assert len(text) - len(shown) < len("[TOOL_CALLS]")


def test_the_older_json_form() -> None:
    text = (
        '[TOOL_CALLS][{"name": "calculator", "arguments": {"expression": "1+1"}, '
        '"id": "abcDEF123"}, {"name": "now", "arguments": "{}"}]'
    )
    for split in range(len(text) + 1):
        parsed, _ = parse(text[:split], text[split:])
        assert [(c.name, c.arguments) for c in parsed.calls] == [
            ("calculator", '{"expression": "1+1"}'),
            ("now", "{}"),
        ]
        assert parsed.calls[0].id == "abcDEF123"
        assert len(parsed.calls[1].id) == CALL_ID_LENGTH  # the model gave none: one is made


@pytest.mark.parametrize(
    ("text", "calls", "problem"),
    [
        ("[TOOL_CALLS]calculator", [], "without arguments"),
        (
            '[TOOL_CALLS]calculator[ARGS]{"expression": "1+',
            [("calculator", '{"expression": "1+')],
            None,
        ),
        ("[TOOL_CALLS]bad name![ARGS]{}", [], "unusable name"),
        ("[TOOL_CALLS]get.weather[ARGS]{}", [], "unusable name"),
        (f"[TOOL_CALLS]{'x' * 65}[ARGS]{{}}", [], "unusable name"),
        ('[TOOL_CALLS][{"arguments": {}}]', [], "without a name"),
        ("[TOOL_CALLS][not json", [], "not valid JSON"),
        ("[TOOL_CALLS]now[ARGS]{} and then some words", [("now", "{}")], "unexpected text"),
    ],
)
def test_malformed_calls_are_reported_not_fatal(
    text: str, calls: list[tuple[str, str]], problem: str | None
) -> None:
    parsed, shown = parse(text)
    assert shown == ""
    assert [(c.name, c.arguments) for c in parsed.calls] == calls
    if problem is None:
        assert parsed.problems == ()
    else:
        assert len(parsed.problems) == 1 and problem in parsed.problems[0]


def test_ids_the_model_got_wrong_are_replaced_with_valid_ones() -> None:
    parsed, _ = parse("[TOOL_CALLS]now[CALL_ID]short[ARGS]{}")
    assert parsed.calls[0].id != "short" and parsed.calls[0].id.isalnum()
    assert len({new_call_id() for _ in range(50)}) == 50
