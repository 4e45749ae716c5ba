"""The keyboard shortcuts: one table that both binds the window's actions and documents them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QKeyCombination, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import translate

if TYPE_CHECKING:  # Qt's stub types it as object -> object; it returns its text

    def QT_TRANSLATE_NOOP(context: str, source: str, /) -> str: ...

else:  # marks text for `pyside6-lupdate`; translated where it is shown
    from PySide6.QtCore import QT_TRANSLATE_NOOP


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


class MessageKey(StrEnum):
    """What a key does to the message that has the keyboard focus in the conversation."""

    PREVIOUS = "previous"
    NEXT = "next"
    FIRST = "first"
    LAST = "last"
    ENTER = "enter"  # into the message: its text, code and buttons
    LEAVE = "leave"  # back from inside the message to the message
    COPY = "copy"
    EDIT = "edit"
    REGENERATE = "regenerate"
    CONTINUE = "continue"
    OLDER_VERSION = "older_version"
    NEWER_VERSION = "newer_version"
    DELETE = "delete"
    OPEN_IMAGE = "open_image"
    MENU = "menu"


@dataclass(frozen=True, slots=True)
class Shortcut:
    label: str  # English source text; shown through `translate("Shortcuts", label)`
    keys: tuple[str, ...]  # portable text; Qt shows Ctrl as ⌘ on macOS
    id: ShortcutId | None = None  # None: handled by a widget (documented only)
    message_key: MessageKey | None = None  # handled by the focused message

    @property
    def shown_label(self) -> str:
        return translate("Shortcuts", self.label)


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut(QT_TRANSLATE_NOOP("Shortcuts", "New chat"), ("Ctrl+N",), ShortcutId.NEW_CHAT),
    Shortcut(
        QT_TRANSLATE_NOOP("Shortcuts", "Search all conversations"),
        ("Ctrl+F", "Ctrl+K"),
        ShortcutId.SEARCH,
    ),
    Shortcut(
        QT_TRANSLATE_NOOP("Shortcuts", "Go to the message field"),
        ("Ctrl+L",),
        ShortcutId.FOCUS_COMPOSER,
    ),
    Shortcut(
        QT_TRANSLATE_NOOP("Shortcuts", "Attach images, scans or documents"),
        ("Ctrl+O",),
        ShortcutId.ATTACH,
    ),
    Shortcut(QT_TRANSLATE_NOOP("Shortcuts", "Send the message"), ("Enter",)),
    Shortcut(QT_TRANSLATE_NOOP("Shortcuts", "New line in the message"), ("Shift+Enter",)),
    Shortcut(QT_TRANSLATE_NOOP("Shortcuts", "Stop the answer"), ("Esc",), ShortcutId.STOP),
    Shortcut(
        QT_TRANSLATE_NOOP("Shortcuts", "Regenerate the last answer"),
        ("Ctrl+R",),
        ShortcutId.REGENERATE,
    ),
    Shortcut(
        QT_TRANSLATE_NOOP("Shortcuts", "Copy the last answer"),
        ("Ctrl+Shift+C",),
        ShortcutId.COPY_LAST_ANSWER,
    ),
    Shortcut(QT_TRANSLATE_NOOP("Shortcuts", "Settings"), ("Ctrl+,",), ShortcutId.SETTINGS),
    Shortcut(
        QT_TRANSLATE_NOOP("Shortcuts", "Keyboard shortcuts"), ("F1",), ShortcutId.SHORTCUTS_HELP
    ),
    Shortcut(QT_TRANSLATE_NOOP("Shortcuts", "Quit"), ("Ctrl+Q",), ShortcutId.QUIT),
)

_M = MessageKey
# In the conversation: Tab goes from the conversation list to the conversation (the message
# last read, else the newest) and on to the message field; these keys act on that message.
CONVERSATION_KEYS: tuple[Shortcut, ...] = (
    Shortcut(QT_TRANSLATE_NOOP("Shortcuts", "Previous message"), ("Up",), message_key=_M.PREVIOUS),
    Shortcut(QT_TRANSLATE_NOOP("Shortcuts", "Next message"), ("Down",), message_key=_M.NEXT),
    Shortcut(QT_TRANSLATE_NOOP("Shortcuts", "First message"), ("Home",), message_key=_M.FIRST),
    Shortcut(QT_TRANSLATE_NOOP("Shortcuts", "Newest message"), ("End",), message_key=_M.LAST),
    Shortcut(
        QT_TRANSLATE_NOOP("Shortcuts", "Into the message: Tab then moves through its parts"),
        ("Return", "Enter"),
        message_key=_M.ENTER,
    ),
    Shortcut(
        QT_TRANSLATE_NOOP("Shortcuts", "Back from inside the message"),
        ("Esc",),
        message_key=_M.LEAVE,
    ),
    Shortcut(
        QT_TRANSLATE_NOOP("Shortcuts", "Copy the message"), ("C", "Ctrl+C"), message_key=_M.COPY
    ),
    Shortcut(QT_TRANSLATE_NOOP("Shortcuts", "Edit your message"), ("E", "F2"), message_key=_M.EDIT),
    Shortcut(
        QT_TRANSLATE_NOOP("Shortcuts", "Regenerate the answer (the last one)"),
        ("R",),
        message_key=_M.REGENERATE,
    ),
    Shortcut(
        QT_TRANSLATE_NOOP("Shortcuts", "Continue an answer that was cut off"),
        ("N",),
        message_key=_M.CONTINUE,
    ),
    Shortcut(
        QT_TRANSLATE_NOOP("Shortcuts", "Previous version of the message"),
        ("Left",),
        message_key=_M.OLDER_VERSION,
    ),
    Shortcut(
        QT_TRANSLATE_NOOP("Shortcuts", "Next version of the message"),
        ("Right",),
        message_key=_M.NEWER_VERSION,
    ),
    Shortcut(
        QT_TRANSLATE_NOOP("Shortcuts", "Open the message's image"),
        ("O",),
        message_key=_M.OPEN_IMAGE,
    ),
    Shortcut(
        QT_TRANSLATE_NOOP("Shortcuts", "Delete the message and what follows it"),
        ("Del",),
        message_key=_M.DELETE,
    ),
    Shortcut(
        QT_TRANSLATE_NOOP("Shortcuts", "All actions on the message"),
        ("Menu", "Shift+F10"),
        message_key=_M.MENU,
    ),
)


def message_key(event: QKeyEvent) -> MessageKey | None:
    """The conversation action bound to this key press, if any (the keypad counts as keys)."""
    combination = event.keyCombination()
    modifiers = combination.keyboardModifiers() & ~Qt.KeyboardModifier.KeypadModifier
    pressed = QKeySequence(QKeyCombination(modifiers, combination.key()))
    for shortcut in CONVERSATION_KEYS:
        for keys in shortcut.keys:
            if QKeySequence(keys).matches(pressed) is QKeySequence.SequenceMatch.ExactMatch:
                return shortcut.message_key
    return None


def key_sequences(shortcut_id: ShortcutId) -> list[QKeySequence]:
    for shortcut in SHORTCUTS:
        if shortcut.id is shortcut_id:
            return [QKeySequence(keys) for keys in shortcut.keys]
    raise KeyError(shortcut_id)


def shown_keys(shortcut: Shortcut) -> str:
    native = QKeySequence.SequenceFormat.NativeText
    either = translate("Shortcuts", "  or  ")  # between two keys that do the same
    return either.join(QKeySequence(keys).toString(native) for keys in shortcut.keys)


def shortcuts_table(shortcuts: tuple[Shortcut, ...], name: str) -> QTableWidget:
    table = QTableWidget(len(shortcuts), 2)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(
        [translate("ShortcutsDialog", "Action"), translate("ShortcutsDialog", "Keys")]
    )
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setTabKeyNavigation(False)
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    for row, shortcut in enumerate(shortcuts):
        table.setItem(row, 0, QTableWidgetItem(shortcut.shown_label))
        table.setItem(row, 1, QTableWidgetItem(shown_keys(shortcut)))
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    return table


class ShortcutsDialog(QDialog):
    """Help → Keyboard: the window's shortcuts, then the keys of the conversation. The tables
    take the keyboard focus (arrows read them row by row)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("ShortcutsDialog", "Keyboard shortcuts"))
        table = shortcuts_table(SHORTCUTS, "shortcutsTable")
        table.setAccessibleName(translate("ShortcutsDialog", "Window shortcuts"))
        table.setAccessibleDescription(
            translate("ShortcutsDialog", "Keys that work anywhere in the window")
        )
        conversation = shortcuts_table(CONVERSATION_KEYS, "conversationKeysTable")
        conversation.setAccessibleName(translate("ShortcutsDialog", "Conversation keys"))
        conversation.setAccessibleDescription(
            translate(
                "ShortcutsDialog",
                "Keys that act on the message that has the focus; Tab moves from the "
                "conversation list to the conversation and on to the message field",
            )
        )
        heading = QLabel(
            translate(
                "ShortcutsDialog",
                "In the conversation (Tab moves from the list of conversations to the "
                "messages, then to the message field):",
            )
        )
        heading.setWordWrap(True)
        heading.setBuddy(conversation)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table, 3)
        layout.addWidget(heading)
        layout.addWidget(conversation, 4)
        layout.addWidget(buttons)
        self.resize(520, 640)

    @property
    def rows(self) -> list[tuple[str, str]]:
        return [(s.shown_label, shown_keys(s)) for s in SHORTCUTS]

    @property
    def conversation_rows(self) -> list[tuple[str, str]]:
        return [(s.shown_label, shown_keys(s)) for s in CONVERSATION_KEYS]
