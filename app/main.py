"""The entry point and composition root: command-line subcommands first, else the window.

`build_window` is the one place the window's parts are made and joined: it builds the
workspace (app/qt_bridge/workspace.py, which builds the controllers and owns engine switching,
the local API, the MCP servers and the shutdown order), the chat view and the window, and
connects the window's closing to the workspace's shutdown. `_open_window` makes what outlives
the window (the store, the engine, the settings, the theme) and closes the engine and the store
after the window has shut its parts down.

Heavy parts are imported late: the engine stack only when a model is loaded (in its own
process), the window's modules only once the Qt application exists.
"""

from __future__ import annotations

import logging
import multiprocessing
import platform
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from app.core.i18n import translate

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from app.app_log import ProgramLog
    from app.qt_bridge.chat_ports import WindowStore
    from app.qt_bridge.engine_controller import EngineController
    from app.qt_bridge.models_controller import ModelsController
    from app.qt_bridge.settings_controller import SettingsController
    from app.qt_bridge.tool_box import ToolBox
    from app.qt_bridge.workspace import Workspace
    from app.settings import LoadedSettings
    from app.store import SqliteStore
    from app.ui.main_window import MainWindow
    from app.ui.theme import ThemeManager

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]
SHUTDOWN_S = 60.0  # at quit the engine writes the snapshot of the conversation it holds


def main(argv: list[str] | None = None) -> int:
    # In a bundle, the engine's process starts the bundle's own executable: this makes it run
    # the engine instead of a second window. Nothing happens outside a bundle.
    multiprocessing.freeze_support()
    args = sys.argv[1:] if argv is None else list(argv)
    from app.selftest import FLAG, NO_WINDOW_FLAG, run_self_test

    if FLAG in args:
        return run_self_test(open_window=None if NO_WINDOW_FLAG in args else show_window_once)
    from app.cli import run

    code = run(args)
    if code is not None:
        return code
    return run_gui(args)


def run_gui(args: list[str]) -> int:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from app.paths import APP_NAME, data_dir, resource

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *args])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("tramontane")
    app.setWindowIcon(QIcon(str(resource("icons", "tramontane.svg"))))

    try:
        data_dir()
    except OSError as exc:
        return _refuse(
            app,
            translate("Main", "Tramontane cannot create its data folder: {reason}.").format(
                reason=exc
            ),
        )
    return _run_window(app)


def _run_window(app: QApplication) -> int:
    from app import __version__
    from app.app_log import start_program_log
    from app.qt_bridge.language import WindowLanguage
    from app.settings import load_settings

    language = WindowLanguage(app)
    language.use(None)  # the system's: a notice about an unusable settings file is written in it
    loaded = load_settings()
    language.use(loaded.settings.language)
    program_log = start_program_log(loaded.settings.log_level)
    log.info(
        "Tramontane %s starting on %s, Python %s",
        __version__,
        platform.platform(),
        platform.python_version(),
    )
    try:
        return _open_window(app, loaded, program_log)
    finally:
        language.remove()
        log.info("Tramontane closed")
        if program_log is not None:
            program_log.close()


def _open_window(app: QApplication, loaded: LoadedSettings, program_log: ProgramLog | None) -> int:
    from app.qt_bridge.engine_choice import client_factory_for
    from app.qt_bridge.engine_controller import EngineController
    from app.qt_bridge.settings_controller import SettingsController
    from app.store import StoreError
    from app.ui.notice_bar import Severity
    from app.ui.theme import ThemeManager

    theme = ThemeManager(app)
    theme.apply(loaded.settings.appearance)
    try:
        store = open_window_store()
    except StoreError as exc:
        return _refuse(app, str(exc))

    engine = EngineController(client_factory_for(loaded.settings))
    settings = SettingsController(loaded.settings)
    if program_log is not None:
        settings.changed.connect(lambda changed: program_log.set_level(changed.log_level))
    window = build_window(settings=settings, store=store, engine=engine, theme=theme)
    sys.excepthook = _report_unexpected(window)
    window.show()
    for notice in (loaded.notice, store.notice):
        if notice:
            window.show_notice(notice, Severity.INFO)
    window.workspace.start()
    try:
        return app.exec()
    finally:
        sys.excepthook = sys.__excepthook__
        engine.shutdown(timeout=SHUTDOWN_S)  # the engine saves the conversation it holds
        store.close()


def show_window_once(settings_file: Path) -> str:
    """The self-test's window check: the window as the app builds it, shown and closed."""
    from PySide6.QtWidgets import QApplication

    from app.qt_bridge.engine_controller import EngineController
    from app.qt_bridge.settings_controller import SettingsController
    from app.settings import Settings

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    store = open_window_store()
    engine = EngineController()
    try:
        settings = SettingsController(Settings(), settings_file)
        window = build_window(settings=settings, store=store, engine=engine)
        window.show()
        app.processEvents()
        shown = window.isVisible()
        window.close()
        app.processEvents()
    finally:
        engine.shutdown()
        store.close()
    if not shown:
        raise AssertionError("the window did not show")
    return "shown and closed offscreen"


def open_window_store() -> SqliteStore:
    """The conversation store in the data folder, as the window's controllers use it."""
    from app.store import open_store

    return open_store()


def build_window(
    *,
    settings: SettingsController,
    store: WindowStore,
    engine: EngineController,
    theme: ThemeManager | None = None,
    chat_view: QWidget | None = None,
    models_factory: Callable[[], ModelsController] | None = None,
    tools: ToolBox | None = None,
) -> MainWindow:
    """The window and the workspace behind it, wired. Tests give their own chat view, models
    controller or tools; the app takes the defaults."""
    from app.qt_bridge.chat_ports import ChatSurface
    from app.qt_bridge.workspace import Workspace
    from app.ui.chat_view import ChatView
    from app.ui.context_dialog import ask_context_overflow
    from app.ui.main_window import MainWindow

    view = chat_view if chat_view is not None else ChatView()
    if not isinstance(view, ChatSurface):
        raise TypeError("the chat view must provide the ChatSurface interface")
    workspace = Workspace(
        settings=settings,
        store=store,
        engine=engine,
        view=view,
        ask_context_overflow=lambda facts: ask_context_overflow(facts, window),
        tools=tools,
        models_factory=models_factory,
    )
    window = MainWindow(workspace, view, theme)
    workspace.setParent(window)  # the parts live as long as the window
    window.closing.connect(workspace.shutdown)
    _bind_conversations(window, workspace)
    _bind_chat(window, workspace)
    workspace.conversations.refresh(workspace.chat.conversation_id)
    return window


def _bind_conversations(window: MainWindow, workspace: Workspace) -> None:
    """The sidebar's list, search, renames, pins, deletions and their undo (the window says
    what was deleted)."""
    sidebar, conversations = window.sidebar, workspace.conversations
    sidebar.rename_requested.connect(conversations.rename)
    sidebar.pin_requested.connect(conversations.pin)
    sidebar.delete_requested.connect(workspace.delete_conversation)
    sidebar.undo_requested.connect(conversations.undo_delete)
    sidebar.search_changed.connect(conversations.search)
    sidebar.undo_bar.expired.connect(conversations.forget_deleted)
    conversations.list_changed.connect(sidebar.set_conversations)
    conversations.search_finished.connect(sidebar.set_search_results)


def _bind_chat(window: MainWindow, workspace: Workspace) -> None:
    """The status bar's figures and the tool approval bar, to the chat and the engine."""
    from app.qt_bridge.snapshot_bridge import PROGRESS_SHOWN_MS, describe_read_progress

    chat, status, tool_bar = workspace.chat, window.status, window.tool_bar
    chat.context_changed.connect(status.set_context)
    chat.image_tokens_changed.connect(status.set_image_tokens)
    chat.speed_changed.connect(status.set_speed)
    workspace.api_broker.queue_changed.connect(status.set_api_activity)
    workspace.engine.read_progress.connect(
        lambda event: status.showMessage(describe_read_progress(event), PROGRESS_SHOWN_MS)
    )
    chat.approval_needed.connect(tool_bar.ask)
    chat.tool_started.connect(tool_bar.show_running)
    chat.tool_ended.connect(tool_bar.hide)
    tool_bar.run_requested.connect(chat.approve)
    tool_bar.skip_requested.connect(chat.skip)
    tool_bar.cancel_requested.connect(chat.stop)


def _refuse(app: QApplication, message: str) -> int:
    """Tell the user why the program cannot start, in a message box, and exit."""
    from PySide6.QtWidgets import QMessageBox

    del app  # the message box needs the application to exist, nothing more
    QMessageBox.critical(None, translate("Main", "Tramontane cannot start"), message)
    return 1


def _report_unexpected(window: MainWindow) -> ExceptHook:
    """An exception hook that shows unexpected errors in the window instead of losing them."""
    from app.ui.notice_bar import Severity

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        detail = "".join(traceback.format_exception(kind, value, tb))
        sys.stderr.write(detail)
        log.error("unexpected error", exc_info=(kind, value, tb))
        window.show_notice(
            translate("Main", "Something went wrong: {error}. Your conversations are safe.").format(
                error=value
            ),
            Severity.ERROR,
            detail=detail,
        )

    return hook
