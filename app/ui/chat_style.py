"""The chat view's colors, taken from the palette so light and dark themes both work."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from app.core.markdown_render import RenderTheme
from app.ui.theme_colors import BUBBLE_TINT, DARK_CODE_STYLE, LIGHT_CODE_STYLE

EMPTY_CONVERSATION_SCALE = 1.5  # the empty conversation's line, relative to the body text
RULE_TINT = 0.15  # how much of the text color darkens table borders and the quote bar


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def blend(base: QColor, tint: QColor, share: float) -> QColor:
    def mix(a: int, b: int) -> int:
        return round(a * (1 - share) + b * share)

    return QColor(
        mix(base.red(), tint.red()), mix(base.green(), tint.green()), mix(base.blue(), tint.blue())
    )


def render_theme(palette: QPalette) -> RenderTheme:
    role = QPalette.ColorRole
    return RenderTheme(
        code_style=DARK_CODE_STYLE if is_dark(palette) else LIGHT_CODE_STYLE,
        text=palette.color(role.Text).name(),
        muted=palette.color(role.PlaceholderText).name(),
        rule=blend(palette.color(role.Mid), palette.color(role.Text), RULE_TINT).name(),
        inline_code_background=palette.color(role.AlternateBase).name(),
    )


def style_sheet(palette: QPalette, theme: RenderTheme, font_points: float) -> str:
    """The chat's sheet; `font_points` is the body text's size, which larger text scales with."""
    role = QPalette.ColorRole
    base = palette.color(role.Base)
    text = palette.color(role.Text).name()
    alternate = palette.color(role.AlternateBase).name()
    bubble = blend(base, palette.color(role.Highlight), BUBBLE_TINT).name()
    muted = theme.muted
    focus = palette.color(role.Link).name()
    empty_points = font_points * EMPTY_CONVERSATION_SCALE
    return f"""
#chatContent {{ background: {base.name()}; }}
QFrame#userBubble {{ background: {bubble}; border-radius: 14px; }}
QFrame#codeBlock {{
    background: {theme.code_colors.background}; border: 1px solid {theme.rule};
    border-radius: 8px;
}}
QLabel#codeLanguage {{ color: {muted}; }}
QToolButton#messageAction, QToolButton#alternativeButton, QToolButton#codeCopy {{
    color: {muted}; border: 2px solid transparent; border-radius: 6px; padding: 0px 5px;
    background: transparent;
}}
QToolButton#messageAction:hover, QToolButton#alternativeButton:hover,
QToolButton#codeCopy:hover {{ background: {alternate}; color: {text}; }}
QToolButton#messageAction:focus, QToolButton#alternativeButton:focus, QToolButton#codeCopy:focus,
QToolButton#jumpToBottom:focus {{
    color: {text}; border: 2px solid {focus};
}}
QToolButton#messageAction:disabled, QToolButton#alternativeButton:disabled {{
    color: {theme.rule};
}}
QLabel#answerStats, QLabel#stateMark, QLabel#leftOutMark, QLabel#writingMark,
QLabel#alternativePosition, QLabel#messageTitle, QLabel#toolCall {{ color: {muted}; }}
QLabel#stateMark[error="true"] {{ color: {palette.color(role.BrightText).name()}; }}
QLabel#emptyConversation {{ color: {muted}; font-size: {empty_points:g}pt; }}
QToolButton#jumpToBottom {{
    background: {alternate}; color: {text}; border: 1px solid {theme.rule};
    border-radius: 16px; min-width: 32px; min-height: 32px;
}}
"""
