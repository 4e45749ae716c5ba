"""The two color sets of the window, and every foreground/background pair they are drawn in.

No Qt here: the pairs are checked against WCAG's contrast minimums by a plain unit test, and the
style sheet template (resources/styles/app.qss) names these colors as `@field`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from app.core.contrast import LARGE_TEXT_OR_UI, ColorPair, mix

LIGHT_CODE_STYLE = "default"  # pygments styles whose token colors reach 4.5:1 on their background
DARK_CODE_STYLE = "github-dark"
BUBBLE_TINT = 0.14  # how much of the accent color tints the user's bubble
METER_TINT = 0.35  # how much of the accent (or danger) color fills the context meter


@dataclass(frozen=True, slots=True)
class Colors:
    window: str
    panel: str  # sidebar and bars
    base: str  # text fields, the chat area
    alternate: str
    text: str
    muted: str  # secondary text: hints, dates, the status bar
    border: str
    button: str
    accent: str  # filled: the primary button, the selection, the meter
    accent_text: str  # text on `accent`
    link: str
    danger: str  # error text
    danger_fill: str  # the stop button, under `accent_text`
    focus: str  # the outline of the focused control
    inverse_link: str  # a link on the inverted undo bar (`text` as background)


LIGHT = Colors(
    window="#f6f7f9",
    panel="#eceef2",
    base="#ffffff",
    alternate="#f1f3f6",
    text="#1d2127",
    muted="#5f6775",
    border="#d5d9e0",
    button="#ffffff",
    accent="#2f6fde",
    accent_text="#ffffff",
    link="#1f5fcf",
    danger="#c62f2f",
    danger_fill="#c62f2f",
    focus="#1f5fcf",
    inverse_link="#7fb0ff",
)

DARK = Colors(
    window="#1d1f23",
    panel="#17191c",
    base="#24272c",
    alternate="#2a2d33",
    text="#e4e6ea",
    muted="#9aa1ad",
    border="#3a3e45",
    button="#2d3036",
    accent="#3571da",
    accent_text="#ffffff",
    link="#7fb0ff",
    danger="#f07070",
    danger_fill="#c93c3c",
    focus="#7fb0ff",
    inverse_link="#1f5fcf",
)


def derived(colors: Colors) -> dict[str, str]:
    """Colors the style sheet mixes from the set (by the same `@name` syntax)."""
    return {
        "meter_over": mix(colors.base, colors.danger, METER_TINT),
        "meter": mix(colors.base, colors.accent, METER_TINT),
    }


def sheet_colors(colors: Colors) -> dict[str, str]:
    """Every `@name` the style sheet may use, with its `#rrggbb` value."""
    named = {field.name: getattr(colors, field.name) for field in fields(colors)}
    return named | derived(colors)


def bubble(colors: Colors) -> str:
    """The background of the user's messages."""
    return mix(colors.base, colors.accent, BUBBLE_TINT)


def color_pairs(colors: Colors) -> tuple[ColorPair, ...]:
    """Where text or a control's outline meets a background, with the contrast it needs."""
    c = colors
    mixed = derived(c)
    body = [
        ColorPair("body text", c.text, c.base),
        ColorPair("window and dialog text", c.text, c.window),
        ColorPair("sidebar text", c.text, c.panel),
        ColorPair("banner text", c.text, c.alternate),
        ColorPair("button text", c.text, c.button),
        ColorPair("your message", c.text, bubble(c)),
        ColorPair("inline code", c.text, c.alternate),
        ColorPair("secondary text on the chat", c.muted, c.base),
        ColorPair("hints in dialogs", c.muted, c.window),
        ColorPair("status bar and sidebar dates", c.muted, c.panel),
        ColorPair("secondary text in banners", c.muted, c.alternate),
        ColorPair("secondary text in your message", c.muted, bubble(c)),
        ColorPair("placeholder text", c.muted, c.base),
        ColorPair("link in the chat", c.link, c.base),
        ColorPair("link in a dialog", c.link, c.window),
        ColorPair("link in a banner", c.link, c.alternate),
        ColorPair("model name in the status bar (hover)", c.link, c.panel),
        ColorPair("error text", c.danger, c.window),
        ColorPair("error text in the chat", c.danger, c.base),
        ColorPair("error banner", c.danger, c.alternate),
        ColorPair("primary button and selection", c.accent_text, c.accent),
        ColorPair("stop button", c.accent_text, c.danger_fill),
        ColorPair("undo bar", c.window, c.text),
        ColorPair("undo bar's link", c.inverse_link, c.text),
        ColorPair("context meter text", c.text, mixed["meter"]),
        ColorPair("context meter text, over the limit", c.text, mixed["meter_over"]),
    ]
    outlines = [
        ColorPair("focus outline on the window", c.focus, c.window, LARGE_TEXT_OR_UI),
        ColorPair("focus outline on the sidebar", c.focus, c.panel, LARGE_TEXT_OR_UI),
        ColorPair("focus outline on the chat", c.focus, c.base, LARGE_TEXT_OR_UI),
        ColorPair("focus outline of a filled button", c.text, c.window, LARGE_TEXT_OR_UI),
        ColorPair("focus outline of a selected item", c.text, c.panel, LARGE_TEXT_OR_UI),
    ]
    return tuple(body + outlines)
