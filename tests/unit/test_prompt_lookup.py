from __future__ import annotations

from app.core.prompt_lookup import PromptLookup


def lookup(tokens: list[int | None], **options: int) -> PromptLookup:
    return PromptLookup(tokens, capacity=8, **options)


def test_proposes_what_followed_the_last_tokens_earlier() -> None:
    context = lookup([5, 6, 7, 8, 9, 1, 5, 6])
    assert context.draft(3) == [7, 8, 9]
    assert context.draft(6) == [7, 8, 9, 1, 5, 6]


def test_the_longest_match_wins_over_a_more_recent_shorter_one() -> None:
    # "2 3" is followed by 4 after "1 2 3" and by 9 after "7 2 3"; the context ends in "1 2 3".
    context = lookup([1, 2, 3, 4, 7, 2, 3, 9, 1, 2, 3])
    assert context.draft(1) == [4]


def test_the_most_recent_of_equally_long_matches_wins() -> None:
    context = lookup([2, 3, 4, 2, 3, 5, 0, 2, 3])
    assert context.draft(1) == [5]


def test_a_match_shorter_than_the_minimum_drafts_nothing() -> None:
    assert lookup([4, 9, 1, 9]).draft(4) == []  # only "9" matches
    assert lookup([4, 9, 1, 9], min_match=1).draft(2) == [1, 9]
    assert lookup([1, 2, 3]).draft(4) == []


def test_an_image_neither_matches_nor_is_drafted_across() -> None:
    # The answer's tokens 1 2 follow an image both times: the image must not lengthen the match,
    # and a draft stops where an image stands.
    assert lookup([None, 1, 2, 8, None, 7, 1, 2]).draft(4) == [8]
    assert lookup([None, 1, 2]).draft(4) == []


def test_tokens_added_later_are_looked_up_too() -> None:
    context = PromptLookup([10, 11], capacity=2)
    for token in (12, 13, 10, 11):
        context.append(token)  # past the capacity: the context grows
    assert len(context) == 6
    assert context.draft(2) == [12, 13]


def test_a_continuation_that_reaches_the_end_repeats_itself() -> None:
    assert lookup([3, 1, 2, 1, 2, 1, 2]).draft(5) == [1, 2, 1, 2, 1]
    assert lookup([5, 6, 7, 8, 9, 1, 5, 6]).draft(8) == [7, 8, 9, 1, 5, 6, 7, 8]
