"""Attaching documents as a user does: a text file becomes a chip, a PDF opens the page choice
with each page's tokens, a large file asks for its lines, and the sent message shows a chip
that opens the text."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QToolButton
from pytestqt.qtbot import QtBot

from app.core.conversation import MessageNode, TurnView
from app.core.messages import ChatMessage, DocumentPart, Role
from app.media.documents import PageMode, page_piece
from app.qt_bridge.document_costs import DocumentCosts
from app.ui.chat_view import ChatView
from app.ui.document_dialog import PdfPagesDialog, TextLinesDialog
from app.ui.document_viewer import DocumentViewer
from app.ui.main_window import MainWindow
from tests.fixtures.documents import mixed_pdf, scanned_pdf, typed_pdf
from tests.qt.drive import send, view_of
from tests.qt.scripted_engine import Script

REPORT = ["Harbour office, quarterly report", "", "Item|Count", "Ropes|12", "Anchors|2"]


def opened_dialog(qtbot: QtBot, window: MainWindow) -> PdfPagesDialog | TextLinesDialog:
    qtbot.waitUntil(lambda: window.attacher.last_dialog is not None)
    dialog = window.attacher.last_dialog
    assert isinstance(dialog, PdfPagesDialog | TextLinesDialog)
    return dialog


def attach_button(dialog: PdfPagesDialog | TextLinesDialog) -> QDialogButtonBox:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert button is not None
    return button


def test_a_text_file_is_attached_sent_and_opened_from_its_chip(
    qtbot: QtBot, seeing: MainWindow, script: Script, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_bytes("# Notes\nCafé at nine, ropes at ten.\n".encode("cp1252"))
    seeing.attacher.add_files([notes])
    qtbot.waitUntil(lambda: len(seeing.composer.attachments.documents) == 1)
    qtbot.waitUntil(lambda: not seeing.attacher.busy)
    assert seeing.composer.attachments.isVisible()
    send(qtbot, seeing, "What is at nine?")
    qtbot.waitUntil(lambda: bool(script.generated))
    sent = script.generated[-1].messages[-1]
    assert sent.role is Role.USER and sent.content == "What is at nine?"
    (document,) = sent.documents
    assert (
        document.text
        == '<document name="notes.md">\n# Notes\nCafé at nine, ropes at ten.\n</document>'
    )
    assert seeing.composer.attachments.documents == []
    assert view_of(seeing).turns[0].node.message.documents == (document,)


def test_a_sent_document_shows_as_a_chip_that_opens_its_text(qtbot: QtBot) -> None:
    document = DocumentPart('<document name="log.txt" lines="3-4 of 9">\nc\nd\n</document>')
    node = MessageNode(1, None, ChatMessage(Role.USER, "Why?", documents=(document,)))
    view = ChatView()
    qtbot.addWidget(view)
    view.show_turns([TurnView(node, 1, 1)], None)
    (chip,) = [c for c in view.findChildren(QToolButton) if c.objectName() == "documentChip"]
    assert chip.text() == "log.txt · lines 3-4 of 9"
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    (viewer,) = view.window().findChildren(DocumentViewer)
    assert viewer.text.toPlainText() == document.text
    viewer.close()


def test_a_pdf_opens_the_page_choice_with_each_pages_tokens(
    qtbot: QtBot, seeing: MainWindow, script: Script, tiny_model_path: Path, tmp_path: Path
) -> None:
    seeing.attacher._counter = DocumentCosts(lambda: tiny_model_path).counter
    typed = typed_pdf(tmp_path / "typed.pdf", [REPORT, ["A second typed page, in plain words."]])
    path = mixed_pdf(tmp_path / "mixed.pdf", typed, scanned_pdf(tmp_path / "scan.pdf", 1))
    seeing.attacher.add_files([path])
    dialog = opened_dialog(qtbot, seeing)
    assert isinstance(dialog, PdfPagesDialog)
    assert dialog.modes() == [PageMode.TEXT, PageMode.TEXT, PageMode.IMAGE]
    assert [dialog.table.item(row, 2).text() for row in range(3)] == [
        "typed text", "typed text", "no text layer"
    ]  # fmt: skip
    tokens = [int(dialog.table.item(row, 3).text().replace(",", "")) for row in range(3)]
    count, exact = seeing.attacher._counter()
    scan = dialog.document.pages[2]
    assert exact and tokens[2] == scan.image_tokens + count(page_piece(scan, PageMode.IMAGE))
    assert 10 < tokens[0] < 100 < tokens[2]
    assert "Total: " in dialog.budget.text() and "about" not in dialog.budget.text()
    dialog.set_mode(2, PageMode.LEFT_OUT)
    assert dialog.table.item(1, 3).text() == ""
    assert f"{dialog.total():,} tokens" in dialog.budget.text()
    attach_button(dialog).click()
    qtbot.waitUntil(lambda: len(seeing.composer.attachments.images) == 1)
    qtbot.waitUntil(lambda: not seeing.attacher.busy)
    (document,) = seeing.composer.attachments.documents
    assert document.extent == "pages 1, 3 of 3"
    send(qtbot, seeing, "")
    qtbot.waitUntil(lambda: bool(script.generated))
    sent = script.generated[-1].messages[-1]
    assert len(sent.images) == 1 and sent.documents == (document,)


def test_pages_past_the_image_limit_or_the_context_cannot_be_attached(
    qtbot: QtBot, seeing: MainWindow, tmp_path: Path
) -> None:
    seeing.attacher.add_files([scanned_pdf(tmp_path / "contract.pdf", pages=12)])
    dialog = opened_dialog(qtbot, seeing)
    assert isinstance(dialog, PdfPagesDialog)
    assert not attach_button(dialog).isEnabled()
    assert "12 pages go in as images but the message takes 10 more" in dialog.budget.text()
    assert "about" in dialog.budget.text()  # the scripted engine has no vocabulary to count with
    for page in range(2, 13):
        dialog.set_mode(page, PageMode.LEFT_OUT)
    assert attach_button(dialog).isEnabled()  # one page of some 2,200 tokens fits in 4,096
    dialog.set_mode(2, PageMode.IMAGE)
    assert not attach_button(dialog).isEnabled()
    assert "Too large for the context left" in dialog.budget.text()
    dialog.reject()


def test_a_large_text_file_asks_for_its_lines(
    qtbot: QtBot, seeing: MainWindow, tmp_path: Path
) -> None:
    log = tmp_path / "server.log"
    log.write_text("".join(f"request {n} answered in {n % 97} ms\n" for n in range(6000)))
    seeing.attacher.add_files([log])
    dialog = opened_dialog(qtbot, seeing)
    assert isinstance(dialog, TextLinesDialog)
    whole = dialog.total()
    assert whole > 8000 and f"{whole:,} tokens" in dialog.budget.text()
    assert dialog.budget.room is not None and dialog.budget.room < 4096  # the scripted context
    assert not attach_button(dialog).isEnabled()
    assert "Too large for the context left" in dialog.budget.text()
    dialog.first.setValue(5901)
    attach_button(dialog).click()
    qtbot.waitUntil(lambda: len(seeing.composer.attachments.documents) == 1)
    (document,) = seeing.composer.attachments.documents
    assert document.extent == "lines 5901-6000 of 6000"
    assert "request 5900 answered" in document.text and "request 5899 " not in document.text


def test_an_unknown_kind_of_file_says_what_can_be_attached(
    qtbot: QtBot, seeing: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "letter.docx"
    path.write_bytes(b"PK\x03\x04")
    seeing.attacher.add_files([path])
    assert "letter.docx cannot be attached" in seeing.notice.text
    assert "text files" in seeing.notice.text
