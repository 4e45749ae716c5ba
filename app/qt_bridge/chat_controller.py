"""One conversation at a time: send, regenerate, edit, continue, move between alternatives.

This is what the window talks to; the work is done by its parts: `turn_runner` asks for an
answer and streams it, `tool_round` runs the answer's tool calls, `conversation_edits` stores
what the user changes, `conversation_prompt` reads what a conversation's answers are asked with,
`chat_screen` knows what is on screen and `store_writes` holds the policy of every store call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QObject

from app.core.context_fit import ContextOverflowDecision, ContextOverflowFacts
from app.core.conversation import (
    ConversationId,
    ConversationSnapshot,
    MessageId,
    MessageState,
)
from app.core.i18n import translate
from app.core.messages import ChatMessage, DocumentPart, Role
from app.core.tool_calls import ParsedAnswer
from app.engine.protocol import TokenCount
from app.media.prepare import PreparedImage
from app.media.staging import staged
from app.qt_bridge.chat_part import ChatShared
from app.qt_bridge.chat_ports import ChatStore, ChatSurface
from app.qt_bridge.chat_screen import ChatScreen
from app.qt_bridge.chat_signals import ChatSignals
from app.qt_bridge.conversation_edits import ConversationEdits
from app.qt_bridge.conversation_prompt import ConversationPrompt
from app.qt_bridge.draft_reader import DraftPrompt
from app.qt_bridge.engine_controller import EngineController, EngineState
from app.qt_bridge.settings_controller import SettingsController
from app.qt_bridge.store_writes import StoreWrites
from app.qt_bridge.tool_box import ToolBox
from app.qt_bridge.tool_round import ToolApproval, ToolRound
from app.qt_bridge.turn_runner import AnswerKind, TurnRunner
from app.qt_bridge.turn_stream import Stream
from app.settings import ConversationOverrides, overrides_to_dict

TITLE_LENGTH = 48

AskOverflow = Callable[[ContextOverflowFacts], ContextOverflowDecision]

__all__ = ["ChatController", "ToolApproval", "title_from"]


def title_from(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= TITLE_LENGTH else line[: TITLE_LENGTH - 1].rstrip() + "…"


class ChatController(ChatSignals):
    def __init__(
        self,
        *,
        store: ChatStore,
        engine: EngineController,
        settings: SettingsController,
        view: ChatSurface,
        ask_context_overflow: AskOverflow,
        api_busy: Callable[[], bool],
        tools: ToolBox | None = None,
        today: Callable[[], date] = date.today,
        parent: QObject | None = None,
    ) -> None:
        """`api_busy`: whether the local API has a request of its own running."""
        super().__init__(parent)
        self._api_busy = api_busy
        self._today = today  # the clock's date (tests move it past midnight)
        self._store = store
        self._engine = engine
        self._settings = settings
        self._ask_overflow = ask_context_overflow
        self._writes = StoreWrites(self.failed.emit)
        self._screen = ChatScreen(store, self._writes, view, self)
        self._edits = ConversationEdits(store, self._writes, self._screen, self.failed.emit)
        self._prompt = ConversationPrompt(
            store=store,
            writes=self._writes,
            engine=engine,
            settings=settings,
            tools=tools,
            today=lambda: self._today(),
            report=self.failed.emit,
        )
        self._context_count_id: int | None = None
        shared = ChatShared(store, self._writes, engine, settings, self._screen, self)
        self._turn = TurnRunner(
            shared,
            ask_overflow=lambda facts: self._ask_overflow(facts),
            calls_follow=self._calls_follow,
        )
        self._round = (
            None
            if tools is None
            else ToolRound(
                shared,
                tools=tools,
                answer_after=lambda conversation_id, leaf: self._answer(AnswerKind.NEW, leaf),
            )
        )
        engine.token_count.connect(self._on_token_count)

    # ---- state ----------------------------------------------------------------------------

    @property
    def conversation_id(self) -> ConversationId | None:
        return self._screen.conversation_id

    @property
    def busy(self) -> bool:
        return self._turn.busy or (self._round is not None and self._round.busy)

    @property
    def can_regenerate(self) -> bool:
        snapshot = self._screen.snapshot
        path = snapshot.active_path if snapshot else []
        return not self.busy and any(n.message.role is Role.USER for n in path)

    @property
    def can_continue(self) -> bool:
        snapshot = self._screen.snapshot
        last = snapshot.active_path[-1] if snapshot and snapshot.nodes else None
        return (
            not self.busy
            and last is not None
            and last.message.role is Role.ASSISTANT
            and last.state is not MessageState.COMPLETE
        )

    def last_answer_text(self) -> str | None:
        if self._turn.stream is not None:
            return self._turn.stream.full_text
        snapshot = self._screen.snapshot
        answer = snapshot.last_answer if snapshot else None
        return answer.message.content if answer else None

    @property
    def streaming_conversation_id(self) -> ConversationId | None:
        """The conversation whose answer is streaming, shown or not."""
        stream = self._turn.stream
        return stream.conversation_id if stream else None

    # ---- conversations --------------------------------------------------------------------

    def new_conversation(self) -> None:
        """Show an empty conversation; it is stored with its first message.

        An answer that is streaming goes on (and is saved) while other conversations are shown.
        """
        self._turn.drop_asked()
        self._show(None)

    def open_conversation(
        self, conversation_id: ConversationId, focus_message_id: MessageId | None = None
    ) -> None:
        if conversation_id == self.conversation_id and focus_message_id is None:
            return
        self._turn.drop_asked()
        snapshot = self._edits.opened(conversation_id, focus_message_id)
        if snapshot is not None:
            self._show(conversation_id, snapshot, focus_message_id)

    def _show(
        self,
        conversation_id: ConversationId | None,
        snapshot: ConversationSnapshot | None = None,
        focus: MessageId | None = None,
    ) -> None:
        self._screen.show(conversation_id, snapshot, focus)
        self._turn.restart_shown_stream()
        self.conversation_changed.emit(conversation_id)
        loaded = self._engine.loaded_model
        if snapshot is None and loaded is not None:
            self.context_changed.emit(0, loaded.n_ctx, False)  # until the system prompt is counted
        self.refresh_context()

    def overrides_of(self, conversation_id: ConversationId) -> tuple[str, ConversationOverrides]:
        record = self._store.conversation(conversation_id)
        return record.title, self._prompt.overrides(record.overrides)

    def set_overrides(
        self, conversation_id: ConversationId, overrides: ConversationOverrides
    ) -> None:
        data = None if overrides.empty else overrides_to_dict(overrides)
        self._writes.succeeded(lambda: self._store.set_overrides(conversation_id, data))
        if self._screen.shows(conversation_id):
            self.refresh_context()

    # ---- user actions ---------------------------------------------------------------------

    def send(
        self,
        text: str,
        images: Sequence[PreparedImage] = (),
        documents: Sequence[DocumentPart] = (),
    ) -> bool:
        """Store the user's message (with its images and documents) and ask for an answer.
        False when it was not taken."""
        text = text.strip()
        if not (text or images or documents) or not self._ready_to_answer():
            return False
        conversation_id = self.conversation_id
        if conversation_id is None:
            title = title_from(text or (documents[0].name if documents else images[0].label))
            created = self._edits.create(title)
            if created is None:
                return False
            conversation_id = created
        snapshot = self._screen.snapshot
        parent = snapshot.active_leaf if snapshot else None
        with staged(images) as parts:
            message = ChatMessage(Role.USER, text, images=parts, documents=tuple(documents))
            message_id = self._edits.add(conversation_id, parent, message)
        if message_id is None:
            return False
        self._edits.keep_originals(images)
        self.conversations_changed.emit()
        self._answer(AnswerKind.NEW, message_id)
        return True

    def stop(self) -> None:
        self._turn.stop()
        if self._round is not None:
            self._round.stop()

    def regenerate(self) -> None:
        """A new answer to the last user message; the earlier answers stay as alternatives."""
        snapshot = self._screen.snapshot
        if snapshot is None or not self._ready_to_answer():
            return
        user = next(
            (n for n in reversed(snapshot.active_path) if n.message.role is Role.USER), None
        )
        if user is not None:
            self._answer(AnswerKind.NEW, user.id)

    def continue_answer(self) -> None:
        snapshot = self._screen.snapshot
        if not self.can_continue or not self._ready_to_answer() or snapshot is None:
            return
        if snapshot.active_leaf is not None:
            self._answer(AnswerKind.CONTINUE, snapshot.active_leaf)

    def edit_message(self, message_id: MessageId, text: str) -> None:
        """A changed user message starts a new branch beside the old one, then gets an answer;
        its images go with it (a message of images alone may lose its text)."""
        text = text.strip()
        snapshot = self._screen.snapshot
        if snapshot is None or not self._ready_to_answer():
            return
        original = snapshot.node(message_id)
        kept = original.message.images or original.message.documents
        if original.message.role is not Role.USER or not (text or kept):
            return
        edited = replace(original.message, content=text)
        conversation_id = snapshot.conversation_id
        new_id = self._edits.add(conversation_id, original.parent_id, edited)
        if new_id is not None:
            self._answer(AnswerKind.NEW, new_id)

    def select_alternative(self, message_id: MessageId, step: int) -> None:
        """Show the previous (-1) or next (+1) alternative of a message and its branch."""
        snapshot = self._screen.snapshot
        if snapshot is None or self.busy:
            return
        if self._edits.show_alternative(snapshot, message_id, step):
            self.refresh_context()

    def delete_message(self, message_id: MessageId) -> None:
        """Delete a message and what was written after it on its branch; the view then shows
        the closest remaining branch."""
        snapshot = self._screen.snapshot
        if snapshot is None or self.busy:
            return
        self._edits.delete(snapshot, message_id)
        self.refresh_context()

    def approve(self, arguments: str | None = None) -> None:
        """Run the tool call waiting for approval, with the user's edited arguments if given."""
        if self._round is not None:
            self._round.approve(arguments)

    def skip(self) -> None:
        if self._round is not None:
            self._round.skip()

    def save_now(self) -> None:
        """Write the streaming answer as it is now."""
        self._turn.save_now()

    # ---- the context ----------------------------------------------------------------------

    def refresh_context(self) -> None:
        """Count the tokens of the shown conversation exactly (when a model is loaded)."""
        loaded = self._engine.loaded_model
        if loaded is None or self.busy or self._engine.state is not EngineState.READY:
            return
        prompt = self._prompt.prompt_now(self._screen.snapshot)
        self._context_count_id = self._engine.count_tokens(
            prompt.messages,
            tools=prompt.tools,
            system_prompt=prompt.system_prompt,
            today=prompt.today,
        )

    def _on_token_count(self, count: TokenCount) -> None:
        if count.request_id == self._context_count_id:
            self._context_count_id = None
            self.context_changed.emit(count.tokens, count.n_ctx, True)
            self.image_tokens_changed.emit(count.image_tokens)

    def draft_prompt(self, draft: ChatMessage) -> DraftPrompt | None:
        """What sending `draft` now would ask the engine; None while an answer is under way."""
        return None if self.busy else self._prompt.prompt_now(self._screen.snapshot, draft)

    # ---- answers --------------------------------------------------------------------------

    def _ready_to_answer(self) -> bool:
        if self.busy:
            return False
        if self._engine.state is EngineState.GENERATING:
            self.failed.emit(
                translate(
                    "ChatController",
                    "The model is answering a request of the local API; send again in a moment.",
                )
                if self._api_busy()
                else translate(
                    "ChatController",
                    "The previous answer is still stopping; send again in a moment.",
                )
            )
            return False
        if self._engine.state is not EngineState.READY:
            self.failed.emit(
                translate("ChatController", "Load a model first: no model is ready to answer.")
            )
            return False
        return True

    def _answer(self, kind: AnswerKind, leaf_id: MessageId) -> None:
        """Ask for an answer after `leaf_id` of the shown conversation."""
        snapshot = self._screen.snapshot
        assert snapshot is not None
        settings = self._prompt.turn_settings(snapshot.conversation_id)
        self._turn.ask(kind, snapshot, leaf_id, settings)

    def _calls_follow(self, stream: Stream, parsed: ParsedAnswer, run_calls: bool) -> None:
        if self._round is not None:
            self._round.start(stream, parsed, run_calls=run_calls)

    # ---- the date -----------------------------------------------------------------------

    def conversation_date(self, conversation_id: ConversationId | None = None) -> date:
        """The date a conversation's prompt gives (the shown one's by default): the day it
        started or was renewed, so its prefix, and its KV snapshot, stay valid past midnight."""
        if conversation_id is None:
            conversation_id = self.conversation_id
        if conversation_id is None:
            return self._today()
        return self._prompt.date_of(self._prompt.record(conversation_id))

    def renew_date(self, conversation_id: ConversationId) -> None:
        """Give the conversation today's date; its history is read again on the next answer."""
        self._writes.succeeded(lambda: self._store.set_prompt_date(conversation_id, self._today()))
        if self._screen.shows(conversation_id):
            self.refresh_context()
