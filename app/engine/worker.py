"""The engine process: owns the model, executes commands from the pipe, reports events.

llama.cpp may abort the whole process on some failures; keeping it here means such a crash costs
the window nothing. Cancellation is a shared integer (the highest cancelled request id), read
once per token, never a message waiting in the pipe behind the generation it should stop.
"""

from __future__ import annotations

import faulthandler
import gc
import logging
import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import replace
from multiprocessing.connection import Connection
from multiprocessing.queues import Queue
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import TYPE_CHECKING

from app.app_log import send_records_to
from app.core.device_memory import GpuMemory, with_own_use
from app.core.i18n import translate
from app.core.sampling import SamplingParams
from app.engine.engine_log import log_tail
from app.engine.kv_sequence import ImageChunk, KvItem, width
from app.engine.protocol import (
    Command,
    ConfigureSnapshots,
    CountTokens,
    DeleteSnapshots,
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
    QuerySnapshots,
    QueryStatus,
    ReadProgress,
    Shutdown,
    SnapshotUsage,
    StatusReport,
    TokenCount,
    TokenDelta,
    Unload,
    Unloaded,
    Usage,
)
from app.engine.snapshot_keeper import SnapshotKeeper

log = logging.getLogger(__name__)

if TYPE_CHECKING:  # llama_cpp is imported in the engine process only, when first needed
    from app.engine.session import LlamaSession

PROGRESS_EVERY_S = 0.25


class Worker:
    def __init__(self, conn: Connection, cancel_upto: Synchronized[int], log_path: Path | None):
        self._conn = conn
        self._cancel_upto = cancel_upto
        self._log_path = log_path
        self._session: LlamaSession | None = None
        self._loaded: Loaded | None = None
        self._gpus: tuple[GpuMemory, ...] = ()
        self.snapshots = SnapshotKeeper(self._notice)

    def send(self, event: Event) -> None:
        self._conn.send(event)

    def run(self) -> None:
        self._gpus = read_gpus()
        while True:
            try:
                command: Command = self._conn.recv()
            except (EOFError, OSError):
                return  # the window went away
            if isinstance(command, Shutdown):
                self._unload()
                return
            try:
                self._handle(command)
            except Exception as exc:  # report, stay alive for the next command
                log.exception("%s failed", type(command).__name__)
                request_id = getattr(command, "request_id", None)
                self.send(
                    EngineError(
                        ErrorKind.INTERNAL,
                        translate("EngineWorker", "The engine failed: {reason}").format(
                            reason=f"{type(exc).__name__}: {exc}"
                        ),
                        request_id,
                        traceback.format_exc(),
                    )
                )

    def _handle(self, command: Command) -> None:
        if isinstance(command, LoadModel):
            self._load(command)
        elif isinstance(command, Generate):
            self._generate(command)
        elif isinstance(command, CountTokens):
            self._count(command)
        elif isinstance(command, Prefill):
            self._prefill(command)
        elif isinstance(command, ConfigureSnapshots):
            self.snapshots.configure(command.folder, command.budget_bytes)
            self._send_usage()
        elif isinstance(command, DeleteSnapshots):
            self.snapshots.delete(command.conversation_ids)
            self._send_usage()
        elif isinstance(command, QuerySnapshots):
            self._send_usage()
        elif isinstance(command, Unload):
            self._unload()
            self.send(Unloaded())
        elif isinstance(command, QueryStatus):
            self.send(StatusReport(self._loaded, busy=False, gpus=self._gpus))

    def _load(self, command: LoadModel) -> None:
        from app.engine.loader import load_model
        from app.engine.validation import check_load_request

        problem = check_load_request(command)
        if problem is not None:  # the model loaded now, if any, stays
            self.send(problem)
            return
        self._unload()
        before = read_gpus()
        log.info(
            "loading %s: context %d, KV cache %s, GPU layers %d",
            command.model_path.name,
            command.n_ctx,
            command.kv_cache_type.value,
            command.n_gpu_layers,
        )
        result = load_model(command, self._log_path)
        if isinstance(result, EngineError):
            log.warning(
                "load failed (%s): %s\n%s", result.kind.value, result.message, result.detail
            )
            self.send(result)
            return
        from app.engine.snapshots import identity_of

        self._gpus = with_own_use(before, read_gpus())
        self._session, self._loaded = result[0], replace(result[1], gpus=self._gpus)
        self.snapshots.model_loaded(identity_of(command, self._session.n_ctx))
        loaded = self._loaded
        log.info(
            "loaded on %s: %d of %d layers on the GPU, %.1f GB, vision %s, %s template",
            loaded.backend.value,
            loaded.n_gpu_layers,
            loaded.n_layers,
            loaded.memory_bytes / 1e9,
            "on" if loaded.has_vision else "off",
            loaded.template_source,
        )
        self.send(loaded)

    def _unload(self) -> None:
        """Free the model, its KV cache and compute buffers (killing the process is surer);
        the conversation in the cache is saved first."""
        session, self._session, self._loaded = self._session, None, None
        if session is not None:
            self.snapshots.leave(session)
            self.snapshots.model_loaded(None)
            session.close()
            del session
            gc.collect()

    def _render(self, command: Generate | CountTokens | Prefill) -> list[KvItem] | EngineError:
        from app.core.mistral_rules import ConversationRefused
        from app.engine.session import ImagesNeedProjector
        from app.engine.template import TemplateError
        from app.engine.vision import ImageFailed

        session = self._session
        if session is None:
            return EngineError(
                ErrorKind.NO_MODEL,
                translate("EngineWorker", "No model is loaded. Load a model first."),
                command.request_id,
            )
        continue_last = isinstance(command, Generate) and command.continue_last
        try:
            parts = session.template.render_parts(
                command.messages,
                tools=command.tools,
                system_prompt=command.system_prompt,
                continue_last=continue_last,
                today=command.today,
            )
            images = [image for message in command.messages for image in message.images]
            return session.prompt_items(parts, images)
        except ImageFailed as exc:
            return EngineError(ErrorKind.BAD_IMAGE, _not_sent(exc), command.request_id)
        except TemplateError as exc:
            return EngineError(ErrorKind.TEMPLATE, self._template_failed(exc), command.request_id)
        except ConversationRefused as exc:
            return EngineError(
                ErrorKind.REFUSED,
                translate("EngineWorker", "Not sent: {reason}").format(reason=exc),
                command.request_id,
            )
        except ImagesNeedProjector as exc:
            return EngineError(ErrorKind.BAD_MMPROJ, str(exc), command.request_id)

    def _template_failed(self, exc: Exception) -> str:
        loaded = self._loaded
        if loaded is None or loaded.template_source == "builtin":
            return translate("EngineWorker", "The chat template failed: {reason}").format(
                reason=exc
            )
        return translate(
            "EngineWorker",
            "The chat template in {name} failed: {reason}. Load the model with Tramontane's "
            "built-in Mistral Small 3.2 template instead.",
        ).format(name=loaded.model_path.name, reason=exc)

    def _count(self, command: CountTokens) -> None:
        tokens = self._render(command)
        if isinstance(tokens, EngineError):
            self.send(tokens)
            return
        n_ctx = self._loaded.n_ctx if self._loaded else 0
        images = tuple(item.n_tokens for item in tokens if isinstance(item, ImageChunk))
        self.send(TokenCount(command.request_id, _positions(tokens), n_ctx, images))

    def _prefill(self, command: Prefill) -> None:
        """Read a prompt ahead; a prompt that cannot be read is said when it is sent."""
        tokens = self._render(command)
        session = self._session
        if isinstance(tokens, EngineError) or session is None:
            self.send(Prefilled(command.request_id, 0, 0, 0, complete=False))
            return
        if self._conn.poll():  # something else to do already
            positions = _positions(tokens)
            self.send(Prefilled(command.request_id, positions, 0, 0, complete=False))
            return
        self._enter(session, command.conversation_id, tokens, command.request_id)
        reporter = ProgressReporter(
            self.send, command.request_id, session.reusable_positions(tokens)
        )
        done = session.read_ahead(tokens, stop=self._conn.poll, progress=reporter)
        self.send(
            Prefilled(
                command.request_id, done.positions, done.evaluated, done.images_encoded,
                complete=done.complete,
            )
        )  # fmt: skip

    def _generate(self, command: Generate) -> None:
        from app.engine.sampler import InvalidGrammar
        from app.engine.session import DecodeFailed, PromptTooLong

        sampling = self._constrained(command)
        if isinstance(sampling, EngineError):
            self.send(sampling)
            return
        fitted = self._fitted_prompt(command)
        if isinstance(fitted, EngineError):
            self.send(fitted)
            return
        if fitted is None:
            return  # not sent: the fit report says why
        command, tokens = fitted
        session = self._session
        assert session is not None  # _render refused the request otherwise
        request_id = command.request_id
        conn = self._conn

        def emit(text: str) -> None:
            conn.send(TokenDelta(request_id, text))

        def cancelled() -> bool:
            return self._cancel_upto.value >= request_id

        self._enter(session, command.conversation_id, tokens, request_id)
        try:
            outcome = session.generate(
                tokens,
                sampling,
                emit,
                cancelled,
                control_tokens=bool(command.tools),
                stop=command.stop,
                progress=ProgressReporter(
                    self.send, request_id, session.reusable_positions(tokens)
                ),
            )
        except InvalidGrammar as exc:
            self.send(EngineError(ErrorKind.GRAMMAR, _not_sent(exc), request_id))
            return
        except PromptTooLong as exc:
            self.send(EngineError(ErrorKind.PROMPT_TOO_LONG, str(exc), request_id))
            return
        except DecodeFailed as exc:
            # As after a crash: the partial answer first, then what went wrong.
            self.send(
                Finished(request_id, FinishReason.ERROR, exc.partial, _empty_usage(len(tokens)))
            )
            self.send(
                EngineError(ErrorKind.INTERNAL, str(exc), request_id, log_tail(self._log_path))
            )
            return
        usage = outcome.usage
        log.info(
            "answer %d: %s, prompt %d tokens (%d cached), %d generated at %.1f tokens/s",
            request_id,
            outcome.reason.value,
            usage.prompt_tokens,
            usage.cached_tokens,
            usage.completion_tokens,
            usage.generation_tokens_per_s,
        )
        self.send(Finished(request_id, outcome.reason, outcome.text, usage))

    def _fitted_prompt(
        self, command: Generate
    ) -> tuple[Generate, list[KvItem]] | EngineError | None:
        """The prompt to generate from, fitted first (and reported) when the command asks;
        None when it is not to be sent."""
        if command.fit is None:
            tokens = self._render(command)
            return tokens if isinstance(tokens, EngineError) else (command, tokens)
        from app.engine.prompt_fit import fit_generate

        n_ctx = self._loaded.n_ctx if self._loaded else 0
        fitted = fit_generate(command, command.fit, n_ctx, self._render, _positions)
        if isinstance(fitted, EngineError):
            return fitted
        self.send(fitted.report)
        return (fitted.command, fitted.prompt) if fitted.report.sent else None

    def _constrained(self, command: Generate) -> SamplingParams | EngineError:
        """The sampling with the grammar the command's structured output asks for."""
        if command.output is None:
            return command.sampling
        from app.engine.grammars import GrammarUnavailable, grammar_for

        try:
            grammar = grammar_for(command.output, command.tools)
        except GrammarUnavailable as exc:
            return EngineError(ErrorKind.GRAMMAR, _not_sent(exc), command.request_id)
        return replace(command.sampling, grammar=grammar) if grammar else command.sampling

    def _enter(
        self,
        session: LlamaSession,
        conversation_id: int | None,
        tokens: list[KvItem],
        request_id: int,
    ) -> None:
        """Bring the conversation's history in: the one left behind is saved, this one's
        snapshot restored."""
        positions = _positions(tokens)
        restored = self.snapshots.enter(session, conversation_id, tokens)
        if restored is not None:
            self.send(ReadProgress(request_id, restored.positions, positions, None, restored=True))

    def _notice(self, message: str) -> None:
        self._send_usage(message)

    def _send_usage(self, notice: str = "") -> None:
        usage, saved = self.snapshots.usage(), self.snapshots.last_saved
        self.send(
            SnapshotUsage(
                usage.files,
                usage.bytes,
                notice,
                saved.bytes if saved is not None else 0,
                saved.seconds if saved is not None else 0.0,
            )
        )


class ProgressReporter:
    """Sends `ReadProgress` a few times a second once reading a prompt takes long enough to be
    seen, with the time left at the speed measured so far."""

    def __init__(self, send: Callable[[Event], None], request_id: int, held: int) -> None:
        self._send = send
        self._request_id = request_id
        self._held = held  # positions the cache held when the reading began
        self._started = self._last = time.perf_counter()
        self._sent = False

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        finished = done >= total
        if (now - self._last < PROGRESS_EVERY_S and not finished) or (finished and not self._sent):
            return
        self._last, self._sent = now, True
        read, seconds = done - self._held, now - self._started
        left = (total - done) * seconds / read if read > 0 else None
        self._send(ReadProgress(self._request_id, done, total, left))


def _positions(tokens: list[KvItem]) -> int:
    return sum(width(item) for item in tokens)


def _not_sent(exc: Exception) -> str:
    return translate("EngineWorker", "Not sent: {reason}.").format(reason=exc)


def _empty_usage(prompt_tokens: int) -> Usage:
    return Usage(prompt_tokens, 0, 0, 0.0, 0.0, 0.0)


def read_gpus() -> tuple[GpuMemory, ...]:
    """Every GPU's memory through llama.cpp's device API; none when it cannot say."""
    from app.engine.backend import read_gpu_memory

    try:
        return read_gpu_memory()
    except (OSError, AttributeError, ValueError):
        return ()


def run_worker(
    conn: Connection,
    cancel_upto: Synchronized[int],
    log_path: str | None,
    records: Queue[logging.LogRecord],
    log_level: int,
) -> None:
    """Entry point of the engine process."""
    send_records_to(records, log_level)
    path = Path(log_path) if log_path else None
    if path is not None:
        # llama.cpp writes its log to stderr: keep it in a file the window can quote on a crash.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.dup2(fd, 2)
        os.close(fd)
        sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115
    faulthandler.enable()  # a crash's Python trace lands in the log the window quotes
    from app.engine.llama_log import route_llama_log

    route_llama_log()
    Worker(conn, cancel_upto, path).run()
