"""The engine seen from the GUI thread: commands out, protocol events back as Qt signals.

The engine client calls back on its reader thread. Events wait in an inbox; the first one to
arrive wakes the GUI thread through a queued signal, which then takes everything waiting, so
a fast stream of tokens costs one wake-up per turn of the event loop, not one per token, and
consecutive deltas of one answer reach the slots as one piece of text.

A model file whose loading made the engine process die (llama.cpp aborts on some damaged files)
is remembered: it is not loaded again, by a restart or otherwise, until the user confirms it.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt, Signal

from app.core.context_fit import FitPolicy
from app.core.i18n import translate
from app.core.messages import ChatMessage, ToolSpec
from app.core.sampling import SamplingParams
from app.core.structured_output import StructuredOutput
from app.engine.protocol import (
    Command,
    ConfigureSnapshots,
    CountTokens,
    DeleteSnapshots,
    EngineError,
    ErrorKind,
    Event,
    Finished,
    Generate,
    Loaded,
    LoadModel,
    Prefill,
    Prefilled,
    PromptFitted,
    QuerySnapshots,
    QueryStatus,
    ReadProgress,
    SnapshotUsage,
    StatusReport,
    TokenCount,
    TokenDelta,
    Unload,
    Unloaded,
)


class EngineClientLike(Protocol):
    """What the controller needs from `app.engine.client.EngineClient` (and its test doubles)."""

    def start(self) -> None: ...
    def send(self, command: Command) -> None: ...
    def cancel(self) -> None: ...
    def stop(self, timeout: float = 5.0) -> None: ...
    @property
    def alive(self) -> bool: ...


ClientFactory = Callable[[Callable[[Event], None]], EngineClientLike]


class EngineState(Enum):
    NO_MODEL = "no_model"
    LOADING = "loading"
    READY = "ready"
    GENERATING = "generating"
    CRASHED = "crashed"


def default_client_factory(on_event: Callable[[Event], None]) -> EngineClientLike:
    from app.engine.client import EngineClient  # the engine stack is imported only when needed
    from app.qt_bridge.engine_language import engine_language

    return EngineClient(on_event, engine_language())


def merge_deltas(events: list[Event]) -> list[Event]:
    """Join runs of deltas of the same request into one delta, keeping the order of events."""
    merged: list[Event] = []
    for event in events:
        last = merged[-1] if merged else None
        if (
            isinstance(event, TokenDelta)
            and isinstance(last, TokenDelta)
            and last.request_id == event.request_id
        ):
            merged[-1] = TokenDelta(event.request_id, last.text + event.text)
        else:
            merged.append(event)
    return merged


class EngineController(QObject):
    state_changed = Signal(object)  # EngineState
    loading = Signal(object)  # LoadModel
    loaded = Signal(object)  # Loaded
    unloaded = Signal()
    delta = Signal(int, str)  # request id, text
    finished = Signal(object)  # Finished
    token_count = Signal(object)  # TokenCount
    prompt_fitted = Signal(object)  # PromptFitted: how a fitted answer's prompt fits
    prefilled = Signal(object)  # Prefilled
    read_progress = Signal(object)  # ReadProgress: a long history being read or restored
    snapshot_usage = Signal(object)  # SnapshotUsage (its notice, if any, is said once)
    error = Signal(object)  # EngineError (every kind, crashes included)
    crashed = Signal(object)  # EngineError of kind ENGINE_CRASHED
    confirm_load = Signal(object, str)  # LoadModel held back, why: load only if the user agrees
    gpus_reported = Signal(object)  # tuple[GpuMemory, ...], read by the engine process

    _wake = Signal()  # emitted on the client's reader thread when the inbox fills

    def __init__(
        self,
        client_factory: ClientFactory = default_client_factory,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._client_factory = client_factory
        self._client: EngineClientLike | None = None
        self._ids = itertools.count(1)
        self._state = EngineState.NO_MODEL
        self._loaded: Loaded | None = None
        self._last_load: LoadModel | None = None
        self._generation_id: int | None = None
        self._snapshots = ConfigureSnapshots(None, 0)  # sent to every engine started
        self._inbox: list[Event] = []
        self._inbox_lock = threading.Lock()
        self._crashed_loading: dict[Path, str] = {}  # model file -> how the engine ended
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    # ---- state ----------------------------------------------------------------------------

    @property
    def state(self) -> EngineState:
        return self._state

    @property
    def loaded_model(self) -> Loaded | None:
        return self._loaded

    @property
    def pending_load(self) -> LoadModel | None:
        """The last load asked for: the model to load again after a crash."""
        return self._last_load

    # ---- commands -------------------------------------------------------------------------

    def crashed_while_loading(self, model_path: Path) -> str | None:
        """How the engine ended when it last loaded `model_path`, if loading it killed it."""
        return self._crashed_loading.get(model_path)

    def load_model(self, command: LoadModel, *, confirmed: bool = False) -> None:
        """Load a model; one that killed the engine before is only loaded when `confirmed`
        (else `confirm_load` asks)."""
        reason = self._crashed_loading.get(command.model_path)
        if reason is not None and not confirmed:
            name = command.model_path.name
            self.confirm_load.emit(
                command,
                translate(
                    "EngineController",
                    "Loading {name} stopped the engine last time ({reason}). It was not loaded "
                    "again; the file may be damaged.",
                ).format(name=name, reason=reason),
            )
            return
        self._crashed_loading.pop(command.model_path, None)
        self._last_load = command
        self._set_state(EngineState.LOADING)
        self.loading.emit(command)
        self._send(command)

    def query_devices(self) -> None:
        """Start the engine if need be and have it report its GPUs' memory (`gpus_reported`)."""
        self._send(QueryStatus())

    def unload(self) -> None:
        if self._client is not None and self._client.alive:
            self._send(Unload())

    def generate(
        self,
        messages: tuple[ChatMessage, ...],
        *,
        sampling: SamplingParams,
        system_prompt: str | None,
        tools: tuple[ToolSpec, ...] = (),
        continue_last: bool = False,
        conversation_id: int | None = None,
        today: date | None = None,
        stop: tuple[str, ...] = (),
        output: StructuredOutput | None = None,
        fit: FitPolicy | None = None,
        english: bool = False,
    ) -> int:
        """Ask for an answer; with `fit`, the engine fits the prompt first and says how in
        `prompt_fitted` (no answer follows one it did not send); with `english`, its errors
        are worded in English (for a program, not the window)."""
        request_id = next(self._ids)
        self._generation_id = request_id
        self._set_state(EngineState.GENERATING)
        command = Generate(
            request_id=request_id,
            messages=messages,
            sampling=sampling,
            tools=tools,
            system_prompt=system_prompt,
            continue_last=continue_last,
            conversation_id=conversation_id,
            today=today,
            stop=stop,
            output=output,
            fit=fit,
            english=english,
        )
        self._send(command)
        return request_id

    def count_tokens(
        self,
        messages: tuple[ChatMessage, ...],
        *,
        system_prompt: str | None,
        tools: tuple[ToolSpec, ...] = (),
        today: date | None = None,
    ) -> int:
        request_id = next(self._ids)
        self._send(
            CountTokens(
                request_id=request_id,
                messages=messages,
                tools=tools,
                system_prompt=system_prompt,
                today=today,
            )
        )
        return request_id

    def prefill(
        self,
        messages: tuple[ChatMessage, ...],
        *,
        system_prompt: str | None,
        tools: tuple[ToolSpec, ...] = (),
        conversation_id: int | None = None,
        today: date | None = None,
    ) -> int | None:
        """Have the engine read a prompt that is being written; None when it is busy."""
        if self._state is not EngineState.READY or self._client is None:
            return None
        request_id = next(self._ids)
        self._send(
            Prefill(
                request_id=request_id,
                messages=messages,
                tools=tools,
                system_prompt=system_prompt,
                conversation_id=conversation_id,
                today=today,
            )
        )
        return request_id

    def cancel(self) -> None:
        if self._client is not None and self._generation_id is not None:
            self._client.cancel()

    def configure_snapshots(self, folder: Path | None, budget_bytes: int) -> None:
        """Where the engine keeps conversations' KV snapshots (None: nowhere), now and in
        every engine started later."""
        self._snapshots = ConfigureSnapshots(folder, budget_bytes)
        if self._client is not None and self._client.alive:
            self._send(self._snapshots)

    def delete_snapshots(self, conversation_ids: tuple[int, ...] | None) -> None:
        """Delete these conversations' snapshots (None: all of them)."""
        if self._client is not None and self._client.alive:
            self._send(DeleteSnapshots(conversation_ids))
        elif self._snapshots.folder is not None:
            from app.engine.snapshots import SnapshotFolder

            folder = SnapshotFolder(self._snapshots.folder, self._snapshots.budget_bytes)
            if conversation_ids is None:
                folder.delete_all()
            for conversation_id in conversation_ids or ():
                folder.delete(conversation_id)
            usage = folder.usage()
            self.snapshot_usage.emit(SnapshotUsage(usage.files, usage.bytes))

    def query_snapshots(self) -> None:
        if self._client is not None and self._client.alive:
            self._send(QuerySnapshots())

    def restart(self) -> None:
        """Start a fresh engine after a crash (or a load that hangs) and load the model that was
        loaded; one whose loading killed the engine only once the user confirms."""
        self._stop_client()
        self._loaded = None
        self._generation_id = None
        command = self._last_load
        if command is None or command.model_path in self._crashed_loading:
            self._set_state(EngineState.NO_MODEL)
        if command is not None:
            self.load_model(command)

    @property
    def client_factory(self) -> ClientFactory:
        return self._client_factory

    def switch(self, client_factory: ClientFactory) -> None:
        """Answer with another kind of engine from now on (the local process or a server)."""
        self._stop_client()
        self._client_factory = client_factory
        self._loaded = None
        self._last_load = None
        self._generation_id = None
        self._set_state(EngineState.NO_MODEL)

    def shutdown(self, timeout: float = 5.0) -> None:
        self._stop_client(timeout)

    # ---- plumbing -------------------------------------------------------------------------

    def _send(self, command: Command) -> None:
        try:
            if self._client is None or not self._client.alive:
                if self._client is None:
                    self._client = self._client_factory(self._receive)
                self._client.start()
                if command is not self._snapshots:
                    self._client.send(self._snapshots)
            self._client.send(command)
        except Exception as exc:  # the pipe or the process start failed: tell, do not crash
            self._dispatch(
                EngineError(
                    kind=ErrorKind.ENGINE_CRASHED,
                    message=translate(
                        "EngineController", "The engine could not be reached: {reason}"
                    ).format(reason=exc),
                    request_id=getattr(command, "request_id", None),
                )
            )

    def _stop_client(self, timeout: float = 5.0) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            client.stop(timeout)

    def _set_state(self, state: EngineState) -> None:
        if state is not self._state:
            self._state = state
            self.state_changed.emit(state)

    def _receive(self, event: Event) -> None:
        """On the reader thread: queue the event, waking the GUI thread if it is not yet."""
        with self._inbox_lock:
            self._inbox.append(event)
            wake = len(self._inbox) == 1
        if wake:
            self._wake.emit()

    def _drain(self) -> None:
        with self._inbox_lock:
            events, self._inbox = self._inbox, []
        for event in merge_deltas(events):
            self._dispatch(event)

    def _dispatch(self, event: Event) -> None:
        match event:
            case TokenDelta(request_id=request_id, text=text):
                self.delta.emit(request_id, text)
            case Finished():
                self._on_finished(event)
            case TokenCount():
                self.token_count.emit(event)
            case PromptFitted():
                if not event.sent:
                    self._generation_over(event.request_id)
                self.prompt_fitted.emit(event)
            case Prefilled():
                self.prefilled.emit(event)
            case ReadProgress():
                self.read_progress.emit(event)
            case SnapshotUsage():
                self.snapshot_usage.emit(event)
            case Loaded():
                self._loaded = event
                self._set_state(EngineState.READY)
                if event.gpus:
                    self.gpus_reported.emit(event.gpus)
                self.loaded.emit(event)
            case Unloaded():
                self._loaded = None
                self._set_state(EngineState.NO_MODEL)
                self.unloaded.emit()
            case StatusReport(loaded=loaded, gpus=gpus):
                self._loaded = loaded
                if gpus:
                    self.gpus_reported.emit(gpus)
                if self._generation_id is None and self._state is not EngineState.LOADING:
                    self._set_state(EngineState.READY if loaded else EngineState.NO_MODEL)
            case EngineError():
                self._on_error(event)

    def _on_finished(self, event: Finished) -> None:
        self._generation_over(event.request_id)
        self.finished.emit(event)

    def _generation_over(self, request_id: int) -> None:
        if request_id == self._generation_id:
            self._generation_id = None
            if self._state is EngineState.GENERATING:
                self._set_state(EngineState.READY if self._loaded else EngineState.NO_MODEL)

    def _on_error(self, event: EngineError) -> None:
        if event.kind is ErrorKind.ENGINE_CRASHED:
            if self._state is EngineState.LOADING and self._last_load is not None:
                self._crashed_loading[self._last_load.model_path] = event.message
            self._loaded = None
            self._generation_id = None
            self._set_state(EngineState.CRASHED)
            self.error.emit(event)
            self.crashed.emit(event)
            return
        if self._state is EngineState.LOADING and event.request_id is None:
            # a failed load: ask the engine what, if anything, is still loaded
            self._set_state(EngineState.NO_MODEL)
            self._send(QueryStatus())
        elif event.request_id is not None and event.request_id == self._generation_id:
            self._generation_id = None
            self._set_state(EngineState.READY if self._loaded else EngineState.NO_MODEL)
        self.error.emit(event)
