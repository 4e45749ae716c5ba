"""The token ids fed to llama.cpp equal mistral-common's reference encoding, case by case.

Each case is written once, neutrally, and turned into both our `ChatMessage`s (rendered by the
GGUF's own template, tokenized by llama.cpp) and a mistral-common request (encoded by Mistral's
v11 instruct tokenizer built from the same Tekken file). Images are compared by position: each
image's token span on Mistral's side and mtmd's media marker on ours stand for one image.
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
from app.engine.template import ChatTemplate, PromptPart

pytestmark = pytest.mark.integration

FIXED_NOW = datetime(2026, 3, 14, 9, 30)
IMAGE_PLACEHOLDER = -1


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


def _collapse_images(tokens: list[int], img: int, img_end: int) -> list[int]:
    out: list[int] = []
    inside = False
    for token in tokens:
        if token == img and not inside:
            inside = True
        if not inside:
            out.append(token)
        if token == img_end and inside:
            inside = False
            out.append(IMAGE_PLACEHOLDER)
    return out


@pytest.fixture(scope="module")
def vocab_model(tiny_model_path: Path) -> Iterator[llama_cpp.Llama]:
    llm = llama_cpp.Llama(str(tiny_model_path), vocab_only=True, verbose=False)
    yield llm
    llm.close()


@pytest.fixture(scope="module")
def reference(tekken_v11: Path) -> MistralTokenizer:
    return MistralTokenizer.from_file(str(tekken_v11))


def _our_tokens(llm: llama_cpp.Llama, parts: list[PromptPart]) -> list[int]:
    def tokenize(text: str, special: bool) -> list[int]:
        return llm.tokenize(text.encode(), add_bos=False, special=special)

    items = tokenize_parts(parts, tokenize)
    return [IMAGE_PLACEHOLDER if isinstance(item, ImageSlot) else item for item in items]


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_tokens_match_mistral_reference(
    case: Case, vocab_model: llama_cpp.Llama, reference: MistralTokenizer, tmp_path: Path
) -> None:
    template = ChatTemplate(
        vocab_model.metadata["tokenizer.chat_template"], "<s>", "</s>", clock=lambda: FIXED_NOW
    )
    tools = [ToolSpec(n, d, p) for n, d, p in case.tools]
    parts = template.render_parts(
        _our_messages(case, tmp_path), tools=tools, system_prompt=case.system
    )

    request = _mistral_request(case)
    if case.system is None:  # Mistral's encoder has no default: give it the model's own prompt
        default = ChatTemplate.builtin(clock=lambda: FIXED_NOW).default_system_prompt()
        request.messages.insert(0, SystemMessage(content=default))
    expected = reference.encode_chat_completion(request).tokens
    inner = reference.instruct_tokenizer.tokenizer
    img, img_end = inner.get_special_token("[IMG]"), inner.get_special_token("[IMG_END]")

    assert _our_tokens(vocab_model, parts) == _collapse_images(expected, img, img_end)
