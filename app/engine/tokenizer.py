"""Text to token ids exactly as Mistral's own encoder does it, for every language.

Mistral's encoder (mistral-common's Tekkenizer) is tiktoken run with Tekken's byte-level BPE
ranks and Tekken's split pattern. llama.cpp's rewrite of that pattern leaves combining marks
(\\p{M}) out of words, so Hindi, Bengali, Thai, Arabic with vowel marks and the like come out
as other, more tokens. Here the GGUF's own vocabulary (token id = BPE rank, as in Tekken) goes
into tiktoken with Tekken's pattern, so text tokenizes as the model was trained on.

Control tokens ([INST], </s> ...) come only from the template's markup, looked up by their
text; text never produces them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import llama_cpp
import tiktoken

from app.engine.prompt import Tokenize

# Tekken's split pattern ("pattern" in the config of Mistral's tekken.json files).
TEKKEN_PATTERN = (
    r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+|"
    r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*|"
    r"\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
# A text every Tekken vocabulary tokenizes the same in llama.cpp and here (no combining
# marks): if the two disagree on it, the vocabulary is not what this module expects.
_AGREEMENT_SAMPLE = (
    "Hello, World! It's 2026-03-14; naïve café — déjà vu. def f(x):\n    return x ** 2\n"
    "日本語のテキスト 🙂 Ελληνικά Русский   spaces\t\ttabs\n\n"
)


def _unicode_to_byte() -> dict[int, str]:
    """GPT-2's byte-level alphabet reversed: the character standing for each byte, mapped to
    that byte (as a Latin-1 character, so `str.encode("latin-1")` gives the bytes)."""
    printable = [*range(ord("!"), ord("~") + 1), *range(0xA1, 0xAD), *range(0xAE, 0x100)]
    table = {byte: byte for byte in printable}
    shifted = 0
    for byte in range(256):
        if byte not in table:
            table[byte] = 256 + shifted
            shifted += 1
    return {char: chr(byte) for byte, char in table.items()}


_UNICODE_TO_BYTE = _unicode_to_byte()


class TekkenTokenizer:
    """`tokenizer(text, markup)`: with `markup`, the control tokens written in `text` become
    their ids and the rest is text; without, all of `text` is text."""

    def __init__(self, ranked: Iterable[tuple[bytes, int]], control: dict[str, int]) -> None:
        self._encoding = tiktoken.Encoding(
            name="tekken",
            pat_str=TEKKEN_PATTERN,
            mergeable_ranks=dict(ranked),
            special_tokens={},
        )
        self._control = dict(control)
        longest_first = sorted(self._control, key=len, reverse=True)
        self._markup = re.compile("|".join(re.escape(text) for text in longest_first) or "(?!)")

    def __call__(self, text: str, markup: bool) -> list[int]:
        if not markup:
            return self.text(text)
        ids: list[int] = []
        start = 0
        for found in self._markup.finditer(text):
            if found.start() > start:
                ids += self.text(text[start : found.start()])
            ids.append(self._control[found[0]])
            start = found.end()
        if start < len(text):
            ids += self.text(text[start:])
        return ids

    def text(self, text: str) -> list[int]:
        return self._encoding.encode_ordinary(text)

    @classmethod
    def for_model(cls, llm: llama_cpp.Llama) -> TekkenTokenizer | None:
        """The tokenizer for a loaded model with a Tekken vocabulary, else None."""
        metadata = llm.metadata
        if metadata.get("tokenizer.ggml.model") != "gpt2":
            return None
        if metadata.get("tokenizer.ggml.pre") != "tekken":
            return None
        vocab = llama_cpp.llama_model_get_vocab(llm.model)
        ranked: list[tuple[bytes, int]] = []
        control: dict[str, int] = {}
        for token in range(llama_cpp.llama_vocab_n_tokens(vocab)):
            attributes = llama_cpp.llama_vocab_get_attr(vocab, token)
            text = llama_cpp.llama_vocab_get_text(vocab, token).decode("utf-8")
            if attributes & llama_cpp.LLAMA_TOKEN_ATTR_CONTROL:
                control[text] = token
            elif attributes & llama_cpp.LLAMA_TOKEN_ATTR_NORMAL:
                try:  # byte-level BPE writes each byte as one character
                    ranked.append((text.translate(_UNICODE_TO_BYTE).encode("latin-1"), token))
                except UnicodeEncodeError:
                    return None
            elif not attributes & llama_cpp.LLAMA_TOKEN_ATTR_UNUSED:
                return None  # user-defined or byte tokens: not a Tekken vocabulary
        tokenizer = cls(ranked, control)
        sample = _AGREEMENT_SAMPLE.encode("utf-8")
        if tokenizer.text(_AGREEMENT_SAMPLE) != llm.tokenize(sample, add_bos=False, special=False):
            return None
        return tokenizer


def llama_tokenizer(llm: llama_cpp.Llama) -> Tokenize:
    """llama.cpp's own tokenizer, for vocabularies other than Tekken."""

    def tokenize(text: str, markup: bool) -> list[int]:
        # Lone surrogates become U+FFFD, as tiktoken (and so Mistral's encoder) makes them.
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        return llm.tokenize(text.encode("utf-8"), add_bos=False, special=markup)

    return tokenize


def model_tokenizer(llm: llama_cpp.Llama) -> Tokenize:
    """The exact tokenizer for `llm`'s vocabulary: Tekken's own where it is Tekken."""
    return TekkenTokenizer.for_model(llm) or llama_tokenizer(llm)
