"""Checks a load request before llama.cpp sees it, so a bad file becomes a readable, typed error."""

from __future__ import annotations

from pathlib import Path

from app.core.gguf_checks import metadata_problem
from app.core.gguf_header import GgufFormatError, GgufTruncatedError, read_gguf_header
from app.core.i18n import translate
from app.engine.protocol import EngineError, ErrorKind, LoadModel

# Text-model architectures Tramontane runs (Mistral Small 3.2's GGUF files are "llama").
SUPPORTED_ARCHITECTURES = frozenset({"llama", "mistral3", "mistral"})
MAX_CONTEXT = 131_072


def check_load_request(request: LoadModel) -> EngineError | None:
    """The first problem with `request`, or None when llama.cpp may try it."""
    model = request.model_path
    if not model.is_file():
        return EngineError(
            ErrorKind.FILE_NOT_FOUND,
            translate("Validation", "The model file {path} does not exist.").format(path=model),
        )
    try:
        header = read_gguf_header(model)
    except GgufTruncatedError as exc:
        return EngineError(
            ErrorKind.TRUNCATED,
            translate("Validation", "{name} is incomplete: {reason}.").format(
                name=model.name, reason=exc
            ),
        )
    except GgufFormatError as exc:
        return EngineError(
            ErrorKind.NOT_GGUF,
            translate("Validation", "{name} is not a usable GGUF model: {reason}.").format(
                name=model.name, reason=exc
            ),
        )
    except OSError as exc:
        return EngineError(
            ErrorKind.FILE_NOT_FOUND,
            translate("Validation", "{name} cannot be read: {reason}.").format(
                name=model.name, reason=exc
            ),
        )
    if header.architecture not in SUPPORTED_ARCHITECTURES:
        text = (
            translate(
                "Validation",
                "{name} is a '{architecture}' model; Tramontane runs Mistral Small 3.2 "
                "({supported} GGUF files).",
            )
            if header.architecture
            else translate(
                "Validation",
                "{name} names no architecture; Tramontane runs Mistral Small 3.2 "
                "({supported} GGUF files).",
            )
        )
        return EngineError(
            ErrorKind.UNSUPPORTED_ARCHITECTURE,
            text.format(
                name=model.name,
                architecture=header.architecture,
                supported=", ".join(sorted(SUPPORTED_ARCHITECTURES)),
            ),
        )
    if header.tensor_count == 0:
        return EngineError(
            ErrorKind.NOT_GGUF,
            translate(
                "Validation", "{name} holds no weights: it is not a usable model file."
            ).format(name=model.name),
        )
    problem = metadata_problem(header)
    if problem is not None:
        return EngineError(
            ErrorKind.NOT_GGUF,
            translate("Validation", "{name} is damaged and was not loaded: {reason}.").format(
                name=model.name, reason=problem
            ),
        )
    trained = header.context_length or MAX_CONTEXT
    if not 0 < request.n_ctx <= min(trained, MAX_CONTEXT):
        return EngineError(
            ErrorKind.CONTEXT_TOO_LARGE,
            translate(
                "Validation",
                "A context of {tokens} tokens is not possible: this model was trained for "
                "{trained} tokens at most.",
            ).format(tokens=f"{request.n_ctx:,}", trained=f"{trained:,}"),
        )
    if request.mmproj_path is not None:
        return check_mmproj(request.mmproj_path)
    return None


def check_mmproj(path: Path) -> EngineError | None:
    try:
        header = read_gguf_header(path)
    except (GgufFormatError, OSError) as exc:
        return EngineError(
            ErrorKind.BAD_MMPROJ,
            translate("Validation", "The vision projector {name} cannot be used: {reason}.").format(
                name=path.name, reason=exc
            ),
        )
    if header.architecture != "clip":
        return EngineError(
            ErrorKind.BAD_MMPROJ,
            translate(
                "Validation",
                "{name} is not a vision projector (mmproj) file; it is a '{architecture}' file.",
            ).format(name=path.name, architecture=header.architecture or "unknown"),
        )
    return None
