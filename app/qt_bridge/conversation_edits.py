"""Changes to a conversation's tree that the user makes: new messages, edits, alternatives,
deletions and opening a conversation on a given message; each is stored, then shown."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from app.core.conversation import ConversationId, ConversationSnapshot, MessageId
from app.core.i18n import translate
from app.core.messages import ChatMessage
from app.media.prepare import PreparedImage
from app.qt_bridge.chat_ports import ChatStore
from app.qt_bridge.chat_screen import ChatScreen
from app.qt_bridge.store_writes import STORAGE_ERRORS, StoreWrites


class ConversationEdits:
    def __init__(
        self,
        store: ChatStore,
        writes: StoreWrites,
        screen: ChatScreen,
        report: Callable[[str], None],
    ) -> None:
        self._store = store
        self._writes = writes
        self._screen = screen
        self._report = report

    def opened(
        self, conversation_id: ConversationId, focus: MessageId | None
    ) -> ConversationSnapshot | None:
        """The conversation to show, on the branch of `focus` if given; None when it cannot be
        read (the user is told)."""
        try:
            snapshot = self._store.snapshot(conversation_id)
            if focus is not None and focus not in {n.id for n in snapshot.active_path}:
                # a hit on another branch: show that branch
                leaf = snapshot.latest_leaf_under(focus)
                self._store.set_active_leaf(conversation_id, leaf)
                snapshot = self._store.snapshot(conversation_id)
        except (*STORAGE_ERRORS, KeyError) as exc:  # KeyError: the conversation is gone
            self._report(
                translate(
                    "ConversationEdits", "The conversation could not be opened: {reason}"
                ).format(reason=exc)
            )
            return None
        return snapshot

    def create(self, title: str) -> ConversationId | None:
        return self._writes.attempt(lambda: self._store.create_conversation(title))

    def add(
        self, conversation_id: ConversationId, parent: MessageId | None, message: ChatMessage
    ) -> MessageId | None:
        """Store a message as the shown path's new end and show it; None when storage failed."""

        def add() -> MessageId:
            new_id = self._store.add_message(conversation_id, parent, message)
            self._store.set_active_leaf(conversation_id, new_id)
            return new_id

        new_id = self._writes.attempt(add)
        if new_id is not None:
            self._screen.reload(conversation_id)
        return new_id

    def keep_originals(self, images: Sequence[PreparedImage]) -> None:
        """Keep the files the images were made from; one that cannot be kept is said, the
        message (with the images the model sees) is saved already."""
        for image in images:
            original = image.original
            if original is not None:
                self._writes.succeeded(partial(self._store.keep_original, image.sha256, original))

    def show_alternative(
        self, snapshot: ConversationSnapshot, message_id: MessageId, step: int
    ) -> bool:
        """Show the previous (-1) or next (+1) alternative of a message; False if none."""
        leaf = snapshot.alternative_leaf(message_id, step)
        if leaf is None:
            return False
        conversation_id = snapshot.conversation_id
        self._writes.succeeded(lambda: self._store.set_active_leaf(conversation_id, leaf))
        self._screen.reload(conversation_id)
        return True

    def delete(self, snapshot: ConversationSnapshot, message_id: MessageId) -> None:
        """Delete a message and what was written after it on its branch, then show the
        closest remaining branch."""
        node = snapshot.node(message_id)
        others = [s for s in snapshot.siblings(message_id) if s.id != message_id]
        if others:
            leaf: MessageId | None = snapshot.latest_leaf_under(others[-1].id)
        else:
            leaf = node.parent_id
        conversation_id = snapshot.conversation_id

        def delete() -> None:
            self._store.delete_message(message_id)
            if leaf is not None:
                self._store.set_active_leaf(conversation_id, leaf)

        self._writes.succeeded(delete)
        self._screen.reload(conversation_id)
