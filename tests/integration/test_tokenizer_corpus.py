"""Text in 25 scripts tokenizes exactly as Mistral's own encoder tokenizes it.

For each script, strings of random "words" drawn from its Unicode block (letters, vowel signs and
other combining marks, digits), with spaces, punctuation, newlines, Latin words and emoji mixed
in; seeded, so every run checks the same 2,050 strings. Ours: the engine's tokenizer for the tiny
model's GGUF vocabulary. Mistral's: mistral-common's Tekkenizer from the same Tekken file.
"""

from __future__ import annotations

import random
import unicodedata

import llama_cpp
import pytest
from mistral_common.tokens.tokenizers.mistral import MistralTokenizer

from app.engine.prompt import Tokenize
from app.engine.tokenizer import TekkenTokenizer
from tests.integration.conformance_cases import LANGUAGES

pytestmark = pytest.mark.integration

SCRIPTS: dict[str, list[tuple[int, int]]] = {
    "latin": [(0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x300, 0x36F)],
    "greek": [(0x370, 0x3FF)],
    "cyrillic": [(0x400, 0x4FF)],
    "armenian": [(0x531, 0x58F)],
    "hebrew": [(0x591, 0x5F4)],
    "arabic": [(0x600, 0x6FF)],
    "devanagari": [(0x900, 0x97F)],
    "bengali": [(0x980, 0x9FF)],
    "gurmukhi": [(0xA00, 0xA7F)],
    "gujarati": [(0xA80, 0xAFF)],
    "tamil": [(0xB80, 0xBFF)],
    "telugu": [(0xC00, 0xC7F)],
    "kannada": [(0xC80, 0xCFF)],
    "malayalam": [(0xD00, 0xD7F)],
    "sinhala": [(0xD80, 0xDFF)],
    "thai": [(0xE00, 0xE7F)],
    "lao": [(0xE80, 0xEFF)],
    "tibetan": [(0xF00, 0xFFF)],
    "myanmar": [(0x1000, 0x109F)],
    "georgian": [(0x10A0, 0x10FF)],
    "ethiopic": [(0x1200, 0x137F)],
    "khmer": [(0x1780, 0x17FF)],
    "hangul": [(0xAC00, 0xD7A3)],
    "kana": [(0x3041, 0x30FF)],
    "han": [(0x4E00, 0x9FFF)],
}
STRINGS_PER_SCRIPT = 82
SEPARATORS = [" ", " ", " ", ", ", ". ", "\n", "\n\n", "  ", "\t", "! ", "? ", " - ", "/", ": "]
EXTRAS = ["Paris", "GPU", "x=1", "2026", "🙂", "👍🏽", "e\u0301", "…", "«", "»", "(", ")"]


def _alphabet(ranges: list[tuple[int, int]]) -> list[str]:
    return [
        chr(code)
        for low, high in ranges
        for code in range(low, high + 1)
        if unicodedata.category(chr(code)) not in ("Cn", "Co", "Cs")
    ]


def script_strings(script: str) -> list[str]:
    rng = random.Random(f"tekken-{script}")
    alphabet = _alphabet(SCRIPTS[script])
    strings = []
    for _ in range(STRINGS_PER_SCRIPT):
        words = []
        for _ in range(rng.randint(1, 12)):
            if rng.random() < 0.1:
                words.append(rng.choice(EXTRAS))
            else:
                words.append("".join(rng.choices(alphabet, k=rng.randint(1, 9))))
            words.append(rng.choice(SEPARATORS))
        strings.append("".join(words[:-1]) if rng.random() < 0.7 else "".join(words))
    return strings


@pytest.fixture(scope="module")
def mistral_encode(reference: MistralTokenizer) -> Tokenize:
    tekken = reference.instruct_tokenizer.tokenizer
    return lambda text, _: tekken.encode(text, bos=False, eos=False)


def test_the_corpus_is_large_and_varied() -> None:
    assert len(SCRIPTS) >= 20
    assert sum(len(script_strings(s)) for s in SCRIPTS) >= 2000


def test_a_tekken_gguf_gets_the_exact_tokenizer(
    vocab_model: llama_cpp.Llama, model_tokenize: Tokenize
) -> None:
    assert isinstance(model_tokenize, TekkenTokenizer)
    assert (
        model_tokenize("[INST]Hi</s>", True)[0] == vocab_model.tokenize(b"[INST]", special=True)[-1]
    )


@pytest.mark.parametrize("script", SCRIPTS)
def test_script_tokenizes_as_mistral_does(
    script: str, model_tokenize: Tokenize, mistral_encode: Tokenize
) -> None:
    strings = script_strings(script)
    wrong = [text for text in strings if model_tokenize(text, False) != mistral_encode(text, False)]
    assert wrong == []


def test_language_samples_tokenize_as_mistral_does(
    model_tokenize: Tokenize, mistral_encode: Tokenize
) -> None:
    for text in LANGUAGES.values():
        assert model_tokenize(text, False) == mistral_encode(text, False), text
        assert model_tokenize(text, True) == mistral_encode(text, False), text
