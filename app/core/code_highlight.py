"""Syntax highlighting of code as Qt rich text, one line at a time.

Each line comes out as self-contained HTML (every span closed at the end of the line), so the
lines of a long code block can be grouped into chunks that are laid out and replaced
independently. Colors are inline styles taken from a pygments style: Qt's rich text engine
knows no style sheets with classes.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from pygments.lexer import Lexer
from pygments.lexers import get_all_lexers, get_lexer_by_name
from pygments.styles import get_style_by_name
from pygments.token import Token

PLAIN_LANGUAGE = "text"
COMMON_LANGUAGES = ("python", "bash", "json", "javascript", "typescript", "c", "cpp", "rust")


@dataclass(frozen=True, slots=True)
class CodeColors:
    """The background and default text color of a pygments style (#rrggbb)."""

    background: str
    foreground: str


@lru_cache(maxsize=1)
def _aliases() -> frozenset[str]:
    """Names of the built-in lexers (asking pygments about an unknown name scans plugins:
    tens of milliseconds, and a fence line being streamed names "p", "pyt", "pyth"...)."""
    return frozenset(
        alias
        for _name, aliases, _files, _types in get_all_lexers(plugins=False)
        for alias in aliases
    )


@lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer:
    name = language.lower() if known_language(language) else PLAIN_LANGUAGE
    return get_lexer_by_name(name, stripnl=False, ensurenl=False)


def known_language(language: str) -> bool:
    return language.lower() in _aliases()


@lru_cache(maxsize=16)
def code_colors(style_name: str, fallback_foreground: str) -> CodeColors:
    """Colors of a style; `fallback_foreground` where the style leaves plain text uncolored."""
    style = get_style_by_name(style_name)
    color = style.style_for_token(Token.Text)["color"]
    return CodeColors(style.background_color, f"#{color}" if color else fallback_foreground)


@lru_cache(maxsize=4096)
def _css(style_name: str, token_type: object) -> str:
    spec = get_style_by_name(style_name).style_for_token(token_type)
    rules = []
    if spec["color"]:
        rules.append(f"color:#{spec['color']}")
    if spec["bold"]:
        rules.append("font-weight:bold")
    if spec["italic"]:
        rules.append("font-style:italic")
    if spec["underline"]:
        rules.append("text-decoration:underline")
    return ";".join(rules)


def highlight_lines(code: str, language: str, style_name: str) -> list[str]:
    """The HTML of each line of `code` (one entry per line, newlines removed)."""
    lines: list[str] = []
    current: list[str] = []
    for token_type, value in _lexer(language).get_tokens(code):
        for index, part in enumerate(value.split("\n")):
            if index:
                lines.append("".join(current))
                current = []
            if part:
                text = html.escape(part, quote=False)
                css = "" if part.isspace() else _css(style_name, token_type)
                current.append(f'<span style="{css}">{text}</span>' if css else text)
    lines.append("".join(current))
    return lines


def pre_block(lines: Sequence[str], colors: CodeColors) -> str:
    """Highlighted lines as one wrapped, preformatted rich-text block."""
    body = "\n".join(lines)
    return f'<pre style="margin:0; white-space:pre-wrap; color:{colors.foreground};">{body}</pre>'


def prepare_lexer(language: str) -> None:
    """Build a lexer ahead of need: pygments compiles its patterns on first use, which takes
    tens of milliseconds per language."""
    _lexer(language)
