"""The token ids fed to llama.cpp equal mistral-common's reference encoding, case by case.

Each case (conformance_cases.py) is turned into both our `ChatMessage`s (rendered by the GGUF's
own template, tokenized as the engine does) and a mistral-common request (encoded by Mistral's
v11 instruct tokenizer built from the same Tekken file). What Mistral's encoder refuses, we
refuse too, naming the message. See mistral_reference.py for how images are compared.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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

from app.core.messages import ChatMessage, ImagePart, Part, Role, ToolSpec, with_parts
from app.core.messages import ToolCall as OurToolCall
from app.core.mistral_rules import ConversationRefused
from app.engine.prompt import Tokenize
from app.engine.template import ChatTemplate
from tests.integration.conformance_cases import (
    CASES,
    HOSTILE_CASES,
    LANGUAGES,
    REFUSED,
    STRIKE_ARGS,
    Arguments,
    Case,
)
from tests.integration.mistral_reference import our_tokens, reference_tokens

pytestmark = pytest.mark.integration


def _image(index: int) -> Image.Image:
    return Image.new("RGB", (48 + 16 * index, 32), color=(200, 30 * index, 40))


def _argument_text(arguments: Arguments) -> str:
    return arguments if isinstance(arguments, str) else json.dumps(arguments)


def _mistral_request(case: Case) -> ChatCompletionRequest[Any]:
    messages: list[Any] = []
    if case.system is not None:
        messages.append(SystemMessage(content=case.system))
    images = iter(range(100))
    for turn in case.turns:
        if turn.role == "user":
            parts = turn.parts
            if parts is None:
                parts = [
                    *([None] * turn.images),
                    *([turn.text] if turn.text or not turn.images else []),
                ]
            if any(part is None for part in parts):
                chunks: list[Any] = [
                    ImageChunk(image=_image(next(images))) if part is None else TextChunk(text=part)
                    for part in parts
                ]
                messages.append(UserMessage(content=chunks))
            else:
                messages.append(UserMessage(content="".join(p for p in parts if p is not None)))
        elif turn.role == "assistant":
            calls = [
                ToolCall(id=cid, function=FunctionCall(name=name, arguments=_argument_text(args)))
                for name, cid, args in turn.calls
            ]
            prefix = case.continue_last and turn is case.turns[-1]
            messages.append(
                AssistantMessage(content=turn.text or None, tool_calls=calls or None, prefix=prefix)
            )
        elif turn.role == "tool":
            messages.append(
                ToolMessage(content=turn.text, tool_call_id=turn.call_id, name=turn.name)
            )
        else:
            messages.append(SystemMessage(content=turn.text))
    tools = [Tool(function=Function(name=n, description=d, parameters=p)) for n, d, p in case.tools]
    return ChatCompletionRequest(messages=messages, tools=tools or None)


def _our_messages(case: Case, tmp: Path) -> list[ChatMessage]:
    count = iter(range(100))

    def image() -> ImagePart:
        number = next(count)
        return ImagePart(tmp / f"img{number}.png", f"{number:064x}")

    out: list[ChatMessage] = []
    for turn in case.turns:
        if turn.role == "user" and turn.parts is not None:
            parts: list[Part] = [image() if part is None else part for part in turn.parts]
            out.append(with_parts(ChatMessage(Role.USER), parts))
        elif turn.role == "user":
            images = tuple(image() for _ in range(turn.images))
            out.append(ChatMessage(Role.USER, turn.text, images=images))
        elif turn.role == "assistant":
            calls = tuple(
                OurToolCall(cid, name, _argument_text(args)) for name, cid, args in turn.calls
            )
            out.append(ChatMessage(Role.ASSISTANT, turn.text, tool_calls=calls))
        elif turn.role == "tool":
            out.append(ChatMessage(Role.TOOL, turn.text, tool_call_id=turn.call_id, name=turn.name))
        else:
            out.append(ChatMessage(Role.SYSTEM, turn.text))
    return out


def _render(case: Case, template: ChatTemplate, tokenize: Tokenize, tmp: Path) -> list[int]:
    parts = template.render_parts(
        _our_messages(case, tmp),
        tools=[ToolSpec(n, d, p) for n, d, p in case.tools],
        system_prompt=case.system,
        continue_last=case.continue_last,
    )
    return our_tokens(parts, tokenize)


def test_the_suite_covers_each_class() -> None:
    assert len(CASES) >= 60
    assert len(LANGUAGES) >= 25 and len(HOSTILE_CASES) >= 8 and len(REFUSED) >= 10


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_tokens_match_mistral_reference(
    case: Case,
    gguf_template: ChatTemplate,
    model_tokenize: Tokenize,
    reference: MistralTokenizer,
    tmp_path: Path,
) -> None:
    expected = reference_tokens(reference, _mistral_request(case), gguf_template)
    assert _render(case, gguf_template, model_tokenize, tmp_path) == expected


@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c.name)
def test_what_mistral_refuses_is_refused_naming_the_message(
    case: Case,
    gguf_template: ChatTemplate,
    model_tokenize: Tokenize,
    reference: MistralTokenizer,
    tmp_path: Path,
) -> None:
    with pytest.raises(Exception):  # noqa: B017 - pydantic's or the encoder's own
        reference.encode_chat_completion(_mistral_request(case))
    with pytest.raises(ConversationRefused) as refused:
        _render(case, gguf_template, model_tokenize, tmp_path)
    if refused.value.index is not None:
        assert str(refused.value).startswith(f"Message {refused.value.index + 1}: ")


def test_a_tool_argument_containing_eos_cannot_end_the_turn(
    gguf_template: ChatTemplate,
    model_tokenize: Tokenize,
    reference: MistralTokenizer,
    tmp_path: Path,
) -> None:
    [case] = [c for c in HOSTILE_CASES if c.name == "hostile_tool_arguments"]
    tokens = _render(case, gguf_template, model_tokenize, tmp_path)
    tekken = reference.instruct_tokenizer.tokenizer
    eos, args = tekken.get_special_token("</s>"), tekken.get_special_token("[ARGS]")
    assert tokens.count(eos) == 1  # the one the template writes after the call
    written = tokens[tokens.index(args) + 1 : tokens.index(eos)]
    assert tekken.decode(written) == json.dumps(STRIKE_ARGS)
    assert "</s>" in tekken.decode(written) and all(t >= 1000 for t in written)
