"""WCAG contrast of both themes: every text pair reaches 4.5:1, outlines 3:1."""

from __future__ import annotations

import pytest
from pygments.styles import get_style_by_name
from pygments.token import Whitespace

from app.core.contrast import (
    BODY_TEXT,
    LARGE_TEXT_OR_UI,
    ColorPair,
    contrast_ratio,
    mix,
    relative_luminance,
)
from app.ui.theme_colors import DARK, DARK_CODE_STYLE, LIGHT, LIGHT_CODE_STYLE, Colors, color_pairs

THEMES = {"light": LIGHT, "dark": DARK}


def test_luminance_runs_from_black_to_white() -> None:
    assert relative_luminance("#000000") == 0.0
    assert relative_luminance("#ffffff") == pytest.approx(1.0)
    assert relative_luminance("#FF0000") == pytest.approx(0.2126)


def test_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    # #767676 is the lightest grey that still reaches AA on white; #777777 just misses it.
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#ffffff") < BODY_TEXT


def test_bad_colors_are_refused() -> None:
    for bad in ("#fff", "red", "#12345g"):
        with pytest.raises(ValueError):
            contrast_ratio(bad, "#ffffff")


def test_mix_blends_each_channel() -> None:
    assert mix("#000000", "#ffffff", 0.5) == "#808080"
    assert mix("#102030", "#ffffff", 0.0) == "#102030"
    assert mix("#102030", "#c0c0c0", 1.0) == "#c0c0c0"


def test_pair_reports_its_ratio_against_its_minimum() -> None:
    grey = ColorPair("hint", "#777777", "#ffffff")
    assert not grey.passes
    assert ColorPair("large title", "#777777", "#ffffff", LARGE_TEXT_OR_UI).passes


@pytest.mark.parametrize("name", THEMES)
def test_every_pair_of_the_theme_is_readable(name: str) -> None:
    pairs = color_pairs(THEMES[name])
    failing = [
        f"{p.use}: {p.foreground} on {p.background} {p.ratio:.2f}" for p in pairs if not p.passes
    ]
    assert not failing, failing
    assert sum(pair.minimum == BODY_TEXT for pair in pairs) >= 20


@pytest.mark.parametrize("name", THEMES)
def test_pairs_cover_every_color_the_theme_draws_text_in(name: str) -> None:
    colors: Colors = THEMES[name]
    foregrounds = {pair.foreground for pair in color_pairs(colors)}
    for field in ("text", "muted", "link", "danger", "accent_text", "focus", "inverse_link"):
        assert getattr(colors, field) in foregrounds, field


@pytest.mark.parametrize("style_name", [LIGHT_CODE_STYLE, DARK_CODE_STYLE])
def test_code_token_colors_are_readable_on_the_code_background(style_name: str) -> None:
    style = get_style_by_name(style_name)
    background = style.background_color
    checked = 0
    for token, spec in style:
        if spec["color"] and token not in Whitespace:  # shown only as blank space
            ratio = contrast_ratio(f"#{spec['color']}", background)
            assert ratio >= BODY_TEXT, f"{token} #{spec['color']} on {background}: {ratio:.2f}"
            checked += 1
    assert checked > 10
