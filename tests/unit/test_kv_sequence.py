"""What the KV cache holds: the reusable prefix of a new prompt, in items and positions."""

from __future__ import annotations

from app.engine.kv_sequence import ImageChunk, KvSequence

PHOTO = ImageChunk("a" * 64, 256)
OTHER_PHOTO = ImageChunk("b" * 64, 256)


def cached(*items: int | ImageChunk) -> KvSequence:
    sequence = KvSequence()
    sequence.extend(items)
    return sequence


def test_an_empty_cache_reuses_nothing() -> None:
    assert KvSequence().reusable([1, 2, 3]) == 0


def test_a_follow_up_reuses_the_whole_history() -> None:
    assert cached(1, 2, 3, 4).reusable([1, 2, 3, 4, 5, 6]) == 4


def test_the_last_prompt_token_is_always_evaluated_again() -> None:
    assert cached(1, 2, 3).reusable([1, 2, 3]) == 2
    assert cached(1, 2, 3, 4, 5).reusable([1, 2, 3]) == 2
    assert cached(1, 2).reusable([1]) == 0


def test_an_edit_reuses_up_to_the_first_difference() -> None:
    assert cached(1, 2, 3, 4, 5).reusable([1, 2, 9, 4, 5, 6]) == 2


def test_positions_count_an_image_as_its_tokens() -> None:
    sequence = cached(1, 2, PHOTO, 3)
    assert len(sequence) == 4
    assert sequence.positions == 3 + 256
    assert sequence.position_of(2) == 2
    assert sequence.position_of(3) == 2 + 256


def test_an_image_is_reused_only_when_it_is_the_same_image() -> None:
    assert cached(1, PHOTO, 2, 3).reusable([1, PHOTO, 2, 3, 4]) == 4
    assert cached(1, PHOTO, 2, 3).reusable([1, OTHER_PHOTO, 2, 3, 4]) == 1
    assert cached(1, PHOTO, 2).reusable([1, ImageChunk("a" * 64, 128), 2]) == 1


def test_truncating_returns_the_first_position_to_remove() -> None:
    sequence = cached(1, PHOTO, 2, 3)
    assert sequence.truncate(2) == 1 + 256
    assert sequence.positions == 1 + 256
    assert sequence.truncate(1) == 1
    sequence.extend([7, 8])
    assert sequence.positions == 3
    assert sequence.position_of(2) == 2  # no image left: positions are indexes again


def test_clearing_forgets_everything() -> None:
    sequence = cached(1, PHOTO)
    sequence.clear()
    assert len(sequence) == 0 and sequence.positions == 0
    assert sequence.reusable([1, PHOTO, 2]) == 0
