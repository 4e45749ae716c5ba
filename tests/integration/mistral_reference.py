"""Our prompt tokens beside mistral-common's reference encoding, for the conformance tests.

Images: Mistral's encoder writes each image as its own token span, [IMG] ... [IMG_BREAK] ...
[IMG_END], whose length depends on the picture; our prompt holds mtmd's media marker there, and
mtmd writes the span itself when it encodes the picture. So each image counts as one slot on both
sides: every token before, between and after the images must match exactly, and the slots must
sit in the same places. That Mistral's span has the Pixtral shape is checked too.

Mistral's encoder has no default system prompt; where a conversation has none, the reference gets
the one the GGUF's template writes (its wording is checked in the unit tests).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mistral_common.protocol.instruct.messages import SystemMessage
from mistral_common.protocol.instruct.request import ChatCompletionRequest
from mistral_common.tokens.tokenizers.mistral import MistralTokenizer

from app.engine.prompt import ImageSlot, Tokenize, tokenize_parts
from app.engine.template import ChatTemplate, PromptPart

FIXED_NOW = datetime(2026, 3, 14, 9, 30)
IMAGE_SLOT = -1


def our_tokens(parts: list[PromptPart], tokenize: Tokenize) -> list[int]:
    items = tokenize_parts(parts, tokenize)
    return [IMAGE_SLOT if isinstance(item, ImageSlot) else item for item in items]


def reference_tokens(
    reference: MistralTokenizer, request: ChatCompletionRequest[Any], template: ChatTemplate
) -> list[int]:
    """Mistral's tokens for `request`, with the template's default system prompt where the
    request starts without one, and each image span as one slot."""
    if not request.messages or not isinstance(request.messages[0], SystemMessage):
        default = template.default_system_prompt()
        assert default is not None
        request.messages.insert(0, SystemMessage(content=default))
    tokens = reference.encode_chat_completion(request).tokens
    special = reference.instruct_tokenizer.tokenizer.get_special_token
    return _image_slots(tokens, special("[IMG]"), special("[IMG_BREAK]"), special("[IMG_END]"))


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
