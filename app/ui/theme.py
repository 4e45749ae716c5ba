"""Light and dark looks, applied live: Fusion style, a full palette and a small style sheet.

When the system asks for high contrast, the window keeps the system's palette and the style
sheet takes its colors from it: our own colors give way to the ones the person chose.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from app.paths import resource
from app.settings import AppearanceSettings, ThemeChoice
from app.ui.theme_colors import DARK, LIGHT, Colors, sheet_colors

STYLE_SHEET = "styles/app.qss"
TITLE_SCALE = 2.0  # the welcome page's title, relative to the body text


def build_palette(colors: Colors) -> QPalette:
    palette = QPalette()
    role = QPalette.ColorRole
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, role.Window, QColor(colors.window))
        palette.setColor(group, role.WindowText, QColor(colors.text))
        palette.setColor(group, role.Base, QColor(colors.base))
        palette.setColor(group, role.AlternateBase, QColor(colors.alternate))
        palette.setColor(group, role.Text, QColor(colors.text))
        palette.setColor(group, role.PlaceholderText, QColor(colors.muted))
        palette.setColor(group, role.Button, QColor(colors.button))
        palette.setColor(group, role.ButtonText, QColor(colors.text))
        palette.setColor(group, role.BrightText, QColor(colors.danger))
        palette.setColor(group, role.Highlight, QColor(colors.accent))
        palette.setColor(group, role.HighlightedText, QColor(colors.accent_text))
        palette.setColor(group, role.Accent, QColor(colors.accent))
        palette.setColor(group, role.Link, QColor(colors.link))
        palette.setColor(group, role.LinkVisited, QColor(colors.link))
        palette.setColor(group, role.ToolTipBase, QColor(colors.base))
        palette.setColor(group, role.ToolTipText, QColor(colors.text))
        palette.setColor(group, role.Light, QColor(colors.base).lighter(115))
        palette.setColor(group, role.Midlight, QColor(colors.alternate))
        palette.setColor(group, role.Mid, QColor(colors.border))
        palette.setColor(group, role.Dark, QColor(colors.border).darker(130))
        palette.setColor(group, role.Shadow, QColor(colors.border).darker(200))
    disabled = QPalette.ColorGroup.Disabled
    for dim_role in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(disabled, dim_role, QColor(colors.muted))
    palette.setColor(disabled, role.Base, QColor(colors.alternate))
    palette.setColor(disabled, role.Button, QColor(colors.panel))
    palette.setColor(disabled, role.Highlight, QColor(colors.border))
    return palette


def style_sheet(colors: Colors, font_points: float) -> str:
    """The style sheet template from resources, with `@name` replaced by the theme's colors
    and `@title_size` by a size in proportion to the body text's `font_points`."""
    text = resource(STYLE_SHEET).read_text(encoding="utf-8")
    named = sheet_colors(colors) | {"title_size": f"{font_points * TITLE_SCALE:g}pt"}
    for name in sorted(named, key=len, reverse=True):
        text = text.replace(f"@{name}", named[name])
    return text


def palette_colors(palette: QPalette) -> Colors:
    """The style sheet's colors taken from a (system) palette: no dim text, plain borders."""
    role = QPalette.ColorRole

    def color(which: QPalette.ColorRole) -> str:
        return palette.color(QPalette.ColorGroup.Active, which).name()

    text = color(role.WindowText)
    return Colors(
        window=color(role.Window),
        panel=color(role.Window),
        base=color(role.Base),
        alternate=color(role.AlternateBase),
        text=text,
        muted=text,
        border=text,
        button=color(role.Button),
        accent=color(role.Highlight),
        accent_text=color(role.HighlightedText),
        link=color(role.Link),
        danger=text,
        danger_fill=color(role.Highlight),
        focus=color(role.Highlight),
        inverse_link=color(role.Window),
    )


class Look(Enum):
    LIGHT = "light"
    DARK = "dark"
    SYSTEM_CONTRAST = "system-contrast"  # the system's own high-contrast palette


def choose_look(theme: ThemeChoice, system_dark: bool, high_contrast: bool) -> Look:
    """High contrast asked by the system wins over any theme; else the choice, or the system's."""
    if high_contrast:
        return Look.SYSTEM_CONTRAST
    dark = system_dark if theme is ThemeChoice.SYSTEM else theme is ThemeChoice.DARK
    return Look.DARK if dark else Look.LIGHT


def system_prefers_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def system_wants_high_contrast() -> bool:
    hints = QGuiApplication.styleHints()
    accessibility = hints.accessibility()  # keep `hints` alive while this is read
    return accessibility.contrastPreference() == Qt.ContrastPreference.HighContrast


class ThemeManager(QObject):
    """Applies the appearance to the whole application; follows the system when asked."""

    changed = Signal(bool)  # True when the colors in use are dark

    def __init__(
        self, app: QApplication, high_contrast: Callable[[], bool] = system_wants_high_contrast
    ) -> None:
        super().__init__(app)
        self._app = app
        self._high_contrast = high_contrast
        self._appearance = AppearanceSettings()
        self._colors = LIGHT
        app.setStyle("Fusion")
        self._hints = QGuiApplication.styleHints()
        self._accessibility = self._hints.accessibility()
        self._hints.colorSchemeChanged.connect(self._on_system_change)
        self._accessibility.contrastPreferenceChanged.connect(self._on_system_change)

    @property
    def dark(self) -> bool:
        return QColor(self._colors.base).lightness() < 128

    @property
    def colors(self) -> Colors:
        return self._colors

    @property
    def look(self) -> Look:
        return choose_look(self._appearance.theme, system_prefers_dark(), self._high_contrast())

    def apply(self, appearance: AppearanceSettings) -> None:
        self._appearance = appearance
        font = QFont(self._app.font())
        font.setPointSize(appearance.font_size)
        self._app.setFont(font)
        look = self.look
        if look is Look.SYSTEM_CONTRAST:
            self._app.setPalette(QPalette())  # back to the platform's palette
            self._colors = palette_colors(self._app.palette())
        else:
            self._colors = DARK if look is Look.DARK else LIGHT
            self._app.setPalette(build_palette(self._colors))
        self._app.setStyleSheet(style_sheet(self._colors, appearance.font_size))
        self.changed.emit(self.dark)

    def _on_system_change(self, *_hint: object) -> None:
        self.apply(self._appearance)
