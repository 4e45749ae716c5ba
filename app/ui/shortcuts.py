"""The keyboard shortcuts: one table that both binds the window's actions and documents them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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
    label: str  # in the user's language
    keys: tuple[str, ...]  # portable text; Qt shows Ctrl as ⌘ on macOS
    id: ShortcutId | None = None  # None: handled by a widget (documented only)
    message_key: MessageKey | None = None  # handled by the focused message


def window_shortcuts() -> tuple[Shortcut, ...]:
    """The window's shortcuts, worded in the user's language when asked."""
    return (
        Shortcut(translate("Shortcuts", "New chat"), ("Ctrl+N",), ShortcutId.NEW_CHAT),
        Shortcut(
            translate("Shortcuts", "Search all conversations"),
            ("Ctrl+F", "Ctrl+K"),
            ShortcutId.SEARCH,
        ),
        Shortcut(
            translate("Shortcuts", "Go to the message field"),
            ("Ctrl+L",),
            ShortcutId.FOCUS_COMPOSER,
        ),
        Shortcut(
            translate("Shortcuts", "Attach images, scans or documents"),
            ("Ctrl+O",),
            ShortcutId.ATTACH,
        ),
        Shortcut(translate("Shortcuts", "Send the message"), ("Enter",)),
        Shortcut(translate("Shortcuts", "New line in the message"), ("Shift+Enter",)),
        Shortcut(translate("Shortcuts", "Stop the answer"), ("Esc",), ShortcutId.STOP),
        Shortcut(
            translate("Shortcuts", "Regenerate the last answer"),
            ("Ctrl+R",),
            ShortcutId.REGENERATE,
        ),
        Shortcut(
            translate("Shortcuts", "Copy the last answer"),
            ("Ctrl+Shift+C",),
            ShortcutId.COPY_LAST_ANSWER,
        ),
        Shortcut(translate("Shortcuts", "Settings"), ("Ctrl+,",), ShortcutId.SETTINGS),
        Shortcut(translate("Shortcuts", "Keyboard shortcuts"), ("F1",), ShortcutId.SHORTCUTS_HELP),
        Shortcut(translate("Shortcuts", "Quit"), ("Ctrl+Q",), ShortcutId.QUIT),
    )


_M = MessageKey


# In the conversation: Tab goes from the conversation list to the conversation (the message
# last read, else the newest) and on to the message field; these keys act on that message.
def conversation_keys() -> tuple[Shortcut, ...]:
    """The keys of the focused message in the conversation, worded when asked."""
    return (
        Shortcut(translate("Shortcuts", "Previous message"), ("Up",), message_key=_M.PREVIOUS),
        Shortcut(translate("Shortcuts", "Next message"), ("Down",), message_key=_M.NEXT),
        Shortcut(translate("Shortcuts", "First message"), ("Home",), message_key=_M.FIRST),
        Shortcut(translate("Shortcuts", "Newest message"), ("End",), message_key=_M.LAST),
        Shortcut(
            translate("Shortcuts", "Into the message: Tab then moves through its parts"),
            ("Return", "Enter"),
            message_key=_M.ENTER,
        ),
        Shortcut(
            translate("Shortcuts", "Back from inside the message"),
            ("Esc",),
            message_key=_M.LEAVE,
        ),
        Shortcut(translate("Shortcuts", "Copy the message"), ("C", "Ctrl+C"), message_key=_M.COPY),
        Shortcut(translate("Shortcuts", "Edit your message"), ("E", "F2"), message_key=_M.EDIT),
        Shortcut(
            translate("Shortcuts", "Regenerate the answer (the last one)"),
            ("R",),
            message_key=_M.REGENERATE,
        ),
        Shortcut(
            translate("Shortcuts", "Continue an answer that was cut off"),
            ("N",),
            message_key=_M.CONTINUE,
        ),
        Shortcut(
            translate("Shortcuts", "Previous version of the message"),
            ("Left",),
            message_key=_M.OLDER_VERSION,
        ),
        Shortcut(
            translate("Shortcuts", "Next version of the message"),
            ("Right",),
            message_key=_M.NEWER_VERSION,
        ),
        Shortcut(
            translate("Shortcuts", "Open the message's image"),
            ("O",),
            message_key=_M.OPEN_IMAGE,
        ),
        Shortcut(
            translate("Shortcuts", "Delete the message and what follows it"),
            ("Del",),
            message_key=_M.DELETE,
        ),
        Shortcut(
            translate("Shortcuts", "All actions on the message"),
            ("Menu", "Shift+F10"),
            message_key=_M.MENU,
        ),
    )


def message_key(event: QKeyEvent) -> MessageKey | None:
    """The conversation action bound to this key press, if any (the keypad counts as keys)."""
    combination = event.keyCombination()
    modifiers = combination.keyboardModifiers() & ~Qt.KeyboardModifier.KeypadModifier
    pressed = QKeySequence(QKeyCombination(modifiers, combination.key()))
    for shortcut in conversation_keys():
        for keys in shortcut.keys:
            if QKeySequence(keys).matches(pressed) is QKeySequence.SequenceMatch.ExactMatch:
                return shortcut.message_key
    return None


def key_sequences(shortcut_id: ShortcutId) -> list[QKeySequence]:
    for shortcut in window_shortcuts():
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
        table.setItem(row, 0, QTableWidgetItem(shortcut.label))
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
        table = shortcuts_table(window_shortcuts(), "shortcutsTable")
        table.setAccessibleName(translate("ShortcutsDialog", "Window shortcuts"))
        table.setAccessibleDescription(
            translate("ShortcutsDialog", "Keys that work anywhere in the window")
        )
        conversation = shortcuts_table(conversation_keys(), "conversationKeysTable")
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
        return [(s.label, shown_keys(s)) for s in window_shortcuts()]

    @property
    def conversation_rows(self) -> list[tuple[str, str]]:
        return [(s.label, shown_keys(s)) for s in conversation_keys()]
