"""The conversation on screen, and the one rule for whether an answer, a stream or a tool round
is on it: it belongs to the conversation shown."""

from __future__ import annotations

from dataclasses import replace

from app.core.conversation import (
    ConversationId,
    ConversationSnapshot,
    MessageId,
    MessageNode,
)
from app.qt_bridge.chat_ports import ChatStore, ChatSurface
from app.qt_bridge.chat_signals import ChatSignals
from app.qt_bridge.store_writes import StoreWrites, not_read


class ChatScreen:
    def __init__(
        self, store: ChatStore, writes: StoreWrites, view: ChatSurface, signals: ChatSignals
    ) -> None:
        self._store = store
        self._writes = writes
        self.view = view
        self._signals = signals
        self.conversation_id: ConversationId | None = None
        self.snapshot: ConversationSnapshot | None = None

    def shows(self, conversation_id: ConversationId | None) -> bool:
        """Whether what belongs to `conversation_id` is on screen."""
        return conversation_id is not None and conversation_id == self.conversation_id

    def show(
        self,
        conversation_id: ConversationId | None,
        snapshot: ConversationSnapshot | None,
        focus: MessageId | None = None,
    ) -> None:
        """Show another conversation (None: a new, empty one), scrolled to `focus` if given."""
        self.conversation_id = conversation_id
        self.snapshot = snapshot
        self.view.show_turns(snapshot.turns() if snapshot else [], focus)

    def reload(self, conversation_id: ConversationId) -> ConversationSnapshot | None:
        """Read the conversation from the store and show it; None when it cannot be read."""
        snapshot = self._writes.attempt(lambda: self._store.snapshot(conversation_id), not_read)
        if snapshot is not None:
            self._show_changed(snapshot)
        return snapshot

    def put(self, node: MessageNode) -> None:
        """Show a message just written (new or changed) on the shown path's end, unread."""
        snapshot = self.snapshot
        assert snapshot is not None
        nodes = (*(n for n in snapshot.nodes if n.id != node.id), node)
        self._show_changed(replace(snapshot, nodes=nodes, active_leaf=node.id))

    def _show_changed(self, snapshot: ConversationSnapshot) -> None:
        changed = snapshot.conversation_id != self.conversation_id
        self.conversation_id = snapshot.conversation_id
        self.snapshot = snapshot
        self.view.show_turns(snapshot.turns(), None)
        if changed:
            self._signals.conversation_changed.emit(snapshot.conversation_id)
