"""The file pickers of exporting and importing conversations; the controller does the writing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from app.core.conversation import ExportFormat
from app.core.i18n import translate
from app.qt_bridge.conversations_controller import ConversationsController


class ConversationFiles:
    def __init__(self, parent: QWidget, conversations: ConversationsController) -> None:
        self._parent = parent
        self._conversations = conversations

    def export_conversation(self, conversation_id: int, export_format: ExportFormat) -> None:
        suffix, file_filter = (
            (".md", "Markdown (*.md)")
            if export_format is ExportFormat.MARKDOWN
            else (".json", "JSON (*.json)")
        )
        name = self._conversations.file_name_for(conversation_id) + suffix
        chosen, _ = QFileDialog.getSaveFileName(
            self._parent,
            translate("ConversationFiles", "Export the conversation"),
            str(Path.home() / name),
            file_filter,
        )
        if chosen:
            self._conversations.export_conversation(conversation_id, export_format, Path(chosen))

    def export_all(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self._parent,
            translate("ConversationFiles", "Export all conversations"),
            str(Path.home() / "tramontane-conversations.json"),
            "JSON (*.json)",
        )
        if chosen:
            self._conversations.export_all(Path(chosen))

    def import_json(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self._parent,
            translate("ConversationFiles", "Import conversations"),
            str(Path.home()),
            "JSON (*.json)",
        )
        if chosen:
            self._conversations.import_file(Path(chosen))
