"""Documents kept with their message once by content, read back, exported and imported again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.messages import ChatMessage, DocumentPart, ImagePart, Role
from app.media.documents import pdf_block, read_pdf, read_text_file, text_block
from app.store import SqliteStore
from tests.fixtures.documents import scanned_pdf, typed_pdf

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x01" * 40


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore(tmp_path / "source" / "conversations.sqlite3")
    yield opened
    opened.close()


def documents(tmp_path: Path) -> tuple[DocumentPart, DocumentPart]:
    pdf = read_pdf(typed_pdf(tmp_path / "report.pdf", [["A typed page of the report, in words."]]))
    notes = tmp_path / "notes.md"
    notes.write_bytes("# Notes\nCafé at nine.\n".encode("cp1252"))
    return (
        DocumentPart(pdf_block(pdf, [page.suggested for page in pdf.pages]).text),
        DocumentPart(text_block(read_text_file(notes)).text),
    )


def sent(store: SqliteStore, tmp_path: Path) -> tuple[int, ChatMessage]:
    picture = tmp_path / "chart.png"
    picture.write_bytes(PNG)
    c = store.create_conversation("Documents")
    message = ChatMessage(
        Role.USER, "Compare them.", (store.add_attachment(picture),), documents=documents(tmp_path)
    )
    store.add_message(c, None, message)
    return c, message


def test_documents_come_back_with_their_message_after_its_images(
    store: SqliteStore, tmp_path: Path
) -> None:
    c, message = sent(store, tmp_path)
    (node,) = store.snapshot(c).nodes
    assert node.message.documents == message.documents
    assert [i.sha256 for i in node.message.images] == [i.sha256 for i in message.images]
    assert [d.name for d in node.message.documents] == ["report.pdf", "notes.md"]


def test_the_same_document_twice_is_kept_once(store: SqliteStore, tmp_path: Path) -> None:
    c, message = sent(store, tmp_path)
    store.add_message(c, None, ChatMessage(Role.USER, "Again", documents=message.documents))
    kept = [p for p in (store.path.parent / "attachments").rglob("*.txt")]
    assert len(kept) == 2  # two documents, each once


def test_export_and_import_keep_documents(store: SqliteStore, tmp_path: Path) -> None:
    c, message = sent(store, tmp_path)
    exported = tmp_path / "export.json"
    store.export_conversations_json([c], exported)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert len(data["conversations"][0]["messages"][0]["attachments"]) == 3
    other = SqliteStore(tmp_path / "other" / "conversations.sqlite3")
    try:
        (imported,) = other.import_conversations_json(exported)
        (node,) = other.snapshot(imported).nodes
        assert node.message.documents == message.documents
        assert len(node.message.images) == 1 and isinstance(node.message.images[0], ImagePart)
        assert node.message.images[0].path.read_bytes() == PNG
    finally:
        other.close()


def test_markdown_export_names_the_documents(store: SqliteStore, tmp_path: Path) -> None:
    c, _ = sent(store, tmp_path)
    out = tmp_path / "out.md"
    store.export_conversation_markdown(c, out)
    text = out.read_text(encoding="utf-8")
    assert "*Attached document: report.pdf (pages 1 of 1)*" in text
    assert "*Attached document: notes.md*" in text


def test_a_scan_goes_in_as_images_and_its_block_says_where(tmp_path: Path) -> None:
    pdf = read_pdf(scanned_pdf(tmp_path / "scan.pdf", 2))
    text = pdf_block(pdf, [page.suggested for page in pdf.pages]).text
    assert text.count("attached as an image") == 2
