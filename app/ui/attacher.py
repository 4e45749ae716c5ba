"""Attaching images and documents to the message being written: from the file picker, a drop
or a paste.

Checks first what the user can act on (a model that cannot see, the limit of 10 images, which
pages of a long scan), then prepares the files off the GUI thread and adds them to the composer.
A PDF opens the page choice (each page as text or as an image, with its tokens); a text file is
attached as text, after asking for a range of lines when it is large.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from PySide6.QtCore import QBuffer, QEvent, QIODevice, QObject, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QWidget

from app.core.i18n import tr, translate
from app.core.messages import DocumentPart
from app.media.documents import (
    DocumentBlock,
    PdfDocument,
    TextFile,
    is_pdf,
    is_text_file,
    read_pdf,
    read_text_file,
    text_block,
    text_filter,
)
from app.media.prepare import (
    MAX_IMAGES,
    SUPPORTED_SUFFIXES,
    MediaError,
    PreparedImage,
    file_filter,
    page_count,
    prepare_bytes,
    prepare_file,
)
from app.qt_bridge.background import BackgroundTasks
from app.qt_bridge.document_costs import estimate
from app.ui.attachment_strip import AttachmentStrip
from app.ui.composer import local_files
from app.ui.document_dialog import Count, PdfPagesDialog, TextLinesDialog

AskPages = Callable[[str, int, int], str | None]  # file name, its pages, room -> "1-3, 5"
Counter = Callable[[], tuple[Count, bool]]  # the token count to show, and whether it is exact
LARGE_TEXT_TOKENS = 8_000  # a text file past this asks which lines go in


def ask_pages(parent: QWidget) -> AskPages:
    def ask(name: str, pages: int, room: int) -> str | None:
        text, ok = QInputDialog.getText(
            parent,
            translate("Attacher", "Which pages?"),
            _pages_question(name, pages, room),
            text=f"1-{room}" if room > 1 else "1",
        )
        return text if ok else None

    return ask


def _pages_question(name: str, pages: int, room: int) -> str:
    return tr(
        "{name} has {pages} pages; a message takes %n more image(s).\n"
        "Pages to attach (for example 1-3, 7):",
        None,
        room,
    ).format(name=name, pages=pages)


def _left_out(limit: int, left_out: int) -> str:
    return tr(
        "A message takes at most {limit} images (the model's limit); %n image(s) left out.",
        None,
        left_out,
    ).format(limit=limit)


def _too_many_pages(chosen: int, name: str, room: int, limit: int) -> str:
    return tr(
        "%n page(s) of {name} were chosen but only {room} more images fit in a message "
        "(the model takes {limit})",
        None,
        chosen,
    ).format(name=name, room=room, limit=limit)


def _not_attached(exc: Exception) -> str:
    if isinstance(exc, MediaError):
        return translate("Attacher", "Not attached: {reason}.").format(reason=exc)
    return translate("Attacher", "Not attached: it could not be read: {error}.").format(error=exc)


def parse_pages(text: str, count: int) -> list[int]:
    """ "1-3, 7" as 0-based page indexes; MediaError for anything else."""
    pages: list[int] = []
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        first, _, last = part.partition("-")
        try:
            start, end = int(first), int(last or first)
        except ValueError:
            raise MediaError(
                translate("Attacher", "“{part}” is not a page or a range of pages").format(
                    part=part
                )
            ) from None
        if not 1 <= start <= end <= count:
            raise MediaError(
                translate(
                    "Attacher", "the pages go from 1 to {count}; {part} is not among them"
                ).format(count=count, part=part)
            )
        pages += [page - 1 for page in range(start, end + 1) if page - 1 not in pages]
    if not pages:
        raise MediaError(translate("Attacher", "no page was chosen"))
    return pages


class Attacher(QObject):
    failed = Signal(str)  # a message for the user
    needs_projector = Signal()  # the loaded model cannot see images

    def __init__(
        self,
        strip: AttachmentStrip,
        can_see: Callable[[], bool],
        window: QWidget,
        ask: AskPages | None = None,
        counter: Counter | None = None,
    ) -> None:
        super().__init__(window)
        self._counter = counter or (lambda: (estimate, False))
        self._context: tuple[int, int] | None = None  # tokens used, n_ctx
        self._document_tokens: dict[str, int] = {}
        self.last_dialog: QDialog | None = None  # the page or line choice open now
        self._strip = strip
        self._can_see = can_see
        self._window = window
        self._ask = ask or ask_pages(window)
        self._tasks = BackgroundTasks(self)
        self._pending = 0  # images being prepared, counted against the limit

    @property
    def busy(self) -> bool:
        return self._tasks.busy

    def wait(self, timeout_ms: int = 30000) -> bool:
        return self._tasks.wait(timeout_ms)

    def room(self) -> int:
        return MAX_IMAGES - len(self._strip.images) - self._pending

    def set_context(self, used: int, n_ctx: int, _exact: bool = True) -> None:
        self._context = (used, n_ctx)

    def context_room(self) -> int | None:
        """The tokens left in the context for what is being attached."""
        if self._context is None:
            return None
        used, n_ctx = self._context
        attached = sum(self._document_tokens.get(d.sha256, 0) for d in self._strip.documents)
        return max(n_ctx - used - attached, 0)

    def choose_files(self) -> None:
        chosen, _ = QFileDialog.getOpenFileNames(
            self._window,
            translate("Attacher", "Attach images, scans or documents"),
            "",
            f"{file_filter()};;{text_filter()};;" + translate("Attacher", "All files (*)"),
        )
        if chosen:
            self.add_files([Path(name) for name in chosen])

    def add_files(self, paths: Sequence[Path]) -> None:
        for path in paths:
            if not (is_text_file(path) or path.suffix.lower() in SUPPORTED_SUFFIXES):
                self.failed.emit(
                    translate(
                        "Attacher",
                        "{name} cannot be attached: images (PNG, JPEG, WebP, BMP, GIF, TIFF), "
                        "PDF documents and text files (text, Markdown, CSV, JSON, source code) "
                        "can.",
                    ).format(name=path.name)
                )
                continue
            if is_text_file(path):
                self._tasks.run(partial(read_text_file, path), self._text_read, self._not_read)
                continue
            if is_pdf(path):
                self._tasks.run(partial(read_pdf, path), self._pdf_read, self._not_read)
                continue
            if not self._ready():
                return
            room = self.room()
            if room <= 0:
                self.failed.emit(
                    translate(
                        "Attacher",
                        "A message takes at most {limit} images (the model's limit); "
                        "{name} and what followed were not attached.",
                    ).format(limit=MAX_IMAGES, name=path.name)
                )
                return
            try:
                pages = self._pages_of(path, room)
            except MediaError as exc:
                self.failed.emit(f"{exc}.")
                continue
            if pages == []:
                continue  # the user cancelled the page choice
            self._prepare(partial(prepare_file, path, pages), len(pages) if pages else 1)

    def take_drops_on(self, widget: QWidget) -> None:
        """Attach files and images dropped anywhere on `widget`."""
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, QDragEnterEvent | QDropEvent):
            return super().eventFilter(watched, event)
        mime = event.mimeData()
        files = local_files(mime)
        if not files and not mime.hasImage():
            return False
        if isinstance(event, QDropEvent) and event.type() == QEvent.Type.Drop:
            if files:
                self.add_files(files)
            else:
                self.add_image(QImage(mime.imageData()), translate("Attacher", "Dropped image"))
        event.acceptProposedAction()
        return True

    def add_image(self, image: QImage, label: str | None = None) -> None:
        if not self._ready():
            return
        if self.room() <= 0:
            self.failed.emit(
                translate(
                    "Attacher", "A message takes at most {limit} images (the model's limit)."
                ).format(limit=MAX_IMAGES)
            )
            return
        name = label or translate("Attacher", "Pasted image")
        data = _png_bytes(image)
        self._prepare(lambda: [prepare_bytes(data, name)], 1)

    # ---- documents ------------------------------------------------------------------------

    def _pdf_read(self, result: object) -> None:
        assert isinstance(result, PdfDocument)
        count, exact = self._counter()
        room = self.room() if self._can_see() else 0
        dialog = PdfPagesDialog(
            result, count, exact=exact, room=self.context_room(), image_room=room,
            parent=self._window,
        )  # fmt: skip
        self.last_dialog = dialog
        dialog.finished.connect(partial(self._pdf_chosen, dialog))
        dialog.open()

    def _pdf_chosen(self, dialog: PdfPagesDialog, result: int) -> None:
        self.last_dialog = None
        if result != QDialog.DialogCode.Accepted:
            return
        self._add_block(dialog.block(), dialog.total())
        pages = dialog.image_pages()
        if pages:
            self._prepare(partial(prepare_file, dialog.document.path, pages), len(pages))

    def _text_read(self, result: object) -> None:
        assert isinstance(result, TextFile)
        count, exact = self._counter()
        block = text_block(result)
        tokens = sum(count(piece) for piece in block.pieces)
        room = self.context_room()
        if tokens <= LARGE_TEXT_TOKENS and (room is None or tokens <= room):
            self._add_block(block, tokens)
            return
        dialog = TextLinesDialog(result, count, exact=exact, room=room, parent=self._window)
        self.last_dialog = dialog
        dialog.finished.connect(partial(self._lines_chosen, dialog))
        dialog.open()

    def _lines_chosen(self, dialog: TextLinesDialog, result: int) -> None:
        self.last_dialog = None
        if result == QDialog.DialogCode.Accepted:
            self._add_block(dialog.block(), dialog.total())

    def _add_block(self, block: DocumentBlock, tokens: int) -> None:
        part = DocumentPart(block.text)
        self._document_tokens[part.sha256] = tokens
        self._strip.add_document(part, tokens)

    def _not_read(self, exc: Exception) -> None:
        self.failed.emit(_not_attached(exc))

    # ---- images ---------------------------------------------------------------------------

    def _ready(self) -> bool:
        if not self._can_see():
            self.needs_projector.emit()
            return False
        return True

    def _pages_of(self, path: Path, room: int) -> list[int] | None:
        """None: every page (or the one image); [] when the user cancels; else the pages."""
        if path.suffix.lower() not in (".tif", ".tiff"):
            return None
        count = page_count(path)
        if count <= room:
            return None
        answer = self._ask(path.name, count, room)
        if answer is None:
            return []
        pages = parse_pages(answer, count)
        if len(pages) > room:
            raise MediaError(_too_many_pages(len(pages), path.name, room, MAX_IMAGES))
        return pages

    def _prepare(self, work: Callable[[], list[PreparedImage]], expected: int) -> None:
        self._pending += expected

        def done(result: object) -> None:
            self._pending -= expected
            prepared = result if isinstance(result, list) else []
            fits = prepared[: max(self.room(), 0)]
            self._strip.add(fits)
            if len(fits) < len(prepared):
                self.failed.emit(_left_out(MAX_IMAGES, len(prepared) - len(fits)))

        def failed(exc: Exception) -> None:
            self._pending -= expected
            self.failed.emit(_not_attached(exc))

        self._tasks.run(work, done, failed)


def _png_bytes(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs want bytes; Qt, str
    return bytes(buffer.data().data())
