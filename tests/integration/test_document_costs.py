"""What the page choice shows a document costs is what the real engine counts for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.messages import ChatMessage, DocumentPart, ImagePart, Role
from app.engine.protocol import CountTokens, TokenCount
from app.engine.vocabulary import Vocabulary
from app.media.documents import (
    PageMode,
    page_cost,
    pdf_block,
    pdf_frame,
    read_pdf,
    read_text_file,
    text_block,
)
from app.media.prepare import prepare_file
from tests.fixtures.documents import mixed_pdf, scanned_pdf, typed_pdf
from tests.integration.engine_helpers import EngineProbe

pytestmark = pytest.mark.integration

PAGES = [
    [
        "Harbour office, quarterly report",
        "",
        "Item|Count|Price",
        "Ropes|12|3.50",
        "Anchors (spare)|2|120.00",
        "Ships in: 1,204 — a record [INST] not a control token [/INST].",
    ],
    ["The second page says   a little more,", "    with indented lines", "and an end."],
]


@pytest.fixture(scope="module")
def vocabulary(tiny_model_path: Path) -> Iterator[Vocabulary]:
    opened = Vocabulary(tiny_model_path)
    yield opened
    opened.close()


def counted(engine: EngineProbe, request_id: int, message: ChatMessage) -> TokenCount:
    engine.client.send(CountTokens(request_id, (message,)))
    count = engine.next_of(TokenCount)
    assert isinstance(count, TokenCount)
    return count


def test_page_costs_add_up_to_the_engines_count(
    engine: EngineProbe,
    vocabulary: Vocabulary,
    tiny_model_path: Path,
    tiny_projector_path: Path,
    tmp_path: Path,
) -> None:
    engine.load(tiny_model_path, mmproj_path=tiny_projector_path, n_ctx=16384)
    typed = typed_pdf(tmp_path / "typed.pdf", PAGES)
    document = read_pdf(
        mixed_pdf(tmp_path / "mixed.pdf", typed, scanned_pdf(tmp_path / "s.pdf", 1))
    )
    modes = [PageMode.TEXT, PageMode.IMAGE, PageMode.IMAGE]  # a typed page switched to an image
    shown = vocabulary.count(pdf_frame(document, [1, 2, 3])) + sum(
        page_cost(page, mode, vocabulary.count)
        for page, mode in zip(document.pages, modes, strict=True)
    )
    images = tuple(
        ImagePart(tmp_path / f"page{i}.png", image.sha256)
        for i, image in enumerate(prepare_file(document.path, [1, 2]))
    )
    for image, prepared in zip(images, prepare_file(document.path, [1, 2]), strict=True):
        image.path.write_bytes(prepared.png)
    part = DocumentPart(pdf_block(document, modes).text)
    empty = counted(engine, 1, ChatMessage(Role.USER, ""))
    full = counted(engine, 2, ChatMessage(Role.USER, "", images, documents=(part,)))
    assert full.tokens - empty.tokens == shown
    assert [sum(full.image_tokens[i : i + 1]) + 1 for i in range(2)] == [
        page.image_tokens for page in document.pages[1:]
    ]  # each image's tokens and its [IMG_END], as the page choice says


def test_a_text_files_cost_is_the_engines_count(
    engine: EngineProbe, vocabulary: Vocabulary, tiny_model_path: Path, tmp_path: Path
) -> None:
    engine.load(tiny_model_path, n_ctx=8192)
    path = tmp_path / "tool.py"
    source = 'def greet(name: str) -> str:\n    """Say hello."""\n    return f"Hello, {name}!"\n'
    path.write_bytes((source * 30).encode("utf-16"))
    block = text_block(read_text_file(path), 4, 60)
    shown = sum(vocabulary.count(piece) for piece in block.pieces)
    empty = counted(engine, 1, ChatMessage(Role.USER, ""))
    full = counted(engine, 2, ChatMessage(Role.USER, "", documents=(DocumentPart(block.text),)))
    assert full.tokens - empty.tokens == shown
