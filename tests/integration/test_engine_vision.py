"""Images through the real mtmd path on a CPU, with the tiny model and a tiny Pixtral projector:
token counts as mistral-common makes them, an answer about an image, follow-ups that encode no
image again, edits that do, and images that cannot be read."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import llama_cpp
import pytest
from mistral_common.protocol.instruct.messages import ImageChunk as MistralImage
from mistral_common.tokens.tokenizers.mistral import MistralTokenizer
from PIL import Image

from app.core.messages import ChatMessage, ImagePart, Role
from app.core.sampling import SamplingParams
from app.devtools.gguf_writer import TINY
from app.devtools.projector_writer import ProjectorShape, write_projector
from app.engine.protocol import (
    CountTokens,
    EngineError,
    ErrorKind,
    FinishReason,
    Generate,
    TokenCount,
)
from app.engine.vision import ImageFailed, ProjectorFailed, VisionEncoder
from tests.integration.engine_helpers import EngineProbe

pytestmark = pytest.mark.integration


def picture(folder: Path, name: str, size: tuple[int, int], colour: str = "teal") -> ImagePart:
    path = folder / name
    image = Image.new("RGB", size, colour)
    for x in range(0, size[0], 7):  # some detail, so no two pictures are alike
        image.putpixel((x, x % size[1]), (x % 256, 40, 200))
    image.save(path)
    return ImagePart(path, hashlib.sha256(path.read_bytes()).hexdigest())


@pytest.fixture(scope="module")
def encoder(tiny_model_path: Path, tiny_projector_path: Path) -> Iterator[VisionEncoder]:
    llm = llama_cpp.Llama(str(tiny_model_path), n_ctx=512, verbose=False)
    vision = VisionEncoder.open(tiny_projector_path, llm.model, use_gpu=False, n_threads=2)
    yield vision
    vision.close()
    llm.close()


@pytest.mark.parametrize(
    "size",
    [(560, 280), (100, 50), (10, 10), (2000, 300), (300, 2000), (3000, 2500), (1540, 1540)],
    ids=lambda s: f"{s[0]}x{s[1]}",
)
def test_image_tokens_match_mistral_commons_encoder(
    encoder: VisionEncoder, tekken_v11: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    image = picture(tmp_path, "p.png", size)
    reference = MistralTokenizer.from_file(str(tekken_v11)).instruct_tokenizer.image_encoder  # type: ignore[attr-defined]
    with Image.open(image.path) as opened:
        expected = len(reference(MistralImage(image=opened.convert("RGB"))).tokens)

    encoder.items_for(image)

    assert encoder.tokens_of(image.sha256) == expected


def ask(image: ImagePart, text: str = "What is in this picture?") -> ChatMessage:
    return ChatMessage(Role.USER, text, images=(image,))


def test_an_image_is_encoded_once_and_reused_on_the_next_turns(
    engine: EngineProbe, tiny_model_path: Path, tiny_projector_path: Path, tmp_path: Path
) -> None:
    loaded = engine.load(tiny_model_path, mmproj_path=tiny_projector_path, n_ctx=4096)
    assert loaded.has_vision
    image = picture(tmp_path, "screenshot.png", (900, 600))
    first = (ChatMessage(Role.USER, "Hi"), ChatMessage(Role.ASSISTANT, "Hello!"), ask(image))

    finished, deltas = engine.answer(1, first)
    assert finished.reason in (FinishReason.STOP, FinishReason.LENGTH)
    assert finished.usage.images_encoded == 1
    assert finished.text == "".join(deltas)

    follow_up = (
        *first,
        ChatMessage(Role.ASSISTANT, finished.text),
        ChatMessage(Role.USER, "More?"),
    )
    again, _ = engine.answer(2, follow_up)
    assert again.usage.images_encoded == 0
    assert again.usage.cached_tokens > 33 * 22  # the image's place in the cache was kept

    edited = (ChatMessage(Role.USER, "Hey"), *follow_up[1:])  # before the image: from there on
    redone, _ = engine.answer(3, edited)
    assert redone.usage.images_encoded == 1


def test_the_count_gives_each_images_tokens(
    engine: EngineProbe, tiny_model_path: Path, tiny_projector_path: Path, tmp_path: Path
) -> None:
    engine.load(tiny_model_path, mmproj_path=tiny_projector_path, n_ctx=8192)
    wide, small = picture(tmp_path, "w.png", (1120, 280)), picture(tmp_path, "s.png", (28, 28))
    messages = (ChatMessage(Role.USER, "Two", images=(wide, small)),)
    engine.client.send(CountTokens(7, messages))
    count = engine.next_of(TokenCount)
    assert isinstance(count, TokenCount)
    assert count.image_tokens == (40 * 10 + 9, 1)  # [IMG_END] is counted with the text
    assert count.tokens > sum(count.image_tokens)


def test_an_unreadable_image_is_an_error_and_the_engine_goes_on(
    engine: EngineProbe, tiny_model_path: Path, tiny_projector_path: Path, tmp_path: Path
) -> None:
    engine.load(tiny_model_path, mmproj_path=tiny_projector_path, n_ctx=4096)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    bad = ImagePart(broken, "0" * 64)
    engine.client.send(CountTokens(1, (ask(bad),)))
    error = engine.next_of(EngineError)
    assert isinstance(error, EngineError) and error.kind is ErrorKind.BAD_IMAGE
    assert "broken.png cannot be read" in error.message

    finished, _ = engine.answer(2, (ChatMessage(Role.USER, "Still there?"),))
    assert finished.reason in (FinishReason.STOP, FinishReason.LENGTH)


def test_a_missing_image_file_is_said(encoder: VisionEncoder, tmp_path: Path) -> None:
    with pytest.raises(ImageFailed, match=r"gone\.png is missing"):
        encoder.items_for(ImagePart(tmp_path / "gone.png", "1" * 64))


def test_images_without_a_projector_ask_for_one(
    engine: EngineProbe, tiny_model_path: Path, tmp_path: Path
) -> None:
    engine.load(tiny_model_path, n_ctx=2048)
    engine.client.send(CountTokens(1, (ask(picture(tmp_path, "a.png", (50, 50))),)))
    error = engine.next_of(EngineError)
    assert isinstance(error, EngineError) and error.kind is ErrorKind.BAD_MMPROJ


def test_a_projector_for_another_model_is_refused_clearly(
    tiny_model_path: Path, tmp_path: Path
) -> None:
    wrong = write_projector(
        tmp_path / "other-mmproj.gguf", ProjectorShape(text_embd=TINY.n_embd * 2)
    )
    llm = llama_cpp.Llama(str(tiny_model_path), n_ctx=256, verbose=False)
    try:
        with pytest.raises(ProjectorFailed, match=r"other-mmproj\.gguf does not work with this"):
            VisionEncoder.open(wrong, llm.model, use_gpu=False, n_threads=1)
    finally:
        llm.close()


def test_a_bad_image_in_a_generate_request_is_an_error_event_for_that_request(
    engine: EngineProbe, tiny_model_path: Path, tiny_projector_path: Path, tmp_path: Path
) -> None:
    engine.load(tiny_model_path, mmproj_path=tiny_projector_path, n_ctx=4096)
    text_file = tmp_path / "notes.jpg"
    text_file.write_text("not a picture at all", encoding="utf-8")
    engine.client.send(Generate(5, (ask(ImagePart(text_file, "2" * 64)),), SamplingParams()))
    error = engine.next()  # no token comes before it
    assert isinstance(error, EngineError) and error.kind is ErrorKind.BAD_IMAGE
    assert error.request_id == 5
    assert "notes.jpg cannot be read" in error.message


def test_a_follow_up_reads_no_image_file_again(
    engine: EngineProbe, tiny_model_path: Path, tiny_projector_path: Path, tmp_path: Path
) -> None:
    engine.load(tiny_model_path, mmproj_path=tiny_projector_path, n_ctx=4096)
    image = picture(tmp_path, "once.png", (300, 200))
    first = (ask(image),)
    opening, _ = engine.answer(1, first)
    assert opening.usage.images_encoded == 1
    image.path.unlink()  # the image's place in the KV cache is all the next turn needs

    follow_up = (*first, ChatMessage(Role.ASSISTANT, opening.text), ChatMessage(Role.USER, "Ok"))
    again, _ = engine.answer(2, follow_up)
    assert again.usage.images_encoded == 0
