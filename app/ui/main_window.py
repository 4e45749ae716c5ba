"""The main window: sidebar, chat, composer and status bar, with the menus that drive them.

The window arranges widgets, binds them to the workspace app/main.py built (the controllers, the
engine's lifecycle, the local API and MCP servers live there) and shows what the workspace
reports. It opens the dialogs; what a dialog decides goes back to the workspace.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.app_log import log_dir
from app.core.conversation import ExportFormat
from app.core.i18n import translate
from app.engine.protocol import Loaded, LoadModel
from app.paths import resource
from app.qt_bridge.engine_controller import EngineState
from app.qt_bridge.workspace import Workspace
from app.settings import Settings
from app.ui.attacher import Attacher
from app.ui.composer import Composer, ComposerMode
from app.ui.conversation_files import ConversationFiles
from app.ui.engine_notices import EngineNotices
from app.ui.notice_bar import NoticeBar, Severity
from app.ui.settings_flow import SettingsFlow
from app.ui.settings_forms import gguf_filter
from app.ui.shortcuts import ShortcutsDialog
from app.ui.sidebar import Sidebar
from app.ui.status_bar import StatusBar
from app.ui.tab_order import tab_after
from app.ui.theme import ThemeManager
from app.ui.tool_approval import ToolApprovalBar
from app.ui.window_actions import WindowActions

if TYPE_CHECKING:
    from app.ui.about_dialog import AboutDialog
    from app.ui.models_dialog import ModelsDialog
    from app.ui.switch_model_dialog import SwitchModelDialog
    from app.ui.welcome_view import WelcomeView

APP_ICON = "icons/tramontane.svg"
COMPOSER_MODES = {
    EngineState.NO_MODEL: ComposerMode.NO_MODEL,
    EngineState.LOADING: ComposerMode.LOADING,
    EngineState.READY: ComposerMode.READY,
    EngineState.GENERATING: ComposerMode.GENERATING,
    EngineState.CRASHED: ComposerMode.ENGINE_STOPPED,
}


class MainWindow(QMainWindow):
    closing = Signal()  # the window is closing: the workspace shuts its parts down

    def __init__(
        self, workspace: Workspace, chat_view: QWidget, theme: ThemeManager | None = None
    ) -> None:
        super().__init__()
        self.setWindowTitle("Tramontane")
        self.setAccessibleDescription(
            translate(
                "MainWindow",
                "Chat with Mistral Small on this computer: conversations, messages and the "
                "field to write in",
            )
        )
        self.setWindowIcon(QIcon(str(resource(APP_ICON))))
        self.resize(1180, 780)
        self.setMinimumSize(720, 480)
        self.workspace = workspace
        self.chat = workspace.chat
        self.loader = workspace.loader
        self._engine = workspace.engine
        self._settings = workspace.settings
        self._theme = theme

        self.sidebar = Sidebar(self)
        self.chat_view = chat_view
        self.notice = NoticeBar(self)
        self.composer = Composer(self)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)

        chat_pane = QWidget(self)
        chat_pane.setAccessibleName(translate("MainWindow", "Conversation"))
        chat_pane.setAccessibleDescription(
            translate(
                "MainWindow", "The messages of the open conversation and the field to write in"
            )
        )
        chat_layout = QVBoxLayout(chat_pane)
        chat_layout.setContentsMargins(0, 0, 0, 0)
        chat_layout.setSpacing(0)
        self.chat_stack = QStackedWidget(chat_pane)
        self.chat_stack.addWidget(self.chat_view)
        chat_layout.addWidget(self.chat_stack, 1)
        chat_layout.addWidget(self.notice)
        self.tool_bar = ToolApprovalBar(chat_pane)
        chat_layout.addWidget(self.tool_bar)
        chat_layout.addWidget(self.composer)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(chat_pane)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([270, 910])
        self.splitter.setAccessibleName(translate("MainWindow", "Conversations and chat"))
        self.splitter.setAccessibleDescription(
            translate("MainWindow", "The list of conversations beside the open conversation")
        )
        self.setCentralWidget(self.splitter)
        tab_after(self.sidebar, self.chat_view)  # Tab: sidebar, conversation, composer

        self.attacher = Attacher(
            self.composer.attachments,
            workspace.can_see_images,
            self,
            counter=workspace.document_costs.counter,
        )
        self.attacher.take_drops_on(self.splitter)  # the main window itself must not take drops
        self.engine_notices = EngineNotices(
            self.notice,
            workspace,
            restart_engine=self.restart_engine,
            choose_model_file=self.choose_model_file,
            get_projector=lambda: self.open_models().projector_check.setChecked(True),
        )
        self.files = ConversationFiles(self, workspace.conversations)
        self.settings_flow = SettingsFlow(self, workspace, theme)
        self.models_dialog: ModelsDialog | None = None
        self.welcome: WelcomeView | None = None

        self.commands = WindowActions(self)
        self._connect_commands()
        self._connect()
        self._on_engine_state(self._engine.state)

    # ---- building -------------------------------------------------------------------------

    def _connect_commands(self) -> None:
        commands, chat, files = self.commands, self.chat, self.files
        for action, slot in (
            (commands.new_chat, self.new_chat),
            (commands.load_model, self.choose_model_file),
            (commands.models, self.open_models),
            (commands.switch_model, self.open_switch_model),
            (commands.export_markdown, lambda: self.export_current(ExportFormat.MARKDOWN)),
            (commands.export_json, lambda: self.export_current(ExportFormat.JSON)),
            (commands.export_all, files.export_all),
            (commands.import_json, files.import_json),
            (commands.settings, self.settings_flow.open_settings),
            (commands.quit, self.close),
            (commands.stop, chat.stop),
            (commands.regenerate, chat.regenerate),
            (commands.continue_answer, chat.continue_answer),
            (commands.copy_last, self.copy_last_answer),
            (commands.search, self.sidebar.focus_search),
            (commands.focus_composer, self.composer.focus_input),
            (commands.attach, self.attacher.choose_files),
            (commands.conversation_settings, self.open_current_conversation_settings),
            (commands.restart_engine, self.restart_engine),
            (commands.tools, lambda: self.workspace.set_tools_enabled(commands.tools.isChecked())),
            (commands.shortcuts, self.show_shortcuts),
            (commands.open_log, self.open_log_folder),
            (commands.about, self.show_about),
        ):
            action.triggered.connect(slot)
        commands.tools.setChecked(self._settings.settings.tools.enabled)
        self._settings.changed.connect(
            lambda settings: commands.tools.setChecked(settings.tools.enabled)
        )

    def _connect(self) -> None:
        workspace = self.workspace
        engine = self._engine
        engine.state_changed.connect(self._on_engine_state)
        engine.loading.connect(self._on_loading)
        engine.loaded.connect(self._on_loaded)
        workspace.failed.connect(lambda text: self.show_notice(text))
        workspace.info.connect(lambda text: self.show_notice(text, Severity.INFO))
        workspace.welcome_needed.connect(self.show_welcome)
        self.loader.memory.changed.connect(self._on_memory_figures)

        composer = self.composer
        composer.send_requested.connect(self._on_send)
        composer.stop_requested.connect(self.chat.stop)
        composer.load_model_requested.connect(self.choose_model_file)
        composer.restart_engine_requested.connect(self.restart_engine)
        composer.attach_requested.connect(self.attacher.choose_files)
        composer.files_given.connect(self.attacher.add_files)
        composer.image_given.connect(self.attacher.add_image)
        self.attacher.failed.connect(lambda text: self.show_notice(text, Severity.INFO))
        self.attacher.needs_projector.connect(self.engine_notices.offer_projector)
        composer.draft_changed.connect(self._read_draft_ahead)

        chat = self.chat
        chat.busy_changed.connect(self._update_actions)
        chat.busy_changed.connect(self._read_draft_ahead)  # typed while the answer streamed
        chat.conversation_changed.connect(self._read_draft_ahead)
        chat.conversation_changed.connect(self._on_conversation_changed)
        self.status.model_clicked.connect(self._on_model_clicked)
        chat.context_changed.connect(self.attacher.set_context)
        chat.failed.connect(self.show_notice)
        chat.info.connect(lambda text: self.show_notice(text, Severity.INFO))

        sidebar = self.sidebar
        conversations = workspace.conversations
        sidebar.new_chat_requested.connect(self.new_chat)
        sidebar.conversation_selected.connect(self.open_conversation)
        sidebar.search_hit_activated.connect(self.open_conversation)
        sidebar.settings_requested.connect(self.settings_flow.open_conversation_settings)
        sidebar.export_requested.connect(self.files.export_conversation)
        conversations.list_changed.connect(lambda _items, _current: self._update_title())
        conversations.deleted.connect(
            lambda _id, title: sidebar.undo_bar.show_message(
                translate("MainWindow", "“{title}” was deleted.").format(title=title)
            )
        )
        conversations.restored.connect(self.open_conversation)
        conversations.failed.connect(self.show_notice)
        conversations.info.connect(lambda text: self.show_notice(text, Severity.INFO))

        if self._theme is not None:
            self._theme.changed.connect(lambda _dark: self.chat_view.update())

    # ---- the first run --------------------------------------------------------------------

    def show_welcome(self) -> WelcomeView:
        """The first-run view in place of the conversation, until a model starts loading."""
        from app.ui.welcome_view import WelcomeView

        if self.welcome is None:
            self.welcome = WelcomeView(self.workspace.models_controller(), self)
            self.welcome.chosen.connect(self.workspace.use_recommended)
            self.welcome.other_quant_requested.connect(self.open_models)
            self.welcome.open_file_requested.connect(self.choose_model_file)
            self.welcome.metal_limit_raised.connect(lambda _mb: self.loader.memory.limit_changed())
            self.welcome.notice.connect(lambda text: self.show_notice(text))
            self.chat_stack.addWidget(self.welcome)
        self.chat_stack.setCurrentWidget(self.welcome)
        self.composer.hide()
        self.welcome.refresh()
        self.loader.memory.probe()
        return self.welcome

    def _on_memory_figures(self) -> None:
        """The engine reported its GPUs: judge again on the page that shows verdicts."""
        if self.welcome is not None and self.chat_stack.currentWidget() is self.welcome:
            self.welcome.refresh()

    def _hide_welcome(self) -> None:
        if self.welcome is not None and self.chat_stack.currentWidget() is self.welcome:
            self.chat_stack.setCurrentWidget(self.chat_view)
            self.composer.show()

    # ---- notices --------------------------------------------------------------------------

    def show_notice(
        self,
        text: str,
        severity: Severity = Severity.ERROR,
        detail: str = "",
        action: tuple[str, Callable[[], object]] | None = None,
    ) -> None:
        self.notice.show_notice(text, severity, detail=detail, action=action)

    # ---- engine ---------------------------------------------------------------------------

    def _on_engine_state(self, state: EngineState) -> None:
        self.composer.set_mode(COMPOSER_MODES[state])
        if state is EngineState.NO_MODEL:
            self.status.show_no_model()
        elif state is EngineState.CRASHED:
            self.status.show_no_model(translate("MainWindow", "Engine stopped"))
        self._update_actions()

    def _on_loading(self, command: LoadModel) -> None:
        self._hide_welcome()
        self.status.show_loading(command.model_path.name)
        self.composer.set_mode(
            ComposerMode.LOADING,
            translate("MainWindow", "Loading {file}…").format(file=command.model_path.name),
        )

    def _on_loaded(self, loaded: Loaded) -> None:
        self.status.show_model(loaded)
        if self.notice.isVisible() and self.notice.severity is Severity.ERROR:
            self.notice.dismiss()
        self.chat.refresh_context()

    def choose_model_file(self) -> None:
        current = self._settings.settings.model.model_path
        start = str(current.parent) if current else ""
        chosen, _ = QFileDialog.getOpenFileName(
            self, translate("MainWindow", "Load a model"), start, gguf_filter()
        )
        if chosen:
            self.loader.load(Path(chosen))

    def open_models(self) -> ModelsDialog:
        """File → Models…: one window, kept while the app runs so a download goes on in it."""
        from app.ui.models_dialog import ModelsDialog

        if self.models_dialog is None:
            self.models_dialog = ModelsDialog(
                self.workspace.models_controller(),
                engine=self._engine,
                settings=self._settings,
                loader=self.loader,
                parent=self,
            )
        self.models_dialog.show()
        self.models_dialog.raise_()
        self.models_dialog.refresh()
        return self.models_dialog

    def _on_model_clicked(self) -> None:
        if self._engine.loaded_model is None:
            self.open_models()
        else:
            self.open_switch_model()

    def open_switch_model(self) -> SwitchModelDialog:
        """Another downloaded quant or context size, with the planner's verdict first."""
        from app.ui.switch_model_dialog import SwitchModelDialog

        controller = self.workspace.models_controller()
        dialog = SwitchModelDialog(controller, self._settings, self.loader, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        dialog.refresh()
        return dialog

    def restart_engine(self) -> None:
        self.notice.dismiss()
        self.workspace.restart_engine()

    # ---- chat -----------------------------------------------------------------------------

    def _on_send(self, text: str) -> None:
        """Send what the composer holds; it stays there when images cannot go with it yet."""
        images = self.composer.attachments.images
        if self.attacher.busy:
            self.show_notice(
                translate(
                    "MainWindow", "Attachments are still being prepared; send once they appear."
                ),
                Severity.INFO,
            )
            return
        if images and not self.workspace.can_see_images():
            self.engine_notices.offer_projector()
            return
        if self.chat.send(text, images, self.composer.attachments.documents):
            self.composer.clear()

    def _read_draft_ahead(self) -> None:
        attachments = self.composer.attachments
        self.workspace.draft_reader.draft_changed(
            self.composer.text(), attachments.images, attachments.documents
        )

    def _update_actions(self) -> None:
        generating = self._engine.state is EngineState.GENERATING
        ready = self._engine.state is EngineState.READY
        commands = self.commands
        commands.stop.setEnabled(generating)
        commands.regenerate.setEnabled(ready and self.chat.can_regenerate)
        commands.continue_answer.setEnabled(ready and self.chat.can_continue)
        commands.attach.setEnabled(ready or generating)
        has_conversation = self.chat.conversation_id is not None
        for action in (commands.export_markdown, commands.export_json):
            action.setEnabled(has_conversation)
        commands.conversation_settings.setEnabled(has_conversation)
        stuck = self._engine.state in (EngineState.CRASHED, EngineState.LOADING)
        commands.restart_engine.setEnabled(stuck)

    def _on_conversation_changed(self, conversation_id: int | None) -> None:
        self.sidebar.select_conversation(conversation_id)
        self._update_title()
        self._update_actions()

    def _update_title(self) -> None:
        conversation_id = self.chat.conversation_id
        conversations = self.workspace.conversations
        title = conversations.title_of(conversation_id) if conversation_id else None
        self.setWindowTitle(
            translate("MainWindow", "{title} — Tramontane").format(title=title)
            if title
            else "Tramontane"
        )

    def new_chat(self) -> None:
        self.chat.new_conversation()
        self.sidebar.clear_search()
        self.composer.focus_input()

    def open_conversation(self, conversation_id: int, message_id: int | None = None) -> None:
        self.chat.open_conversation(conversation_id, focus_message_id=message_id)

    def copy_last_answer(self) -> None:
        text = self.chat.last_answer_text()
        if text is None:
            self.status.showMessage(
                translate("MainWindow", "There is no answer to copy yet."), 3000
            )
            return
        QGuiApplication.clipboard().setText(text)
        self.status.showMessage(translate("MainWindow", "The last answer was copied."), 3000)

    # ---- dialogs --------------------------------------------------------------------------

    def apply_settings(self, settings: Settings) -> None:
        """Settings the user accepted, as the Settings window's OK gives them."""
        self.settings_flow.apply(settings)

    def open_current_conversation_settings(self) -> None:
        if self.chat.conversation_id is not None:
            self.settings_flow.open_conversation_settings(self.chat.conversation_id)

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self).exec()

    def open_log_folder(self) -> None:
        """Show the log folder in the system's file manager, to attach the log to a report."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))

    def show_about(self) -> AboutDialog:
        from app.ui.about_dialog import AboutDialog

        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def export_current(self, export_format: ExportFormat) -> None:
        if self.chat.conversation_id is not None:
            self.files.export_conversation(self.chat.conversation_id, export_format)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)
