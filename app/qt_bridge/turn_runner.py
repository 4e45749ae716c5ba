"""One answer: asked for once, fitted by the engine, streamed into the store and the view.

The answer's request carries the context-fit policy, so the engine counts the prompt, leaves out
the oldest turns as the user allows and reports it before the first token: one request per
answer, and a second only when the user must first agree to leave turns out.

Every answer is written to the store as it streams (at most every two seconds), so a crash of
the engine or of the whole program loses at most the last two seconds of text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence

from app.core.context_fit import (
    ContextFit,
    ContextOverflow,
    ContextOverflowDecision,
    ContextOverflowFacts,
)
from app.core.conversation import (
    AnswerMeta,
    ConversationId,
    ConversationSnapshot,
    MessageId,
    MessageNode,
    MessageState,
)
from app.core.i18n import tr, translate
from app.core.messages import ChatMessage, Role, ToolCall
from app.core.tool_calls import ParsedAnswer, ToolCallStream
from app.engine.protocol import EngineError, Finished, FinishReason, PromptFitted
from app.qt_bridge.chat_part import ChatPart, ChatShared
from app.qt_bridge.conversation_prompt import TurnSettings
from app.qt_bridge.engine_controller import EngineState
from app.qt_bridge.text_batcher import TextBatcher
from app.qt_bridge.turn_stream import STATE_OF_REASON, Stream, answer_meta

CHECKPOINT_INTERVAL_MS = 2000

AskOverflow = Callable[[ContextOverflowFacts], ContextOverflowDecision]
# a finished answer with tool calls: its stream, what was read of it, whether to run them
CallsFollow = Callable[[Stream, ParsedAnswer, bool], None]


def _left_out(messages: int) -> str:
    return tr(
        "%n older message(s) were left out so the conversation fits; they are marked in the "
        "conversation.",
        None,
        messages,
    )


class AnswerKind(Enum):
    NEW = "new"  # a new answer to the last user message (also regenerate and edit)
    CONTINUE = "continue"  # more of the last, cut-off answer


@dataclass
class _Asked:
    """An answer asked for whose prompt the engine has not yet reported as fitted."""

    kind: AnswerKind
    conversation_id: ConversationId
    leaf_id: MessageId  # the user message to answer, or the answer to continue
    fit: ContextFit
    settings: TurnSettings
    overflow: ContextOverflow  # the policy the request was sent with
    request_id: int = -1
    left_out: bool = False  # turns were left out: the conversation is read again to show it


def _regenerate_keys() -> str:
    """The Regenerate shortcut as this platform writes it (Cmd+R on a Mac)."""
    return QKeySequence("Ctrl+R").toString(QKeySequence.SequenceFormat.NativeText)


class TurnRunner(ChatPart):
    """Asks the engine for one answer, streams it to the screen and the store, and ends it."""

    def __init__(
        self, shared: ChatShared, *, ask_overflow: AskOverflow, calls_follow: CallsFollow
    ) -> None:
        super().__init__(shared)
        self._ask_overflow = ask_overflow
        self._calls_follow = calls_follow
        self._asked: _Asked | None = None
        self.stream: Stream | None = None
        self._batcher = TextBatcher(parent=self)
        self._batcher.flushed.connect(self._show_streamed)
        self._checkpoint = QTimer(self)
        self._checkpoint.setInterval(CHECKPOINT_INTERVAL_MS)
        self._checkpoint.timeout.connect(self.save_now)
        self._engine.prompt_fitted.connect(self._on_prompt_fitted)
        self._engine.delta.connect(self._on_delta)
        self._engine.finished.connect(self._on_finished)
        self._engine.error.connect(self._on_engine_error)

    @property
    def busy(self) -> bool:
        return self._asked is not None or self.stream is not None

    # ---- asking ---------------------------------------------------------------------------

    def ask(
        self,
        kind: AnswerKind,
        snapshot: ConversationSnapshot,
        leaf_id: MessageId,
        settings: TurnSettings,
    ) -> None:
        """Ask the engine for an answer after `leaf_id`, the context fitted as the user chose."""
        fit = ContextFit(
            path=[n for n in snapshot.path_to(leaf_id) if not n.left_out],
            answer_budget=settings.sampling.max_tokens,
            keep_last=1 if kind is AnswerKind.NEW else 2,
        )
        overflow = self._settings.settings.context_overflow
        asked = _Asked(kind, snapshot.conversation_id, leaf_id, fit, settings, overflow)
        self._asked = asked
        self._signals.busy_changed.emit(True)
        self._send(asked)

    def _send(self, asked: _Asked) -> None:
        settings = asked.settings
        asked.request_id = self._engine.generate(
            asked.fit.messages(),
            sampling=settings.sampling,
            tools=settings.tools,
            system_prompt=settings.system_prompt,
            continue_last=asked.kind is AnswerKind.CONTINUE,
            conversation_id=asked.conversation_id,
            today=settings.today,
            fit=asked.fit.policy(asked.overflow),
        )

    def drop_asked(self) -> None:
        """Forget an answer not yet streaming (another conversation is shown, or stop)."""
        if self._asked is not None:
            self._asked = None
            self._engine.cancel()
            self._signals.busy_changed.emit(False)

    def stop(self) -> None:
        self.drop_asked()
        if self.stream is not None:
            self._engine.cancel()

    def _on_prompt_fitted(self, report: PromptFitted) -> None:
        asked = self._asked
        if asked is None or report.request_id != asked.request_id:
            return
        fit = report.fit
        if report.sent:
            if fit.left_out_turns:
                self._mark_left_out(asked, fit.left_out_turns)
            self._begin_stream(asked)
            return
        # The user may be asked in a modal dialog, whose event loop must not run inside the
        # delivery of the engine's events (those after this one would overtake it).
        QTimer.singleShot(0, self, lambda: self._settle_unsent(asked, report))

    def _settle_unsent(self, asked: _Asked, report: PromptFitted) -> None:
        """The prompt did not fit: ask the user, then send it with turns left out or not."""
        if self._asked is not asked:
            return  # stopped, or wound up by an engine error, meanwhile
        fit = report.fit
        facts = asked.fit.facts(fit, report.n_ctx)
        if not fit.fits:
            if asked.overflow is ContextOverflow.ASK:
                self._ask_overflow(facts)
            self._give_up(asked)
        elif not self._user_agrees_to_leave_out(facts):
            self._give_up(asked)
        elif self._asked is not asked:
            return  # stopped, or the engine failed, while the user chose
        elif self._engine.state is not EngineState.READY:
            self._not_ready(asked)
        else:
            self._mark_left_out(asked, fit.left_out_turns)
            asked.fit = asked.fit.without(fit.left_out_turns)
            asked.overflow = ContextOverflow.DROP_OLDEST
            self._send(asked)

    def _user_agrees_to_leave_out(self, facts: ContextOverflowFacts) -> bool:
        decision = self._ask_overflow(facts)
        if decision.remember:
            self._settings.set_context_overflow(decision.choice)
        return decision.choice is ContextOverflow.DROP_OLDEST

    def _mark_left_out(self, asked: _Asked, turns: int) -> None:
        dropped = asked.fit.left_out(turns)
        asked.left_out = True
        self._writes.succeeded(lambda: self._store.set_left_out(dropped))
        self._signals.info.emit(_left_out(len(dropped)))

    def _give_up(self, asked: _Asked) -> None:
        if self._asked is not asked:
            return  # already wound up, and said why
        self._asked = None
        self._signals.busy_changed.emit(False)
        self._signals.info.emit(
            translate(
                "TurnRunner",
                "Not sent: the conversation is too long for the context window. Your message "
                "is kept; regenerate ({keys}) once there is room.",
            ).format(keys=_regenerate_keys())
        )

    def _not_ready(self, asked: _Asked) -> None:
        """The model was unloaded, or another is loading, while the user chose."""
        self._asked = None
        self._signals.busy_changed.emit(False)
        self._signals.info.emit(
            translate(
                "TurnRunner",
                "Not sent: the model is no longer ready. Your message is kept; regenerate "
                "({keys}) once a model is loaded.",
            ).format(keys=_regenerate_keys())
        )

    # ---- streaming ------------------------------------------------------------------------

    def _begin_stream(self, asked: _Asked) -> None:
        """The engine is answering: keep the answer in the store and show it as it comes."""
        self._asked = None
        node = self._answer_node(asked)
        if node is None:  # the store refused it: the engine's answer is not wanted
            self._engine.cancel()
            self._signals.busy_changed.emit(False)
            return
        if self._screen.shows(asked.conversation_id):
            if asked.left_out:
                self._screen.reload(asked.conversation_id)
            else:
                self._screen.put(node)
        base_text = node.message.content
        self.stream = Stream(
            request_id=asked.request_id,
            conversation_id=asked.conversation_id,
            message_id=node.id,
            base_text=base_text,
            calls=ToolCallStream() if asked.settings.tools else None,
        )
        self._screen.view.begin_streaming(node.id, base_text)
        self._checkpoint.start()

    def _answer_node(self, asked: _Asked) -> MessageNode | None:
        """The answer being written, as stored now: the one continued, or a new one."""
        conversation_id = asked.conversation_id
        if asked.kind is AnswerKind.CONTINUE:
            answer = next(n for n in asked.fit.path if n.id == asked.leaf_id)
            text = answer.message.content.rstrip(" ")  # as the model reads it
            self._writes.succeeded(
                lambda: self._store.update_message(
                    answer.id, content=text, state=MessageState.STREAMING
                )
            )
            message = replace(answer.message, content=text)
            return replace(answer, message=message, state=MessageState.STREAMING)

        def add() -> MessageId:
            message = ChatMessage(Role.ASSISTANT, "")
            new_id = self._store.add_message(
                conversation_id, asked.leaf_id, message, MessageState.STREAMING
            )
            self._store.set_active_leaf(conversation_id, new_id)
            return new_id

        new_id = self._writes.attempt(add)
        if new_id is None:
            return None
        return MessageNode(
            new_id, asked.leaf_id, ChatMessage(Role.ASSISTANT, ""), MessageState.STREAMING
        )

    def _on_delta(self, request_id: int, text: str) -> None:
        stream = self.stream
        if stream is None or request_id != stream.request_id:
            return
        if stream.calls is not None:
            text = stream.calls.feed(text)
            if not text:
                return
        stream.text += text
        if self._screen.shows(stream.conversation_id):
            self._batcher.push(text)

    def _show_streamed(self, text: str) -> None:
        stream = self.stream
        if stream is not None and self._screen.shows(stream.conversation_id):
            self._screen.view.append_streaming(stream.message_id, text)

    def restart_shown_stream(self) -> None:
        """Another conversation is shown: a stream of it restarts from its whole text."""
        self._batcher.discard()
        stream = self.stream
        if stream is not None and self._screen.shows(stream.conversation_id):
            self._screen.view.begin_streaming(stream.message_id, stream.full_text)

    def save_now(self) -> None:
        """Write the streaming answer as it is now."""
        stream = self.stream
        if stream is not None:
            self._writes.attempt(
                lambda: self._store.checkpoint(stream.message_id, stream.full_text)
            )

    def _on_finished(self, finished: Finished) -> None:
        stream = self.stream
        if stream is None or finished.request_id != stream.request_id:
            return
        parsed = stream.calls.finish() if stream.calls is not None else None
        stream.text = parsed.content if parsed is not None else finished.text
        loaded = self._engine.loaded_model
        model_path = loaded.model_path if loaded else self._settings.settings.model.model_path
        meta = answer_meta(finished.usage, model_path)
        calls = parsed.calls if parsed is not None else ()
        calling = bool(calls) and finished.reason is FinishReason.STOP
        state = STATE_OF_REASON[finished.reason]
        self._close_stream(state, meta, stream, calls, calls_follow=calling)
        if parsed is not None:
            self._calls_follow(stream, parsed, calling)
        usage = finished.usage
        if finished.reason is not FinishReason.ERROR:
            self._signals.speed_changed.emit(usage.generation_tokens_per_s)
            if loaded is not None:
                used = usage.prompt_tokens + usage.completion_tokens
                self._signals.context_changed.emit(used, loaded.n_ctx, True)

    def _close_stream(
        self,
        state: MessageState,
        meta: AnswerMeta | None,
        stream: Stream,
        calls: tuple[ToolCall, ...] = (),
        *,
        calls_follow: bool = False,  # the answer's tool calls come next: still busy
    ) -> None:
        """The answer is over: store it as it ended and show that."""
        self._batcher.flush()  # the last pieces reach the view before it hears of the end
        self.stream = None
        self._checkpoint.stop()
        self._writes.succeeded(
            lambda: self._store.update_message(
                stream.message_id,
                content=stream.full_text,
                state=state,
                meta=meta,
                tool_calls=calls,
            )
        )
        if self._screen.shows(stream.conversation_id):
            self._screen.view.end_streaming(stream.message_id, state)
            self._screen.reload(stream.conversation_id)
        if not calls_follow:
            self._signals.busy_changed.emit(False)
        self._signals.conversations_changed.emit()

    def _on_engine_error(self, error: EngineError) -> None:
        """The window tells the user; here only what was under way is wound up, text kept."""
        asked = self._asked
        if asked is not None and error.request_id in (None, asked.request_id):
            self._asked = None
            self._signals.busy_changed.emit(False)
        stream = self.stream
        if stream is not None and error.request_id in (None, stream.request_id):
            self._close_stream(MessageState.ERROR, None, stream)
