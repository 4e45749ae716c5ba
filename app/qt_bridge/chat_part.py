"""What the parts of the chat controller that talk to the engine share."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject

from app.qt_bridge.chat_ports import ChatStore
from app.qt_bridge.chat_screen import ChatScreen
from app.qt_bridge.chat_signals import ChatSignals
from app.qt_bridge.engine_controller import EngineController
from app.qt_bridge.settings_controller import SettingsController
from app.qt_bridge.store_writes import StoreWrites


@dataclass(frozen=True, slots=True)
class ChatShared:
    """The store and its error policy, the engine, the settings, what is on screen, and the
    controller's signals, which its parts emit as their own."""

    store: ChatStore
    writes: StoreWrites
    engine: EngineController
    settings: SettingsController
    screen: ChatScreen
    signals: ChatSignals


class ChatPart(QObject):
    """A part of the chat controller (its child: its slots go with it)."""

    def __init__(self, shared: ChatShared) -> None:
        super().__init__(shared.signals)
        self._store = shared.store
        self._writes = shared.writes
        self._engine = shared.engine
        self._settings = shared.settings
        self._screen = shared.screen
        self._signals = shared.signals
