"""What a PDF costs in tokens page by page, as text and as images, with a model's tokenizer.

    python -m app.devtools.document_tokens REPORT.pdf --model MODEL.gguf

Only the model's vocabulary is read (any GGUF with the Tekken vocabulary gives Mistral Small
3.2's counts: the tiny test models carry it). Images are counted as the vision encoder takes
them: the longest side at 1540 pixels, one token per 28 x 28 pixels and one per row.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.engine.vocabulary import Vocabulary
from app.media.documents import PageMode, page_cost, pdf_block, pdf_frame, read_pdf


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--model", type=Path, required=True)
    args = parser.parse_args(argv)
    document = read_pdf(args.pdf)
    vocabulary = Vocabulary(args.model)
    try:
        frame = vocabulary.count(pdf_frame(document, [p.number for p in document.pages]))
        as_text = as_image = 0
        print(f"{'page':>4} {'as text':>8} {'as image':>9}  suggested")
        for page in document.pages:
            text = page_cost(page, PageMode.TEXT, vocabulary.count)
            image = page_cost(page, PageMode.IMAGE, vocabulary.count)
            as_text, as_image = as_text + text, as_image + image
            print(f"{page.number:>4} {text:>8,} {image:>9,}  {page.suggested} ({page.reason})")
        print(f"total {frame + as_text:>7,} {frame + as_image:>9,}  (with the document's frame)")
        words = len(pdf_block(document, [PageMode.TEXT] * len(document.pages)).text.split())
        print(f"{len(document.pages)} pages, {words:,} words")
    finally:
        vocabulary.close()


if __name__ == "__main__":
    main()
