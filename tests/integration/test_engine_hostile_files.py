"""Model files made to hurt: metadata that would make llama.cpp abort is refused before llama.cpp
sees it, and a chat template that hangs or fills the memory is stopped in the engine, with a
message naming the template and offering the built-in one. The engine stays usable."""

from __future__ import annotations

import struct
import time
from pathlib import Path

import pytest

from app.engine.protocol import ErrorKind
from tests.fixtures.models import cached_model
from tests.integration.engine_helpers import HELLO, EngineProbe

pytestmark = pytest.mark.integration

GGUF_UINT32 = 4
NESTED_LOOPS = (
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    "{{ bos_token }}"
)
HUGE_TEXT = "{{ bos_token }}{{ 'a' * 10**10 }}"


def with_uint32(model: Path, key: str, value: int, target: Path) -> Path:
    """A copy of `model` whose UINT32 metadata `key` holds `value`."""
    data = bytearray(model.read_bytes())
    name = struct.pack("<Q", len(key)) + key.encode()
    at = data.index(name) + len(name)
    assert struct.unpack_from("<I", data, at)[0] == GGUF_UINT32
    struct.pack_into("<I", data, at + 4, value)
    target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("tokenizer.ggml.bos_token_id", 131_072, "bos token id 131,072 is outside its vocabulary"),
        ("tokenizer.ggml.eos_token_id", 4_000_000_000, "eos token id 4,000,000,000 is outside"),
        ("llama.block_count", 1000, "layer count 1000 is not between 1 and 512"),
        ("llama.block_count", 7, "it says it has 7 layers but its tensors make 2"),
        ("llama.attention.head_count_kv", 0, "attention key-value head count is 0"),
    ],
)
def test_metadata_llama_cpp_would_abort_on_is_refused_first(
    engine: EngineProbe, tiny_model_path: Path, tmp_path: Path, key: str, value: int, said: str
) -> None:
    bad = with_uint32(tiny_model_path, key, value, tmp_path / "bad.gguf")
    error = engine.load_error(bad, n_ctx=2048)
    assert error.kind is ErrorKind.NOT_GGUF
    assert error.message.startswith("bad.gguf is damaged and was not loaded: ")
    assert said in error.message
    engine.load(tiny_model_path, n_ctx=2048)  # the same engine process goes on
    finished, _ = engine.answer(1, HELLO)
    assert finished.text


@pytest.mark.parametrize(("label", "template"), [("hangs", NESTED_LOOPS), ("huge", HUGE_TEXT)])
def test_a_template_that_hangs_or_fills_the_memory_is_stopped_and_the_builtin_offered(
    engine: EngineProbe, label: str, template: str
) -> None:
    model = cached_model(f"tiny-template-{label}", chat_template=template)
    started = time.perf_counter()
    error = engine.load_error(model, n_ctx=2048)
    assert time.perf_counter() - started < 30
    assert error.kind is ErrorKind.TEMPLATE
    assert f"The chat template in {model.name} does not work" in error.message
    assert "was stopped: it" in error.message
    assert "built-in Mistral Small 3.2 template" in error.message
    loaded = engine.load(model, n_ctx=2048, use_builtin_template=True)
    assert loaded.template_source == "builtin"
    finished, _ = engine.answer(2, HELLO)
    assert finished.text
