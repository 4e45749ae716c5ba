"""Light and dark looks, applied live: Fusion style, a full palette and a small style sheet."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from app.paths import resource
from app.settings import AppearanceSettings, ThemeChoice

STYLE_SHEET = "styles/app.qss"


@dataclass(frozen=True, slots=True)
class Colors:
    window: str
    panel: str  # sidebar and bars
    base: str  # text fields, the chat area
    alternate: str
    text: str
    muted: str
    border: str
    button: str
    accent: str
    accent_text: str
    link: str
    danger: str


LIGHT = Colors(
    window="#f6f7f9",
    panel="#eceef2",
    base="#ffffff",
    alternate="#f1f3f6",
    text="#1d2127",
    muted="#6a7280",
    border="#d5d9e0",
    button="#ffffff",
    accent="#2f6fde",
    accent_text="#ffffff",
    link="#1f5fcf",
    danger="#c62f2f",
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
    accent="#4c8df6",
    accent_text="#ffffff",
    link="#7fb0ff",
    danger="#f07070",
)


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


def style_sheet(colors: Colors) -> str:
    """The style sheet template from resources, with `@name` replaced by the theme's colors."""
    text = resource(STYLE_SHEET).read_text(encoding="utf-8")
    for name in sorted(Colors.__dataclass_fields__, key=len, reverse=True):
        text = text.replace(f"@{name}", getattr(colors, name))
    return text


def system_prefers_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


class ThemeManager(QObject):
    """Applies the appearance to the whole application; follows the system when asked."""

    changed = Signal(bool)  # True when the dark colors are in use

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._appearance = AppearanceSettings()
        self._dark: bool | None = None
        app.setStyle("Fusion")
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_scheme_changed)

    @property
    def dark(self) -> bool:
        return bool(self._dark)

    @property
    def colors(self) -> Colors:
        return DARK if self.dark else LIGHT

    def apply(self, appearance: AppearanceSettings) -> None:
        self._appearance = appearance
        dark = (
            system_prefers_dark()
            if appearance.theme is ThemeChoice.SYSTEM
            else appearance.theme is ThemeChoice.DARK
        )
        font = QFont(self._app.font())
        font.setPointSize(appearance.font_size)
        self._app.setFont(font)
        self._dark = dark
        colors = self.colors
        self._app.setPalette(build_palette(colors))
        self._app.setStyleSheet(style_sheet(colors))
        self.changed.emit(dark)

    def _on_system_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._appearance.theme is ThemeChoice.SYSTEM:
            self.apply(self._appearance)
