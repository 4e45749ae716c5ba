"""Stop strings cut an answer where they begin, wherever the pieces split them."""

from __future__ import annotations

import pytest

from app.core.structured_output import StopMatcher


def run(stops: tuple[str, ...], pieces: list[str]) -> tuple[str, bool]:
    matcher = StopMatcher(stops)
    shown = "".join(matcher.feed(piece) for piece in pieces) + matcher.rest()
    return shown, matcher.stopped


@pytest.mark.parametrize(
    ("pieces", "expected"),
    [
        (["Hello", " END", " more"], ("Hello ", True)),
        (["Hel", "lo E", "N", "D!"], ("Hello ", True)),
        (["Hello E", "N"], ("Hello EN", False)),  # the start of a stop that never came
        (["a", "STOP"], ("a", True)),
        (["no stop here"], ("no stop here", False)),
    ],
)
def test_the_answer_ends_before_the_first_stop(
    pieces: list[str], expected: tuple[str, bool]
) -> None:
    assert run(("END", "STOP"), pieces) == expected


def test_without_stops_every_piece_passes_at_once() -> None:
    matcher = StopMatcher(())
    assert matcher.feed("E") == "E" and not matcher.stopped


def test_a_piece_held_back_is_shown_once_it_cannot_be_a_stop() -> None:
    matcher = StopMatcher(("END",))
    assert matcher.feed("The E") == "The "
    assert matcher.feed("xample") == "Example"
