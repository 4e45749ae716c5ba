"""One conversation at a time: send, stream, stop, regenerate, edit, continue, context limits.

Every answer is written to the store as it streams (at most every two seconds), so a crash of
the engine or of the whole program loses at most the last two seconds of text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from functools import partial
from typing import TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.conversation import (
    AnswerMeta,
    ConversationId,
    ConversationSnapshot,
    MessageId,
    MessageState,
)
from app.core.messages import ChatMessage, DocumentPart, Role, ToolCall, ToolSpec
from app.core.model_file import describe_model_file
from app.core.sampling import SamplingParams
from app.core.system_prompt import MODEL_NAME, fill_system_prompt
from app.core.tool_calls import ParsedAnswer, ToolCallStream
from app.engine.protocol import EngineError, Finished, FinishReason, TokenCount
from app.media.prepare import PreparedImage
from app.media.staging import staged
from app.qt_bridge.chat_ports import (
    ChatStore,
    ChatSurface,
    ContextOverflowDecision,
    ContextOverflowFacts,
)
from app.qt_bridge.context_fit import ContextFit
from app.qt_bridge.draft_reader import DraftPrompt
from app.qt_bridge.engine_controller import EngineController, EngineState
from app.qt_bridge.settings_controller import SettingsController
from app.qt_bridge.text_batcher import TextBatcher
from app.qt_bridge.tool_box import ToolBox
from app.settings import (
    ContextOverflow,
    ConversationOverrides,
    SettingsError,
    ToolPolicy,
    overrides_from_dict,
    overrides_to_dict,
)
from app.store.errors import StoreError
from app.tools.runner import ToolResult, error_result, fit_result

CHECKPOINT_INTERVAL_MS = 2000
TITLE_LENGTH = 48
MIN_RESULT_TOKENS = 256  # a tool result is never cut shorter than this

STATE_OF_REASON = {
    FinishReason.STOP: MessageState.COMPLETE,
    FinishReason.LENGTH: MessageState.LENGTH,
    FinishReason.CANCELLED: MessageState.CANCELLED,
    FinishReason.REPETITION: MessageState.REPETITION,
    FinishReason.ERROR: MessageState.ERROR,
}

_T = TypeVar("_T")

AskOverflow = Callable[[ContextOverflowFacts], ContextOverflowDecision]


class AnswerKind(Enum):
    NEW = "new"  # a new answer to the last user message (also regenerate and edit)
    CONTINUE = "continue"  # more of the last, cut-off answer


@dataclass
class _Request:
    """An answer being prepared: its context is being counted and, if needed, trimmed."""

    kind: AnswerKind
    conversation_id: ConversationId
    leaf_id: MessageId  # the user message to answer, or the answer to continue
    fit: ContextFit
    system_prompt: str | None
    sampling: SamplingParams
    today: date  # the conversation's date, which its prompt gives
    tools: tuple[ToolSpec, ...] = ()
    count_id: int | None = None


@dataclass
class _Stream:
    request_id: int
    conversation_id: ConversationId
    message_id: MessageId
    base_text: str  # text already there when continuing
    text: str = ""  # as shown: tool calls are taken out
    calls: ToolCallStream | None = None  # when tools were offered

    @property
    def full_text(self) -> str:
        return self.base_text + self.text


@dataclass
class _ToolRound:
    """The calls of one answer, approved and run one after the other."""

    conversation_id: ConversationId
    calls: list[ToolCall]
    last_id: MessageId  # the message the next result follows
    index: int = 0  # the call being decided or run
    edited: dict[str, str] = field(default_factory=dict)  # call id: the user's arguments

    @property
    def current(self) -> ToolCall | None:
        return self.calls[self.index] if self.index < len(self.calls) else None


@dataclass(frozen=True, slots=True)
class ToolApproval:
    """A call waiting for the user's Run or Skip."""

    call: ToolCall
    plugin: str
    description: str


def title_from(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= TITLE_LENGTH else line[: TITLE_LENGTH - 1].rstrip() + "…"


class ChatController(QObject):
    busy_changed = Signal(bool)
    conversation_changed = Signal(object)  # ConversationId | None
    conversations_changed = Signal()  # titles, order or the list itself changed
    context_changed = Signal(int, int, bool)  # tokens used, n_ctx, exact
    image_tokens_changed = Signal(object)  # tuple[int, ...]: what each image of it takes
    speed_changed = Signal(object)  # tokens/s of the last answer, or None
    failed = Signal(str)  # something the user must know went wrong
    info = Signal(str)
    approval_needed = Signal(object)  # ToolApproval
    tool_started = Signal(object)  # ToolCall now running
    tool_ended = Signal()  # no call is waiting or running any more

    def __init__(
        self,
        *,
        store: ChatStore,
        engine: EngineController,
        settings: SettingsController,
        view: ChatSurface,
        ask_context_overflow: AskOverflow,
        tools: ToolBox | None = None,
        today: Callable[[], date] = date.today,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._today = today  # the clock's date (tests move it past midnight)
        self._store = store
        self._engine = engine
        self._settings = settings
        self._view = view
        self._ask_overflow = ask_context_overflow
        self._conversation_id: ConversationId | None = None
        self._snapshot: ConversationSnapshot | None = None
        self._request: _Request | None = None
        self._stream: _Stream | None = None
        self._context_count_id: int | None = None
        self._tools = tools
        self._round: _ToolRound | None = None
        if tools is not None:
            tools.finished.connect(self._on_tool_result)
        self._batcher = TextBatcher(parent=self)
        self._batcher.flushed.connect(self._show_streamed)
        self._checkpoint = QTimer(self)
        self._checkpoint.setInterval(CHECKPOINT_INTERVAL_MS)
        self._checkpoint.timeout.connect(self.save_now)
        engine.delta.connect(self._on_delta)
        engine.finished.connect(self._on_finished)
        engine.token_count.connect(self._on_token_count)
        engine.error.connect(self._on_engine_error)

    # ---- state ----------------------------------------------------------------------------

    @property
    def conversation_id(self) -> ConversationId | None:
        return self._conversation_id

    @property
    def busy(self) -> bool:
        return self._request is not None or self._stream is not None or self._round is not None

    @property
    def can_regenerate(self) -> bool:
        path = self._snapshot.active_path if self._snapshot else []
        return not self.busy and any(n.message.role is Role.USER for n in path)

    @property
    def can_continue(self) -> bool:
        last = self._snapshot.active_path[-1] if self._snapshot and self._snapshot.nodes else None
        return (
            not self.busy
            and last is not None
            and last.message.role is Role.ASSISTANT
            and last.state is not MessageState.COMPLETE
        )

    def last_answer_text(self) -> str | None:
        if self._stream is not None:
            return self._stream.full_text
        answer = self._snapshot.last_answer if self._snapshot else None
        return answer.message.content if answer else None

    # ---- conversations --------------------------------------------------------------------

    @property
    def streaming_conversation_id(self) -> ConversationId | None:
        """The conversation whose answer is streaming, shown or not."""
        return self._stream.conversation_id if self._stream else None

    def new_conversation(self) -> None:
        """Show an empty conversation; it is stored with its first message.

        An answer that is streaming goes on (and is saved) while other conversations are shown.
        """
        self._drop_request()
        self._set_conversation(None)

    def open_conversation(
        self, conversation_id: ConversationId, focus_message_id: MessageId | None = None
    ) -> None:
        if conversation_id == self._conversation_id and focus_message_id is None:
            return
        self._drop_request()
        try:
            snapshot = self._store.snapshot(conversation_id)
        except Exception as exc:
            self.failed.emit(f"The conversation could not be opened: {exc}")
            return
        if focus_message_id is not None and focus_message_id not in {
            n.id for n in snapshot.active_path
        }:
            # a hit on another branch: show that branch
            leaf = snapshot.latest_leaf_under(focus_message_id)
            self._store.set_active_leaf(conversation_id, leaf)
            snapshot = self._store.snapshot(conversation_id)
        self._set_conversation(conversation_id, snapshot, focus_message_id)

    def overrides_of(self, conversation_id: ConversationId) -> tuple[str, ConversationOverrides]:
        record = self._store.conversation(conversation_id)
        return record.title, self._overrides(record.overrides)

    def set_overrides(
        self, conversation_id: ConversationId, overrides: ConversationOverrides
    ) -> None:
        data = None if overrides.empty else overrides_to_dict(overrides)
        self._guarded(lambda: self._store.set_overrides(conversation_id, data))
        if conversation_id == self._conversation_id:
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
        conversation_id = self._conversation_id
        if conversation_id is None:
            title = title_from(text or (documents[0].name if documents else images[0].label))
            created = self._guarded(lambda: self._store.create_conversation(title))
            if created is None:
                return False
            conversation_id = created
        parent = self._snapshot.active_leaf if self._snapshot else None
        with staged(images) as parts:
            message = ChatMessage(Role.USER, text, images=parts, documents=tuple(documents))
            message_id = self._guarded(
                lambda: self._store.add_message(conversation_id, parent, message)
            )
        if message_id is None:
            return False
        self._keep_originals(images)
        self._store.set_active_leaf(conversation_id, message_id)
        self._reload(conversation_id)
        self.conversations_changed.emit()
        self._prepare(AnswerKind.NEW, message_id)
        return True

    def _keep_originals(self, images: Sequence[PreparedImage]) -> None:
        """Keep the files the images were made from; one that cannot be kept is said, the
        message (with the images the model sees) is saved already."""
        for image in images:
            if image.original is not None:
                self._guarded(partial(self._store.keep_original, image.sha256, image.original))

    def stop(self) -> None:
        self._drop_request()
        if self._stream is not None:
            self._engine.cancel()
        if self._round is not None:
            self._stop_round()

    def _drop_request(self) -> None:
        """Forget an answer still being prepared (its tokens being counted)."""
        if self._request is not None:
            self._request = None
            self.busy_changed.emit(False)

    def regenerate(self) -> None:
        """A new answer to the last user message; the earlier answers stay as alternatives."""
        if not self._snapshot or not self._ready_to_answer():
            return
        path = self._snapshot.active_path
        user = next((n for n in reversed(path) if n.message.role is Role.USER), None)
        if user is not None:
            self._prepare(AnswerKind.NEW, user.id)

    def continue_answer(self) -> None:
        if not self.can_continue or not self._ready_to_answer() or self._snapshot is None:
            return
        leaf = self._snapshot.active_leaf
        if leaf is not None:
            self._prepare(AnswerKind.CONTINUE, leaf)

    def edit_message(self, message_id: MessageId, text: str) -> None:
        """A changed user message starts a new branch beside the old one, then gets an answer;
        its images go with it (a message of images alone may lose its text)."""
        text = text.strip()
        if self._snapshot is None or not self._ready_to_answer():
            return
        conversation_id = self._snapshot.conversation_id
        original = self._snapshot.node(message_id)
        kept = original.message.images or original.message.documents
        if original.message.role is not Role.USER or not (text or kept):
            return
        edited = replace(original.message, content=text)
        new_id = self._guarded(
            lambda: self._store.add_message(conversation_id, original.parent_id, edited)
        )
        if new_id is None:
            return
        self._store.set_active_leaf(conversation_id, new_id)
        self._reload(conversation_id)
        self._prepare(AnswerKind.NEW, new_id)

    def select_alternative(self, message_id: MessageId, step: int) -> None:
        """Show the previous (-1) or next (+1) alternative of a message and its branch."""
        if self._snapshot is None or self.busy:
            return
        leaf = self._snapshot.alternative_leaf(message_id, step)
        if leaf is None:
            return
        conversation_id = self._snapshot.conversation_id
        self._guarded(lambda: self._store.set_active_leaf(conversation_id, leaf))
        self._reload(conversation_id)
        self.refresh_context()

    def delete_message(self, message_id: MessageId) -> None:
        """Delete a message and what was written after it on its branch; the view then shows
        the closest remaining branch."""
        if self._snapshot is None or self.busy:
            return
        snapshot = self._snapshot
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

        self._guarded(delete)
        self._reload(conversation_id)
        self.refresh_context()

    def refresh_context(self) -> None:
        """Count the tokens of the shown conversation exactly (when a model is loaded)."""
        loaded = self._engine.loaded_model
        if loaded is None or self.busy or self._engine.state is not EngineState.READY:
            return
        path = [n for n in (self._snapshot.active_path if self._snapshot else []) if not n.left_out]
        system_prompt = self._system_prompt()
        self._context_count_id = self._engine.count_tokens(
            tuple(n.message for n in path),
            tools=self._offered_tools(),
            system_prompt=system_prompt,
            today=self.conversation_date(),
        )

    def draft_prompt(self, draft: ChatMessage) -> DraftPrompt | None:
        """What sending `draft` now would ask the engine; None while an answer is under way."""
        if self.busy:
            return None
        path = self._snapshot.active_path if self._snapshot else []
        return DraftPrompt(
            messages=(*(n.message for n in path if not n.left_out), draft),
            system_prompt=self._system_prompt(),
            tools=self._offered_tools(),
            conversation_id=self._conversation_id,
            today=self.conversation_date(),
        )

    def save_now(self) -> None:
        """Write the streaming answer as it is now."""
        stream = self._stream
        if stream is not None:
            self._guarded(lambda: self._store.checkpoint(stream.message_id, stream.full_text))

    # ---- preparing an answer --------------------------------------------------------------

    def _ready_to_answer(self) -> bool:
        if self.busy:
            return False
        if self._engine.state is EngineState.GENERATING:
            self.failed.emit(
                "The model is answering a request of the local API; send again in a moment."
            )
            return False
        if self._engine.state is not EngineState.READY:
            self.failed.emit("Load a model first: no model is ready to answer.")
            return False
        return True

    def _prepare(self, kind: AnswerKind, leaf_id: MessageId) -> None:
        assert self._snapshot is not None
        overrides = self._current_overrides()
        settings = self._settings.settings
        sampling = overrides.sampling_for(settings)
        self._request = _Request(
            kind=kind,
            conversation_id=self._snapshot.conversation_id,
            leaf_id=leaf_id,
            fit=ContextFit(
                path=[n for n in self._snapshot.path_to(leaf_id) if not n.left_out],
                answer_budget=sampling.max_tokens,
                keep_last=1 if kind is AnswerKind.NEW else 2,
            ),
            system_prompt=self._system_prompt(overrides),
            sampling=sampling,
            today=self.conversation_date(),
            tools=self._offered_tools(),
        )
        self.busy_changed.emit(True)
        self._count(self._request)

    def _count(self, request: _Request) -> None:
        request.count_id = self._engine.count_tokens(
            request.fit.messages(),
            tools=request.tools,
            system_prompt=request.system_prompt,
            today=request.today,
        )

    def _on_token_count(self, count: TokenCount) -> None:
        if count.request_id == self._context_count_id:
            self._context_count_id = None
            self.context_changed.emit(count.tokens, count.n_ctx, True)
            self.image_tokens_changed.emit(count.image_tokens)
            return
        request = self._request
        if request is None or count.request_id != request.count_id:
            return
        fit = request.fit
        if fit.note_count(count.tokens, count.n_ctx):
            if fit.dropped and not self._agree_to_leave_out(fit, count.n_ctx):
                self._give_up(request)
            else:
                self._generate(request)
            return
        overflow = self._settings.settings.context_overflow
        if overflow is not ContextOverflow.STOP and fit.leave_out_next():
            self._count(request)
            return
        if overflow is ContextOverflow.ASK:
            self._ask_overflow(replace(fit.facts(count.n_ctx), dropped_messages=0))
        self._give_up(request)

    def _agree_to_leave_out(self, fit: ContextFit, n_ctx: int) -> bool:
        """The remembered choice, or the user's; leaving out marks the messages in the store."""
        choice = self._settings.settings.context_overflow
        if choice is ContextOverflow.ASK:
            decision = self._ask_overflow(fit.facts(n_ctx))
            if decision.remember:
                self._settings.set_context_overflow(decision.choice)
            choice = decision.choice
        if choice is not ContextOverflow.DROP_OLDEST:
            return False
        dropped = list(fit.dropped)
        self._guarded(lambda: self._store.set_left_out(dropped))
        self.info.emit(
            f"{len(dropped)} older messages were left out so the conversation fits; "
            "they are marked in the conversation."
        )
        return True

    def _give_up(self, request: _Request) -> None:
        if self._request is request:
            self._request = None
            self.busy_changed.emit(False)
        self.info.emit(
            "Not sent: the conversation is too long for the context window. Your message is "
            "kept; regenerate (Ctrl+R) once there is room."
        )

    # ---- streaming ------------------------------------------------------------------------

    def _generate(self, request: _Request) -> None:
        self._request = None
        conversation_id = request.conversation_id
        if request.kind is AnswerKind.CONTINUE:
            answer = next(n for n in request.fit.path if n.id == request.leaf_id)
            message_id = answer.id
            base_text = answer.message.content.rstrip(" ")  # as the model reads it
            self._guarded(
                lambda: self._store.update_message(
                    message_id, content=base_text, state=MessageState.STREAMING
                )
            )
        else:
            new_id = self._guarded(
                lambda: self._store.add_message(
                    conversation_id,
                    request.leaf_id,
                    ChatMessage(Role.ASSISTANT, ""),
                    MessageState.STREAMING,
                )
            )
            if new_id is None:
                self.busy_changed.emit(False)
                return
            message_id = new_id
            base_text = ""
            self._store.set_active_leaf(conversation_id, message_id)
        self._reload(conversation_id)
        self._stream = _Stream(
            request_id=-1,
            conversation_id=conversation_id,
            message_id=message_id,
            base_text=base_text,
            calls=ToolCallStream() if request.tools else None,
        )
        self._view.begin_streaming(message_id, base_text)
        self._stream.request_id = self._engine.generate(
            request.fit.messages(),
            sampling=request.sampling,
            tools=request.tools,
            system_prompt=request.system_prompt,
            continue_last=request.kind is AnswerKind.CONTINUE,
            conversation_id=request.conversation_id,
            today=request.today,
        )
        self._checkpoint.start()

    def _on_delta(self, request_id: int, text: str) -> None:
        stream = self._stream
        if stream is None or request_id != stream.request_id:
            return
        if stream.calls is not None:
            text = stream.calls.feed(text)
            if not text:
                return
        stream.text += text
        if stream.conversation_id == self._conversation_id:
            self._batcher.push(text)

    def _show_streamed(self, text: str) -> None:
        stream = self._stream
        if stream is not None and stream.conversation_id == self._conversation_id:
            self._view.append_streaming(stream.message_id, text)

    def _on_finished(self, finished: Finished) -> None:
        stream = self._stream
        if stream is None or finished.request_id != stream.request_id:
            return
        parsed = stream.calls.finish() if stream.calls is not None else None
        stream.text = parsed.content if parsed is not None else finished.text
        state = STATE_OF_REASON[finished.reason]
        loaded = self._engine.loaded_model
        model_path = loaded.model_path if loaded else self._settings.settings.model.model_path
        usage = finished.usage
        meta = AnswerMeta(
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            tokens_per_s=usage.generation_tokens_per_s,
            model_file=model_path.name if model_path else "",
            quant=describe_model_file(model_path).quant if model_path else None,
            time_to_first_token_s=usage.time_to_first_token_s,
            draft_tokens=usage.draft_tokens,
            accepted_tokens=usage.accepted_tokens,
            speculative_speedup=usage.speculative_speedup,
        )
        calls = parsed.calls if parsed is not None else ()
        calling = bool(calls) and finished.reason is FinishReason.STOP
        self._end_stream(state, meta, calls, keep_busy=calling)
        if parsed is not None:
            self._after_answer(stream, parsed, run_calls=calling)
        if finished.reason is not FinishReason.ERROR:
            self.speed_changed.emit(usage.generation_tokens_per_s)
            if loaded is not None:
                used = usage.prompt_tokens + usage.completion_tokens
                self.context_changed.emit(used, loaded.n_ctx, True)

    def _end_stream(
        self,
        state: MessageState,
        meta: AnswerMeta | None,
        calls: tuple[ToolCall, ...] = (),
        *,
        keep_busy: bool = False,  # the answer's tool calls come next
    ) -> None:
        stream = self._stream
        assert stream is not None
        self._batcher.flush()  # the last pieces reach the view before it hears of the end
        self._stream = None
        self._checkpoint.stop()
        self._guarded(
            lambda: self._store.update_message(
                stream.message_id,
                content=stream.full_text,
                state=state,
                meta=meta,
                tool_calls=calls,
            )
        )
        if stream.conversation_id == self._conversation_id:
            self._view.end_streaming(stream.message_id, state)
            self._reload(stream.conversation_id)
        if not keep_busy:
            self.busy_changed.emit(False)
        self.conversations_changed.emit()

    def _on_engine_error(self, error: EngineError) -> None:
        """The window tells the user; here only what was under way is wound up, text kept."""
        if self._request is not None and (
            error.request_id is None or error.request_id == self._request.count_id
        ):
            self._request = None
            self.busy_changed.emit(False)
        stream = self._stream
        if stream is not None and error.request_id in (None, stream.request_id):
            self._end_stream(MessageState.ERROR, None)

    # ---- tool calls -----------------------------------------------------------------------

    def _offered_tools(self) -> tuple[ToolSpec, ...]:
        if self._tools is None:
            return ()
        return self._tools.offered(self._settings.settings.tools)

    def _after_answer(self, stream: _Stream, parsed: ParsedAnswer, *, run_calls: bool) -> None:
        """A finished answer with tool calls starts a round; problems reading calls are said.
        The calls of an answer that was cut short (stopped, too long) are kept, not run."""
        for problem in parsed.problems:
            self.info.emit(f"A tool call of the model could not be read: {problem}.")
        if not run_calls:
            return
        rounds = self._rounds_since_user(stream.conversation_id, stream.message_id)
        limit = self._settings.settings.tools.max_rounds
        if rounds > limit:
            self.info.emit(
                f"The model called tools {limit} times in a row without answering; its last "
                "calls were not run. Send a message to go on."
            )
            self.busy_changed.emit(False)
            return
        self._round = _ToolRound(stream.conversation_id, list(parsed.calls), stream.message_id)
        self._next_call()

    def _rounds_since_user(self, conversation_id: ConversationId, message_id: MessageId) -> int:
        """Answers with tool calls since the user last wrote, this one included."""
        snapshot = self._guarded(lambda: self._store.snapshot(conversation_id))
        if snapshot is None:
            return 1
        rounds = 0
        for node in reversed(snapshot.path_to(message_id)):
            if node.message.role is Role.USER:
                break
            if node.message.tool_calls:
                rounds += 1
        return rounds

    def _next_call(self) -> None:
        """Decide the current call by its tool's policy: run it, ask the user, or refuse it."""
        round_ = self._round
        assert round_ is not None and self._tools is not None
        call = round_.current
        if call is None:
            self._round_done()
            return
        tool = self._tools.tool(call.name)
        policy = self._settings.settings.tools.policy(call.name)
        if tool is None:
            self._record(error_result(call, f"there is no tool named {call.name}"))
        elif policy is ToolPolicy.NEVER:
            self._record(error_result(call, f"the user does not allow {call.name}"))
        elif policy is ToolPolicy.ALWAYS:
            self._run(call)
        else:
            self.approval_needed.emit(ToolApproval(call, tool.plugin, tool.spec.description))

    def approve(self, arguments: str | None = None) -> None:
        """Run the call waiting for approval, with the user's edited arguments if given."""
        round_ = self._round
        call = round_.current if round_ is not None else None
        if call is None or self._tools is None or self._tools.running is not None:
            return
        if arguments is not None and arguments != call.arguments:
            assert round_ is not None
            round_.edited[call.id] = arguments
            call = replace(call, arguments=arguments)
        self._run(call)

    def skip(self) -> None:
        round_ = self._round
        call = round_.current if round_ is not None else None
        if call is not None and (self._tools is None or self._tools.running is None):
            self._record(error_result(call, "the user chose not to run this call"))

    def _run(self, call: ToolCall) -> None:
        assert self._tools is not None
        self.tool_started.emit(call)
        self._tools.run(call, self._settings.settings.tools)

    def _on_tool_result(self, result: ToolResult) -> None:
        round_ = self._round
        current = round_.current if round_ is not None else None
        if round_ is None or current is None or result.call.id != current.id:
            return
        edited = round_.edited.get(current.id)
        if edited is not None:  # the model reads what was really run
            note = f"(The user changed the arguments to {edited}.)\n"
            result = replace(result, call=current, text=note + result.text)
        self._record(result)

    def _record(self, result: ToolResult) -> None:
        """Store a call's result under the conversation, then go to the next call."""
        round_ = self._round
        assert round_ is not None
        fitted = fit_result(result, self._result_budget())
        if fitted.cut:
            self.info.emit(
                f"The result of {result.call.name} was cut to fit the context "
                f"({len(result.text):,} characters)."
            )
        if not self._add_result(round_, fitted):
            self._end_round()
            return
        if round_.conversation_id == self._conversation_id:
            self._reload(round_.conversation_id)
        self._next_call()

    def _result_budget(self) -> int:
        """Tokens a result may take: what the context has left after the conversation so far
        and room for the answer."""
        loaded = self._engine.loaded_model
        if loaded is None or self._snapshot is None:
            return MIN_RESULT_TOKENS
        meta = next(
            (n.meta for n in reversed(self._snapshot.active_path) if n.meta is not None), None
        )
        used = meta.prompt_tokens + meta.completion_tokens if meta is not None else 0
        answer = self._settings.settings.sampling.max_tokens
        return max(MIN_RESULT_TOKENS, loaded.n_ctx - used - answer)

    def _round_done(self) -> None:
        """All calls have results: the model reads them and goes on."""
        round_ = self._round
        assert round_ is not None
        self._round = None
        self.tool_ended.emit()
        here = round_.conversation_id == self._conversation_id and self._snapshot is not None
        if here and self._engine.state is EngineState.READY:
            self._prepare(AnswerKind.NEW, round_.last_id)  # still busy: the next answer
            return
        self.busy_changed.emit(False)
        if not here:
            self.info.emit(
                "The tool results were saved; the model did not go on because another "
                "conversation is open."
            )

    def _stop_round(self) -> None:
        """The user stopped: a running tool is abandoned, the calls left get a result saying
        so (the model needs one per call), and no answer is asked for."""
        round_ = self._round
        assert round_ is not None
        self._round = None  # a result still coming is ignored from now on
        if self._tools is not None:
            self._tools.cancel()
        while (call := round_.current) is not None:
            if not self._add_result(round_, error_result(call, "the user stopped the tool calls")):
                break
        self._round = round_
        self._end_round()

    def _add_result(self, round_: _ToolRound, result: ToolResult) -> bool:
        """Store a result after the round's last message and move to the next call."""
        call = result.call
        loaded = self._engine.loaded_model
        sees = loaded is not None and loaded.has_vision
        text = result.text
        if result.images and not sees:
            text += "\n(The images were not passed on: the model is loaded without its projector.)"
        with staged(result.images if sees else ()) as images:
            message = ChatMessage(Role.TOOL, text, images, tool_call_id=call.id, name=call.name)
            new_id = self._guarded(
                lambda: self._store.add_message(round_.conversation_id, round_.last_id, message)
            )
        if new_id is None:
            return False
        self._store.set_active_leaf(round_.conversation_id, new_id)
        round_.last_id = new_id
        round_.index += 1
        return True

    def _end_round(self) -> None:
        round_ = self._round
        self._round = None
        self.tool_ended.emit()
        if round_ is not None and round_.conversation_id == self._conversation_id:
            self._reload(round_.conversation_id)
        self.busy_changed.emit(False)

    # ---- helpers --------------------------------------------------------------------------

    def _set_conversation(
        self,
        conversation_id: ConversationId | None,
        snapshot: ConversationSnapshot | None = None,
        focus: MessageId | None = None,
    ) -> None:
        self._batcher.discard()  # a stream shown again restarts from its whole text
        self._conversation_id = conversation_id
        self._snapshot = snapshot
        self._view.show_turns(snapshot.turns() if snapshot else [], focus)
        stream = self._stream
        if stream is not None and stream.conversation_id == conversation_id:
            self._view.begin_streaming(stream.message_id, stream.full_text)
        self.conversation_changed.emit(conversation_id)
        loaded = self._engine.loaded_model
        if snapshot is None and loaded is not None:
            self.context_changed.emit(0, loaded.n_ctx, False)  # until the system prompt is counted
        self.refresh_context()

    def _reload(self, conversation_id: ConversationId) -> None:
        snapshot = self._guarded(lambda: self._store.snapshot(conversation_id))
        if snapshot is None:
            return
        changed = conversation_id != self._conversation_id
        self._conversation_id = conversation_id
        self._snapshot = snapshot
        self._view.show_turns(snapshot.turns(), None)
        if changed:
            self.conversation_changed.emit(conversation_id)

    def _current_overrides(self) -> ConversationOverrides:
        conversation_id = self._conversation_id
        if conversation_id is None:
            return ConversationOverrides()
        record = self._guarded(lambda: self._store.conversation(conversation_id))
        return self._overrides(record.overrides if record else None)

    def _overrides(self, data: dict[str, object] | None) -> ConversationOverrides:
        if data is None:
            return ConversationOverrides()
        try:
            return overrides_from_dict(data)
        except SettingsError as exc:
            self.failed.emit(f"This conversation's own settings are unusable ({exc}); ignored.")
            return ConversationOverrides()

    def _system_prompt(self, overrides: ConversationOverrides | None = None) -> str | None:
        settings = self._settings.settings
        template = (overrides or self._current_overrides()).system_prompt_for(settings)
        if template is None:
            return None
        loaded = self._engine.loaded_model
        return fill_system_prompt(
            template,
            model_name=loaded.model_name if loaded is not None else MODEL_NAME,
            user_name=settings.user_name,
            today=self.conversation_date(),
        )

    def conversation_date(self, conversation_id: ConversationId | None = None) -> date:
        """The date a conversation's prompt gives (the shown one's by default): the day it
        started or was renewed, so its prefix, and its KV snapshot, stay valid past midnight."""
        if conversation_id is None:
            conversation_id = self._conversation_id
        if conversation_id is None:
            return self._today()
        record = self._guarded(lambda: self._store.conversation(conversation_id))
        if record is None or record.prompt_date is None:
            return self._today()
        return record.prompt_date

    def renew_date(self, conversation_id: ConversationId) -> None:
        """Give the conversation today's date; its history is read again on the next answer."""
        self._guarded(lambda: self._store.set_prompt_date(conversation_id, self._today()))
        if conversation_id == self._conversation_id:
            self.refresh_context()

    def _guarded(self, work: Callable[[], _T]) -> _T | None:
        """Run a store call; a failure becomes a message for the user, never a lost answer."""
        try:
            return work()
        except StoreError as exc:
            self.failed.emit(exc.message)
        except Exception as exc:
            self.failed.emit(f"The conversation could not be saved: {exc}")
        return None
