"""Documents attached as text: PDF pages with a text layer, and text files (notes, Markdown, CSV,
JSON, source code).

A document goes into the message as one block the model reads well:

    <document name="report.pdf" pages="1-3, 5 of 12">
    --- page 1 ---
    (the page's text, laid out)
    --- page 4: attached as an image ---
    </document>

Code goes between a Markdown fence naming its language. The block is made of pieces (the frame,
then one section per page or line range) that each end with a line break, so the tokens of the
block are the sum of the tokens of its pieces: what each page costs is shown before sending.
Anything that cannot be read gives a `MediaError` with a message for the user.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from charset_normalizer import from_bytes

from app.core.i18n import translate
from app.media.pdf_text import page_text
from app.media.prepare import MAX_FILE_BYTES, MAX_SIDE, PDF_SUFFIX, MediaError, open_pdf

MAX_TEXT_BYTES = 16 * 1024 * 1024  # some 4 million tokens: far past any context
CODE_LANGUAGES = {
    ".py": "python", ".js": "javascript", ".ts": "typescript", ".tsx": "tsx", ".jsx": "jsx",
    ".c": "c", ".h": "c", ".cpp": "cpp", ".hpp": "cpp", ".cc": "cpp", ".cs": "csharp",
    ".java": "java", ".kt": "kotlin", ".go": "go", ".rs": "rust", ".rb": "ruby", ".php": "php",
    ".swift": "swift", ".sh": "bash", ".bash": "bash", ".ps1": "powershell", ".sql": "sql",
    ".html": "html", ".css": "css", ".xml": "xml", ".yaml": "yaml", ".yml": "yaml",
    ".toml": "toml", ".ini": "ini", ".json": "json", ".csv": "csv", ".tsv": "tsv",
    ".r": "r", ".lua": "lua", ".m": "matlab", ".tex": "latex",
}  # fmt: skip
PROSE_SUFFIXES = {".txt", ".md", ".markdown", ".rst", ".log", ".text"}
TEXT_SUFFIXES = PROSE_SUFFIXES | set(CODE_LANGUAGES)
_CLOSE_CHAOS = 0.1  # charset-normalizer's "chaos" within which two readings are alike
_PATCH = 28  # Pixtral's 14-pixel patches, merged two by two


def text_filter() -> str:
    """The file dialog's filter for the text files that can be attached."""
    patterns = " ".join(f"*{s}" for s in sorted(TEXT_SUFFIXES))
    return translate("FileFilter", "Text and code ({patterns})").format(patterns=patterns)


class PageMode(StrEnum):
    TEXT = "text"
    IMAGE = "image"
    LEFT_OUT = "left out"


@dataclass(frozen=True, slots=True)
class PdfPage:
    number: int  # 1-based
    text: str
    usable: bool  # the text layer can stand in for the page
    reason: str
    image_tokens: int  # what the page costs as an image

    @property
    def suggested(self) -> PageMode:
        return PageMode.TEXT if self.usable else PageMode.IMAGE


@dataclass(frozen=True, slots=True)
class PdfDocument:
    path: Path
    pages: tuple[PdfPage, ...]

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True, slots=True)
class TextFile:
    path: Path
    text: str
    encoding: str

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


@dataclass(frozen=True, slots=True)
class DocumentBlock:
    """A document as it goes into the message: its pieces, joined, are the text."""

    name: str
    pieces: tuple[str, ...]  # the frame (header and end) first, then one per section
    labels: tuple[str, ...]  # "frame", then "page 3" or "lines 1-200", one per piece

    @property
    def text(self) -> str:
        frame, *sections = self.pieces
        header, _, end = frame.partition("\n")
        return header + "\n" + "".join(sections) + end


def is_text_file(path: Path) -> bool:
    return path.suffix.lower() in TEXT_SUFFIXES


def is_pdf(path: Path) -> bool:
    return path.suffix.lower() == PDF_SUFFIX


# ---- reading --------------------------------------------------------------------------------


def read_pdf(path: Path) -> PdfDocument:
    """Every page's text layer and its verdict (text or image), with its image cost."""
    _check_size(path, MAX_FILE_BYTES)
    with open_pdf(path) as document:
        if len(document) == 0:
            raise MediaError(translate("MediaError", "{name} has no pages").format(name=path.name))
        pages = []
        for index in range(len(document)):
            page = document[index]
            found = page_text(page)
            width, height = page.get_size()
            cost = image_tokens(width, height)
            pages.append(PdfPage(index + 1, found.text, found.usable, found.reason, cost))
            page.close()
    return PdfDocument(path, tuple(pages))


def read_text_file(path: Path) -> TextFile:
    """The file's text, its encoding detected (UTF-8 with or without BOM, UTF-16, legacy code
    pages); a binary file is refused."""
    _check_size(path, MAX_TEXT_BYTES)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MediaError(
            translate("MediaError", "{name} cannot be read: {reason}").format(
                name=path.name, reason=exc.strerror or exc
            )
        ) from None
    return text_file_of(data, path)


def text_file_of(data: bytes, path: Path) -> TextFile:
    """`data` (the content of the file at `path`) as text, its encoding detected. On a short
    text the legacy code pages read alike; Windows' Western one, the most common, is preferred
    when it reads about as well as the best guess."""
    matches = from_bytes(data)
    best = matches.best()
    western = next((m for m in matches if m.encoding == "cp1252"), None)
    if best is not None and western is not None and western.chaos <= best.chaos + _CLOSE_CHAOS:
        best = western
    if best is None or "\x00" in str(best):
        raise MediaError(
            translate("MediaError", "{name} is not a text file Tramontane can read").format(
                name=path.name
            )
        )
    text = str(best).replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return TextFile(path, text, best.encoding)


def image_tokens(width: float, height: float) -> int:
    """What a page of this size costs as an image for Mistral Small 3.2: its longest side
    scaled to 1540 pixels, one token per 28 x 28 pixels, and one more at the end of each row."""
    scale = MAX_SIDE / max(width, height, 1.0)
    columns = -(-round(width * scale) // _PATCH)
    rows = -(-round(height * scale) // _PATCH)
    return rows * columns + rows


# ---- blocks ---------------------------------------------------------------------------------


def pdf_block(document: PdfDocument, modes: Sequence[PageMode]) -> DocumentBlock:
    """The PDF's block: text pages with their text, image pages named where they stand."""
    chosen = [p for p, m in zip(document.pages, modes, strict=True) if m is not PageMode.LEFT_OUT]
    if not chosen:
        raise MediaError(
            translate("MediaError", "no page of {name} was chosen").format(name=document.name)
        )
    pieces, labels = [pdf_frame(document, [p.number for p in chosen])], ["frame"]
    for page, mode in zip(document.pages, modes, strict=True):
        if mode is not PageMode.LEFT_OUT:
            pieces.append(page_piece(page, mode))
            labels.append(f"page {page.number}")
    return DocumentBlock(document.name, tuple(pieces), tuple(labels))


def page_piece(page: PdfPage, mode: PageMode) -> str:
    """A page's section of the block: its text, or where its image stands."""
    if mode is PageMode.TEXT:
        return f"--- page {page.number} ---\n{page.text}\n"
    return f"--- page {page.number}: attached as an image ---\n"


def page_cost(page: PdfPage, mode: PageMode, count: Callable[[str], int]) -> int:
    """The tokens a page adds to the message: its section, and its image if it is one."""
    if mode is PageMode.LEFT_OUT:
        return 0
    return count(page_piece(page, mode)) + (page.image_tokens if mode is PageMode.IMAGE else 0)


def pdf_frame(document: PdfDocument, numbers: Sequence[int]) -> str:
    """The header and end of a PDF's block, for these pages (1-based)."""
    return _frame(document.name, f'pages="{page_ranges(numbers)} of {len(document.pages)}"')


def text_block(file: TextFile, first: int = 1, last: int | None = None) -> DocumentBlock:
    """The file's block, or lines `first` to `last` (1-based, inclusive) of it."""
    lines = file.lines
    last = len(lines) if last is None else last
    if not 1 <= first <= max(last, 1) <= max(len(lines), 1):
        raise MediaError(
            translate(
                "MediaError", "{name} has {count} lines; {first}-{last} is not among them"
            ).format(name=file.name, count=len(lines), first=first, last=last)
        )
    whole = first == 1 and last == len(lines)
    extent = "" if whole else f' lines="{first}-{last} of {len(lines)}"'
    body = "".join(line + "\n" for line in lines[first - 1 : last])
    language = CODE_LANGUAGES.get(file.path.suffix.lower())
    if language is not None:
        fence = "`" * max(3, _longest_backtick_run(body) + 1)
        body = f"{fence}{language}\n{body}{fence}\n"
    label = "text" if whole else f"lines {first}-{last}"
    return DocumentBlock(file.name, (_frame(file.name, extent.strip()), body), ("frame", label))


def page_ranges(numbers: Sequence[int]) -> str:
    """[1, 2, 3, 5] as "1-3, 5"."""
    ranges: list[str] = []
    start = previous = None
    for number in [*sorted(numbers), None]:
        if start is not None and number == (previous or 0) + 1:
            previous = number
            continue
        if start is not None:
            ranges.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = number
    return ", ".join(ranges)


def _frame(name: str, extent: str) -> str:
    safe = name.replace('"', "'").replace("\n", " ")
    attributes = f' name="{safe}"' + (f" {extent}" if extent else "")
    return f"<document{attributes}>\n</document>"


def _longest_backtick_run(text: str) -> int:
    longest = run = 0
    for character in text:
        run = run + 1 if character == "`" else 0
        longest = max(longest, run)
    return longest


def _check_size(path: Path, limit: int) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise MediaError(
            translate("MediaError", "{name} cannot be read: {reason}").format(
                name=path.name, reason=exc.strerror or exc
            )
        ) from None
    if size == 0:
        raise MediaError(
            translate("MediaError", "{name} is empty (0 bytes)").format(name=path.name)
        )
    if size > limit:
        raise MediaError(
            translate("MediaError", "{name} is larger than {size} MB").format(
                name=path.name, size=limit // 2**20
            )
        )
