"""An engine that is a server: vLLM, llama.cpp's llama-server, Ollama's /v1, LM Studio, any
OpenAI-compatible chat API, spoken to with the `openai` SDK (streaming, typed errors).

It takes the same commands and gives the same events as the local engine process, so the window
does not know the difference. Tool calls come back in OpenAI's `tool_calls` shape and are handed
on written as Mistral's `[TOOL_CALLS]name[CALL_ID]id[ARGS]{json}`, which the window already
parses; images go as data URLs.
"""

from __future__ import annotations

import base64
import json
import queue
import threading
import time
import urllib.request
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import openai

from app.core.i18n import english, translate
from app.core.messages import ChatMessage, Role, ToolCall, user_parts, with_documents_read
from app.core.mistral_rules import ConversationRefused, prepare
from app.core.structured_output import StructuredOutput
from app.core.tool_calls import ARGS, CALL_ID, TOOL_CALLS, checked_call_id
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
    QueryStatus,
    Shutdown,
    StatusReport,
    TokenCount,
    TokenDelta,
    Unload,
    Unloaded,
    Usage,
)
from app.engine.template import tool_images_as_user_turns

CHARS_PER_TOKEN = 3.5  # the estimate when the server cannot count
DEFAULT_TIMEOUT_S = 60.0
TOKENIZE_TIMEOUT_S = 5.0


@dataclass(frozen=True, slots=True)
class RemoteServer:
    base_url: str  # ".../v1"
    api_key: str = ""
    model: str = ""  # empty: the first the server lists
    n_ctx: int = 32768  # what the window budgets for; servers do not all say
    timeout_s: float = DEFAULT_TIMEOUT_S

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc or self.base_url


def message_json(message: ChatMessage) -> dict[str, Any]:
    """A message in OpenAI's chat shape (its documents read into its text)."""
    message = with_documents_read(message)
    if message.role is Role.TOOL:
        return {"role": "tool", "tool_call_id": message.tool_call_id, "content": message.content}
    data: dict[str, Any] = {"role": message.role.value, "content": message.content}
    if message.images:
        data["content"] = [
            {"type": "text", "text": part}
            if isinstance(part, str)
            else {"type": "image_url", "image_url": {"url": _data_url(part.path)}}
            for part in user_parts(message)
        ]
    if message.tool_calls:
        data["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
            for c in message.tool_calls
        ]
    return data


def _data_url(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def calls_as_mistral_text(calls: list[ToolCall]) -> str:
    return "".join(f"{TOOL_CALLS}{c.name}{CALL_ID}{c.id}{ARGS}{c.arguments}" for c in calls)


@dataclass
class _Calls:
    """Tool calls arriving in pieces (OpenAI streams them by index)."""

    parts: dict[int, dict[str, str]] = field(default_factory=dict)

    def add(self, delta: Any) -> None:
        part = self.parts.setdefault(delta.index, {"id": "", "name": "", "arguments": ""})
        if delta.id:
            part["id"] = delta.id
        function = delta.function
        if function is not None:
            part["name"] += function.name or ""
            part["arguments"] += function.arguments or ""

    def calls(self) -> list[ToolCall]:
        return [
            ToolCall(
                checked_call_id(p["id"] if p["id"].isalnum() else None), p["name"], p["arguments"]
            )
            for _, p in sorted(self.parts.items())
        ]


def error_message(exc: Exception, server: RemoteServer) -> str:
    """What went wrong, for the user, from the SDK's typed errors."""
    where = server.host
    if isinstance(exc, openai.APITimeoutError):
        return translate(
            "RemoteEngineClient", "The server {server} did not answer in time ({seconds} s)."
        ).format(server=where, seconds=f"{server.timeout_s:g}")
    if isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__ or exc
        if "certificate" in str(cause).lower() or "ssl" in type(cause).__name__.lower():
            return translate(
                "RemoteEngineClient", "The secure connection to {server} failed: {reason}."
            ).format(server=where, reason=cause)
        return translate(
            "RemoteEngineClient", "The server {server} cannot be reached: {reason}."
        ).format(server=where, reason=cause)
    if isinstance(exc, openai.AuthenticationError):
        return translate(
            "RemoteEngineClient",
            "The server {server} refused the API key (401). Check it in Settings → Engine.",
        ).format(server=where)
    if isinstance(exc, openai.PermissionDeniedError):
        return translate(
            "RemoteEngineClient", "The server {server} does not allow this (403)."
        ).format(server=where)
    if isinstance(exc, openai.NotFoundError):
        return translate(
            "RemoteEngineClient", "The server {server} has no model {model} (404)."
        ).format(server=where, model=repr(server.model))
    if isinstance(exc, openai.RateLimitError):
        return translate(
            "RemoteEngineClient",
            "The server {server} is busy or over its limit (429); try again in a moment.",
        ).format(server=where)
    if isinstance(exc, openai.APIStatusError):
        return translate(
            "RemoteEngineClient", "The server {server} failed ({status}): {reason}"
        ).format(server=where, status=exc.status_code, reason=exc.message)
    if isinstance(exc, openai.APIError):
        return translate(
            "RemoteEngineClient", "The server {server} sent something unreadable: {reason}"
        ).format(server=where, reason=exc.message)
    return translate("RemoteEngineClient", "The exchange with {server} failed: {reason}").format(
        server=where, reason=f"{type(exc).__name__}: {exc}"
    )


def _not_sent(exc: Exception) -> str:
    return translate("RemoteEngineClient", "Not sent: {reason}").format(reason=exc)


class RemoteEngineClient:
    """Same interface as EngineClient: start, send, cancel, stop, alive."""

    def __init__(self, on_event: Callable[[Event], None], server: RemoteServer) -> None:
        self._on_event = on_event
        self.server = server
        self._client = openai.OpenAI(
            base_url=server.base_url,
            api_key=server.api_key or "none",
            timeout=server.timeout_s,
            max_retries=0,
        )
        self._commands: queue.Queue[Command | None] = queue.Queue()
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._loaded: Loaded | None = None
        self._tokenizer: str | None = None  # the server's way to count tokens, once known

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="remote-engine", daemon=True)
        self._thread.start()

    def send(self, command: Command) -> None:
        if isinstance(command, Generate):
            self._cancel.clear()
        self._commands.put(command)

    def cancel(self) -> None:
        self._cancel.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._cancel.set()
        self._commands.put(None)
        if self._thread is not None:
            self._thread.join(timeout)
        self._client.close()

    def _run(self) -> None:
        while (command := self._commands.get()) is not None:
            match command:
                case LoadModel():
                    self._load(command)
                case Generate():
                    with english() if command.english else nullcontext():
                        self._generate(command)
                case CountTokens():
                    self._count(command)
                case Prefill():
                    pass  # a server reads the prompt when it is sent
                case QueryStatus():
                    self._on_event(StatusReport(self._loaded, busy=False))
                case Unload():
                    self._loaded = None
                    self._on_event(Unloaded())
                case Shutdown():
                    return

    # ---- commands -------------------------------------------------------------------------

    def _load(self, command: LoadModel) -> None:
        """Check the server and pick the model: the one configured, else the first listed."""
        try:
            models = [model.id for model in self._client.models.list()]
        except Exception as exc:
            self._on_event(EngineError(ErrorKind.LOAD_FAILED, error_message(exc, self.server)))
            return
        model = self.server.model or (models[0] if models else "")
        if not model or model not in models:
            message = (
                translate(
                    "RemoteEngineClient",
                    "The server {server} has no model {model} (it offers {offered}).",
                )
                if models
                else translate(
                    "RemoteEngineClient",
                    "The server {server} has no model {model} (it offers none).",
                )
            )
            self._on_event(
                EngineError(
                    ErrorKind.LOAD_FAILED,
                    message.format(
                        server=self.server.host, model=repr(model), offered=", ".join(models)
                    ),
                )
            )
            return
        self.server = replace(self.server, model=model)
        self._loaded = Loaded(
            model_path=Path(f"{model} @ {self.server.host}"),  # what answers record and show
            model_name=translate("RemoteEngineClient", "{model} on {server}").format(
                model=model, server=self.server.host
            ),
            backend=Backend.REMOTE,
            n_ctx=self.server.n_ctx,
            n_ctx_train=self.server.n_ctx,
            n_layers=0,
            n_gpu_layers=0,
            memory_bytes=0,
            has_vision=True,  # the server refuses images its model cannot see, and says so
            template_source="server",
        )
        self._on_event(self._loaded)

    @property
    def _n_ctx(self) -> int:
        return self._loaded.n_ctx if self._loaded else self.server.n_ctx

    def _count(self, command: CountTokens) -> None:
        tokens = self._tokens_of(command)
        if isinstance(tokens, EngineError):
            self._on_event(tokens)
        else:
            self._on_event(TokenCount(command.request_id, tokens, self._n_ctx))

    def _tokens_of(self, command: CountTokens | Generate) -> int | EngineError:
        """The server's own count where it has a tokenizer endpoint (vLLM's /tokenize, or
        llama-server's /apply-template and /tokenize), else an estimate."""
        try:
            prepared = prepare(tool_images_as_user_turns(command.messages), tools=command.tools)
        except ConversationRefused as exc:
            return EngineError(ErrorKind.REFUSED, _not_sent(exc), command.request_id)
        messages = [message_json(m) for m in prepared if not m.images]
        if command.system_prompt:
            messages.insert(0, {"role": "system", "content": command.system_prompt})
        tokens = self._server_count(messages)
        if tokens is None:
            images = sum(len(m.images) for m in command.messages)
            tokens = int(len(json.dumps(messages)) / CHARS_PER_TOKEN) + images * 1024
        return tokens

    def _server_count(self, messages: list[dict[str, Any]]) -> int | None:
        ways = {"vllm": self._count_vllm, "llama-server": self._count_llama_server}
        order = [self._tokenizer] if self._tokenizer else list(ways)
        for name in order:
            if name is None or name not in ways:
                continue
            try:
                count = ways[name](messages)
            except (OSError, ValueError, KeyError, TypeError):
                count = None
            if count is not None:
                self._tokenizer = name
                return count
        self._tokenizer = "none"  # asked once; the estimate from now on
        return None

    def _count_vllm(self, messages: list[dict[str, Any]]) -> int | None:
        answer = self._post("/tokenize", {"model": self.server.model, "messages": messages})
        count = answer.get("count")
        return int(count) if isinstance(count, int) else None

    def _count_llama_server(self, messages: list[dict[str, Any]]) -> int | None:
        prompt = self._post("/apply-template", {"messages": messages}).get("prompt")
        if not isinstance(prompt, str):
            return None
        tokens = self._post("/tokenize", {"content": prompt}).get("tokens")
        return len(tokens) if isinstance(tokens, list) else None

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST to the server's root (beside /v1), as its tokenizer endpoints are."""
        root = self.server.base_url.rstrip("/").removesuffix("/v1")
        request = urllib.request.Request(
            root + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", **self._auth()},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=TOKENIZE_TIMEOUT_S) as response:
            answer = json.loads(response.read())
        return answer if isinstance(answer, dict) else {}

    def _auth(self) -> dict[str, str]:
        key = self.server.api_key
        return {"Authorization": f"Bearer {key}"} if key else {}

    def _generate(self, command: Generate) -> None:
        if command.fit is not None:
            fitted = fit_generate(command, command.fit, self._n_ctx, self._tokens_of, int)
            if isinstance(fitted, EngineError):
                self._on_event(fitted)
                return
            self._on_event(fitted.report)
            if not fitted.report.sent:
                return
            command = fitted.command
        request_id = command.request_id
        sampling = command.sampling
        try:
            prepared = prepare(
                tool_images_as_user_turns(command.messages),
                tools=command.tools,
                continue_last=command.continue_last,
            )
        except ConversationRefused as exc:
            self._on_event(EngineError(ErrorKind.REFUSED, _not_sent(exc), request_id))
            return
        messages = [message_json(m) for m in prepared]
        if command.system_prompt:
            messages.insert(0, {"role": "system", "content": command.system_prompt})
        options: dict[str, Any] = {
            "model": self.server.model,
            "messages": messages,
            "stream": True,
            "stream_options": {"include_usage": True},
            "temperature": sampling.temperature,
            "top_p": sampling.top_p,
            "max_tokens": sampling.max_tokens,
        }
        if sampling.seed is not None:
            options["seed"] = sampling.seed
        if command.tools:
            options["tools"] = [tool.as_template_dict() for tool in command.tools]
        if command.stop:
            options["stop"] = list(command.stop)
        options.update(_output_options(command.output))
        started = time.perf_counter()
        first: float | None = None
        pieces: list[str] = []
        calls = _Calls()
        usage: Any = None
        chunks = 0  # the count of tokens when the server reports no usage (most send one each)
        complete = False  # the server said how the answer ended
        reason = FinishReason.STOP
        try:
            stream = self._client.chat.completions.create(**options)
            with stream:
                for chunk in stream:
                    if self._cancel.is_set():
                        reason = FinishReason.CANCELLED
                        break
                    if chunk.usage is not None:
                        usage = chunk.usage
                    for choice in chunk.choices:
                        delta = choice.delta
                        for call in delta.tool_calls or []:
                            calls.add(call)
                        if delta.content:
                            first = first or time.perf_counter()
                            chunks += 1
                            pieces.append(delta.content)
                            self._on_event(TokenDelta(request_id, delta.content))
                        if choice.finish_reason is not None:
                            complete = True
                        if choice.finish_reason == "length":
                            reason = FinishReason.LENGTH
        except Exception as exc:
            text = "".join(pieces)
            empty = self._usage(usage, chunks, 0, 0)
            self._on_event(Finished(request_id, FinishReason.ERROR, text, empty))
            self._on_event(
                EngineError(ErrorKind.INTERNAL, error_message(exc, self.server), request_id)
            )
            return
        if not complete and reason is not FinishReason.CANCELLED:
            text = "".join(pieces)
            empty = self._usage(usage, chunks, 0, 0)
            self._on_event(Finished(request_id, FinishReason.ERROR, text, empty))
            stopped = translate(
                "RemoteEngineClient", "The server {server} stopped sending before the answer ended."
            ).format(server=self.server.host)
            self._on_event(EngineError(ErrorKind.INTERNAL, stopped, request_id))
            return
        if calls.parts and reason is not FinishReason.CANCELLED:
            markup = calls_as_mistral_text(calls.calls())
            first = first or time.perf_counter()
            pieces.append(markup)
            self._on_event(TokenDelta(request_id, markup))
        finished = time.perf_counter()
        ttft = (first or finished) - started
        self._on_event(
            Finished(
                request_id,
                reason,
                "".join(pieces),
                self._usage(usage, chunks, ttft, finished - started),
            )
        )

    def _usage(self, usage: Any, chunks: int, ttft: float, seconds: float) -> Usage:
        prompt = int(getattr(usage, "prompt_tokens", 0) or 0)
        completion = int(getattr(usage, "completion_tokens", 0) or 0) or chunks
        generating = max(seconds - ttft, 1e-9)
        return Usage(
            prompt_tokens=prompt,
            cached_tokens=0,
            completion_tokens=completion,
            time_to_first_token_s=ttft,
            prompt_tokens_per_s=prompt / ttft if ttft > 0 else 0.0,
            generation_tokens_per_s=completion / generating if seconds else 0.0,
        )


def _output_options(output: StructuredOutput | None) -> dict[str, Any]:
    """A structured output asked of the server in the API's own terms."""
    if output is None:
        return {}
    if output.tool_names:
        if len(output.tool_names) == 1:
            return {"tool_choice": {"type": "function", "function": {"name": output.tool_names[0]}}}
        return {"tool_choice": "required"}
    if output.json_schema is not None:
        schema = json.loads(output.json_schema)
        return {
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "answer", "schema": schema, "strict": True},
            }
        }
    return {}
