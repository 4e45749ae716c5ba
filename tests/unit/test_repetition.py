import random

from app.core.repetition import RepetitionGuard


def feed_all(guard: RepetitionGuard, tokens: list[int]) -> int | None:
    """Index of the token at which the guard fired, or None."""
    for index, token in enumerate(tokens):
        if guard.feed(token):
            return index
    return None


def test_a_repeated_sentence_is_stopped() -> None:
    sentence = list(range(100, 140))  # a 40-token sentence, looping
    fired_at = feed_all(RepetitionGuard(), list(range(50)) + sentence * 20)
    assert fired_at is not None
    assert fired_at < 50 + 40 * 10  # well before the whole loop ran


def test_a_single_token_loop_is_stopped() -> None:
    assert feed_all(RepetitionGuard(), [7] * 1000) == RepetitionGuard().min_span - 1


def test_a_long_paragraph_loop_needs_several_repeats() -> None:
    paragraph = list(range(1000, 1200))  # 200 tokens
    guard = RepetitionGuard()
    assert feed_all(guard, paragraph * 3) is None  # 3 repeats: could still be deliberate
    assert feed_all(guard, paragraph) is not None  # the 4th repeat fires


def test_varied_text_with_recurring_structure_is_not_stopped() -> None:
    rng = random.Random(1)
    # A markdown table: the same separators each row, different cell content.
    row = lambda: [5, rng.randrange(1000, 2000), 5, rng.randrange(1000, 2000), 5, 6]  # noqa: E731
    table = [token for _ in range(400) for token in row()]
    assert feed_all(RepetitionGuard(), table) is None


def test_random_text_is_not_stopped() -> None:
    rng = random.Random(2)
    assert feed_all(RepetitionGuard(), [rng.randrange(131072) for _ in range(5000)]) is None


def test_settings_are_respected() -> None:
    guard = RepetitionGuard(max_period=8, min_span=16, min_repeats=4)
    assert feed_all(guard, [1, 2, 3] * 6) == 15
