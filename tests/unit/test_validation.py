"""A load request is checked against the GGUF header before llama.cpp sees the file."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from app.engine.protocol import ErrorKind, LoadModel
from app.engine.validation import check_load_request

F32 = 0
STRING, UINT32 = 8, 4


def _string(text: str) -> bytes:
    data = text.encode()
    return struct.pack("<Q", len(data)) + data


def write_gguf(
    path: Path,
    metadata: dict[str, str | int],
    *,
    tensor_elements: int = 64,
    data_bytes: int | None = None,
    version: int = 3,
) -> Path:
    """A GGUF file with `metadata` and one f32 tensor; `data_bytes` overrides the data length."""
    header = b"GGUF" + struct.pack("<IQQ", version, 1, len(metadata))
    for key, value in metadata.items():
        header += _string(key)
        if isinstance(value, str):
            header += struct.pack("<I", STRING) + _string(value)
        else:
            header += struct.pack("<II", UINT32, value)
    header += _string("token_embd.weight") + struct.pack("<IQIQ", 1, tensor_elements, F32, 0)
    header += b"\0" * (-len(header) % 32)  # tensor data starts aligned
    size = tensor_elements * 4 if data_bytes is None else data_bytes
    path.write_bytes(header + b"\0" * size)
    return path


def llama_file(path: Path, **extra: str | int) -> Path:
    metadata: dict[str, str | int] = {"general.architecture": "llama", "llama.context_length": 4096}
    return write_gguf(path, {**metadata, **extra})


def kind(request: LoadModel) -> ErrorKind | None:
    error = check_load_request(request)
    return error.kind if error is not None else None


def test_a_sound_file_passes(tmp_path: Path) -> None:
    assert check_load_request(LoadModel(llama_file(tmp_path / "m.gguf"), n_ctx=4096)) is None


def test_a_missing_file(tmp_path: Path) -> None:
    error = check_load_request(LoadModel(tmp_path / "gone.gguf"))
    assert error is not None and error.kind is ErrorKind.FILE_NOT_FOUND
    assert "gone.gguf" in error.message


def test_a_folder_is_not_a_model(tmp_path: Path) -> None:
    assert kind(LoadModel(tmp_path)) is ErrorKind.FILE_NOT_FOUND


def test_a_file_of_another_kind(tmp_path: Path) -> None:
    path = tmp_path / "notes.gguf"
    path.write_text("just some text, long enough to hold a header " * 4)
    error = check_load_request(LoadModel(path))
    assert error is not None and error.kind is ErrorKind.NOT_GGUF
    assert "GGUF signature" in error.message


def test_an_unknown_gguf_version(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "v9.gguf", {"general.architecture": "llama"}, version=9)
    assert kind(LoadModel(path)) is ErrorKind.NOT_GGUF


def test_a_file_cut_inside_its_header(tmp_path: Path) -> None:
    path = llama_file(tmp_path / "m.gguf")
    path.write_bytes(path.read_bytes()[:40])
    assert kind(LoadModel(path)) is ErrorKind.TRUNCATED


def test_a_file_shorter_than_its_tensor_data(tmp_path: Path) -> None:
    path = write_gguf(
        tmp_path / "partial.gguf",
        {"general.architecture": "llama", "llama.context_length": 4096},
        tensor_elements=1024,
        data_bytes=1000,
    )
    error = check_load_request(LoadModel(path, n_ctx=2048))
    assert error is not None and error.kind is ErrorKind.TRUNCATED
    assert "not downloaded completely" in error.message


@pytest.mark.parametrize("architecture", ["llama", "mistral3"])
def test_supported_architectures(tmp_path: Path, architecture: str) -> None:
    path = write_gguf(tmp_path / "m.gguf", {"general.architecture": architecture})
    assert kind(LoadModel(path, n_ctx=4096)) is None


def test_an_unsupported_architecture_is_named(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "w.gguf", {"general.architecture": "whisper"})
    error = check_load_request(LoadModel(path))
    assert error is not None and error.kind is ErrorKind.UNSUPPORTED_ARCHITECTURE
    assert "'whisper'" in error.message


def test_a_file_without_architecture(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "bare.gguf", {"general.name": "bare"})
    assert kind(LoadModel(path)) is ErrorKind.UNSUPPORTED_ARCHITECTURE


@pytest.mark.parametrize("n_ctx", [4097, 0, -1])
def test_a_context_the_model_was_not_trained_for(tmp_path: Path, n_ctx: int) -> None:
    error = check_load_request(LoadModel(llama_file(tmp_path / "m.gguf"), n_ctx=n_ctx))
    assert error is not None and error.kind is ErrorKind.CONTEXT_TOO_LARGE
    assert "4,096" in error.message


def test_the_context_never_exceeds_the_supported_maximum(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "m.gguf", {"general.architecture": "llama"})  # no length
    assert kind(LoadModel(path, n_ctx=131072)) is None
    assert kind(LoadModel(path, n_ctx=131073)) is ErrorKind.CONTEXT_TOO_LARGE


def test_a_projector_that_is_not_a_gguf_file(tmp_path: Path) -> None:
    junk = tmp_path / "mmproj.gguf"
    junk.write_bytes(b"\x89PNG\r\n")
    request = LoadModel(llama_file(tmp_path / "m.gguf"), n_ctx=2048, mmproj_path=junk)
    assert kind(request) is ErrorKind.BAD_MMPROJ


def test_a_missing_projector(tmp_path: Path) -> None:
    request = LoadModel(
        llama_file(tmp_path / "m.gguf"), n_ctx=2048, mmproj_path=tmp_path / "none.gguf"
    )
    assert kind(request) is ErrorKind.BAD_MMPROJ


def test_a_truncated_projector(tmp_path: Path) -> None:
    projector = write_gguf(
        tmp_path / "mmproj.gguf", {"general.architecture": "clip"}, data_bytes=10
    )
    request = LoadModel(llama_file(tmp_path / "m.gguf"), n_ctx=2048, mmproj_path=projector)
    assert kind(request) is ErrorKind.BAD_MMPROJ


def test_a_model_file_given_as_projector(tmp_path: Path) -> None:
    model = llama_file(tmp_path / "m.gguf")
    error = check_load_request(LoadModel(model, n_ctx=2048, mmproj_path=model))
    assert error is not None and error.kind is ErrorKind.BAD_MMPROJ
    assert "not a vision projector" in error.message


def test_a_sound_projector_passes(tmp_path: Path) -> None:
    projector = write_gguf(tmp_path / "mmproj.gguf", {"general.architecture": "clip"})
    request = LoadModel(llama_file(tmp_path / "m.gguf"), n_ctx=2048, mmproj_path=projector)
    assert check_load_request(request) is None


def test_a_file_without_weights(tmp_path: Path) -> None:
    path = tmp_path / "empty.gguf"
    architecture = _string("general.architecture") + struct.pack("<I", STRING) + _string("llama")
    path.write_bytes(b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + architecture)
    error = check_load_request(LoadModel(path))
    assert error is not None and error.kind is ErrorKind.NOT_GGUF
    assert "no weights" in error.message
