"""Everything behind the window: the parts the app runs on, built and wired once, and their
lifecycles.

app/main.py builds one workspace and hands it to the window. The workspace builds the model
loader, the tool box and the MCP servers, the local API, the chat and conversations
controllers, the draft reader and the snapshot bridge, and connects them to each other. It
decides which engine answers (this computer's or a server), starts and stops the local API as
Settings say, and closes everything in order when the window closes. It tells the window what
happened through signals; the window never builds a controller or an engine part.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.i18n import translate
from app.engine.protocol import EngineError, ErrorKind
from app.paths import data_dir
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
from app.qt_bridge.snapshot_bridge import SnapshotBridge
from app.qt_bridge.tool_box import ToolBox
from app.settings import (
    ConversationOverrides,
    EngineChoice,
    RemoteSettings,
    Settings,
    same_load,
)
from app.tools.mcp_servers import MCP_CONFIG_FILE

if TYPE_CHECKING:
    from app.models.fit_planner import Proposal
    from app.qt_bridge.models_controller import DownloadDone, ModelsController

AskOverflow = Callable[[ContextOverflowFacts], ContextOverflowDecision]


class Workspace(QObject):
    failed = Signal(str)  # something the user must know went wrong, outside a chat turn
    info = Signal(str)  # something the user may want to know
    engine_failed = Signal(object)  # EngineError the loader could not work around
    welcome_needed = Signal()  # no model was ever chosen: the first-run view is wanted

    def __init__(
        self,
        *,
        settings: SettingsController,
        store: WindowStore,
        engine: EngineController,
        view: ChatSurface,
        ask_context_overflow: AskOverflow,
        tools: ToolBox | None = None,
        models_factory: Callable[[], ModelsController] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.store = store
        self.engine = engine
        self.loader = ModelLoader(engine, settings, self)
        self.tools = tools or ToolBox(parent=self)
        self.engine_choice = ConversationOverrides().engine_for(settings.settings)
        # The engine of this computer, as built (the workspace may switch to a server and back).
        self._local_factory = (
            engine.client_factory
            if self.engine_choice is EngineChoice.LOCAL
            else client_factory_for(replace(settings.settings, remote=RemoteSettings()))
        )
        self.api_broker = ApiBroker(engine, lambda: self.chat.busy, self)
        self.api_server: LocalApiServer | None = None
        self.document_costs = DocumentCosts(self.loader.current_path)
        self.mcp = McpManager(
            data_dir() / MCP_CONFIG_FILE, self.tools, settings.settings.tools.timeout_s, self
        )
        self.chat = ChatController(
            store=store,
            engine=engine,
            settings=settings,
            view=view,
            ask_context_overflow=ask_context_overflow,
            api_busy=lambda: self.api_broker.busy,
            tools=self.tools,
            parent=self,
        )
        self.draft_reader = DraftReader(engine, settings, self.chat.draft_prompt, parent=self)
        self.conversations = ConversationsController(store, parent=self)
        self.snapshots = SnapshotBridge(engine, settings, data_dir(), parent=self)
        self._models_factory = models_factory
        self._models_controller: ModelsController | None = None
        self._connect(view)

    def _connect(self, view: ChatSurface) -> None:
        chat = self.chat
        view.edit_submitted.connect(chat.edit_message)
        view.regenerate_requested.connect(lambda _id: chat.regenerate())
        view.continue_requested.connect(lambda _id: chat.continue_answer())
        view.alternative_requested.connect(chat.select_alternative)
        view.delete_requested.connect(chat.delete_message)
        chat.busy_changed.connect(lambda _busy: self.api_broker.try_next())
        chat.conversation_changed.connect(self.follow_engine_choice)
        chat.conversations_changed.connect(lambda: self.conversations.refresh(chat.conversation_id))
        self.conversations.deleted.connect(lambda id_, _title: self.snapshots.forget(id_))
        self.engine.error.connect(self._on_engine_error)
        self.loader.refused.connect(self.failed)
        self.loader.retrying.connect(self.info)
        self.settings.save_failed.connect(self.failed)
        self.mcp.failed.connect(self.info)
        self.snapshots.notice.connect(self.info)

    # ---- start and shutdown -----------------------------------------------------------------

    def start(self) -> None:
        """Once the window is shown: start the MCP servers and the local API, and load the model
        of the last session, or ask for the first-run view."""
        self.mcp.start()
        self.apply_api(self.settings.settings)
        if uses_server(self.settings.settings):
            self.engine.load_model(server_load())
        elif self.settings.settings.model.model_path is None:
            self.welcome_needed.emit()
        else:
            QTimer.singleShot(0, self.loader.load_remembered)

    def shutdown(self) -> None:
        """The window closed: save what is written, stop the reader, drop what was deleted,
        stop downloads, the MCP servers and the local API, in that order. The engine and the
        store are closed after this by whoever built them (app/main.py)."""
        self.chat.save_now()
        self.draft_reader.close()
        self.conversations.forget_deleted()
        if self._models_controller is not None:
            self._models_controller.shutdown()
        self.mcp.stop()
        if self.api_server is not None:
            self.api_server.stop()
            self.api_server = None

    # ---- the model ----------------------------------------------------------------------------

    def models_controller(self) -> ModelsController:
        """The one models controller, shared by the Models window and the welcome view so that
        a download started in one shows in the other."""
        from app.qt_bridge.models_controller import ModelsController  # hub code: load on demand

        if self._models_controller is None:
            self._models_controller = (
                self._models_factory()
                if self._models_factory is not None
                else ModelsController(
                    settings=lambda: self.settings.settings,
                    budget=self.loader.memory.budget,
                    parent=self,
                )
            )
        return self._models_controller

    def can_see_images(self) -> bool:
        loaded = self.engine.loaded_model
        return loaded is not None and loaded.has_vision

    def restart_engine(self) -> None:
        if self.engine.pending_load is None:
            self.loader.load_remembered()
        else:
            self.engine.restart()

    def load_with_projector(self, projector: Path) -> None:
        current = self.settings.settings
        self.settings.update(replace(current, model=replace(current.model, mmproj_path=projector)))
        self.loader.reload()

    def use_recommended(self, done: DownloadDone, proposal: Proposal) -> None:
        """Load a model the welcome view fetched, with the context and KV cache it proposed."""
        current = self.settings.settings
        model = replace(
            current.model,
            n_ctx=proposal.n_ctx,
            kv_cache_type=proposal.kv_type,
            mmproj_path=done.projector_path or current.model.mmproj_path,
        )
        self.settings.update(replace(current, model=model))
        self.loader.load(done.model_path, confirmed=True)  # the welcome page asked

    def _on_engine_error(self, error: EngineError) -> None:
        if error.kind is not ErrorKind.ENGINE_CRASHED and self.api_broker.owns(error.request_id):
            return  # an API request's own error goes to its client
        if not self.loader.retry_smaller(error):
            self.engine_failed.emit(error)

    # ---- settings -----------------------------------------------------------------------------

    def apply_settings(self, settings: Settings) -> None:
        """Settings were accepted: keep them, and switch engine, serve, reload as they changed."""
        before = self.settings.settings
        self.settings.update(settings)
        if settings.remote != before.remote:
            self._switch_engine(settings)
        if settings.api != before.api:
            self.apply_api(settings)
        model_changed = not same_load(settings.model, before.model)
        if model_changed and settings.model.model_path is not None:
            if self.engine.state in (EngineState.READY, EngineState.NO_MODEL):
                self.loader.load(settings.model.model_path)
            else:
                self.info.emit(
                    translate(
                        "Workspace",
                        "The new model settings take effect the next time the model is loaded.",
                    )
                )
        self.chat.refresh_context()

    def set_tools_enabled(self, enabled: bool) -> None:
        current = self.settings.settings
        self.settings.update(replace(current, tools=replace(current.tools, enabled=enabled)))
        self.chat.refresh_context()  # the list of tools takes room in the context

    def set_conversation_settings(
        self, conversation_id: int, overrides: ConversationOverrides, *, renew_date: bool
    ) -> None:
        self.chat.set_overrides(conversation_id, overrides)
        if renew_date:
            self.chat.renew_date(conversation_id)
        if conversation_id == self.chat.conversation_id:
            self.follow_engine_choice(conversation_id)

    def delete_conversation(self, conversation_id: int) -> None:
        if conversation_id == self.chat.streaming_conversation_id:
            self.chat.stop()
        if conversation_id == self.chat.conversation_id:
            self.chat.new_conversation()
        self.conversations.delete(conversation_id)

    # ---- the local API ------------------------------------------------------------------------

    def apply_api(self, settings: Settings) -> None:
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
                sampling=lambda: self.settings.settings.sampling,
            )
        except (OSError, ValueError) as exc:
            self.failed.emit(
                translate(
                    "Workspace", "The local API could not start on {host}:{port}: {reason}."
                ).format(host=api.host, port=api.port, reason=exc)
            )
            return
        self.api_server.start()

    def _served_model(self) -> str | None:
        loaded = self.engine.loaded_model
        return loaded.model_path.stem if loaded is not None else None

    # ---- which engine answers -----------------------------------------------------------------

    def _switch_engine(self, settings: Settings) -> None:
        """Settings → Engine changed: the server or the local engine answers from now on."""
        current = self.chat.conversation_id
        overrides = self.chat.overrides_of(current)[1] if current is not None else None
        self._use_engine((overrides or ConversationOverrides()).engine_for(settings), settings)

    def follow_engine_choice(self, conversation_id: int | None) -> None:
        """A conversation may be answered by another engine than the others: switch to it."""
        settings = self.settings.settings
        overrides = (
            self.chat.overrides_of(conversation_id)[1]
            if conversation_id is not None
            else ConversationOverrides()
        )
        wanted = overrides.engine_for(settings)
        if wanted is self.engine_choice:
            return
        if wanted is EngineChoice.SERVER and not settings.remote.base_url:
            self.failed.emit(
                translate(
                    "Workspace",
                    "This conversation is to be answered by a server, but none is set: give its "
                    "address in Settings → Engine.",
                )
            )
            return
        self._use_engine(wanted, settings)

    def _use_engine(self, choice: EngineChoice, settings: Settings) -> None:
        self.engine_choice = choice
        if choice is EngineChoice.SERVER:
            remote = replace(settings, remote=replace(settings.remote, enabled=True))
            self.engine.switch(client_factory_for(remote))
            self.engine.load_model(server_load())
        else:
            self.engine.switch(self._local_factory)
            self.loader.load_remembered()
