"""The engine process reads its GPUs' memory through llama.cpp's device API at its start and after
a load, and loads with the KV cache kept in system memory when asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.engine.backend import read_gpu_memory
from app.engine.protocol import Loaded, QueryStatus, StatusReport
from tests.integration.engine_helpers import HELLO, EngineProbe

pytestmark = pytest.mark.integration


def test_the_engine_reports_what_the_device_api_reads(
    engine: EngineProbe, tiny_model_path: Path
) -> None:
    here = read_gpu_memory()  # the same devices, read in this process
    engine.client.send(QueryStatus())
    status = engine.next_of(StatusReport)
    assert isinstance(status, StatusReport)
    assert [(g.name, g.backend, g.total_bytes) for g in status.gpus] == [
        (g.name, g.backend, g.total_bytes) for g in here
    ]
    loaded = engine.load(tiny_model_path, n_ctx=1024, offload_kqv=False)
    assert isinstance(loaded, Loaded) and loaded.offload_kqv is False
    assert [g.name for g in loaded.gpus] == [g.name for g in here]
    assert all(0 <= g.own_bytes <= g.total_bytes for g in loaded.gpus)
    finished, deltas = engine.answer(1, HELLO)
    assert finished.usage.completion_tokens > 0 and "".join(deltas) == finished.text
