"""Loads a GGUF model into llama.cpp with the requested context, offload and KV cache type."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import llama_cpp
from llama_cpp import llama_chat_format

from app.core.i18n import translate
from app.core.kv_cache import KvCacheType
from app.engine.backend import detect_backend, layers_to_offload
from app.engine.engine_log import (
    log_since,
    log_size,
    log_tail,
    looks_like_out_of_memory,
    reported_buffer_bytes,
)
from app.engine.protocol import Backend, EngineError, ErrorKind, Loaded, LoadModel
from app.engine.session import LlamaSession
from app.engine.speculative import step_outputs_on_device
from app.engine.template import ChatTemplate, TemplateError
from app.engine.threads import compute_threads
from app.engine.vision import ProjectorFailed, VisionEncoder

GGML_KV_TYPES = {
    KvCacheType.F16: llama_cpp.GGML_TYPE_F16,
    KvCacheType.Q8_0: llama_cpp.GGML_TYPE_Q8_0,
    KvCacheType.Q4_0: llama_cpp.GGML_TYPE_Q4_0,
}
KV_BYTES_PER_ELEMENT = {KvCacheType.F16: 2.0, KvCacheType.Q8_0: 34 / 32, KvCacheType.Q4_0: 18 / 32}
PROMPT_BATCH = 2048  # tokens per llama_decode call, as llama-bench does
MICRO_BATCH = 512  # tokens per graph evaluation; the compute buffers are sized for it


def _metadata_int(llm: llama_cpp.Llama, key: str, default: int) -> int:
    try:
        return int(llm.metadata.get(key, default))
    except ValueError:
        return default


def kv_cache_bytes(llm: llama_cpp.Llama, n_ctx: int, kv_type: KvCacheType) -> int:
    arch = llm.metadata.get("general.architecture", "llama")
    n_layer = _metadata_int(llm, f"{arch}.block_count", 0)
    n_head = _metadata_int(llm, f"{arch}.attention.head_count", 1)
    n_head_kv = _metadata_int(llm, f"{arch}.attention.head_count_kv", n_head)
    n_embd = _metadata_int(llm, f"{arch}.embedding_length", 0)
    head_dim = _metadata_int(llm, f"{arch}.attention.key_length", n_embd // max(n_head, 1))
    return int(2 * n_layer * n_ctx * n_head_kv * head_dim * KV_BYTES_PER_ELEMENT[kv_type])


def memory_bytes(llm: llama_cpp.Llama, command: LoadModel, load_log: str) -> int:
    """What the loaded model takes, as llama.cpp logged its buffers (else weights + KV cache)."""
    reported = reported_buffer_bytes(load_log)
    if reported:
        return reported
    n_ctx = llama_cpp.llama_n_ctx(llm.ctx)
    return int(llama_cpp.llama_model_size(llm.model)) + kv_cache_bytes(
        llm, n_ctx, command.kv_cache_type
    )


def chat_template_for(
    llm: llama_cpp.Llama, use_builtin: bool, file_name: str = "this model file"
) -> ChatTemplate | EngineError:
    """The template to render with: the built-in one, or the file's own once it has rendered an
    empty conversation (under the time and size limits of `template_limits`)."""
    bos = llm.metadata.get("tokenizer.ggml.bos_token_id")
    eos = llm.metadata.get("tokenizer.ggml.eos_token_id")
    bos_text = llm._model.token_get_text(int(bos)) if bos is not None else ""
    eos_text = llm._model.token_get_text(int(eos)) if eos is not None else ""
    if use_builtin:
        return ChatTemplate.builtin(bos_text, eos_text)
    source = llm.metadata.get("tokenizer.chat_template")
    if not source:
        return EngineError(
            ErrorKind.TEMPLATE,
            translate(
                "Loader",
                "This model file has no chat template. Tramontane can use its built-in "
                "Mistral Small 3.2 template instead.",
            ),
        )
    try:
        template = ChatTemplate(source, bos_text, eos_text)
        template.render([], add_generation_prompt=True)
    except TemplateError as exc:
        return EngineError(
            ErrorKind.TEMPLATE,
            translate(
                "Loader",
                "The chat template in {name} does not work ({reason}). Tramontane can use its "
                "built-in Mistral Small 3.2 template instead.",
            ).format(name=file_name, reason=exc),
            detail=str(exc),
        )
    return template


class _UncompiledTemplate:
    """Takes the place of llama-cpp-python's formatter while a model loads. That library compiles
    every chat template of the file on load, and Jinja's compiler computes constant expressions
    then (`'a' * 10**10` is ten gigabytes), outside any limit. Tramontane renders the template
    itself, under its limits (`template_limits`), and never uses that formatter."""

    def __init__(self, **_options: Any) -> None:
        pass

    def to_chat_handler(self) -> Any:
        def refuse(**_arguments: Any) -> NoReturn:
            raise RuntimeError("chat templates are rendered by Tramontane, not llama-cpp-python")

        return refuse


@contextlib.contextmanager
def _templates_left_uncompiled() -> Iterator[None]:
    compiling = llama_chat_format.Jinja2ChatFormatter
    llama_chat_format.Jinja2ChatFormatter = _UncompiledTemplate  # type: ignore[misc, assignment]
    try:
        yield
    finally:
        llama_chat_format.Jinja2ChatFormatter = compiling  # type: ignore[misc]


def load_model(
    command: LoadModel, log_path: Path | None
) -> tuple[LlamaSession, Loaded] | EngineError:
    """Load a model whose request passed `check_load_request`."""
    backend = detect_backend()
    # -1 asks llama-cpp-python for every layer; on the CPU backend nothing is offloaded.
    offload = 0 if backend is Backend.CPU else command.n_gpu_layers
    log_start = log_size(log_path)
    try:
        # llama.cpp's own log goes to the log file (llama_log); llama-cpp-python's prints do not.
        with (
            contextlib.redirect_stderr(io.StringIO()),
            _templates_left_uncompiled(),
            step_outputs_on_device(),
        ):
            llm = llama_cpp.Llama(
                model_path=str(command.model_path),
                n_ctx=command.n_ctx,
                n_batch=PROMPT_BATCH,
                n_ubatch=MICRO_BATCH,
                n_gpu_layers=offload,
                n_threads=compute_threads(),  # the prompt gets every logical CPU
                flash_attn=command.flash_attention,
                type_k=GGML_KV_TYPES[command.kv_cache_type],
                type_v=GGML_KV_TYPES[command.kv_cache_type],
                offload_kqv=command.offload_kqv,
                logits_all=False,
                verbose=True,  # else llama-cpp-python silences descriptor 2 while loading
            )
    except (ValueError, RuntimeError, OSError) as exc:
        tail = log_tail(log_path)
        out_of_memory = looks_like_out_of_memory(log_since(log_path, log_start))
        kind = ErrorKind.OUT_OF_MEMORY if out_of_memory else ErrorKind.LOAD_FAILED
        text = (
            translate("Loader", "llama.cpp could not load {name}: there is not enough memory.")
            if kind is ErrorKind.OUT_OF_MEMORY
            else translate("Loader", "llama.cpp could not load {name}: {reason}.")
        )
        return EngineError(kind, text.format(name=command.model_path.name, reason=exc), detail=tail)
    template = chat_template_for(llm, command.use_builtin_template, command.model_path.name)
    if isinstance(template, EngineError):
        llm.close()
        return template
    vision = None
    if command.mmproj_path is not None:
        try:
            vision = VisionEncoder.open(
                command.mmproj_path, llm.model, use_gpu=offload != 0, n_threads=llm.n_threads
            )
        except ProjectorFailed as exc:
            llm.close()
            return EngineError(ErrorKind.BAD_MMPROJ, f"{exc}.", detail=log_tail(log_path))
    n_layer = llama_cpp.llama_model_n_layer(llm.model)
    output_on_device = offload < 0 or offload > n_layer  # the output layer is the last
    session = LlamaSession(
        llm, template, sample_on_device=offload != 0 and output_on_device, vision=vision
    )
    loaded = Loaded(
        model_path=command.model_path,
        model_name=str(llm.metadata.get("general.name", command.model_path.stem)),
        backend=backend,
        n_ctx=session.n_ctx,
        n_ctx_train=llama_cpp.llama_model_n_ctx_train(llm.model),
        n_layers=n_layer,
        n_gpu_layers=layers_to_offload(backend, command.n_gpu_layers, n_layer),
        memory_bytes=memory_bytes(llm, command, log_since(log_path, log_start)),
        has_vision=vision is not None,
        template_source="builtin" if command.use_builtin_template else "model",
        offload_kqv=command.offload_kqv,
    )
    return session, loaded
