"""Incremental markdown: streamed in any pieces, the blocks come out as if rendered at once."""

from __future__ import annotations

import pytest

from app.core.markdown_stream import MarkdownStream, render_block, render_markdown

SAMPLE = """# Heading

A paragraph with **bold**, *italic*, `inline code` and a [link](https://example.org).
It goes on a second line.

- one
- two

1. first
2. second

> a quote

| name | value |
|------|-------|
| a    | 1     |

```python
def f(x):

    return x * 2
```
Text right after the fence.

---
"""


def blocks_streamed(text: str, size: int) -> list[str]:
    stream = MarkdownStream()
    for start in range(0, len(text), size):
        stream.append(text[start : start + size])
    tail = stream.tail()
    return [b.html for b in [*stream.finished, *([tail] if tail else [])]]


def test_every_block_type_renders() -> None:
    html = "".join(b.html for b in render_markdown(SAMPLE))
    for fragment in ("<h1>", "<strong>bold</strong>", "<em>italic</em>", "<code>inline code</code>",
                     'href="https://example.org"', "<ul>", "<ol>", "<blockquote",
                     '<table border="1"', "<hr />", "<pre"):  # fmt: skip
        assert fragment in html, fragment


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64])
def test_streaming_in_pieces_gives_the_one_shot_result(size: int) -> None:
    assert blocks_streamed(SAMPLE, size) == [b.html for b in render_markdown(SAMPLE)]


def test_a_fence_keeps_blank_lines_inside_one_code_block() -> None:
    blocks = render_markdown(SAMPLE)
    (code,) = [b for b in blocks if b.code is not None]
    assert code.code == "def f(x):\n\n    return x * 2"
    assert code.language == "python"


def test_an_unclosed_fence_is_shown_as_code_while_streaming() -> None:
    stream = MarkdownStream()
    stream.append("Intro\n\n```js\nconst a = 1;\n")
    tail = stream.tail()
    assert tail is not None and tail.code == "const a = 1;\n" and tail.language == "js"
    assert [b.code for b in stream.finished] == [None]


def test_finished_blocks_are_rendered_once() -> None:
    stream = MarkdownStream()
    stream.append("First paragraph.\n\nSecond")
    assert len(stream.finished) == 1
    first = stream.finished[0]
    stream.append(" paragraph grows.\n\nThird")
    assert stream.finished[0] is first and len(stream.finished) == 2


def test_unknown_language_falls_back_to_plain_text() -> None:
    block = render_block("```no-such-language\n<b>not html</b>\n```")
    assert "&lt;b&gt;" in block.html and block.code == "<b>not html</b>"


def test_raw_html_in_model_output_is_escaped() -> None:
    (block,) = render_markdown("<script>alert(1)</script> hi")
    assert "<script>" not in block.html
