"""PDF pages as text or images, and text files, made into the blocks the model reads."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from app.api.openai_format import RequestError, parse_request
from app.core.messages import ChatMessage, DocumentPart, ImagePart, Role, model_text
from app.core.sampling import SamplingParams
from app.engine.remote import message_json
from app.media.documents import (
    PageMode,
    image_tokens,
    page_ranges,
    pdf_block,
    read_pdf,
    read_text_file,
    text_block,
)
from app.media.prepare import MediaError
from tests.fixtures.documents import (
    PRIVATE_USE_MAP,
    mixed_pdf,
    photo,
    raw_pdf,
    scanned_pdf,
    typed_pdf,
)

REPORT = [
    "Harbour office, quarterly report",
    "",
    "Item|Count|Price",
    "Ropes|12|3.50",
    "Anchors|2|120.00",
    "More ships came in this quarter than in any quarter before.",
]


def test_a_typed_page_goes_in_as_text_with_its_table_as_rows(tmp_path: Path) -> None:
    document = read_pdf(typed_pdf(tmp_path / "report.pdf", [REPORT]))
    (page,) = document.pages
    assert page.usable and page.suggested is PageMode.TEXT and page.reason == "typed text"
    lines = page.text.splitlines()
    assert lines[0] == "Harbour office, quarterly report" and lines[1] == ""
    header, ropes, anchors = lines[2:5]
    assert header.split() == ["Item", "Count", "Price"]
    assert ropes.split() == ["Ropes", "12", "3.50"] and anchors.split() == [
        "Anchors",
        "2",
        "120.00",
    ]
    # The columns stay under each other.
    assert header.index("Count") == ropes.index("12") == anchors.index("2")
    assert header.index("Price") == ropes.index("3.50") == anchors.index("120.00")


def test_a_scanned_page_goes_in_as_an_image(tmp_path: Path) -> None:
    (page,) = read_pdf(scanned_pdf(tmp_path / "scan.pdf", 1)).pages
    assert not page.usable and page.suggested is PageMode.IMAGE
    assert page.reason == "no text layer" and page.text == ""
    assert page.image_tokens == image_tokens(595, 842) == 55 * 39 + 55


def test_a_broken_text_layer_is_judged_garbled(tmp_path: Path) -> None:
    lines = ["Words that will not come back as words"] * 4
    path = typed_pdf(tmp_path / "broken.pdf", [lines], unicode_map=PRIVATE_USE_MAP)
    (page,) = read_pdf(path).pages
    assert page.text  # there is a text layer, but it says nothing readable
    assert not page.usable and page.reason == "garbled text layer"


def test_a_mixed_document_gives_each_page_its_way_in(tmp_path: Path) -> None:
    typed = typed_pdf(tmp_path / "typed.pdf", [REPORT, ["Second typed page, with enough words."]])
    path = mixed_pdf(tmp_path / "mixed.pdf", typed, scanned_pdf(tmp_path / "scan.pdf", 1))
    document = read_pdf(path)
    modes = [page.suggested for page in document.pages]
    assert modes == [PageMode.TEXT, PageMode.TEXT, PageMode.IMAGE]
    block = pdf_block(document, [PageMode.TEXT, PageMode.LEFT_OUT, PageMode.IMAGE])
    text = block.text
    assert text.startswith('<document name="mixed.pdf" pages="1, 3 of 3">\n--- page 1 ---\n')
    assert "Second typed page" not in text
    assert text.endswith("--- page 3: attached as an image ---\n</document>")
    assert block.labels == ("frame", "page 1", "page 3")
    part = DocumentPart(text)
    assert (part.name, part.extent) == ("mixed.pdf", "pages 1, 3 of 3")


def test_no_page_chosen_is_refused(tmp_path: Path) -> None:
    document = read_pdf(typed_pdf(tmp_path / "one.pdf", [REPORT]))
    with pytest.raises(MediaError, match=r"no page of one\.pdf was chosen"):
        pdf_block(document, [PageMode.LEFT_OUT])


def test_an_encrypted_pdf_is_refused_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="protected by a password"):
        read_pdf(raw_pdf(tmp_path / "locked.pdf", encrypted=True))


def test_the_blocks_pieces_add_up_to_its_text(tmp_path: Path) -> None:
    document = read_pdf(typed_pdf(tmp_path / "two.pdf", [REPORT, REPORT[:1] * 3]))
    block = pdf_block(document, [PageMode.TEXT, PageMode.IMAGE])
    frame, *sections = block.pieces
    assert frame.count("\n") == 1 and all(piece.endswith("\n") for piece in sections)
    assert len(block.text) == sum(len(piece) for piece in block.pieces)


TEXT = "Crème brûlée, smørrebrød, Ærø — naïve café.\nSecond line: 12 € and 3 £.\n"


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("cp1252", b"")],
)
def test_text_files_are_read_in_their_encoding(
    tmp_path: Path, encoding: str, prefix: bytes
) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(prefix + (TEXT * 20).encode(encoding))
    file = read_text_file(path)
    assert file.text == TEXT * 20


def test_a_japanese_shift_jis_file_is_read(tmp_path: Path) -> None:
    text = "港の事務所の四半期報告。今期は過去最多の船が入港しました。\n" * 10
    path = tmp_path / "report.md"
    path.write_bytes(text.encode("shift_jis"))
    assert read_text_file(path).text == text


def test_windows_line_ends_become_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(b"name,count\r\nropes,12\r\nanchors,2\r\n")
    file = read_text_file(path)
    assert file.lines == ["name,count", "ropes,12", "anchors,2"]
    block = text_block(file)
    assert block.text == (
        '<document name="data.csv">\n```csv\nname,count\nropes,12\nanchors,2\n```\n</document>'
    )


def test_code_is_fenced_longer_than_any_fence_inside_it(tmp_path: Path) -> None:
    path = tmp_path / "notes.py"
    path.write_text('DOC = """\n```\nexample\n```\n"""\n', encoding="utf-8")
    text = text_block(read_text_file(path)).text
    assert text.splitlines()[1] == "````python" and text.splitlines()[-2] == "````"


def test_a_large_file_can_be_cut_to_a_line_range(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    path.write_text("".join(f"line {n}\n" for n in range(1, 1001)), encoding="utf-8")
    file = read_text_file(path)
    block = text_block(file, 10, 12)
    assert (
        block.text
        == '<document name="log.txt" lines="10-12 of 1000">\nline 10\nline 11\nline 12\n</document>'
    )
    assert DocumentPart(block.text).extent == "lines 10-12 of 1000"
    with pytest.raises(MediaError, match=r"log\.txt has 1000 lines; 990-1010"):
        text_block(file, 990, 1010)


def test_a_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(MediaError, match="not a text file"):
        read_text_file(path)


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.md"
    path.touch()
    with pytest.raises(MediaError, match="empty"):
        read_text_file(path)


def test_page_ranges_are_short() -> None:
    assert page_ranges([1, 2, 3, 5, 7, 8]) == "1-3, 5, 7-8"
    assert page_ranges([4]) == "4"


def test_the_model_reads_documents_before_the_typed_text() -> None:
    document = DocumentPart('<document name="a.txt">\nhello\n</document>')
    message = ChatMessage(Role.USER, "Summarise it.", documents=(document,))
    assert model_text(message) == document.text + "\n\nSummarise it."
    assert model_text(ChatMessage(Role.USER, "", documents=(document,))) == document.text


def test_a_page_mostly_a_picture_goes_in_as_an_image(tmp_path: Path) -> None:
    path = typed_pdf(tmp_path / "figure.pdf", [REPORT])
    document = pdfium.PdfDocument(path)
    page = document[0]
    picture = pdfium.PdfImage.new(document)
    picture.set_bitmap(pdfium.PdfBitmap.from_pil(photo((200, 150))))
    picture.set_matrix(pdfium.PdfMatrix().scale(500, 400).translate(50, 100))  # 40% of the page
    page.insert_obj(picture)
    page.gen_content()
    document.save(tmp_path / "with-figure.pdf")
    page.close()
    document.close()
    (figure,) = read_pdf(tmp_path / "with-figure.pdf").pages
    assert figure.text.startswith("Harbour office") and not figure.usable
    assert figure.reason == "pictures on the page"


def test_a_server_gets_the_documents_as_the_messages_text(tmp_path: Path) -> None:
    document = DocumentPart('<document name="a.csv">\n```csv\nx,1\n```\n</document>')
    plain = message_json(ChatMessage(Role.USER, "Sum x.", documents=(document,)))
    assert plain == {"role": "user", "content": document.text + "\n\nSum x."}
    picture = tmp_path / "p.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n")
    image = ImagePart(picture, "0" * 64)
    mixed = message_json(ChatMessage(Role.USER, "", (image,), documents=(document,)))
    assert mixed["content"][-1] == {"type": "text", "text": document.text}


def file_part(name: str, data: bytes) -> dict[str, object]:
    encoded = base64.b64encode(data).decode("ascii")
    return {"type": "file", "file": {"filename": name, "file_data": f"data:;base64,{encoded}"}}


PRICES = "item;price\nrope;3,50 €\nanchor;120,00 €\ncafé crème;2,10 €\nbrûlée;4,00 €\n"


def test_the_api_takes_pdf_and_text_files_as_file_parts(tmp_path: Path) -> None:
    typed = typed_pdf(tmp_path / "typed.pdf", [REPORT])
    pdf = mixed_pdf(tmp_path / "mixed.pdf", typed, scanned_pdf(tmp_path / "scan.pdf", 1))
    content = [
        {"type": "text", "text": "Compare:"},
        file_part("mixed.pdf", pdf.read_bytes()),
        file_part("prices.csv", PRICES.encode("cp1252")),
    ]
    body = json.dumps({"messages": [{"role": "user", "content": content}]}).encode()
    request = parse_request(body, SamplingParams(), "m")
    (message,) = request.messages
    assert message.content.startswith('Compare:\n\n<document name="mixed.pdf" pages="1-2 of 2">')
    assert "--- page 2: attached as an image ---" in message.content
    expected = f'<document name="prices.csv">\n```csv\n{PRICES}```\n</document>'
    assert message.content.endswith(expected)
    (scan,) = request.images[0]
    assert scan.label == "mixed.pdf, page 2" and scan.original is None


def test_a_file_part_of_another_kind_is_refused() -> None:
    body = json.dumps(
        {"messages": [{"role": "user", "content": [file_part("a.docx", b"PK")]}]}
    ).encode()
    with pytest.raises(RequestError, match="only PDF and text files"):
        parse_request(body, SamplingParams(), "m")
