"""A stand-in for `EngineClient` that answers protocol commands from a script, on its own thread.

It keeps the real client's contract: events arrive on a thread that is not the GUI thread,
cancellation is a flag checked per token, and a crash delivers `Finished(ERROR, partial)`
followed by `EngineError(ENGINE_CRASHED)`.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.core.device_memory import GpuMemory
from app.core.messages import ChatMessage
from app.engine.prompt_fit import fit_generate
from app.engine.protocol import (
    Backend,
    Command,
    CountTokens,
    EngineError,
    ErrorKind,
    Event,
    Finished,
    FinishReason,
    Generate,
    Loaded,
    LoadModel,
    Prefill,
    Prefilled,
    QueryStatus,
    Shutdown,
    StatusReport,
    TokenCount,
    TokenDelta,
    Unload,
    Unloaded,
    Usage,
)

TOKENS_PER_MESSAGE = 4


IMAGE_TOKENS = 256


def count_message_tokens(message: ChatMessage) -> int:
    """A deterministic stand-in for tokenization: one token per word plus a little framing."""
    return TOKENS_PER_MESSAGE + len(message.content.split()) + IMAGE_TOKENS * len(message.images)


def count_prompt_tokens(messages: tuple[ChatMessage, ...], system_prompt: str | None) -> int:
    system = len((system_prompt or "default system prompt").split()) + TOKENS_PER_MESSAGE
    return system + sum(count_message_tokens(m) for m in messages)


@dataclass
class Script:
    """What the scripted engine does; tests change it between actions."""

    answer: str = "Hello! This is a scripted answer with **markdown** and `code`."
    token_interval_s: float = 0.005
    load_delay_s: float = 0.01
    n_ctx: int = 4096
    backend: Backend = Backend.CPU
    load_error: ErrorKind | None = None
    gpu_layers_that_fit: int | None = None  # a load asking for more runs out of memory
    gpus: tuple[GpuMemory, ...] = ()  # what the engine reports of its GPUs
    loads: list[LoadModel] = field(default_factory=list)  # every LoadModel received
    crash_after_tokens: int | None = None  # die in the middle of the next answer
    answer_error: ErrorKind | None = None  # the next answer fails at once with this error
    crash_on_load: bool = False  # die while loading, as llama.cpp aborting on a damaged file
    hang_on_load: bool = False  # never answer a load (a load stuck in a foreign template)
    answers: list[str] = field(default_factory=list)  # used first, one per Generate
    asked: list[Generate] = field(default_factory=list)  # every Generate received
    generated: list[Generate] = field(default_factory=list)  # those answered, as fitted
    counted: list[CountTokens] = field(default_factory=list)
    prefilled: list[Prefill] = field(default_factory=list)  # every Prefill received


class ScriptedEngineClient:
    def __init__(self, on_event: Callable[[Event], None], script: Script | None = None) -> None:
        self._on_event = on_event
        self.script = script or Script()
        self._commands: queue.Queue[Command | None] = queue.Queue()
        self._cancel = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._loaded: Loaded | None = None
        self.starts = 0

    # ---- the EngineClient interface ---------------------------------------------------------

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        self.starts += 1
        self._cancel.clear()
        self._loaded = None
        self._commands = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="scripted-engine", daemon=True)
        self._thread.start()

    def send(self, command: Command) -> None:
        if not self.alive:
            raise BrokenPipeError("the engine is not running")
        self._commands.put(command)

    def cancel(self) -> None:
        self._cancel.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        if self.alive:
            self._commands.put(None)
            assert self._thread is not None
            self._thread.join(timeout)

    # ---- the worker -------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            command = self._commands.get()
            if command is None or isinstance(command, Shutdown):
                return
            if not self._handle(command):
                return  # crashed

    def _handle(self, command: Command) -> bool:
        match command:
            case LoadModel():
                return self._load(command)
            case Unload():
                self._loaded = None
                self._on_event(Unloaded())
            case QueryStatus():
                self._on_event(StatusReport(self._loaded, busy=False, gpus=self.script.gpus))
            case CountTokens():
                self.script.counted.append(command)
                self._count(command)
            case Prefill():
                self.script.prefilled.append(command)
                tokens = count_prompt_tokens(command.messages, command.system_prompt)
                images = sum(len(m.images) for m in command.messages)
                self._on_event(Prefilled(command.request_id, tokens, tokens, images, complete=True))
            case Generate():
                self.script.asked.append(command)
                fitted = self._fitted(command)
                if fitted is None:
                    return True
                self.script.generated.append(fitted)
                return self._generate(fitted)
        return True

    def _load(self, command: LoadModel) -> bool:
        time.sleep(self.script.load_delay_s)
        if self.script.hang_on_load:
            self._stopping.wait()  # until stopped
            return False
        if self.script.crash_on_load:
            self._loaded = None
            self._on_event(
                EngineError(
                    ErrorKind.ENGINE_CRASHED,
                    "The engine stopped: llama.cpp aborted (SIGABRT).",
                    detail="GGML_ASSERT failed",
                )
            )
            return False
        self.script.loads.append(command)
        units = 41 if command.n_gpu_layers < 0 else min(command.n_gpu_layers, 41)
        fit = self.script.gpu_layers_that_fit
        if fit is not None and self.script.backend is not Backend.CPU and units > fit:
            self._loaded = None
            self._on_event(
                EngineError(ErrorKind.OUT_OF_MEMORY, "llama.cpp could not load it: no memory.")
            )
            return True
        if self.script.load_error is not None:
            self._loaded = None
            self._on_event(EngineError(self.script.load_error, "The model could not be loaded."))
            return True
        self._loaded = Loaded(
            model_path=command.model_path,
            model_name="Scripted Mistral",
            backend=self.script.backend,
            n_ctx=min(command.n_ctx, self.script.n_ctx),
            n_ctx_train=131072,
            n_layers=40,
            n_gpu_layers=0 if self.script.backend is Backend.CPU else units,
            memory_bytes=14 * 2**30,
            has_vision=command.mmproj_path is not None,
            template_source="model",
            gpus=self.script.gpus,
            offload_kqv=command.offload_kqv,
        )
        self._on_event(self._loaded)
        return True

    def _count(self, command: CountTokens) -> None:
        if self._loaded is None:
            self._on_event(EngineError(ErrorKind.NO_MODEL, "No model", command.request_id))
            return
        tokens = count_prompt_tokens(command.messages, command.system_prompt)
        images = tuple(IMAGE_TOKENS for m in command.messages for _ in m.images)
        self._on_event(TokenCount(command.request_id, tokens, self._loaded.n_ctx, images))

    def _fitted(self, command: Generate) -> Generate | None:
        """The command as the engine fits it, as the real worker does; None: not sent."""
        if command.fit is None or self._loaded is None:
            return command
        fitted = fit_generate(
            command,
            command.fit,
            self._loaded.n_ctx,
            lambda c: count_prompt_tokens(c.messages, c.system_prompt),
            int,
        )
        if isinstance(fitted, EngineError):
            self._on_event(fitted)
            return None
        self._on_event(fitted.report)
        return fitted.command if fitted.report.sent else None

    def _generate(self, command: Generate) -> bool:
        if self._loaded is None:
            self._on_event(EngineError(ErrorKind.NO_MODEL, "No model", command.request_id))
            return True
        if self.script.answer_error is not None:
            kind, self.script.answer_error = self.script.answer_error, None
            self._on_event(
                EngineError(kind, "The answer could not be written.", command.request_id)
            )
            return True
        self._cancel.clear()
        answer = self.script.answers.pop(0) if self.script.answers else self.script.answer
        pieces = _pieces(answer)
        prompt_tokens = count_prompt_tokens(command.messages, command.system_prompt)
        started = time.perf_counter()
        text = ""
        reason = FinishReason.STOP
        for n, piece in enumerate(pieces):
            if self._cancel.is_set():
                reason = FinishReason.CANCELLED
                break
            if self.script.crash_after_tokens is not None and n >= self.script.crash_after_tokens:
                self.script.crash_after_tokens = None
                self._loaded = None
                self._on_event(Finished(command.request_id, FinishReason.ERROR, text, _usage(0, 0)))
                self._on_event(
                    EngineError(
                        ErrorKind.ENGINE_CRASHED,
                        "The engine stopped unexpectedly (signal 6).",
                        detail="GGML_ASSERT failed",
                    )
                )
                return False
            if n >= command.sampling.max_tokens:
                reason = FinishReason.LENGTH
                break
            time.sleep(self.script.token_interval_s)
            text += piece
            self._on_event(TokenDelta(command.request_id, piece))
        elapsed = max(time.perf_counter() - started, 1e-6)
        completion = len(_pieces(text))
        usage = Usage(
            prompt_tokens=prompt_tokens,
            cached_tokens=0,
            completion_tokens=completion,
            time_to_first_token_s=self.script.token_interval_s,
            prompt_tokens_per_s=1000.0,
            generation_tokens_per_s=completion / elapsed,
        )
        self._on_event(Finished(command.request_id, reason, text, usage))
        return True


def _pieces(text: str) -> list[str]:
    """Split into word-sized deltas that add up to the text exactly."""
    pieces: list[str] = []
    current = ""
    for char in text:
        current += char
        if char in " \n":
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    return pieces


def _usage(prompt: int, completion: int) -> Usage:
    return Usage(prompt, 0, completion, 0.0, 0.0, 0.0)


def scripted_factory(
    script: Script, made: list[ScriptedEngineClient] | None = None
) -> Callable[[Callable[[Event], None]], ScriptedEngineClient]:
    def factory(on_event: Callable[[Event], None]) -> ScriptedEngineClient:
        client = ScriptedEngineClient(on_event, script)
        if made is not None:
            made.append(client)
        return client

    return factory


def fake_model_file(
    folder: Path, name: str = "Mistral-Small-3.2-24B-Instruct-2506-Q4_K_M.gguf"
) -> Path:
    """A file the scripted engine "loads"; its name carries the quant the window shows."""
    path = folder / name
    path.write_bytes(b"GGUF")
    return path
