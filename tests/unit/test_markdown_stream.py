"""Incremental markdown: streamed in any pieces, the blocks come out as if rendered at once,
finished blocks are rendered once, and an update re-renders only the open block."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.markdown_render import (
    CHUNK_LINES,
    WHOLE_CODE_LIMIT,
    CodeBlock,
    MarkdownRenderer,
    ProseBlock,
    RenderTheme,
)
from app.core.markdown_stream import (
    DEFAULT_THEME,
    MarkdownStream,
    StreamUpdate,
    render_markdown,
    renderer_for,
)

SAMPLE = """# Heading

A paragraph with **bold**, *italic*, `inline code` and a [link](https://example.org).
It goes on a second line.
## Heading without a blank line before or after
- one
- two

  more of two

- three
  ```bash
  pip install x

  echo hi
  ```

1. first
2. second

> a quote
> over two lines

| name | value |
|------|------:|
| a    | 1     |

```python
def f(x):

    return x * 2
```
Text right after the fence.

---
    indented code

    after a blank line
"""

# Each document is a case where a cheap block splitter could split wrongly.
PROSE_DOCUMENTS = [
    "- a\n\n- b\n\nPara after a loose list\n",
    "- a\n\n  continued in the item\n- b\n\n    code in the item\n\nafter",
    "1. a\n   ```py\n   x\n\n   y\n   ```\n2. b\n\ntext",
    "- a\n  ```\n  code\n\nThe item and its fence ended here.\n",
    "    code\n\n    more code\n\npara",
    "Title\n===\ntext\n\nSub\n---\n",
    "para\n# H\nmore\n\n***\n\n* * *\n* item\n",
    "> q1\n> q2\n\n> q3\n\n>     code\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n| c |\n|---|\n",
    "[1]: https://a.example\n\nsee [x][1]",
    "``` not a fence ``` inline\n\npara",
    "- a\n- b\n\n\n- c\n\n10. x\n11. y\n",
    "- a\n\n      deep code\n\n- b",
    "\n\n\nleading blanks\n\n\n",
    "*a*\n\n\t- tabbed\n\n\tmore",
    "- item\n# heading\n- item2",
    "1) a\n\n   b\n\nc",
]


def streamed(text: str, pieces: list[int]) -> tuple[Any, ...]:
    """Blocks of `text` streamed in pieces cut at the given offsets, then finished."""
    stream = MarkdownStream(renderer_for(DEFAULT_THEME))
    start = 0
    for cut in [*pieces, len(text)]:
        stream.append(text[start:cut])
        start = cut
    stream.finish()
    return stream.blocks


def test_every_block_type_renders() -> None:
    blocks = render_markdown(SAMPLE)
    html = "".join(b.html for b in blocks if isinstance(b, ProseBlock))
    fragments = ["<h1>", "<h2>", "<strong>bold</strong>", "<em>italic</em>", "<code style=",
                 'href="https://example.org"', "<ul>", "<ol>", '<td width="3"',
                 '<table border="1"', '<th align="right">', "<hr />"]  # fmt: skip
    for fragment in fragments:
        assert fragment in html, fragment
    (code,) = [b for b in blocks if isinstance(b, CodeBlock)]
    assert code.code == "def f(x):\n\n    return x * 2" and code.language == "python"
    nested = [s for b in blocks if isinstance(b, ProseBlock) for s in b.snippets]
    assert [(s.code, s.language) for s in nested] == [
        ("pip install x\n\necho hi", "bash"),
        ("indented code\n\nafter a blank line", ""),
    ]


@pytest.mark.parametrize("cut", range(len(SAMPLE) + 1))
def test_two_pieces_cut_at_every_character_give_the_one_shot_blocks(cut: int) -> None:
    assert streamed(SAMPLE, [cut]) == render_markdown(SAMPLE)


@pytest.mark.parametrize("document", [SAMPLE, *PROSE_DOCUMENTS])
def test_one_character_at_a_time_gives_the_one_shot_blocks(document: str) -> None:
    assert streamed(document, list(range(1, len(document)))) == render_markdown(document)


@pytest.mark.parametrize("document", PROSE_DOCUMENTS)
def test_blocks_never_split_what_markdown_keeps_together(document: str) -> None:
    """Rendered block by block, the HTML is what rendering the whole document gives."""
    whole = renderer_for(DEFAULT_THEME).prose(document).html
    blocks = render_markdown(document)
    assert all(isinstance(b, ProseBlock) for b in blocks)
    assert "".join(b.html for b in blocks) == whole


def test_an_unclosed_fence_streams_as_code_and_finishes_as_code() -> None:
    stream = MarkdownStream(renderer_for(DEFAULT_THEME))
    update = stream.append("Intro\n\n```js\nconst a = 1;\n")
    assert isinstance(update.tail, CodeBlock)
    assert update.tail.code == "const a = 1;\n" and update.tail.language == "js"
    assert [type(b) for b in update.finished] == [ProseBlock]
    final = stream.finish()
    assert final.tail is None
    (code,) = final.finished
    assert isinstance(code, CodeBlock) and code.code == "const a = 1;"


def test_a_closed_fence_finishes_at_its_closing_line() -> None:
    stream = MarkdownStream(renderer_for(DEFAULT_THEME))
    update = stream.append("```\na\n\n\nb\n```\n")
    assert [b.code for b in update.finished if isinstance(b, CodeBlock)] == ["a\n\n\nb"]
    assert update.tail is None


def test_a_table_becomes_a_table_when_its_delimiter_row_arrives() -> None:
    stream = MarkdownStream(renderer_for(DEFAULT_THEME))
    header = stream.append("| a | b |\n")
    assert isinstance(header.tail, ProseBlock) and "<table" not in header.tail.html
    rows = stream.append("|---|---|\n| 1 | 2 |")
    assert isinstance(rows.tail, ProseBlock) and "<td>2</td>" in rows.tail.html


def test_finished_blocks_are_rendered_once() -> None:
    stream = MarkdownStream(renderer_for(DEFAULT_THEME))
    stream.append("First paragraph.\n\nSecond paragraph\n")
    (first,) = stream.blocks
    stream.append("grows.\n\nThird\n")
    assert stream.blocks[0] is first and len(stream.blocks) == 2


class CountingRenderer(MarkdownRenderer):
    def __init__(self) -> None:
        super().__init__(RenderTheme())
        self.rendered: list[int] = []

    def prose(self, source: str, references: dict[str, Any] | None = None) -> ProseBlock:
        self.rendered.append(len(source))
        return super().prose(source, references)


def test_an_update_renders_only_the_open_block_however_long_the_text() -> None:
    renderer = CountingRenderer()
    stream = MarkdownStream(renderer)
    stream.append(SAMPLE * 200 + "\nThe last paragraph.\n\n")  # about 130K characters
    renderer.rendered.clear()
    stream.append("word ")
    assert renderer.rendered == [len("The last paragraph.\n\nword ")]


def test_an_open_code_block_highlights_only_its_last_chunk_again() -> None:
    stream = MarkdownStream(renderer_for(DEFAULT_THEME))
    line = "value = compute(alpha, 'text')  # comment\n"
    first = stream.append("```python\n" + line * (CHUNK_LINES * 2 + 3))
    second = stream.append(line)
    assert isinstance(first.tail, CodeBlock) and isinstance(second.tail, CodeBlock)
    assert len(second.tail.chunks) == 3
    assert second.tail.chunks[0] is first.tail.chunks[0]
    assert second.tail.chunks[1] is first.tail.chunks[1]


def test_a_long_code_block_streams_to_the_one_shot_result() -> None:
    line = "    total += compute(value)  # a line of code\n"
    text = "```python\n" + line * (WHOLE_CODE_LIMIT // len(line) + CHUNK_LINES) + "```\nafter\n"
    cuts = list(range(7, len(text), 97))
    blocks = streamed(text, cuts)
    assert blocks == render_markdown(text)
    code = blocks[0]
    assert isinstance(code, CodeBlock) and len(code.chunks) > 1


def test_references_defined_earlier_resolve_in_later_blocks() -> None:
    (_definition_only_renders_nothing,) = render_markdown(
        "[doc]: https://a.example\n\nSee [it][doc]."
    )
    assert 'href="https://a.example"' in _definition_only_renders_nothing.html


def test_appending_after_finish_is_refused() -> None:
    stream = MarkdownStream(renderer_for(DEFAULT_THEME))
    stream.append("done")
    stream.finish()
    with pytest.raises(RuntimeError):
        stream.append("more")


def test_an_update_reports_what_finished_and_the_open_tail() -> None:
    stream = MarkdownStream(renderer_for(DEFAULT_THEME))
    update = stream.append("# Title\nSome text")
    assert isinstance(update, StreamUpdate)
    assert [b.html for b in update.finished] == ["<h1>Title</h1>\n"]
    assert update.tail == ProseBlock("<p>Some text</p>\n")
    assert stream.text == "# Title\nSome text"
