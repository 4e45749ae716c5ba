"""The reopening part of `tramontane bench`: a conversation of `--depth` tokens taken up again
after the engine answered in another one, and after an engine restart, with its KV snapshot
against the same conversation with snapshots off (its history read again), in the same run.

Before the restart the snapshot file is synced and dropped from the page cache, so the restart's
figure includes reading it from the disk; the disk's read speed is measured on the same file.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from app.core.kv_cache import KvCacheType
from app.core.messages import ChatMessage, Role
from app.core.sampling import SamplingParams
from app.engine.blocking import BlockingEngine, TimedAnswer
from app.engine.protocol import (
    ConfigureSnapshots,
    Generate,
    LoadModel,
    QuerySnapshots,
    SnapshotUsage,
    Unload,
    Unloaded,
)

SYSTEM = "You are a benchmark."
SEED = 1234
BUDGET = 1 << 42  # no eviction during the measurement
CONVERSATION, OTHER = 1, 2
READ_CHUNK = 16 << 20


def _load(args: argparse.Namespace, n_ctx: int) -> LoadModel:
    return LoadModel(
        args.model.resolve(),
        n_ctx=n_ctx,
        n_gpu_layers=args.gpu_layers,
        kv_cache_type=KvCacheType(args.kv),
    )


def _ttft(answer: TimedAnswer) -> float:
    if answer.first_delta_at is None:
        raise RuntimeError("the model answered nothing; time to first token cannot be read")
    return answer.first_delta_at - answer.sent_at


class _Conversation:
    def __init__(self, history: str) -> None:
        self.history = history
        self.earlier = "ok"

    def turn(self, index: int) -> tuple[ChatMessage, ...]:
        if index == 0:
            return (ChatMessage(Role.USER, self.history),)
        return (
            ChatMessage(Role.USER, self.history),
            ChatMessage(Role.ASSISTANT, self.earlier),
            ChatMessage(Role.USER, f"And question {index}?"),
        )


def _ask(
    engine: BlockingEngine,
    request_id: int,
    conversation: int,
    messages: tuple[ChatMessage, ...],
) -> TimedAnswer:
    sampling = SamplingParams(max_tokens=8, seed=SEED)
    return engine.generate(
        Generate(request_id, messages, sampling, system_prompt=SYSTEM, conversation_id=conversation)
    )


def _snapshots(engine: BlockingEngine, folder: Path | None) -> SnapshotUsage:
    engine.send(ConfigureSnapshots(folder, BUDGET) if folder else ConfigureSnapshots(None, 0))
    return engine.next_event(SnapshotUsage)


def _drop_from_page_cache(path: Path) -> None:
    """Write the file out and forget its pages, so the next read comes from the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        if hasattr(os, "posix_fadvise"):
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def _read_speed(path: Path) -> float:
    """Bytes per second of reading `path` from the disk."""
    _drop_from_page_cache(path)
    started = time.perf_counter()
    with path.open("rb", buffering=0) as handle:
        while handle.read(READ_CHUNK):
            pass
    return path.stat().st_size / (time.perf_counter() - started)


@contextlib.contextmanager
def _folder(args: argparse.Namespace) -> Iterator[Path]:
    """Where the snapshots go: `--snapshot-dir`, else beside the model (on a disk, not in RAM)."""
    parent = args.snapshot_dir or args.model.resolve().parent
    with tempfile.TemporaryDirectory(prefix="tramontane-bench-snapshots-", dir=parent) as name:
        yield Path(name)


def measure_snapshots(args: argparse.Namespace, n_ctx: int, history: str) -> dict[str, float]:
    conversation = _Conversation(history)
    with _folder(args) as folder, BlockingEngine() as engine:
        engine.load(_load(args, n_ctx))
        _snapshots(engine, folder)
        conversation.earlier = _ask(engine, 1, CONVERSATION, conversation.turn(0)).finished.text
        conversation.earlier = conversation.earlier or "ok"
        _ask(engine, 2, OTHER, (ChatMessage(Role.USER, "Something else."),))  # saves it
        engine.send(QuerySnapshots())
        saved = engine.next_event(SnapshotUsage)
        reopen = _ttft(_ask(engine, 3, CONVERSATION, conversation.turn(1)))
        _snapshots(engine, None)
        _ask(engine, 4, OTHER, (ChatMessage(Role.USER, "Something else again."),))
        reread = _ttft(_ask(engine, 5, CONVERSATION, conversation.turn(2)))
        _snapshots(engine, folder)
        engine.send(Unload())  # saves the conversation the cache holds
        engine.next_event(Unloaded)
        path = folder / f"{CONVERSATION}.kvsnap"
        _drop_from_page_cache(path)
        with BlockingEngine() as restarted:
            restarted.load(_load(args, n_ctx))
            _snapshots(restarted, folder)
            restart = _ttft(_ask(restarted, 1, CONVERSATION, conversation.turn(3)))
        disk_read = _read_speed(path)
    return {
        "reopen_ttft_s": reopen,
        "reread_ttft_s": reread,
        "restart_ttft_s": restart,
        "reread_over_reopen": reread / reopen,
        "snapshot_bytes": float(saved.last_save_bytes),
        "snapshot_save_s": saved.last_save_s,
        "disk_read_gb_per_s": disk_read / 1e9,
    }
