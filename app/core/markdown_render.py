"""One top-level markdown block to HTML that Qt's rich text engine shows well.

Qt's rich text is a subset of HTML 4 with a small CSS subset, so a few constructs are written
differently than a browser would want them: block quotes become a two-cell table whose narrow
first cell is the quote bar, tables get `border`/`cellpadding` attributes and `align` instead
of CSS alignment, inline code gets a background, and images become links (a chat must not
load files or URLs named by the model). Code blocks are highlighted with pygments; a top-level
fenced block becomes a `CodeBlock` so the view can give it a header and a copy button, a code
block nested in a list stays inside the prose with a `copy-code:` link.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from app.core.code_highlight import CodeColors, code_colors, highlight_lines, pre_block

COPY_SCHEME = "copy-code"
CHUNK_LINES = 16  # lines of code per separately highlighted and laid-out piece of a code block
WHOLE_CODE_LIMIT = 3000  # characters up to which a finished code block is highlighted at once
_SNIPPETS = "tramontane_snippets"


@dataclass(frozen=True, slots=True)
class RenderTheme:
    """Colors (#rrggbb) and the pygments style that the HTML is written with."""

    code_style: str = "default"
    text: str = "#1d2127"
    muted: str = "#6a7280"
    rule: str = "#d5d9e0"  # table borders and the quote bar
    inline_code_background: str = "#eef0f3"

    @property
    def code_colors(self) -> CodeColors:
        return code_colors(self.code_style, self.text)


@dataclass(frozen=True, slots=True)
class CodeSnippet:
    """A code block nested in prose; its copy link is `copy-code:<key>`."""

    key: str
    code: str
    language: str


@dataclass(frozen=True, slots=True)
class ProseBlock:
    html: str
    snippets: tuple[CodeSnippet, ...] = ()


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """A top-level fenced code block: its source and its highlighted lines in chunks."""

    code: str
    language: str
    chunks: tuple[str, ...]  # rich text, CHUNK_LINES lines each (the last may be shorter)


Block = ProseBlock | CodeBlock


def snippet_key(code: str) -> str:
    return hashlib.blake2b(code.encode("utf-8"), digest_size=8).hexdigest()


def fence_language(info: str) -> str:
    """The language named by a fence's info string (its first word)."""
    words = info.split(maxsplit=1)
    return words[0] if words else ""


class MarkdownRenderer:
    """Renders single top-level blocks for one theme (CommonMark, tables, strikethrough)."""

    def __init__(self, theme: RenderTheme) -> None:
        self.theme = theme
        self._md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
        rules: dict[str, Any] = {
            "fence": self._fence,
            "code_block": self._code_block,
            "code_inline": self._code_inline,
            "blockquote_open": self._blockquote_open,
            "blockquote_close": self._blockquote_close,
            "table_open": self._table_open,
            "th_open": self._cell_open,
            "td_open": self._cell_open,
            "image": self._image,
        }
        for name, rule in rules.items():  # markdown-it binds a rule to its renderer: wrap it
            self._md.add_render_rule(name, lambda _renderer, *args, rule=rule: rule(*args))

    # ---- blocks ---------------------------------------------------------------------------

    def prose(self, source: str, references: dict[str, Any] | None = None) -> ProseBlock:
        """Render markdown; link reference definitions found are added to `references`."""
        env: EnvType = {"references": references if references is not None else {}}
        env[_SNIPPETS] = []
        markup = self._md.render(source, env)
        return ProseBlock(markup, tuple(env[_SNIPPETS]))

    def code(self, code: str, language: str, known_chunks: Sequence[str] = ()) -> CodeBlock:
        """A finished code block. Up to WHOLE_CODE_LIMIT characters it is highlighted at once;
        a longer one chunk by chunk (a string spanning two chunks may be colored wrongly in
        the second), so that `known_chunks`, the leading chunks already highlighted while the
        block streamed, are reused instead of highlighting the whole block again."""
        if len(code) <= WHOLE_CODE_LIMIT:
            return CodeBlock(code, language, self.code_chunks(self.code_lines(code, language)))
        lines = code.split("\n")
        chunks = list(known_chunks[: len(lines) // CHUNK_LINES])
        for start in range(len(chunks) * CHUNK_LINES, len(lines), CHUNK_LINES):
            piece = "\n".join(lines[start : start + CHUNK_LINES])
            chunks.append(self.code_chunk(self.code_lines(piece, language)))
        return CodeBlock(code, language, tuple(chunks))

    def code_lines(self, code: str, language: str) -> list[str]:
        return highlight_lines(code, language, self.theme.code_style)

    def code_chunks(self, lines: Sequence[str]) -> tuple[str, ...]:
        colors = self.theme.code_colors
        return tuple(
            pre_block(lines[start : start + CHUNK_LINES], colors)
            for start in range(0, len(lines), CHUNK_LINES)
        )

    def code_chunk(self, lines: Sequence[str]) -> str:
        return pre_block(lines, self.theme.code_colors)

    # ---- markdown-it render rules ---------------------------------------------------------

    def _code_box(self, code: str, language: str, env: EnvType) -> str:
        snippet = CodeSnippet(snippet_key(code), code, language)
        env[_SNIPPETS].append(snippet)
        theme = self.theme
        colors = theme.code_colors
        label = html.escape(language or "code")
        body = pre_block(self.code_lines(code, language), colors)
        return (
            f'<table width="100%" cellspacing="0" cellpadding="6" bgcolor="{colors.background}"'
            ' style="margin-top:4px; margin-bottom:4px;">'
            f'<tr><td><span style="color:{theme.muted};">{label}</span></td>'
            f'<td align="right"><a href="{COPY_SCHEME}:{snippet.key}">Copy</a></td></tr>'
            f'<tr><td colspan="2">{body}</td></tr></table>\n'
        )

    def _fence(self, tokens: Sequence[Token], idx: int, _options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        return self._code_box(token.content.rstrip("\n"), fence_language(token.info), env)

    def _code_block(
        self, tokens: Sequence[Token], idx: int, _options: OptionsDict, env: EnvType
    ) -> str:
        return self._code_box(tokens[idx].content.rstrip("\n"), "", env)

    def _code_inline(
        self, tokens: Sequence[Token], idx: int, _options: OptionsDict, _env: EnvType
    ) -> str:
        text = html.escape(tokens[idx].content, quote=False)
        return f'<code style="background-color:{self.theme.inline_code_background};">{text}</code>'

    def _blockquote_open(self, *_args: object) -> str:
        theme = self.theme
        return (
            '<table cellspacing="0" cellpadding="0" style="margin-top:4px; margin-bottom:4px;">'
            f'<tr><td width="3" bgcolor="{theme.rule}"></td>'
            f'<td style="padding-left:12px; color:{theme.muted};">\n'
        )

    def _blockquote_close(self, *_args: object) -> str:
        return "</td></tr></table>\n"

    def _table_open(self, *_args: object) -> str:
        return (
            '<table border="1" cellspacing="0" cellpadding="6" style="border-collapse:collapse;'
            f" border-style:solid; border-color:{self.theme.rule}; margin-top:4px;"
            ' margin-bottom:4px;">\n'
        )

    def _cell_open(
        self, tokens: Sequence[Token], idx: int, _options: OptionsDict, _env: EnvType
    ) -> str:
        token = tokens[idx]
        style = str(token.attrs.get("style", ""))
        align = style.removeprefix("text-align:") if style.startswith("text-align:") else ""
        attribute = f' align="{html.escape(align)}"' if align else ""
        return f"<{token.tag}{attribute}>"

    def _image(
        self, tokens: Sequence[Token], idx: int, _options: OptionsDict, _env: EnvType
    ) -> str:
        token = tokens[idx]
        source = str(token.attrs.get("src", ""))
        alt = "".join(child.content for child in token.children or ()) or source
        return f'<a href="{html.escape(source)}">[image: {html.escape(alt, quote=False)}]</a>'
