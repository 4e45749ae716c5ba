"""The snapshot keeper with a real llama.cpp session in this process: a full disk stops saving
with one notice and loses nothing; a save already on disk is not written again; Stop ends the
reading of a long prompt."""

from __future__ import annotations

import resource
from collections.abc import Iterator
from pathlib import Path

import llama_cpp
import pytest

from app.core.kv_cache import KvCacheType
from app.core.messages import ChatMessage, Role
from app.core.sampling import SamplingParams
from app.engine.kv_sequence import KvItem
from app.engine.protocol import FinishReason, LoadModel
from app.engine.session import LlamaSession
from app.engine.snapshot_keeper import SnapshotKeeper, disk_full_notice
from app.engine.snapshots import identity_of
from app.engine.template import ChatTemplate

pytestmark = pytest.mark.integration

GREEDY = SamplingParams(temperature=0, max_tokens=4, repetition_guard=False)


@pytest.fixture
def session(tiny_model_path: Path) -> Iterator[LlamaSession]:
    llm = llama_cpp.Llama(str(tiny_model_path), n_ctx=2048, n_batch=512, verbose=False)
    opened = LlamaSession(llm, ChatTemplate.builtin())
    yield opened
    opened.close()


@pytest.fixture
def keeper(session: LlamaSession, tiny_model_path: Path, tmp_path: Path) -> SnapshotKeeper:
    notices: list[str] = []
    kept = SnapshotKeeper(notices.append)
    kept.notices = notices  # type: ignore[attr-defined]
    kept.configure(tmp_path / "snapshots", 1 << 30)
    load = LoadModel(tiny_model_path, n_ctx=2048, kv_cache_type=KvCacheType.F16)
    kept.model_loaded(identity_of(load, session.n_ctx))
    return kept


def prompt(session: LlamaSession, text: str) -> list[KvItem]:
    return session.prompt_items(session.template.render_parts([ChatMessage(Role.USER, text)]))


def answer(session: LlamaSession, items: list[KvItem]) -> str:
    return session.generate(items, GREEDY, lambda _: None, lambda: False).text


def test_a_full_disk_stops_saving_with_one_notice_and_answers_go_on(
    session: LlamaSession, keeper: SnapshotKeeper, tmp_path: Path
) -> None:
    first = prompt(session, "The first conversation, about the tramontane.")
    second = prompt(session, "The second, about the levant.")
    keeper.enter(session, 1, first)
    answer(session, first)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))  # a write past 4 KiB fails: EFBIG
    try:
        keeper.enter(session, 2, second)  # leaving 1: its save fails
        text = answer(session, second)
        keeper.enter(session, 1, first)  # leaving 2: no second try, no second notice
        again = answer(session, first)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))

    assert keeper.notices == [disk_full_notice()]  # type: ignore[attr-defined]
    assert text and again
    assert list((tmp_path / "snapshots").iterdir()) == []  # nothing half-written is left


def test_no_room_left_on_the_disk_is_said_once_before_writing(
    session: LlamaSession,
    keeper: SnapshotKeeper,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = prompt(session, "The first conversation, about the tramontane.")
    keeper.enter(session, 1, first)
    answer(session, first)
    monkeypatch.setattr("app.engine.snapshots.SPARE_BYTES", 1 << 60)  # more than any disk has

    keeper.enter(session, 2, prompt(session, "Another."))
    keeper.enter(session, 1, first)

    assert keeper.notices == [disk_full_notice()]  # type: ignore[attr-defined]
    assert list((tmp_path / "snapshots").iterdir()) == []


def test_a_state_already_on_disk_is_not_written_again(
    session: LlamaSession, keeper: SnapshotKeeper, tmp_path: Path
) -> None:
    first = prompt(session, "The first conversation, about the tramontane.")
    keeper.enter(session, 1, first)
    answer(session, first)
    other = prompt(session, "Another.")
    keeper.enter(session, 2, other)
    answer(session, other)

    restored = keeper.enter(session, 1, first)  # back, and left again unchanged
    path = tmp_path / "snapshots" / "1.kvsnap"
    touched = path.stat().st_mtime_ns
    keeper.enter(session, 3, prompt(session, "A third."))

    assert restored is not None
    assert keeper.last_saved is not None and keeper.last_saved.path.name == "2.kvsnap"
    assert path.stat().st_mtime_ns == touched


def test_stop_ends_the_reading_of_a_long_prompt_and_keeps_what_was_read(
    session: LlamaSession,
) -> None:
    long = prompt(session, "wind and sea " * 400)
    chunks: list[int] = []

    outcome = session.generate(
        long,
        GREEDY,
        lambda _: None,
        cancelled=lambda: len(chunks) >= 1,
        progress=lambda done, total: chunks.append(done),
    )

    assert outcome.reason is FinishReason.CANCELLED and outcome.text == ""
    assert 0 < len(session.kv_items()) < len(long)
