"""Markdown to HTML, incrementally: a finished block is rendered once, only the open tail again.

Text arrives in pieces while an answer streams. Top-level blocks end at a blank line outside a
code fence, or at the fence's closing line. `MarkdownStream.append` renders each newly finished
block once and re-renders only the block still open, so an update costs the same at 100 characters
or 100,000. The HTML sticks to what Qt's rich text engine shows well.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name, guess_lexer
from pygments.util import ClassNotFound

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*([\w+#.-]*)")


@dataclass(frozen=True, slots=True)
class Block:
    """A top-level block: prose (already HTML) or a fenced code block (kept as source)."""

    html: str
    code: str | None = None  # the raw code of a fenced block, for the copy button
    language: str = ""


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
        ["table", "strikethrough"]
    )


def _qt_friendly(markup: str) -> str:
    """Give tables borders and padding: Qt ignores CSS borders on table cells."""
    markup = markup.replace("<table>", '<table border="1" cellspacing="0" cellpadding="6">')
    return markup.replace("<blockquote>", '<blockquote style="margin-left:12px;">')


@lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer:
    try:
        return get_lexer_by_name(language)
    except ClassNotFound:
        return get_lexer_by_name("text")


@lru_cache(maxsize=8)
def _formatter(style: str) -> HtmlFormatter[str]:
    return HtmlFormatter(noclasses=True, nowrap=True, style=style)


def highlight_code(code: str, language: str, style: str) -> str:
    try:
        lexer = _lexer(language) if language else guess_lexer(code)
    except ClassNotFound:
        lexer = _lexer("text")
    body = highlight(code, lexer, _formatter(style))
    return f'<pre style="margin:0; white-space:pre-wrap;">{body}</pre>'


def render_block(source: str, code_style: str = "default") -> Block:
    """Render one top-level block."""
    lines = source.split("\n")
    fence = _FENCE.match(lines[0]) if lines else None
    if fence is not None:
        marker, language = fence.group(1), fence.group(2)
        body = lines[1:]
        if body and body[-1].strip().startswith(marker[0] * len(marker)):
            body = body[:-1]
        code = "\n".join(body)
        return Block(highlight_code(code, language, code_style), code, language)
    return Block(_qt_friendly(_parser().render(source)))


def _is_fence_line(line: str) -> re.Match[str] | None:
    return _FENCE.match(line)


@dataclass
class MarkdownStream:
    """Appends markdown text and keeps its rendering as finished blocks plus an open tail."""

    code_style: str = "default"
    finished: list[Block] = field(default_factory=list)
    _text: list[str] = field(default_factory=list)  # lines; the last one may be partial
    _block_start: int = 0  # index of the first line of the open block
    _fence: str | None = None  # the marker of the fence the open block is inside
    _scanned: int = 0  # lines before this index were already examined

    def __post_init__(self) -> None:
        self._text = [""]

    @property
    def text(self) -> str:
        return "\n".join(self._text)

    def append(self, delta: str) -> list[Block]:
        """Add text; returns the blocks this finished (also added to `finished`)."""
        pieces = delta.split("\n")
        self._text[-1] += pieces[0]
        self._text.extend(pieces[1:])
        done: list[Block] = []
        # Only complete lines (all but the last) can end a block.
        while self._scanned < len(self._text) - 1:
            index = self._scanned
            line = self._text[index]
            self._scanned += 1
            if self._fence is not None:
                if line.strip().startswith(self._fence) and index > self._block_start:
                    done.append(self._close(index + 1))
                    self._fence = None
                continue
            match = _is_fence_line(line)
            if match is not None:
                if index > self._block_start:  # prose right before the fence ends there
                    done.append(self._close(index))
                self._fence = match.group(1)
                continue
            if not line.strip():
                if index > self._block_start:
                    done.append(self._close(index))
                self._block_start = index + 1
        self.finished.extend(done)
        return done

    def _close(self, end: int) -> Block:
        source = "\n".join(self._text[self._block_start : end])
        self._block_start = end
        return render_block(source, self.code_style)

    def tail(self) -> Block | None:
        """The open block, rendered now (None when there is nothing after the last block)."""
        source = "\n".join(self._text[self._block_start :])
        if not source.strip():
            return None
        return render_block(source, self.code_style)


@lru_cache(maxsize=512)
def render_markdown(text: str, code_style: str = "default") -> tuple[Block, ...]:
    """All blocks of a finished text (cached: a conversation is shown again after each answer)."""
    stream = MarkdownStream(code_style)
    stream.append(text)
    tail = stream.tail()
    return (*stream.finished, *([tail] if tail else []))


def escape(text: str) -> str:
    return html.escape(text, quote=False)
