"""The text layer of a PDF page as plain text, and whether it can stand in for the page.

Layout: PDFium gives the page's text as runs ("rects"), each a stretch of text on one line with
its box. Runs whose boxes share a line are put on one text line, left to right, each starting at
the column its position on the page gives (page width measured in the page's typical character
width), so table columns stay under each other as text rows; a gap between lines larger than
one and a half lines becomes an empty line.

Judging the text layer: a page goes in as an image, not as text, when
- it has fewer than `MIN_CHARACTERS` visible characters (a scan, a drawing, an empty page);
- more than `MAX_UNREADABLE` of its characters are unreadable (U+FFFD, private-use code points,
  control characters): a font whose characters were not mapped back to Unicode;
- fewer than `MIN_WORDLIKE` of its words hold a letter or a digit (symbol soup);
- pictures cover more than `MAX_PICTURE_SHARE` of the page: a figure or an OCR'd scan, where the
  text alone would lose what the page shows.
The user can switch any page the other way.
"""

from __future__ import annotations

import statistics
import unicodedata
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from app.core.i18n import translate

MIN_CHARACTERS = 20
MAX_UNREADABLE = 0.05
MIN_WORDLIKE = 0.6
MAX_PICTURE_SHARE = 0.3
_MAX_COLUMNS = 160  # a line wider than this is shifted left, not padded further


@dataclass(frozen=True, slots=True)
class PageText:
    text: str
    usable: bool
    reason: str  # why it goes in as it does, for the user: "typed text", "no text layer"


def page_text(page: pdfium.PdfPage) -> PageText:
    """The page's text, laid out, and the verdict on it."""
    textpage = page.get_textpage()
    try:
        text = _laid_out(textpage)
    finally:
        textpage.close()
    return PageText(text, *_verdict(text, _picture_share(page)))


def _laid_out(textpage: pdfium.PdfTextPage) -> str:
    runs: list[tuple[float, float, float, float, str]] = []
    for index in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(index)
        text = textpage.get_text_bounded(left, bottom, right, top).replace("\r", "")
        text = text.replace("\n", " ").strip()
        if text:
            runs.append((left, bottom, right, top, text))
    if not runs:
        return ""
    char_width = statistics.median((r[2] - r[0]) / len(r[4]) for r in runs) or 1.0
    margin = min(r[0] for r in runs)
    lines: list[list[tuple[float, float, float, float, str]]] = []
    for run in sorted(runs, key=lambda r: (-r[3], r[0])):
        middle = (run[1] + run[3]) / 2
        if lines and lines[-1][0][1] <= middle <= lines[-1][0][3]:
            lines[-1].append(run)
        else:
            lines.append([run])
    out: list[str] = []
    previous_bottom: float | None = None
    for line in lines:
        top = max(r[3] for r in line)
        height = top - min(r[1] for r in line)
        if previous_bottom is not None and previous_bottom - top > 1.5 * height:
            out.append("")
        out.append(_line_text(sorted(line, key=lambda r: r[0]), margin, char_width))
        previous_bottom = min(r[1] for r in line)
    return "\n".join(out).strip("\n")


def _line_text(
    runs: list[tuple[float, float, float, float, str]], margin: float, char_width: float
) -> str:
    text = ""
    for left, _, _, _, piece in runs:
        column = min(round((left - margin) / char_width), _MAX_COLUMNS)
        gap = column - len(text)
        text += " " * max(gap, 1 if text else 0) + piece
    return text.rstrip()


def _picture_share(page: pdfium.PdfPage) -> float:
    width, height = page.get_size()
    area = max(width * height, 1.0)
    covered = 0.0
    for picture in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
        left, bottom, right, top = picture.get_bounds()
        covered += max(0.0, min(right, width) - max(left, 0.0)) * max(
            0.0, min(top, height) - max(bottom, 0.0)
        )
    return float(min(covered / area, 1.0))


def _verdict(text: str, picture_share: float) -> tuple[bool, str]:
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return False, translate("PdfText", "no text layer")
    if len(visible) < MIN_CHARACTERS:
        return False, translate("PdfText", "almost no text")
    unreadable = sum(1 for c in visible if _unreadable(c))
    words = text.split()
    wordlike = sum(1 for w in words if any(c.isalnum() for c in w))
    if unreadable > MAX_UNREADABLE * len(visible) or wordlike < MIN_WORDLIKE * len(words):
        return False, translate("PdfText", "garbled text layer")
    if picture_share > MAX_PICTURE_SHARE:
        return False, translate("PdfText", "pictures on the page")
    return True, translate("PdfText", "typed text")


def _unreadable(character: str) -> bool:
    return character == "\ufffd" or unicodedata.category(character) in ("Co", "Cc", "Cn", "Cs")
