"""A follow-up turn tokenizes only its new text."""

from __future__ import annotations

from app.engine.prompt import TokenMemo


class CountingTokenizer:
    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, text: str, special: bool) -> list[int]:
        self.texts.append(text)
        return [ord(character) + (1000 if special else 0) for character in text]


def test_the_next_prompt_tokenizes_only_new_text() -> None:
    tokenizer = CountingTokenizer()
    memo = TokenMemo(tokenizer)
    memo.next_prompt()
    assert memo("history", False) == [ord(c) for c in "history"]
    memo("[INST]", True)
    memo.next_prompt()
    assert memo("history", False) == [ord(c) for c in "history"]
    memo("[INST]", True)
    memo("question", False)
    assert tokenizer.texts == ["history", "[INST]", "question"]


def test_special_parsing_is_part_of_the_key() -> None:
    tokenizer = CountingTokenizer()
    memo = TokenMemo(tokenizer)
    assert memo("[INST]", True) != memo("[INST]", False)
    assert tokenizer.texts == ["[INST]", "[INST]"]


def test_texts_two_prompts_old_are_forgotten() -> None:
    tokenizer = CountingTokenizer()
    memo = TokenMemo(tokenizer)
    memo("gone", False)
    memo.next_prompt()
    memo("other", False)
    memo.next_prompt()
    memo.next_prompt()
    memo("gone", False)
    assert tokenizer.texts == ["gone", "other", "gone"]
