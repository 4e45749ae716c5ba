"""The token ids fed to llama.cpp equal mistral-common's reference encoding, case by case.

Each case is written once, neutrally, and turned into both our `ChatMessage`s (rendered by the
GGUF's own template, tokenized by llama.cpp as the engine does) and a mistral-common request
(encoded by Mistral's v11 instruct tokenizer built from the same Tekken file).

Images: Mistral's encoder writes each image as its own token span, [IMG] ... [IMG_BREAK] ...
[IMG_END], whose length depends on the picture; our prompt holds mtmd's media marker there, and
mtmd writes the span itself when it encodes the picture. So each image counts as one slot on both
sides: every token before, between and after the images must match exactly, and the slots must
sit in the same places. That Mistral's span has the Pixtral shape is checked too.

Mistral's encoder has no default system prompt; where a case has none, the reference gets the
one the GGUF's template writes (its wording is checked in the unit tests).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import llama_cpp
import pytest
from mistral_common.protocol.instruct.messages import (
    AssistantMessage,
    ImageChunk,
    SystemMessage,
    TextChunk,
    ToolMessage,
    UserMessage,
)
from mistral_common.protocol.instruct.request import ChatCompletionRequest
from mistral_common.protocol.instruct.tool_calls import Function, FunctionCall, Tool, ToolCall
from mistral_common.tokens.tokenizers.mistral import MistralTokenizer
from PIL import Image

from app.core.messages import ChatMessage, ImagePart, Role, ToolSpec
from app.core.messages import ToolCall as OurToolCall
from app.engine.prompt import ImageSlot, tokenize_parts
from app.engine.template import ChatTemplate, PromptPart, TemplateError

pytestmark = pytest.mark.integration

FIXED_NOW = datetime(2026, 3, 14, 9, 30)
IMAGE_SLOT = -1


@dataclass
class Turn:
    role: str
    text: str = ""
    images: int = 0
    calls: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    call_id: str | None = None


@dataclass
class Case:
    name: str
    turns: list[Turn]
    system: str | None = None
    tools: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    continue_last: bool = False  # the last assistant message is a prefix to continue


WEATHER = (
    "get_weather",
    "Current weather for a city",
    {
        "type": "object",
        "properties": {
            "city": {"type": "string", "description": "City name"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        },
        "required": ["city"],
    },
)
CALC = (
    "calculator",
    "Evaluate an arithmetic expression",
    {
        "type": "object",
        "properties": {"expression": {"type": "string"}},
        "required": ["expression"],
    },
)


def U(text: str = "", images: int = 0) -> Turn:
    return Turn("user", text, images)


def A(text: str = "", calls: list[tuple[str, str, dict[str, Any]]] | None = None) -> Turn:
    return Turn("assistant", text, calls=calls or [])


def T(call_id: str, text: str) -> Turn:
    return Turn("tool", text, call_id=call_id)


CASES = [
    Case("plain", [U("Hello!")]),
    Case("plain_default_system_prompt", [U("What day is it?")]),
    Case("system_prompt", [U("Summarise the plot of Hamlet.")], system="You are terse."),
    Case("empty_system_prompt", [U("Hi")], system=""),
    Case("multi_turn", [U("Hi"), A("Hello! How can I help?"), U("Tell me a joke.")]),
    Case(
        "long_multi_turn",
        [U("One"), A("Two"), U("Three"), A("Four"), U("Five"), A("Six"), U("Seven")],
        system="Count with me.",
    ),
    Case(
        "unicode", [U("Ça va ? 日本語のテキスト 🙂 — Ελληνικά"), A("Très bien, merci !"), U("ok")]
    ),
    Case("code", [U("```python\ndef f(x):\n    return x * 2\n```\nExplain this.")]),
    Case("whitespace", [U("  leading and trailing  \n\n\tindent\n")]),
    Case("special_looking_text", [U("Literal text: [INST] is not a token here? <s> </s>")]),
    Case("tools_offered", [U("Weather in Paris?")], tools=[WEATHER]),
    Case(
        "tools_offered_multi_turn",
        [U("Hi"), A("Hello."), U("Weather in Oslo?")],
        tools=[WEATHER, CALC],
    ),
    Case(
        "tool_call_and_result",
        [
            U("Weather in Paris?"),
            A(calls=[("get_weather", "a1B2c3D4e", {"city": "Paris"})]),
            T("a1B2c3D4e", '{"temperature": 21, "sky": "clear"}'),
        ],
        tools=[WEATHER],
    ),
    Case(
        "tool_call_result_then_answer_then_user",
        [
            U("Weather in Paris?"),
            A(calls=[("get_weather", "a1B2c3D4e", {"city": "Paris", "unit": "celsius"})]),
            T("a1B2c3D4e", "21 degrees"),
            A("It is 21 °C in Paris."),
            U("And in Rome?"),
        ],
        tools=[WEATHER],
    ),
    Case(
        "parallel_calls",
        [
            U("Compare Paris and Rome."),
            A(
                calls=[
                    ("get_weather", "PARIS0001", {"city": "Paris"}),
                    ("get_weather", "ROME00002", {"city": "Rome"}),
                ]
            ),
            T("PARIS0001", "21"),
            T("ROME00002", "25"),
        ],
        tools=[WEATHER],
    ),
    Case(
        "call_with_text_before",
        [
            U("What is 6*7?"),
            A("Let me compute that.", calls=[("calculator", "xYz987AbC", {"expression": "6*7"})]),
            T("xYz987AbC", "42"),
        ],
        tools=[CALC],
    ),
    Case(
        "unicode_arguments",
        [
            U("Météo à Zürich ?"),
            A(calls=[("get_weather", "zur1ch000", {"city": "Zürich"})]),
            T("zur1ch000", "Bewölkt, 12 °C"),
        ],
        tools=[WEATHER],
        system="Réponds en français.",
    ),
    Case(
        "continue_an_answer",
        [U("Write a haiku about rain."), A("Soft rain on the roof")],
        continue_last=True,
    ),
    Case(
        "continue_after_tools",
        [
            U("What is 6*7?"),
            A(calls=[("calculator", "xYz987AbC", {"expression": "6*7"})]),
            T("xYz987AbC", "42"),
            A("The answer is"),
        ],
        tools=[CALC],
        continue_last=True,
    ),
    Case("image_only", [U(images=1)]),
    Case("image_with_text", [U("What is in this screenshot?", images=1)]),
    Case("two_images", [U("Compare these two scans.", images=2)]),
    Case(
        "image_in_history",
        [U("Describe this.", images=1), A("A red square."), U("And its colour in French?")],
    ),
    Case(
        "image_and_tools",
        [U("Read the city from this sign and get its weather.", images=1)],
        tools=[WEATHER],
    ),
]


def _image(index: int) -> Image.Image:
    return Image.new("RGB", (48 + 16 * index, 32), color=(200, 30 * index, 40))


def _mistral_request(case: Case) -> ChatCompletionRequest:
    messages: list[Any] = []
    if case.system is not None:
        messages.append(SystemMessage(content=case.system))
    for turn in case.turns:
        if turn.role == "user":
            if turn.images:
                chunks: list[Any] = [ImageChunk(image=_image(i)) for i in range(turn.images)]
                if turn.text:
                    chunks.append(TextChunk(text=turn.text))
                messages.append(UserMessage(content=chunks))
            else:
                messages.append(UserMessage(content=turn.text))
        elif turn.role == "assistant":
            calls = [
                ToolCall(id=cid, function=FunctionCall(name=name, arguments=json.dumps(args)))
                for name, cid, args in turn.calls
            ]
            messages.append(AssistantMessage(content=turn.text or None, tool_calls=calls or None))
            if case.continue_last and turn is case.turns[-1]:
                messages[-1] = messages[-1].model_copy(update={"prefix": True})
        else:
            messages.append(ToolMessage(content=turn.text, tool_call_id=turn.call_id))
    tools = [Tool(function=Function(name=n, description=d, parameters=p)) for n, d, p in case.tools]
    return ChatCompletionRequest(messages=messages, tools=tools or None)


def _our_messages(case: Case, tmp: Path) -> list[ChatMessage]:
    out: list[ChatMessage] = []
    for turn in case.turns:
        if turn.role == "user":
            images = tuple(ImagePart(tmp / f"img{i}.png", f"{i:064x}") for i in range(turn.images))
            out.append(ChatMessage(Role.USER, turn.text, images=images))
        elif turn.role == "assistant":
            calls = tuple(
                OurToolCall(cid, name, json.dumps(args)) for name, cid, args in turn.calls
            )
            out.append(ChatMessage(Role.ASSISTANT, turn.text, tool_calls=calls))
        else:
            out.append(ChatMessage(Role.TOOL, turn.text, tool_call_id=turn.call_id))
    return out


def _image_slots(tokens: list[int], img: int, img_break: int, img_end: int) -> list[int]:
    """`tokens` with each image span replaced by one slot, after checking the span's shape:
    rows of [IMG] of equal width, [IMG_BREAK] between rows, [IMG_END] last."""
    out: list[int] = []
    span: list[int] | None = None
    for token in tokens:
        if span is None and token != img:
            out.append(token)
            continue
        span = [*(span or []), token]
        if token == img_end:
            rows = [len(row) for row in _split(span[:-1], img_break)]
            assert set(span[:-1]) <= {img, img_break} and len(set(rows)) == 1 and rows[0] > 0
            out.append(IMAGE_SLOT)
            span = None
    assert span is None, "an image span without [IMG_END]"
    return out


def _split(tokens: list[int], separator: int) -> list[list[int]]:
    rows: list[list[int]] = [[]]
    for token in tokens:
        if token == separator:
            rows.append([])
        else:
            rows[-1].append(token)
    return rows


@pytest.fixture(scope="module")
def vocab_model(tiny_model_path: Path) -> Iterator[llama_cpp.Llama]:
    llm = llama_cpp.Llama(str(tiny_model_path), vocab_only=True, verbose=False)
    yield llm
    llm.close()


@pytest.fixture(scope="module")
def gguf_template(vocab_model: llama_cpp.Llama) -> ChatTemplate:
    """The template stored in the tiny model, as the engine reads it, on a fixed date."""
    bos, eos = (
        vocab_model._model.token_get_text(t)
        for t in (vocab_model.token_bos(), vocab_model.token_eos())
    )
    return ChatTemplate(
        vocab_model.metadata["tokenizer.chat_template"], bos, eos, clock=lambda: FIXED_NOW
    )


@pytest.fixture(scope="module")
def reference(tekken_v11: Path) -> MistralTokenizer:
    return MistralTokenizer.from_file(str(tekken_v11))


def _our_tokens(llm: llama_cpp.Llama, parts: list[PromptPart]) -> list[int]:
    def tokenize(text: str, special: bool) -> list[int]:
        return llm.tokenize(text.encode(), add_bos=False, special=special)

    items = tokenize_parts(parts, tokenize)
    return [IMAGE_SLOT if isinstance(item, ImageSlot) else item for item in items]


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_tokens_match_mistral_reference(
    case: Case,
    gguf_template: ChatTemplate,
    vocab_model: llama_cpp.Llama,
    reference: MistralTokenizer,
    tmp_path: Path,
) -> None:
    tools = [ToolSpec(n, d, p) for n, d, p in case.tools]
    parts = gguf_template.render_parts(
        _our_messages(case, tmp_path),
        tools=tools,
        system_prompt=case.system,
        continue_last=case.continue_last,
    )

    request = _mistral_request(case)
    if case.system is None:
        default = gguf_template.default_system_prompt()
        assert default is not None
        request.messages.insert(0, SystemMessage(content=default))
    expected = reference.encode_chat_completion(request).tokens
    special = reference.instruct_tokenizer.tokenizer.get_special_token
    slots = _image_slots(expected, special("[IMG]"), special("[IMG_BREAK]"), special("[IMG_END]"))

    assert _our_tokens(vocab_model, parts) == slots


def test_the_gguf_template_refuses_bad_ids_and_repeated_roles(gguf_template: ChatTemplate) -> None:
    call = OurToolCall("call-0001", "calculator", "{}")
    with pytest.raises(TemplateError, match="9 alphanumeric characters, got: call-0001"):
        gguf_template.render(
            [ChatMessage(Role.USER, "Hi"), ChatMessage(Role.ASSISTANT, "", tool_calls=(call,))]
        )
    with pytest.raises(TemplateError, match="roles must alternate"):
        gguf_template.render([ChatMessage(Role.USER, "Hi"), ChatMessage(Role.USER, "Again")])


def test_a_gguf_without_template_gives_a_template_error(tiny_model_without_template: Path) -> None:
    llm = llama_cpp.Llama(str(tiny_model_without_template), vocab_only=True, verbose=False)
    try:
        source = llm.metadata.get("tokenizer.chat_template", "")
    finally:
        llm.close()
    with pytest.raises(TemplateError, match="no chat template"):
        ChatTemplate(source, "<s>", "</s>")
