"""The tool calls of one answer: each decided by its tool's policy or the user, run, stored.

A round ends in one of two ways: `_let_model_answer` (every call has its result: the model
reads them and goes on) or `_end_without_answer` (the user stopped, or a result could not be
stored: nothing more is asked of the model).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from app.core.conversation import ConversationId, ConversationSnapshot, MessageId
from app.core.i18n import tr, translate
from app.core.locale_format import format_count
from app.core.messages import ChatMessage, Role, ToolCall
from app.core.tool_calls import ParsedAnswer
from app.media.staging import staged
from app.qt_bridge.chat_part import ChatPart, ChatShared
from app.qt_bridge.engine_controller import EngineState
from app.qt_bridge.store_writes import not_read
from app.qt_bridge.tool_box import ToolBox
from app.qt_bridge.turn_stream import Stream
from app.settings import ToolPolicy
from app.tools.runner import ToolResult, error_result, fit_result

MIN_RESULT_TOKENS = 256  # a tool result is never cut shorter than this

AnswerAfter = Callable[[ConversationId, MessageId], None]  # ask the model to answer after it


@dataclass(frozen=True, slots=True)
class ToolApproval:
    """A call waiting for the user's Run or Skip."""

    call: ToolCall
    plugin: str
    description: str


@dataclass
class _Round:
    """The calls of one answer, approved and run one after the other."""

    conversation_id: ConversationId
    calls: list[ToolCall]
    last_id: MessageId  # the message the next result follows
    used_tokens: int  # of the context, by the answer that made the calls
    index: int = 0  # the call being decided or run
    edited: dict[str, str] = field(default_factory=dict)  # call id: the user's arguments

    @property
    def current(self) -> ToolCall | None:
        return self.calls[self.index] if self.index < len(self.calls) else None


class ToolRound(ChatPart):
    """Runs an answer's tool calls, each approved as Settings say, then lets the model go on."""

    def __init__(self, shared: ChatShared, *, tools: ToolBox, answer_after: AnswerAfter) -> None:
        super().__init__(shared)
        self._tools = tools
        self._answer_after = answer_after
        self._round: _Round | None = None
        tools.finished.connect(self._on_tool_result)

    @property
    def busy(self) -> bool:
        return self._round is not None

    def start(self, stream: Stream, parsed: ParsedAnswer, *, run_calls: bool) -> None:
        """A finished answer with tool calls starts a round; problems reading calls are said.
        The calls of an answer that was cut short (stopped, too long) are kept, not run."""
        for problem in parsed.problems:
            self._signals.info.emit(
                translate(
                    "ToolRound", "A tool call of the model could not be read: {problem}."
                ).format(problem=problem)
            )
        if not run_calls:
            return
        snapshot = self._snapshot_of(stream.conversation_id)
        path = snapshot.path_to(stream.message_id) if snapshot is not None else []
        rounds = _rounds_since_user(snapshot, stream.message_id)
        limit = self._settings.settings.tools.max_rounds
        if rounds > limit:
            self._signals.info.emit(_too_many_rounds(limit))
            self._signals.busy_changed.emit(False)
            return
        meta = next((n.meta for n in reversed(path) if n.meta is not None), None)
        used = meta.prompt_tokens + meta.completion_tokens if meta is not None else 0
        calls = list(parsed.calls)
        self._round = _Round(stream.conversation_id, calls, stream.message_id, used)
        self._next_call()

    def _snapshot_of(self, conversation_id: ConversationId) -> ConversationSnapshot | None:
        """The conversation as stored: on screen it was just read; else it is read now."""
        if self._screen.shows(conversation_id):
            return self._screen.snapshot
        return self._writes.attempt(lambda: self._store.snapshot(conversation_id), not_read)

    def _next_call(self) -> None:
        """Decide the current call by its tool's policy: run it, ask the user, or refuse it."""
        round_ = self._round
        assert round_ is not None
        call = round_.current
        if call is None:
            self._let_model_answer(round_)
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
            self._signals.approval_needed.emit(
                ToolApproval(call, tool.plugin, tool.spec.description)
            )

    def approve(self, arguments: str | None = None) -> None:
        """Run the call waiting for approval, with the user's edited arguments if given."""
        round_ = self._round
        call = round_.current if round_ is not None else None
        if round_ is None or call is None or self._tools.running is not None:
            return
        if arguments is not None and arguments != call.arguments:
            round_.edited[call.id] = arguments
            call = replace(call, arguments=arguments)
        self._run(call)

    def skip(self) -> None:
        round_ = self._round
        call = round_.current if round_ is not None else None
        if call is not None and self._tools.running is None:
            self._record(error_result(call, "the user chose not to run this call"))

    def _run(self, call: ToolCall) -> None:
        self._signals.tool_started.emit(call)
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
        fitted = fit_result(result, self._result_budget(round_))
        if fitted.cut:
            self._signals.info.emit(
                translate(
                    "ToolRound",
                    "The result of {tool} was cut to fit the context ({characters} characters).",
                ).format(tool=result.call.name, characters=format_count(len(result.text)))
            )
        if not self._add_result(round_, fitted):
            self._end_without_answer(round_)
            return
        if self._screen.shows(round_.conversation_id):
            self._screen.reload(round_.conversation_id)
        self._next_call()

    def _result_budget(self, round_: _Round) -> int:
        """Tokens a result may take: what the context has left after the conversation so far
        and room for the answer."""
        loaded = self._engine.loaded_model
        if loaded is None:
            return MIN_RESULT_TOKENS
        answer = self._settings.settings.sampling.max_tokens
        return max(MIN_RESULT_TOKENS, loaded.n_ctx - round_.used_tokens - answer)

    def _add_result(self, round_: _Round, result: ToolResult) -> bool:
        """Store a result after the round's last message and move to the next call."""
        call = result.call
        loaded = self._engine.loaded_model
        sees = loaded is not None and loaded.has_vision
        text = result.text
        if result.images and not sees:
            text += "\n(The images were not passed on: the model is loaded without its projector.)"
        conversation_id = round_.conversation_id
        with staged(result.images if sees else ()) as images:
            message = ChatMessage(Role.TOOL, text, images, tool_call_id=call.id, name=call.name)

            def add() -> MessageId:
                new_id = self._store.add_message(conversation_id, round_.last_id, message)
                self._store.set_active_leaf(conversation_id, new_id)
                return new_id

            new_id = self._writes.attempt(add)
        if new_id is None:
            return False
        round_.last_id = new_id
        round_.index += 1
        return True

    def _let_model_answer(self, round_: _Round) -> None:
        """Every call has its result: the model reads them and goes on (when its conversation
        is still shown and the engine is ready)."""
        self._round = None
        self._signals.tool_ended.emit()
        here = self._screen.shows(round_.conversation_id)
        if here and self._engine.state is EngineState.READY:
            self._answer_after(round_.conversation_id, round_.last_id)  # still busy
            return
        self._signals.busy_changed.emit(False)
        if not here:
            self._signals.info.emit(
                translate(
                    "ToolRound",
                    "The tool results were saved; the model did not go on because another "
                    "conversation is open.",
                )
            )

    def stop(self) -> None:
        """The user stopped: a running tool is abandoned, the calls left get a result saying
        so (the model needs one per call), and no answer is asked for."""
        round_ = self._round
        if round_ is None:
            return
        self._round = None  # a result still coming is ignored from now on
        self._tools.cancel()
        while (call := round_.current) is not None:
            if not self._add_result(round_, error_result(call, "the user stopped the tool calls")):
                break
        self._end_without_answer(round_)

    def _end_without_answer(self, round_: _Round) -> None:
        """The round is over and the model is not asked to go on."""
        self._round = None
        self._signals.tool_ended.emit()
        if self._screen.shows(round_.conversation_id):
            self._screen.reload(round_.conversation_id)
        self._signals.busy_changed.emit(False)


def _too_many_rounds(limit: int) -> str:
    return tr(
        "The model called tools %n time(s) in a row without answering; its last calls were not "
        "run. Send a message to go on.",
        None,
        limit,
    )


def _rounds_since_user(snapshot: ConversationSnapshot | None, message_id: MessageId) -> int:
    """Answers with tool calls since the user last wrote, this one included."""
    if snapshot is None:
        return 1
    rounds = 0
    for node in reversed(snapshot.path_to(message_id)):
        if node.message.role is Role.USER:
            break
        if node.message.tool_calls:
            rounds += 1
    return rounds
