"""Every bad load request becomes a typed error; the engine process stays up for the next one."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from app.core.messages import ChatMessage, Role
from app.core.sampling import SamplingParams
from app.engine.protocol import EngineError, ErrorKind, Generate
from tests.integration.engine_helpers import HELLO, EngineProbe

pytestmark = pytest.mark.integration


def test_missing_file(engine: EngineProbe, tmp_path: Path) -> None:
    error = engine.load_error(tmp_path / "nope.gguf")
    assert error.kind is ErrorKind.FILE_NOT_FOUND


def test_not_a_gguf_file(engine: EngineProbe, tmp_path: Path) -> None:
    path = tmp_path / "photo.gguf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    assert engine.load_error(path).kind is ErrorKind.NOT_GGUF


def test_truncated_gguf(engine: EngineProbe, tiny_model_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "half.gguf"
    data = tiny_model_path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    error = engine.load_error(path)
    assert error.kind is ErrorKind.TRUNCATED
    assert "not downloaded completely" in error.message


def test_unsupported_architecture(engine: EngineProbe, tmp_path: Path) -> None:
    key, value = b"general.architecture", b"whisper"
    header = b"GGUF" + struct.pack("<IQQ", 3, 0, 1)
    header += struct.pack("<Q", len(key)) + key + struct.pack("<IQ", 8, len(value)) + value
    path = tmp_path / "whisper.gguf"
    path.write_bytes(header)
    error = engine.load_error(path)
    assert error.kind is ErrorKind.UNSUPPORTED_ARCHITECTURE
    assert "'whisper'" in error.message


def test_context_over_the_trained_length(engine: EngineProbe, tiny_model_path: Path) -> None:
    error = engine.load_error(tiny_model_path, n_ctx=262144)
    assert error.kind is ErrorKind.CONTEXT_TOO_LARGE


def test_corrupt_mmproj(engine: EngineProbe, tiny_model_path: Path, tmp_path: Path) -> None:
    junk = tmp_path / "mmproj.gguf"
    junk.write_bytes(b"not a projector")
    assert engine.load_error(tiny_model_path, mmproj_path=junk).kind is ErrorKind.BAD_MMPROJ
    wrong = engine.load_error(tiny_model_path, mmproj_path=tiny_model_path)
    assert wrong.kind is ErrorKind.BAD_MMPROJ and "not a vision projector" in wrong.message


def test_a_bad_request_leaves_the_loaded_model_usable(
    engine: EngineProbe, tiny_model_path: Path, tmp_path: Path
) -> None:
    engine.load(tiny_model_path, n_ctx=2048)
    engine.load_error(tmp_path / "nope.gguf")
    finished, _ = engine.answer(1, HELLO)
    assert finished.text


def test_a_file_llama_cpp_cannot_load(
    engine: EngineProbe, tiny_model_path: Path, tmp_path: Path
) -> None:
    """A header that passes the checks over tensor data llama.cpp rejects: a typed error too."""
    data = bytearray(tiny_model_path.read_bytes())
    marker = data.index(b"output_norm.weight")
    data[marker : marker + 6] = b"xxxxxx"  # a tensor llama.cpp looks for is missing now
    path = tmp_path / "renamed.gguf"
    path.write_bytes(bytes(data))
    error = engine.load_error(path, n_ctx=2048)
    assert error.kind is ErrorKind.LOAD_FAILED
    assert "renamed.gguf" in error.message
    assert error.detail  # llama.cpp's own words, from its log


def test_a_conversation_mistral_refuses_is_a_clear_error_and_the_engine_goes_on(
    engine: EngineProbe, tiny_model_path: Path
) -> None:
    engine.load(tiny_model_path, n_ctx=2048)
    answered = (*HELLO, ChatMessage(Role.ASSISTANT, ""), ChatMessage(Role.USER, "Well?"))
    engine.client.send(Generate(1, answered, SamplingParams(max_tokens=4)))
    error = engine.next_of(EngineError)
    assert isinstance(error, EngineError) and error.kind is ErrorKind.REFUSED
    assert error.message == (
        "Not sent: Message 2: an assistant message needs text or tool calls; it is empty."
    )
    finished, _ = engine.answer(2, HELLO)
    assert finished.text
