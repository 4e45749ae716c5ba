"""The Settings window and a conversation's settings: opened over the main window, and what the
user accepts handed to the workspace (the theme is applied here, being the window's own)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.qt_bridge.workspace import Workspace
from app.settings import Settings
from app.ui.conversation_settings_dialog import ConversationSettingsDialog
from app.ui.settings_dialog import SettingsDialog
from app.ui.theme import ThemeManager


class SettingsFlow:
    def __init__(self, parent: QWidget, workspace: Workspace, theme: ThemeManager | None) -> None:
        self._parent = parent
        self._workspace = workspace
        self._theme = theme

    def open_settings(self) -> None:
        workspace = self._workspace
        dialog = SettingsDialog(
            workspace.settings.settings,
            self._parent,
            tools=workspace.tools.tools(),
            tool_errors=workspace.tools.errors,
            mcp=workspace.mcp,
        )
        if self._theme is not None:
            dialog.appearance_previewed.connect(self._theme.apply)
        dialog.snapshots.delete_all_requested.connect(workspace.snapshots.delete_all)
        workspace.snapshots.usage_changed.connect(dialog.snapshots.show_usage)
        workspace.snapshots.refresh()
        accepted = dialog.exec() == SettingsDialog.DialogCode.Accepted
        workspace.snapshots.usage_changed.disconnect(dialog.snapshots.show_usage)
        dialog.deleteLater()  # opened again, a new one is built
        if accepted:
            self.apply(dialog.settings())

    def apply(self, settings: Settings) -> None:
        if self._theme is not None:
            self._theme.apply(settings.appearance)
        self._workspace.apply_settings(settings)

    def open_conversation_settings(self, conversation_id: int) -> None:
        chat = self._workspace.chat
        title, overrides = chat.overrides_of(conversation_id)
        dialog = ConversationSettingsDialog(
            title,
            overrides,
            self._workspace.settings.settings,
            self._parent,
            prompt_date=chat.conversation_date(conversation_id),
        )
        accepted = dialog.exec() == ConversationSettingsDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted:
            self._workspace.set_conversation_settings(
                conversation_id, dialog.overrides(), renew_date=dialog.renew_date
            )
