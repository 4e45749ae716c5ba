"""Contrast between two colors as WCAG 2.x defines it (relative luminance, ratio 1 to 21).

Body text needs 4.5:1 against its background (level AA); large text and the parts of a control
that show its state (borders, focus outlines, icons) need 3:1.
"""

from __future__ import annotations

from dataclasses import dataclass

BODY_TEXT = 4.5
LARGE_TEXT_OR_UI = 3.0


def channels(color: str) -> tuple[int, int, int]:
    """The red, green and blue of a `#rrggbb` color, 0 to 255."""
    digits = color.removeprefix("#")
    if len(digits) != 6:
        raise ValueError(f"not a #rrggbb color: {color!r}")
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str) -> float:
    red, green, blue = (_linear(value) for value in channels(color))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """From 1 (the same luminance) to 21 (black on white); the order does not matter."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def mix(base: str, tint: str, share: float) -> str:
    """`base` with `share` (0 to 1) of `tint` blended in, as `#rrggbb`."""
    mixed = (
        round(b * (1 - share) + t * share)
        for b, t in zip(channels(base), channels(tint), strict=True)
    )
    return "#" + "".join(f"{value:02x}" for value in mixed)


@dataclass(frozen=True, slots=True)
class ColorPair:
    """A foreground drawn on a background somewhere in the window, and the ratio it needs."""

    use: str
    foreground: str
    background: str
    minimum: float = BODY_TEXT

    @property
    def ratio(self) -> float:
        return contrast_ratio(self.foreground, self.background)

    @property
    def passes(self) -> bool:
        return self.ratio >= self.minimum
