"""Markdown rendered while it streams: finished blocks once, only the open tail again.

Text arrives in deltas. A cheap line scanner finds where top-level blocks end — at a blank line
that is followed by something that cannot continue the block, after a closing code fence,
after a heading line — without parsing. Each block is rendered once, when it ends; the block
still open (the tail) is rendered again on every update, so an update costs the same whether
the message holds 1,000 characters or 100,000. The rules only ever split where CommonMark
starts a new top-level block; where they cannot tell cheaply they keep lines together, which
costs speed, never correctness. An open fenced code block is highlighted in chunks: finished
chunks are kept, only the last is highlighted again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum, auto
from functools import lru_cache
from typing import Any

from app.core.markdown_render import (
    CHUNK_LINES,
    Block,
    CodeBlock,
    MarkdownRenderer,
    RenderTheme,
    fence_language,
)

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_LIST_MARKER = re.compile(r"^( {0,3})([-+*]|\d{1,9}[.)])([ \t]+|$)")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")


@dataclass(frozen=True, slots=True)
class StreamUpdate:
    """What one append changed: blocks that ended (render once) and the open block now."""

    finished: tuple[Block, ...]
    tail: Block | None


@dataclass(frozen=True, slots=True)
class _Fence:
    marker: str  # the opening run of ` or ~
    indent: int  # spaces before the opening marker
    language: str

    def closed_by(self, line: str) -> bool:
        stripped = line.strip()
        return (
            indentation(line) <= 3 + self.indent
            and stripped.startswith(self.marker)
            and stripped == self.marker[0] * len(stripped)
        )


class _Kind(Enum):
    TEXT = auto()  # paragraphs, lists, tables, quotes
    INDENTED_CODE = auto()
    FENCE = auto()  # a top-level fenced code block


def indentation(line: str) -> int:
    """Columns of leading white space (a tab reaches the next multiple of four)."""
    column = 0
    for char in line:
        if char == " ":
            column += 1
        elif char == "\t":
            column += 4 - column % 4
        else:
            break
    return column


def _blank(line: str) -> bool:
    return not line.strip()


def _fence_opening(line: str) -> _Fence | None:
    match = _FENCE.match(line)
    if match is None:
        return None
    marker, info = match.group(2), match.group(3)
    if marker[0] == "`" and "`" in info:  # ```code``` on one line is inline code
        return None
    return _Fence(marker, len(match.group(1)), fence_language(info))


def _list_content_column(line: str) -> int | None:
    if _THEMATIC_BREAK.match(line):
        return None
    match = _LIST_MARKER.match(line)
    if match is None:
        return None
    spaces = indentation(match.group(3)) if match.group(3) else 1
    return len(match.group(1)) + len(match.group(2)) + (spaces if spaces <= 4 else 1)


class _BlockScanner:
    """Finds the line ranges of finished top-level blocks, one complete line at a time."""

    def __init__(self) -> None:
        self.start: int | None = None  # first line of the open block
        self.kind = _Kind.TEXT
        self.fence: _Fence | None = None  # the open top-level fence
        self._list_column: int | None = None  # smallest list content column in the block
        self._nested: _Fence | None = None  # a fence inside a list item
        self._blank_before = False

    def feed(self, index: int, line: str) -> list[tuple[int, int, _Fence | None]]:
        """Examine line `index`; returns the blocks it finished as (start, end, fence)."""
        done: list[tuple[int, int, _Fence | None]] = []
        if self.start is None:
            if not _blank(line):
                self._open(index, line, done)
            return done
        if self.kind is _Kind.FENCE:
            assert self.fence is not None
            if self.fence.closed_by(line):
                done.append((self.start, index + 1, self.fence))
                self.start = None
            return done
        if _blank(line):
            self._blank_before = True
            return done
        column = indentation(line)
        if self._nested is not None and self._list_column is not None:
            closes = self._nested.closed_by(line)
            if closes or column >= self._list_column:  # still inside the item's fence
                self._nested = None if closes else self._nested
                self._blank_before = False
                return done
            self._nested = None  # the list item, and the fence in it, ended
        if self._blank_before and not self._continues_after_blank(line, column):
            done.append((self.start, index, None))
            self._open(index, line, done)
            return done
        self._blank_before = False
        fence = _fence_opening(line)
        if fence is not None and self._list_column is not None and column >= self._list_column:
            self._nested = fence
        elif fence is not None or (column == 0 and _HEADING.match(line)):
            done.append((self.start, index, None))
            self._open(index, line, done)
        elif (content := _list_content_column(line)) is not None:
            self._list_column = min(content, self._list_column or content)
        return done

    def _open(self, index: int, line: str, done: list[tuple[int, int, _Fence | None]]) -> None:
        self.start, self.fence, self._nested = index, None, None
        self._list_column, self._blank_before = None, False
        self.fence = _fence_opening(line)
        if self.fence is not None:
            self.kind = _Kind.FENCE
        elif indentation(line) >= 4:
            self.kind = _Kind.INDENTED_CODE
        elif _HEADING.match(line) or _THEMATIC_BREAK.match(line):
            done.append((index, index + 1, None))  # a block of one line
            self.start = None
        else:
            self.kind = _Kind.TEXT
            self._list_column = _list_content_column(line)

    def _continues_after_blank(self, line: str, column: int) -> bool:
        if self.kind is _Kind.INDENTED_CODE:
            return column >= 4
        if self._list_column is not None:  # a loose list, or more paragraphs of an item
            return column > 0 or _list_content_column(line) is not None
        return False


class MarkdownStream:
    """Markdown appended in pieces, kept as rendered finished blocks plus the open tail."""

    def __init__(self, renderer: MarkdownRenderer) -> None:
        self._renderer = renderer
        self._lines: list[str] = [""]  # the last one has no newline yet
        self._scanned = 0  # lines before this index were fed to the scanner
        self._scanner = _BlockScanner()
        self._references: dict[str, Any] = {}
        self._blocks: list[Block] = []
        self._code_chunks: list[str] = []  # highlighted finished chunks of an open fence
        self._code_chunks_start: int | None = None  # the open fence they belong to
        self._complete = False

    @property
    def text(self) -> str:
        return "\n".join(self._lines)

    @property
    def blocks(self) -> tuple[Block, ...]:
        """The finished blocks so far."""
        return tuple(self._blocks)

    def append(self, delta: str) -> StreamUpdate:
        if self._complete:
            raise RuntimeError("text was appended to a finished markdown stream")
        pieces = delta.split("\n")
        self._lines[-1] += pieces[0]
        self._lines.extend(pieces[1:])
        finished: list[Block] = []
        while self._scanned < len(self._lines) - 1:
            for start, end, fence in self._scanner.feed(self._scanned, self._lines[self._scanned]):
                finished.extend(self._finish(start, end, fence, closed=True))
            self._scanned += 1
        return StreamUpdate(tuple(finished), self._tail())

    def finish(self) -> StreamUpdate:
        """The text is complete: the open block (even an unclosed fence) becomes finished."""
        self._complete = True
        finished: list[Block] = []
        scanner = self._scanner
        while self._scanned < len(self._lines):
            for start, end, fence in scanner.feed(self._scanned, self._lines[self._scanned]):
                finished.extend(self._finish(start, end, fence, closed=True))
            self._scanned += 1
        if scanner.start is not None:
            fence = scanner.fence if scanner.kind is _Kind.FENCE else None
            finished.extend(self._finish(scanner.start, len(self._lines), fence, closed=False))
            scanner.start = None
        return StreamUpdate(tuple(finished), None)

    # ---- rendering ------------------------------------------------------------------------

    def _finish(self, start: int, end: int, fence: _Fence | None, *, closed: bool) -> list[Block]:
        if fence is not None:
            lines = self._code_lines(start + 1, end - 1 if closed else end, fence)
            if not closed:
                while lines and _blank(lines[-1]):
                    lines.pop()
            known = self._code_chunks if self._code_chunks_start == start else []
            block: Block = self._renderer.code("\n".join(lines), fence.language, known)
        else:
            block = self._renderer.prose("\n".join(self._lines[start:end]), self._references)
            if not block.html.strip():  # only link reference definitions
                return []
        self._blocks.append(block)
        return [block]

    def _code_lines(self, start: int, end: int, fence: _Fence) -> list[str]:
        """Lines `start` to `end` inside a fence, without the fence's own indentation."""
        lines = self._lines[start:end]
        if fence.indent == 0:
            return lines
        return [line[min(fence.indent, indentation(line)) :] for line in lines]

    def _tail(self) -> Block | None:
        scanner = self._scanner
        start = scanner.start if scanner.start is not None else len(self._lines) - 1
        if scanner.start is not None and scanner.kind is _Kind.FENCE:
            assert scanner.fence is not None
            return self._open_code(start, scanner.fence)
        source = "\n".join(self._lines[start:])
        if not source.strip():
            return None
        block = self._renderer.prose(source, dict(self._references))
        return block if block.html.strip() else None

    def _open_code(self, start: int, fence: _Fence) -> CodeBlock:
        """An open fence: whole chunks are highlighted once, the last one on every update."""
        if self._code_chunks_start != start:
            self._code_chunks_start, self._code_chunks = start, []
        renderer, language = self._renderer, fence.language
        first, end = start + 1, len(self._lines)
        done = first + len(self._code_chunks) * CHUNK_LINES
        while end - 1 - done >= CHUNK_LINES:  # the last line is still being written
            piece = "\n".join(self._code_lines(done, done + CHUNK_LINES, fence))
            self._code_chunks.append(renderer.code_chunk(renderer.code_lines(piece, language)))
            done += CHUNK_LINES
        rest = self._code_lines(done, end, fence)
        chunks = list(self._code_chunks)
        if rest != [""]:
            chunks.append(renderer.code_chunk(renderer.code_lines("\n".join(rest), language)))
        code = "\n".join(self._code_lines(first, end, fence))
        return CodeBlock(code, language, tuple(chunks))


@lru_cache(maxsize=8)
def renderer_for(theme: RenderTheme) -> MarkdownRenderer:
    return MarkdownRenderer(theme)


DEFAULT_THEME = RenderTheme()


@lru_cache(maxsize=1024)
def render_markdown(text: str, theme: RenderTheme = DEFAULT_THEME) -> tuple[Block, ...]:
    """All blocks of a finished text, exactly as streaming it and finishing would give them.

    Cached: a conversation is shown again after every answer, its messages unchanged.
    """
    stream = MarkdownStream(renderer_for(theme))
    stream.append(text)
    stream.finish()
    return stream.blocks
