from __future__ import annotations

from app.engine.pacing import ChunkPacer


def test_chunks_start_small_and_grow_toward_the_target_time() -> None:
    pacer = ChunkPacer(limit=2048, target_s=0.1, first=16)
    assert pacer.size() == 16
    pacer.record(16, 0.001)  # 16,000 positions a second: 1,600 would take 0.1 s
    assert pacer.size() == 64  # at most four times the last chunk
    for _ in range(5):
        pacer.record(pacer.size(), pacer.size() / 16_000)
    assert pacer.size() == 1600


def test_a_slow_model_gets_short_chunks_and_never_none() -> None:
    pacer = ChunkPacer(limit=2048, target_s=0.1)
    pacer.record(16, 4.0)  # 4 positions a second
    assert pacer.size() == 1


def test_chunks_never_exceed_the_batch() -> None:
    pacer = ChunkPacer(limit=100, first=500)
    assert pacer.size() == 100
    pacer.record(100, 0.0)
    assert pacer.size() == 100
