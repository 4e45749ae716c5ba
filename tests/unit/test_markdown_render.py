"""One block to Qt-friendly HTML, and code highlighting line by line."""

from __future__ import annotations

from app.core.code_highlight import code_colors, highlight_lines, known_language
from app.core.markdown_render import (
    CHUNK_LINES,
    COPY_SCHEME,
    CodeBlock,
    MarkdownRenderer,
    RenderTheme,
    snippet_key,
)

THEME = RenderTheme(
    code_style="default", text="#111111", muted="#777777", rule="#cccccc",
    inline_code_background="#eeeeee",
)  # fmt: skip


def prose(source: str) -> str:
    return MarkdownRenderer(THEME).prose(source).html


def test_raw_html_from_the_model_is_shown_as_text() -> None:
    html = prose("<script>alert(1)</script> and <b>bold?</b>")
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>" not in html


def test_images_become_links_and_are_never_loaded() -> None:
    html = prose("![a cat](https://example.org/cat.png)")
    assert "<img" not in html
    assert '<a href="https://example.org/cat.png">[image: a cat]</a>' in html


def test_block_quotes_are_a_table_with_a_colored_bar() -> None:
    html = prose("> quoted")
    assert '<td width="3" bgcolor="#cccccc"></td>' in html and "quoted" in html
    assert "<blockquote" not in html


def test_tables_have_borders_and_alignment_qt_understands() -> None:
    html = prose("| l | r | c |\n|:--|--:|:-:|\n| 1 | 2 | 3 |")
    assert '<table border="1"' in html and "border-color:#cccccc" in html
    assert '<td align="left">1</td>' in html and '<td align="right">2</td>' in html
    assert '<td align="center">3</td>' in html and "text-align" not in html


def test_inline_code_gets_a_background_and_strikethrough_works() -> None:
    html = prose("`x < 1` and ~~gone~~")
    assert '<code style="background-color:#eeeeee;">x &lt; 1</code>' in html
    assert "<s>gone</s>" in html


def test_dangerous_link_schemes_are_not_links() -> None:
    html = prose("[click](javascript:alert(1))")
    assert "<a" not in html


def test_code_nested_in_a_list_gets_a_copy_link_to_its_code() -> None:
    block = MarkdownRenderer(THEME).prose("1. Run:\n   ```sh\n   make && make test\n   ```")
    (snippet,) = block.snippets
    assert snippet.code == "make && make test" and snippet.language == "sh"
    assert snippet.key == snippet_key(snippet.code)
    assert f'href="{COPY_SCHEME}:{snippet.key}"' in block.html
    assert "&amp;&amp;" in block.html


def test_a_code_block_is_cut_into_chunks_of_lines() -> None:
    code = "\n".join(f"x{i} = {i}" for i in range(CHUNK_LINES * 2 + 1))
    block = MarkdownRenderer(THEME).code(code, "python")
    assert isinstance(block, CodeBlock) and len(block.chunks) == 3
    assert all(chunk.startswith("<pre") for chunk in block.chunks)
    assert "x0" in block.chunks[0] and f"x{CHUNK_LINES}" in block.chunks[1]


def test_highlighting_gives_one_closed_html_line_per_code_line() -> None:
    lines = highlight_lines('s = """a\nb"""\nif a < b:\n    pass', "python", "default")
    assert len(lines) == 4
    for line in lines:
        assert line.count("<span") == line.count("</span>")
    assert "&lt;" in lines[2] and "<span" in lines[2]


def test_unknown_languages_are_plain_text() -> None:
    assert not known_language("no-such-language")
    assert highlight_lines("<b>x</b>", "no-such-language", "default") == ["&lt;b&gt;x&lt;/b&gt;"]


def test_code_colors_come_from_the_style_with_a_fallback_for_plain_text() -> None:
    light = code_colors("default", "#111111")
    dark = code_colors("one-dark", "#111111")
    assert light.foreground == "#111111"  # the light style leaves plain text uncolored
    assert dark.background.lower() == "#282c34" and dark.foreground.lower() == "#abb2bf"
