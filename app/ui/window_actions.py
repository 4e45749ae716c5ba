"""The main window's commands: one QAction each, with its text, shortcut and place in the menus.

The window connects each action to what it does and enables it as the state allows.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from app.core.i18n import translate
from app.ui.shortcuts import ShortcutId, key_sequences


class WindowActions:
    def __init__(self, window: QMainWindow) -> None:
        self._window = window
        self.new_chat = self._add(
            translate("WindowActions", "&New chat"),
            translate("WindowActions", "Starts an empty conversation"),
            ShortcutId.NEW_CHAT,
        )
        self.load_model = self._add(
            translate("WindowActions", "&Load model…"),
            translate("WindowActions", "Loads a GGUF model file from this computer"),
        )
        self.models = self._add(
            translate("WindowActions", "&Models…"),
            translate("WindowActions", "Opens the models to download, load or delete"),
        )
        self.switch_model = self._add(
            translate("WindowActions", "S&witch model or context…"),
            translate(
                "WindowActions", "Loads another downloaded quantization or another context size"
            ),
        )
        self.export_markdown = self._add(
            translate("WindowActions", "Export conversation as Mar&kdown…"),
            translate("WindowActions", "Saves the open conversation as a Markdown file"),
        )
        self.export_json = self._add(
            translate("WindowActions", "Export conversation as &JSON…"),
            translate("WindowActions", "Saves the open conversation as a JSON file"),
        )
        self.export_all = self._add(
            translate("WindowActions", "&Export all conversations…"),
            translate("WindowActions", "Saves every conversation in one JSON file"),
        )
        self.import_json = self._add(
            translate("WindowActions", "&Import conversations from JSON…"),
            translate("WindowActions", "Adds the conversations of an exported JSON file"),
        )
        self.settings = self._add(
            translate("WindowActions", "&Settings…"),
            translate("WindowActions", "Opens the settings of the model, the answers and the app"),
            ShortcutId.SETTINGS,
        )
        self.settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.quit = self._add(
            translate("WindowActions", "&Quit"),
            translate("WindowActions", "Closes Tramontane; conversations are saved"),
            ShortcutId.QUIT,
        )
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)

        self.stop = self._add(
            translate("WindowActions", "&Stop"),
            translate("WindowActions", "Stops the answer being written; what it wrote stays"),
            ShortcutId.STOP,
        )
        self.regenerate = self._add(
            translate("WindowActions", "&Regenerate answer"),
            translate("WindowActions", "Writes the last answer again; the old one is kept"),
            ShortcutId.REGENERATE,
        )
        self.continue_answer = self._add(
            translate("WindowActions", "C&ontinue answer"),
            translate("WindowActions", "Goes on with an answer that was cut off"),
        )
        self.copy_last = self._add(
            translate("WindowActions", "&Copy last answer"),
            translate("WindowActions", "Copies the last answer to the clipboard"),
            ShortcutId.COPY_LAST_ANSWER,
        )
        self.search = self._add(
            translate("WindowActions", "Searc&h conversations"),
            translate("WindowActions", "Goes to the search field of the sidebar"),
            ShortcutId.SEARCH,
        )
        self.focus_composer = self._add(
            translate("WindowActions", "&Go to the message field"),
            translate("WindowActions", "Moves the keyboard focus to the field you write in"),
            ShortcutId.FOCUS_COMPOSER,
        )
        self.attach = self._add(
            translate("WindowActions", "&Attach images, scans or documents…"),
            translate("WindowActions", "Chooses files to send with the next message"),
            ShortcutId.ATTACH,
        )
        self.conversation_settings = self._add(
            translate("WindowActions", "Co&nversation settings…"),
            translate("WindowActions", "Opens the settings of the open conversation only"),
        )
        self.restart_engine = self._add(
            translate("WindowActions", "Restart &engine"),
            translate("WindowActions", "Starts the engine again with the same model"),
        )
        self.tools = self._add(
            translate("WindowActions", "Let the model call &tools"),
            translate("WindowActions", "Offers the tools to the model in every conversation"),
        )
        self.tools.setCheckable(True)
        self.shortcuts = self._add(
            translate("WindowActions", "&Keyboard shortcuts"),
            translate("WindowActions", "Lists the keys of every command"),
            ShortcutId.SHORTCUTS_HELP,
        )
        self.open_log = self._add(
            translate("WindowActions", "Open &log folder"),
            translate(
                "WindowActions", "Shows the folder of the program's log, to attach to a report"
            ),
        )
        self.about = self._add(
            translate("WindowActions", "&About Tramontane"),
            translate(
                "WindowActions", "Shows the version and the licenses of what Tramontane is made of"
            ),
        )
        self.about.setMenuRole(QAction.MenuRole.AboutRole)
        self._fill_menus()

    def _add(self, text: str, description: str, shortcut: ShortcutId | None = None) -> QAction:
        """An action of the window; its description shows in the status bar while the action
        is highlighted in a menu."""
        action = QAction(text, self._window)
        action.setStatusTip(description)
        if shortcut is not None:
            action.setShortcuts(key_sequences(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self._window.addAction(action)
        return action

    def _fill_menus(self) -> None:
        menus: tuple[tuple[str, tuple[QAction | None, ...]], ...] = (
            (
                translate("WindowActions", "&File"),
                (
                    *(self.new_chat, self.load_model, self.models, None),
                    *(self.export_markdown, self.export_json, self.export_all, self.import_json),
                    *(None, self.settings, None, self.quit),
                ),
            ),
            (
                translate("WindowActions", "&Chat"),
                (
                    *(self.stop, self.regenerate, self.continue_answer, self.copy_last, None),
                    *(self.search, self.focus_composer, self.attach, self.conversation_settings),
                    *(None, self.tools, self.switch_model, self.restart_engine),
                ),
            ),
            (translate("WindowActions", "&Help"), (self.shortcuts, self.open_log, self.about)),
        )
        bar = self._window.menuBar()
        for title, actions in menus:
            menu = bar.addMenu(title)
            for action in actions:
                if action is None:
                    menu.addSeparator()
                else:
                    menu.addAction(action)
