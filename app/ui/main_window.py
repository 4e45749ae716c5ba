"""The main window: sidebar, chat, composer and status bar, with the menus that drive them.

The window only arranges widgets and forwards the user's intent; the controllers do the work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QIcon,
    QImage,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.app_log import log_dir
from app.core.conversation import ExportFormat
from app.engine.protocol import EngineError, ErrorKind, Loaded, LoadModel
from app.models.local_models import projector_beside
from app.paths import data_dir, resource
from app.qt_bridge.chat_controller import ChatController
from app.qt_bridge.chat_ports import (
    ChatSurface,
    ContextOverflowDecision,
    ContextOverflowFacts,
    WindowStore,
)
from app.qt_bridge.conversations_controller import ConversationsController
from app.qt_bridge.document_costs import DocumentCosts
from app.qt_bridge.draft_reader import DraftReader
from app.qt_bridge.engine_choice import client_factory_for, server_load, uses_server
from app.qt_bridge.engine_controller import EngineController, EngineState
from app.qt_bridge.local_api import ApiBroker, LocalApiServer
from app.qt_bridge.mcp_manager import McpManager
from app.qt_bridge.model_loader import ModelLoader
from app.qt_bridge.settings_controller import SettingsController
from app.qt_bridge.snapshot_bridge import (
    PROGRESS_SHOWN_MS,
    SnapshotBridge,
    describe_read_progress,
)
from app.qt_bridge.tool_box import ToolBox
from app.settings import (
    ConversationOverrides,
    EngineChoice,
    RemoteSettings,
    Settings,
    same_load,
)
from app.tools.mcp_servers import MCP_CONFIG_FILE
from app.ui.attacher import Attacher
from app.ui.composer import Composer, ComposerMode, local_files
from app.ui.context_dialog import ContextLimitDialog
from app.ui.notice_bar import NoticeBar, Severity
from app.ui.settings_dialog import GGUF_FILTER, ConversationSettingsDialog, SettingsDialog
from app.ui.shortcuts import ShortcutId, ShortcutsDialog, key_sequences
from app.ui.sidebar import Sidebar
from app.ui.status_bar import StatusBar
from app.ui.tab_order import tab_after
from app.ui.theme import ThemeManager
from app.ui.tool_approval import ToolApprovalBar

APP_ICON = "icons/tramontane.svg"

ERROR_ADVICE: dict[ErrorKind, str] = {
    ErrorKind.FILE_NOT_FOUND: "Check that the file is still there.",
    ErrorKind.NOT_GGUF: "Choose a .gguf model file.",
    ErrorKind.TRUNCATED: "The file is incomplete; download it again.",
    ErrorKind.UNSUPPORTED_ARCHITECTURE: "Tramontane runs Mistral Small 3.2 GGUF files.",
    ErrorKind.CONTEXT_TOO_LARGE: "Choose a smaller context size in Settings.",
    ErrorKind.BAD_MMPROJ: "Choose the vision projector that belongs to this model in Settings.",
    ErrorKind.OUT_OF_MEMORY: (
        "Try a smaller quant, a smaller context size, a quantized KV cache or fewer GPU layers."
    ),
    ErrorKind.TEMPLATE: "The model's chat template could not be used.",
    ErrorKind.PROMPT_TOO_LONG: "Shorten the message or start a new conversation.",
    ErrorKind.BAD_IMAGE: "Remove the image from the message, or attach it again.",
}

if TYPE_CHECKING:
    from app.models.fit_planner import Proposal
    from app.qt_bridge.models_controller import DownloadDone, ModelsController
    from app.ui.about_dialog import AboutDialog
    from app.ui.models_dialog import ModelsDialog
    from app.ui.switch_model_dialog import SwitchModelDialog
    from app.ui.welcome_view import WelcomeView


def error_text(error: EngineError) -> str:
    advice = ERROR_ADVICE.get(error.kind)
    return f"{error.message} {advice}" if advice else error.message


class MainWindow(QMainWindow):
    def __init__(
        self,
        *,
        settings: SettingsController,
        store: WindowStore,
        engine: EngineController,
        chat_view: QWidget,
        theme: ThemeManager | None = None,
        models_factory: Callable[[], ModelsController] | None = None,
        tools: ToolBox | None = None,
    ) -> None:
        super().__init__()
        if not isinstance(chat_view, ChatSurface):
            raise TypeError("the chat view must provide the ChatSurface interface")
        self.setWindowTitle("Tramontane")
        self.setWindowIcon(QIcon(str(resource(APP_ICON))))
        self.resize(1180, 780)
        self.setMinimumSize(720, 480)
        self._settings = settings
        self._store = store
        self._engine = engine
        self._theme = theme

        self.sidebar = Sidebar(self)
        self.chat_view = chat_view
        self.notice = NoticeBar(self)
        self.composer = Composer(self)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)

        chat_pane = QWidget(self)
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
        self.setCentralWidget(self.splitter)
        tab_after(self.sidebar, self.chat_view)  # Tab: sidebar, conversation, composer

        self.loader = ModelLoader(engine, settings, self)
        self.tools = tools or ToolBox(parent=self)
        self.engine_choice = ConversationOverrides().engine_for(settings.settings)
        # The engine of this computer, as built (the window may switch to a server and back).
        self._local_factory = (
            engine.client_factory
            if self.engine_choice is EngineChoice.LOCAL
            else client_factory_for(replace(settings.settings, remote=RemoteSettings()))
        )
        self.api_broker = ApiBroker(engine, lambda: self.chat.busy, self)
        self.api_server: LocalApiServer | None = None
        self.document_costs = DocumentCosts(self.loader.current_path)
        self.attacher = Attacher(
            self.composer.attachments,
            self.can_see_images,
            self,
            counter=self.document_costs.counter,
        )
        self.splitter.setAcceptDrops(True)  # the main window itself must not take drops
        self.splitter.installEventFilter(self)
        self.mcp = McpManager(
            data_dir() / MCP_CONFIG_FILE, self.tools, settings.settings.tools.timeout_s, self
        )
        self._models_factory = models_factory
        self._models_controller: ModelsController | None = None
        self.models_dialog: ModelsDialog | None = None
        self.welcome: WelcomeView | None = None
        self.chat = ChatController(
            store=store,
            engine=engine,
            settings=settings,
            view=self.chat_view,
            ask_context_overflow=self.ask_context_overflow,
            tools=self.tools,
            parent=self,
        )
        self.draft_reader = DraftReader(engine, settings, self.chat.draft_prompt, parent=self)
        self.conversations = ConversationsController(store, parent=self)
        self.snapshots = SnapshotBridge(engine, settings, data_dir(), parent=self)
        chat_view.edit_submitted.connect(self.chat.edit_message)
        chat_view.regenerate_requested.connect(lambda _id: self.chat.regenerate())
        chat_view.continue_requested.connect(lambda _id: self.chat.continue_answer())
        chat_view.alternative_requested.connect(self.chat.select_alternative)
        chat_view.delete_requested.connect(self.chat.delete_message)

        self._build_actions()
        self._build_menus()
        self._connect()
        self.conversations.refresh(self.chat.conversation_id)
        self._on_engine_state(engine.state)

    # ---- building -------------------------------------------------------------------------

    def _action(self, text: str, slot: object, shortcut: ShortcutId | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcuts(key_sequences(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.new_chat_action = self._action("New chat", self.new_chat, ShortcutId.NEW_CHAT)
        self.load_model_action = self._action("Load model…", self.choose_model_file)
        self.models_action = self._action("Models…", self.open_models)
        self.switch_model_action = self._action("Switch model or context…", self.open_switch_model)
        self.export_markdown_action = self._action(
            "Export conversation as Markdown…", lambda: self.export_current(ExportFormat.MARKDOWN)
        )
        self.export_json_action = self._action(
            "Export conversation as JSON…", lambda: self.export_current(ExportFormat.JSON)
        )
        self.export_all_action = self._action("Export all conversations…", self.export_all)
        self.import_action = self._action("Import conversations from JSON…", self.import_json)
        self.settings_action = self._action("Settings…", self.open_settings, ShortcutId.SETTINGS)
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.quit_action = self._action("Quit", self.close, ShortcutId.QUIT)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        self.stop_action = self._action("Stop", self.chat.stop, ShortcutId.STOP)
        self.regenerate_action = self._action(
            "Regenerate answer", self.chat.regenerate, ShortcutId.REGENERATE
        )
        self.continue_action = self._action("Continue answer", self.chat.continue_answer)
        self.copy_last_action = self._action(
            "Copy last answer", self.copy_last_answer, ShortcutId.COPY_LAST_ANSWER
        )
        self.search_action = self._action(
            "Search conversations", self.sidebar.focus_search, ShortcutId.SEARCH
        )
        self.focus_composer_action = self._action(
            "Go to the message field", self.composer.focus_input, ShortcutId.FOCUS_COMPOSER
        )
        self.attach_action = self._action(
            "Attach images, scans or documents…", self.attacher.choose_files, ShortcutId.ATTACH
        )
        self.conversation_settings_action = self._action(
            "Conversation settings…", self.open_current_conversation_settings
        )
        self.restart_engine_action = self._action("Restart engine", self.restart_engine)
        self.tools_action = self._action("Let the model call tools", self._toggle_tools)
        self.tools_action.setCheckable(True)
        self.tools_action.setChecked(self._settings.settings.tools.enabled)
        self.shortcuts_action = self._action(
            "Keyboard shortcuts", self.show_shortcuts, ShortcutId.SHORTCUTS_HELP
        )
        self.open_log_action = self._action("Open log folder", self.open_log_folder)
        self.about_action = self._action("About Tramontane", self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.new_chat_action)
        file_menu.addAction(self.load_model_action)
        file_menu.addAction(self.models_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_markdown_action)
        file_menu.addAction(self.export_json_action)
        file_menu.addAction(self.export_all_action)
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        chat_menu: QMenu = bar.addMenu("&Chat")
        for action in (
            self.stop_action,
            self.regenerate_action,
            self.continue_action,
            self.copy_last_action,
        ):
            chat_menu.addAction(action)
        chat_menu.addSeparator()
        chat_menu.addAction(self.search_action)
        chat_menu.addAction(self.focus_composer_action)
        chat_menu.addAction(self.attach_action)
        chat_menu.addAction(self.conversation_settings_action)
        chat_menu.addSeparator()
        chat_menu.addAction(self.tools_action)
        chat_menu.addAction(self.switch_model_action)
        chat_menu.addAction(self.restart_engine_action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.open_log_action)
        help_menu.addAction(self.about_action)

    def _connect(self) -> None:
        engine = self._engine
        engine.state_changed.connect(self._on_engine_state)
        engine.loading.connect(self._on_loading)
        engine.loaded.connect(self._on_loaded)
        engine.error.connect(self._on_engine_error)
        engine.confirm_load.connect(self._confirm_load)
        self.loader.confirm_unverified.connect(self._confirm_unverified)
        self.loader.refused.connect(lambda text: self.show_notice(text))
        self.loader.retrying.connect(lambda text: self.show_notice(text, Severity.INFO))
        self.loader.memory.changed.connect(self._on_memory_figures)
        self._settings.save_failed.connect(lambda text: self.show_notice(text))

        composer = self.composer
        composer.send_requested.connect(self._on_send)
        composer.stop_requested.connect(self.chat.stop)
        composer.load_model_requested.connect(self.choose_model_file)
        composer.restart_engine_requested.connect(self.restart_engine)
        composer.attach_requested.connect(self.attacher.choose_files)
        composer.files_given.connect(self.attacher.add_files)
        composer.image_given.connect(self.attacher.add_image)
        self.attacher.failed.connect(lambda text: self.show_notice(text, Severity.INFO))
        self.attacher.needs_projector.connect(self._offer_projector)
        composer.draft_changed.connect(self._read_draft_ahead)

        chat = self.chat
        chat.busy_changed.connect(self._update_actions)
        chat.busy_changed.connect(self._read_draft_ahead)  # typed while the answer streamed
        chat.conversation_changed.connect(self._read_draft_ahead)
        chat.conversation_changed.connect(self._on_conversation_changed)
        chat.conversations_changed.connect(
            lambda: self.conversations.refresh(self.chat.conversation_id)
        )
        self.status.model_clicked.connect(self._on_model_clicked)
        chat.context_changed.connect(self.status.set_context)
        chat.context_changed.connect(self.attacher.set_context)
        chat.image_tokens_changed.connect(self.status.set_image_tokens)
        chat.busy_changed.connect(lambda _busy: self.api_broker.try_next())
        self.api_broker.queue_changed.connect(self.status.set_api_activity)
        chat.speed_changed.connect(self.status.set_speed)
        chat.failed.connect(self.show_notice)
        chat.info.connect(lambda text: self.show_notice(text, Severity.INFO))
        chat.approval_needed.connect(self.tool_bar.ask)
        chat.tool_started.connect(self.tool_bar.show_running)
        chat.tool_ended.connect(self.tool_bar.hide)
        self.tool_bar.run_requested.connect(self.chat.approve)
        self.tool_bar.skip_requested.connect(self.chat.skip)
        self.tool_bar.cancel_requested.connect(self.chat.stop)
        self.mcp.failed.connect(lambda text: self.show_notice(text, Severity.INFO))

        sidebar = self.sidebar
        sidebar.new_chat_requested.connect(self.new_chat)
        sidebar.conversation_selected.connect(self.open_conversation)
        sidebar.search_hit_activated.connect(self.open_conversation)
        sidebar.rename_requested.connect(self.conversations.rename)
        sidebar.pin_requested.connect(self.conversations.pin)
        sidebar.delete_requested.connect(self.delete_conversation)
        sidebar.undo_requested.connect(self.conversations.undo_delete)
        sidebar.settings_requested.connect(self.open_conversation_settings)
        sidebar.export_requested.connect(self.export_conversation)
        sidebar.search_changed.connect(self.conversations.search)

        conversations = self.conversations
        conversations.list_changed.connect(self.sidebar.set_conversations)
        conversations.list_changed.connect(lambda _items, _current: self._update_title())
        conversations.search_finished.connect(self.sidebar.set_search_results)
        conversations.deleted.connect(
            lambda _id, title: self.sidebar.undo_bar.show_message(f"“{title}” was deleted.")
        )
        conversations.deleted.connect(lambda id_, _title: self.snapshots.forget(id_))
        self.snapshots.notice.connect(lambda text: self.show_notice(text, Severity.INFO))
        self._engine.read_progress.connect(
            lambda event: self.status.showMessage(describe_read_progress(event), PROGRESS_SHOWN_MS)
        )
        conversations.restored.connect(self.open_conversation)
        conversations.failed.connect(self.show_notice)
        conversations.info.connect(lambda text: self.show_notice(text, Severity.INFO))
        self.sidebar.undo_bar.expired.connect(conversations.forget_deleted)

        if self._theme is not None:
            self._theme.changed.connect(lambda _dark: self.chat_view.update())

    # ---- start ----------------------------------------------------------------------------

    def start(self) -> None:
        """Once the window is shown: start the MCP servers, and load the model of the last
        session or welcome a new user."""
        self.mcp.start()
        self._apply_api(self._settings.settings)
        if uses_server(self._settings.settings):
            self._engine.load_model(server_load())
        elif self._settings.settings.model.model_path is None:
            self.show_welcome()
        else:
            QTimer.singleShot(0, self.loader.load_remembered)

    def show_welcome(self) -> WelcomeView:
        """The first-run view in place of the conversation, until a model starts loading."""
        from app.ui.welcome_view import WelcomeView

        if self.welcome is None:
            self.welcome = WelcomeView(self.models_controller(), self)
            self.welcome.chosen.connect(self._use_recommended)
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

    def _use_recommended(self, done: DownloadDone, proposal: Proposal) -> None:
        """Load a model the welcome view fetched, with the context and KV cache it proposed."""
        current = self._settings.settings
        model = replace(
            current.model,
            n_ctx=proposal.n_ctx,
            kv_cache_type=proposal.kv_type,
            mmproj_path=done.projector_path or current.model.mmproj_path,
        )
        self._settings.update(replace(current, model=model))
        self.loader.load(done.model_path, confirmed=True)  # the welcome page asked

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
        mode = {
            EngineState.NO_MODEL: ComposerMode.NO_MODEL,
            EngineState.LOADING: ComposerMode.LOADING,
            EngineState.READY: ComposerMode.READY,
            EngineState.GENERATING: ComposerMode.GENERATING,
            EngineState.CRASHED: ComposerMode.ENGINE_STOPPED,
        }[state]
        self.composer.set_mode(mode)
        if state is EngineState.NO_MODEL:
            self.status.show_no_model()
        elif state is EngineState.CRASHED:
            self.status.show_no_model("Engine stopped")
        self._update_actions()

    def _on_loading(self, command: LoadModel) -> None:
        self._hide_welcome()
        self.status.show_loading(command.model_path.name)
        self.composer.set_mode(ComposerMode.LOADING, f"Loading {command.model_path.name}…")

    def _on_loaded(self, loaded: Loaded) -> None:
        self.status.show_model(loaded)
        if self.notice.isVisible() and self.notice.severity is Severity.ERROR:
            self.notice.dismiss()
        self.chat.refresh_context()

    def _on_engine_error(self, error: EngineError) -> None:
        if self.loader.retry_smaller(error):
            return
        if error.kind is ErrorKind.ENGINE_CRASHED:
            self.show_notice(
                f"{error.message} What was written of the answer was kept.",
                detail=error.detail,
                action=("Restart engine", self.restart_engine),
            )
            return
        if error.kind is ErrorKind.TEMPLATE and error.request_id is None:  # at load time
            self.show_notice(
                error_text(error),
                detail=error.detail,
                action=("Use the built-in template", self.loader.load_with_builtin_template),
            )
            return
        self.show_notice(error_text(error), detail=error.detail)

    def _confirm_load(self, command: LoadModel, reason: str) -> None:
        self.show_notice(
            reason,
            action=("Load it anyway", lambda: self._engine.load_model(command, confirmed=True)),
        )

    def _confirm_unverified(self, path: Path) -> None:
        self.show_notice(
            f"{path.name} is unverified: the hub it came from gave no SHA-256 to check its bytes "
            "against. Load it only if you trust where it came from.",
            action=("Load it anyway", lambda: self.loader.load(path, confirmed=True)),
        )

    def choose_model_file(self) -> None:
        current = self._settings.settings.model.model_path
        start = str(current.parent) if current else ""
        chosen, _ = QFileDialog.getOpenFileName(self, "Load a model", start, GGUF_FILTER)
        if chosen:
            self.loader.load(Path(chosen))

    def models_controller(self) -> ModelsController:
        """The one models controller, shared by the Models window and the welcome view so that
        a download started in one shows in the other."""
        from app.qt_bridge.models_controller import ModelsController  # hub code: load on demand

        if self._models_controller is None:
            self._models_controller = (
                self._models_factory()
                if self._models_factory is not None
                else ModelsController(
                    settings=lambda: self._settings.settings,
                    budget=self.loader.memory.budget,
                    parent=self,
                )
            )
        return self._models_controller

    def open_models(self) -> ModelsDialog:
        """File → Models…: one window, kept while the app runs so a download goes on in it."""
        from app.ui.models_dialog import ModelsDialog

        if self.models_dialog is None:
            self.models_dialog = ModelsDialog(
                self.models_controller(),
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

        dialog = SwitchModelDialog(self.models_controller(), self._settings, self.loader, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        dialog.refresh()
        return dialog

    def restart_engine(self) -> None:
        self.notice.dismiss()
        if self._engine.pending_load is None:
            self.loader.load_remembered()
        else:
            self._engine.restart()

    # ---- chat -----------------------------------------------------------------------------

    def _on_send(self, text: str) -> None:
        """Send what the composer holds; it stays there when images cannot go with it yet."""
        images = self.composer.attachments.images
        if self.attacher.busy:
            self.show_notice(
                "Attachments are still being prepared; send once they appear.",
                Severity.INFO,
            )
            return
        if images and not self.can_see_images():
            self._offer_projector()
            return
        if self.chat.send(text, images, self.composer.attachments.documents):
            self.composer.clear()

    def _read_draft_ahead(self) -> None:
        attachments = self.composer.attachments
        self.draft_reader.draft_changed(
            self.composer.text(), attachments.images, attachments.documents
        )

    # ---- images ---------------------------------------------------------------------------

    def can_see_images(self) -> bool:
        loaded = self._engine.loaded_model
        return loaded is not None and loaded.has_vision

    def _offer_projector(self) -> None:
        """Say why images cannot be attached; load a projector already on disk, or fetch one."""
        if self._engine.loaded_model is None:
            self.show_notice(
                "Load a model with its vision projector first; then images can be attached.",
                Severity.INFO,
                action=("Load model…", self.choose_model_file),
            )
            return
        unseeing = (
            "This model was loaded without its vision projector (mmproj), so it cannot see images."
        )
        model_path = self.loader.current_path()
        on_disk = projector_beside(model_path) if model_path is not None else None
        if on_disk is not None:
            self.show_notice(
                f"{unseeing} Its projector {on_disk.name} is on disk: load the model with it.",
                Severity.INFO,
                action=("Load with the projector", lambda: self._load_with_projector(on_disk)),
            )
            return
        self.show_notice(
            f"{unseeing} Download the projector in the Models window (it is loaded with the "
            "model from then on), or choose an mmproj file in Settings → Model.",
            Severity.INFO,
            action=("Get the projector", self._get_projector),
        )

    def _get_projector(self) -> None:
        dialog = self.open_models()
        dialog.projector_check.setChecked(True)

    def _load_with_projector(self, projector: Path) -> None:
        current = self._settings.settings
        model = replace(current.model, mmproj_path=projector)
        self._settings.update(replace(current, model=model))
        self.loader.reload()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Files and images dropped anywhere on the window's content are attached."""
        if watched is self.splitter and isinstance(event, QDragEnterEvent | QDropEvent):
            mime = event.mimeData()
            files = local_files(mime)
            if not files and not mime.hasImage():
                return False
            if isinstance(event, QDropEvent) and event.type() == QEvent.Type.Drop:
                if files:
                    self.attacher.add_files(files)
                else:
                    self.attacher.add_image(QImage(mime.imageData()), "Dropped image")
            event.acceptProposedAction()
            return True
        return super().eventFilter(watched, event)

    def _update_actions(self) -> None:
        generating = self._engine.state is EngineState.GENERATING
        ready = self._engine.state is EngineState.READY
        self.stop_action.setEnabled(generating)
        self.regenerate_action.setEnabled(ready and self.chat.can_regenerate)
        self.continue_action.setEnabled(ready and self.chat.can_continue)
        self.attach_action.setEnabled(ready or generating)
        has_conversation = self.chat.conversation_id is not None
        for action in (
            self.export_markdown_action,
            self.export_json_action,
            self.conversation_settings_action,
        ):
            action.setEnabled(has_conversation)
        stuck = self._engine.state in (EngineState.CRASHED, EngineState.LOADING)
        self.restart_engine_action.setEnabled(stuck)

    def _on_conversation_changed(self, conversation_id: int | None) -> None:
        self._follow_engine_choice(conversation_id)
        self.sidebar.select_conversation(conversation_id)
        self._update_title()
        self._update_actions()

    def _update_title(self) -> None:
        conversation_id = self.chat.conversation_id
        title = self.conversations.title_of(conversation_id) if conversation_id else None
        self.setWindowTitle(f"{title} — Tramontane" if title else "Tramontane")

    def new_chat(self) -> None:
        self.chat.new_conversation()
        self.sidebar.clear_search()
        self.composer.focus_input()

    def open_conversation(self, conversation_id: int, message_id: int | None = None) -> None:
        self.chat.open_conversation(conversation_id, focus_message_id=message_id)

    def delete_conversation(self, conversation_id: int) -> None:
        if conversation_id == self.chat.streaming_conversation_id:
            self.chat.stop()
        if conversation_id == self.chat.conversation_id:
            self.chat.new_conversation()
        self.conversations.delete(conversation_id)

    def copy_last_answer(self) -> None:
        text = self.chat.last_answer_text()
        if text is None:
            self.status.showMessage("There is no answer to copy yet.", 3000)
            return
        QGuiApplication.clipboard().setText(text)
        self.status.showMessage("The last answer was copied.", 3000)

    def ask_context_overflow(self, facts: ContextOverflowFacts) -> ContextOverflowDecision:
        dialog = ContextLimitDialog(facts, self)
        dialog.exec()
        return dialog.decision()

    # ---- dialogs --------------------------------------------------------------------------

    def _apply_api(self, settings: Settings) -> None:
        """Serve the loaded model on the local API, or stop serving it, as Settings say."""
        if self.api_server is not None:
            self.api_server.stop()
            self.api_server = None
        api = settings.api
        if not api.enabled:
            return
        try:
            self.api_server = LocalApiServer(
                self.api_broker,
                host=api.host,
                port=api.port,
                token=api.token,
                model_name=self._served_model,
                sampling=lambda: self._settings.settings.sampling,
            )
        except (OSError, ValueError) as exc:
            self.show_notice(f"The local API could not start on {api.host}:{api.port}: {exc}.")
            return
        self.api_server.start()

    def _served_model(self) -> str | None:
        loaded = self._engine.loaded_model
        return loaded.model_path.stem if loaded is not None else None

    def _switch_engine(self, settings: Settings) -> None:
        """Settings → Engine changed: the server or the local engine answers from now on."""
        current = self.chat.conversation_id
        overrides = self.chat.overrides_of(current)[1] if current is not None else None
        wanted = (overrides or ConversationOverrides()).engine_for(settings)
        self._use_engine(wanted, settings)

    def _use_engine(self, choice: EngineChoice, settings: Settings) -> None:
        self.engine_choice = choice
        server = choice is EngineChoice.SERVER
        if server:
            remote = replace(settings, remote=replace(settings.remote, enabled=True))
            self._engine.switch(client_factory_for(remote))
        else:
            self._engine.switch(self._local_factory)
        if server:
            self._engine.load_model(server_load())
        else:
            self.loader.load_remembered()

    def _toggle_tools(self) -> None:
        current = self._settings.settings
        tools = replace(current.tools, enabled=self.tools_action.isChecked())
        self._settings.update(replace(current, tools=tools))
        self.chat.refresh_context()  # the list of tools takes room in the context

    def open_settings(self) -> None:
        before = self._settings.settings
        dialog = SettingsDialog(
            before,
            self,
            tools=self.tools.tools(),
            tool_errors=self.tools.errors,
            mcp=self.mcp,
        )
        if self._theme is not None:
            dialog.appearance_previewed.connect(self._theme.apply)
        dialog.snapshots.delete_all_requested.connect(self.snapshots.delete_all)
        self.snapshots.usage_changed.connect(dialog.snapshots.show_usage)
        self.snapshots.refresh()
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return
        self.apply_settings(dialog.settings())

    def apply_settings(self, settings: Settings) -> None:
        before = self._settings.settings
        self._settings.update(settings)
        if settings.remote != before.remote:
            self._switch_engine(settings)
        if settings.api != before.api:
            self._apply_api(settings)
        self.tools_action.setChecked(settings.tools.enabled)
        if self._theme is not None:
            self._theme.apply(settings.appearance)
        model_changed = not same_load(settings.model, before.model)
        if model_changed and settings.model.model_path is not None:
            if self._engine.state in (EngineState.READY, EngineState.NO_MODEL):
                self.loader.load(settings.model.model_path)
            else:
                self.show_notice(
                    "The new model settings take effect the next time the model is loaded.",
                    Severity.INFO,
                )
        self.chat.refresh_context()

    def open_current_conversation_settings(self) -> None:
        if self.chat.conversation_id is not None:
            self.open_conversation_settings(self.chat.conversation_id)

    def open_conversation_settings(self, conversation_id: int) -> None:
        title, overrides = self.chat.overrides_of(conversation_id)
        dialog = ConversationSettingsDialog(
            title,
            overrides,
            self._settings.settings,
            self,
            prompt_date=self.chat.conversation_date(conversation_id),
        )
        if dialog.exec() == ConversationSettingsDialog.DialogCode.Accepted:
            self.chat.set_overrides(conversation_id, dialog.overrides())
            if dialog.renew_date:
                self.chat.renew_date(conversation_id)
            if conversation_id == self.chat.conversation_id:
                self._follow_engine_choice(conversation_id)

    def _follow_engine_choice(self, conversation_id: int | None) -> None:
        """A conversation may be answered by another engine than the others: switch to it."""
        settings = self._settings.settings
        overrides = (
            self.chat.overrides_of(conversation_id)[1]
            if conversation_id is not None
            else ConversationOverrides()
        )
        wanted = overrides.engine_for(settings)
        if wanted is self.engine_choice:
            return
        if wanted is EngineChoice.SERVER and not settings.remote.base_url:
            self.show_notice(
                "This conversation is to be answered by a server, but none is set: give its "
                "address in Settings → Engine."
            )
            return
        self._use_engine(wanted, settings)

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

    # ---- export and import ----------------------------------------------------------------

    def export_current(self, export_format: ExportFormat) -> None:
        if self.chat.conversation_id is not None:
            self.export_conversation(self.chat.conversation_id, export_format)

    def export_conversation(self, conversation_id: int, export_format: ExportFormat) -> None:
        suffix, file_filter = (
            (".md", "Markdown (*.md)")
            if export_format is ExportFormat.MARKDOWN
            else (".json", "JSON (*.json)")
        )
        name = self.conversations.file_name_for(conversation_id) + suffix
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export the conversation", str(Path.home() / name), file_filter
        )
        if chosen:
            self.conversations.export_conversation(conversation_id, export_format, Path(chosen))

    def export_all(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            "Export all conversations",
            str(Path.home() / "tramontane-conversations.json"),
            "JSON (*.json)",
        )
        if chosen:
            self.conversations.export_all(Path(chosen))

    def import_json(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Import conversations", str(Path.home()), "JSON (*.json)"
        )
        if chosen:
            self.conversations.import_file(Path(chosen))

    # ---- closing --------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.chat.save_now()
        self.draft_reader.close()
        self.conversations.forget_deleted()
        if self._models_controller is not None:
            self._models_controller.shutdown()
        self.mcp.stop()
        if self.api_server is not None:
            self.api_server.stop()
        super().closeEvent(event)
