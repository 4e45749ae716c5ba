"""The keyboard shortcuts: one table that both binds the window's actions and documents them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class ShortcutId(StrEnum):
    NEW_CHAT = "new_chat"
    SEARCH = "search"
    FOCUS_COMPOSER = "focus_composer"
    ATTACH = "attach"
    STOP = "stop"
    REGENERATE = "regenerate"
    COPY_LAST_ANSWER = "copy_last_answer"
    SETTINGS = "settings"
    SHORTCUTS_HELP = "shortcuts_help"
    QUIT = "quit"


@dataclass(frozen=True, slots=True)
class Shortcut:
    label: str
    keys: tuple[str, ...]  # portable text; Qt shows Ctrl as ⌘ on macOS
    id: ShortcutId | None = None  # None: handled by a widget (documented only)


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("New chat", ("Ctrl+N",), ShortcutId.NEW_CHAT),
    Shortcut("Search all conversations", ("Ctrl+F", "Ctrl+K"), ShortcutId.SEARCH),
    Shortcut("Go to the message field", ("Ctrl+L",), ShortcutId.FOCUS_COMPOSER),
    Shortcut("Attach images, scans or documents", ("Ctrl+O",), ShortcutId.ATTACH),
    Shortcut("Send the message", ("Enter",)),
    Shortcut("New line in the message", ("Shift+Enter",)),
    Shortcut("Stop the answer", ("Esc",), ShortcutId.STOP),
    Shortcut("Regenerate the last answer", ("Ctrl+R",), ShortcutId.REGENERATE),
    Shortcut("Copy the last answer", ("Ctrl+Shift+C",), ShortcutId.COPY_LAST_ANSWER),
    Shortcut("Settings", ("Ctrl+,",), ShortcutId.SETTINGS),
    Shortcut("Keyboard shortcuts", ("F1",), ShortcutId.SHORTCUTS_HELP),
    Shortcut("Quit", ("Ctrl+Q",), ShortcutId.QUIT),
)


def key_sequences(shortcut_id: ShortcutId) -> list[QKeySequence]:
    for shortcut in SHORTCUTS:
        if shortcut.id is shortcut_id:
            return [QKeySequence(keys) for keys in shortcut.keys]
    raise KeyError(shortcut_id)


def shown_keys(shortcut: Shortcut) -> str:
    native = QKeySequence.SequenceFormat.NativeText
    return "  or  ".join(QKeySequence(keys).toString(native) for keys in shortcut.keys)


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        table = QTableWidget(len(SHORTCUTS), 2, self)
        table.setObjectName("shortcutsTable")
        table.setHorizontalHeaderLabels(["Action", "Keys"])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        for row, shortcut in enumerate(SHORTCUTS):
            table.setItem(row, 0, QTableWidgetItem(shortcut.label))
            table.setItem(row, 1, QTableWidgetItem(shown_keys(shortcut)))
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(440, 420)

    @property
    def rows(self) -> list[tuple[str, str]]:
        return [(s.label, shown_keys(s)) for s in SHORTCUTS]
