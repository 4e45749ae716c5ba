"""The main window's commands: one QAction each, with its text, shortcut and place in the menus.

The window connects each action to what it does and enables it as the state allows.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from app.ui.shortcuts import ShortcutId, key_sequences


class WindowActions:
    def __init__(self, window: QMainWindow) -> None:
        self._window = window
        self.new_chat = self._add("New chat", ShortcutId.NEW_CHAT)
        self.load_model = self._add("Load model…")
        self.models = self._add("Models…")
        self.switch_model = self._add("Switch model or context…")
        self.export_markdown = self._add("Export conversation as Markdown…")
        self.export_json = self._add("Export conversation as JSON…")
        self.export_all = self._add("Export all conversations…")
        self.import_json = self._add("Import conversations from JSON…")
        self.settings = self._add("Settings…", ShortcutId.SETTINGS)
        self.settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.quit = self._add("Quit", ShortcutId.QUIT)
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)

        self.stop = self._add("Stop", ShortcutId.STOP)
        self.regenerate = self._add("Regenerate answer", ShortcutId.REGENERATE)
        self.continue_answer = self._add("Continue answer")
        self.copy_last = self._add("Copy last answer", ShortcutId.COPY_LAST_ANSWER)
        self.search = self._add("Search conversations", ShortcutId.SEARCH)
        self.focus_composer = self._add("Go to the message field", ShortcutId.FOCUS_COMPOSER)
        self.attach = self._add("Attach images, scans or documents…", ShortcutId.ATTACH)
        self.conversation_settings = self._add("Conversation settings…")
        self.restart_engine = self._add("Restart engine")
        self.tools = self._add("Let the model call tools")
        self.tools.setCheckable(True)
        self.shortcuts = self._add("Keyboard shortcuts", ShortcutId.SHORTCUTS_HELP)
        self.open_log = self._add("Open log folder")
        self.about = self._add("About Tramontane")
        self.about.setMenuRole(QAction.MenuRole.AboutRole)
        self._fill_menus()

    def _add(self, text: str, shortcut: ShortcutId | None = None) -> QAction:
        action = QAction(text, self._window)
        if shortcut is not None:
            action.setShortcuts(key_sequences(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self._window.addAction(action)
        return action

    def _fill_menus(self) -> None:
        menus: tuple[tuple[str, tuple[QAction | None, ...]], ...] = (
            (
                "&File",
                (
                    *(self.new_chat, self.load_model, self.models, None),
                    *(self.export_markdown, self.export_json, self.export_all, self.import_json),
                    *(None, self.settings, None, self.quit),
                ),
            ),
            (
                "&Chat",
                (
                    *(self.stop, self.regenerate, self.continue_answer, self.copy_last, None),
                    *(self.search, self.focus_composer, self.attach, self.conversation_settings),
                    *(None, self.tools, self.switch_model, self.restart_engine),
                ),
            ),
            ("&Help", (self.shortcuts, self.open_log, self.about)),
        )
        bar = self._window.menuBar()
        for title, actions in menus:
            menu = bar.addMenu(title)
            for action in actions:
                if action is None:
                    menu.addSeparator()
                else:
                    menu.addAction(action)
