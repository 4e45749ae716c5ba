"""Checks a load request before llama.cpp sees it, so a bad file becomes a readable, typed error."""

from __future__ import annotations

from pathlib import Path

from app.core.gguf_checks import metadata_problem
from app.core.gguf_header import GgufFormatError, GgufTruncatedError, read_gguf_header
from app.engine.protocol import EngineError, ErrorKind, LoadModel

# Text-model architectures Tramontane runs (Mistral Small 3.2's GGUF files are "llama").
SUPPORTED_ARCHITECTURES = frozenset({"llama", "mistral3", "mistral"})
MAX_CONTEXT = 131_072


def check_load_request(request: LoadModel) -> EngineError | None:
    """The first problem with `request`, or None when llama.cpp may try it."""
    model = request.model_path
    if not model.is_file():
        return EngineError(ErrorKind.FILE_NOT_FOUND, f"The model file {model} does not exist.")
    try:
        header = read_gguf_header(model)
    except GgufTruncatedError as exc:
        return EngineError(ErrorKind.TRUNCATED, f"{model.name} is incomplete: {exc}.")
    except GgufFormatError as exc:
        return EngineError(ErrorKind.NOT_GGUF, f"{model.name} is not a usable GGUF model: {exc}.")
    except OSError as exc:
        return EngineError(ErrorKind.FILE_NOT_FOUND, f"{model.name} cannot be read: {exc}.")
    if header.architecture not in SUPPORTED_ARCHITECTURES:
        found = header.architecture or "no architecture"
        return EngineError(
            ErrorKind.UNSUPPORTED_ARCHITECTURE,
            f"{model.name} is a '{found}' model; Tramontane runs Mistral Small 3.2 "
            f"({', '.join(sorted(SUPPORTED_ARCHITECTURES))} GGUF files).",
        )
    if header.tensor_count == 0:
        return EngineError(
            ErrorKind.NOT_GGUF, f"{model.name} holds no weights: it is not a usable model file."
        )
    problem = metadata_problem(header)
    if problem is not None:
        return EngineError(
            ErrorKind.NOT_GGUF, f"{model.name} is damaged and was not loaded: {problem}."
        )
    trained = header.context_length or MAX_CONTEXT
    if not 0 < request.n_ctx <= min(trained, MAX_CONTEXT):
        return EngineError(
            ErrorKind.CONTEXT_TOO_LARGE,
            f"A context of {request.n_ctx:,} tokens is not possible: this model was trained for "
            f"{trained:,} tokens at most.",
        )
    if request.mmproj_path is not None:
        return check_mmproj(request.mmproj_path)
    return None


def check_mmproj(path: Path) -> EngineError | None:
    try:
        header = read_gguf_header(path)
    except (GgufFormatError, OSError) as exc:
        return EngineError(
            ErrorKind.BAD_MMPROJ, f"The vision projector {path.name} cannot be used: {exc}."
        )
    if header.architecture != "clip":
        return EngineError(
            ErrorKind.BAD_MMPROJ,
            f"{path.name} is not a vision projector (mmproj) file; it is a "
            f"'{header.architecture or 'unknown'}' file.",
        )
    return None
