"""KV snapshots through the real engine process: a conversation left behind and taken up again
(after another one, after a restart) evaluates only its new tokens, answers exactly as it would
have, encodes no image again; a snapshot that does not match is refused and deleted."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.kv_cache import KvCacheType
from app.core.messages import ChatMessage, Role
from app.core.sampling import SamplingParams
from app.engine.protocol import (
    ConfigureSnapshots,
    DeleteSnapshots,
    Finished,
    FinishReason,
    Generate,
    ReadProgress,
    SnapshotUsage,
    TokenDelta,
)
from app.engine.snapshots import MAGIC, TRAILER
from tests.integration.engine_helpers import EngineProbe
from tests.integration.test_engine_vision import ask, picture

pytestmark = pytest.mark.integration

GREEDY = SamplingParams(max_tokens=12, temperature=0.0, seed=3)
BUDGET = 1 << 30
FIRST = (
    ChatMessage(Role.USER, "Tell me about the winds of the Mediterranean, the mistral first."),
)
OTHER = (ChatMessage(Role.USER, "Something else entirely: how do bees find flowers?"),)


class Reply:
    def __init__(self, finished: Finished, progress: list[ReadProgress]) -> None:
        self.finished = finished
        self.progress = progress

    @property
    def evaluated(self) -> int:
        usage = self.finished.usage
        return usage.prompt_tokens - usage.cached_tokens

    @property
    def restored(self) -> bool:
        return any(event.restored for event in self.progress)


def say(
    engine: EngineProbe, request_id: int, conversation: int, messages: tuple[ChatMessage, ...]
) -> Reply:
    engine.client.send(Generate(request_id, messages, GREEDY, conversation_id=conversation))
    progress: list[ReadProgress] = []
    while True:
        event = engine.next()
        if isinstance(event, ReadProgress):
            progress.append(event)
        elif isinstance(event, Finished):
            assert event.reason in (FinishReason.STOP, FinishReason.LENGTH), event
            return Reply(event, progress)
        elif not isinstance(event, TokenDelta | SnapshotUsage):
            raise AssertionError(f"unexpected {event}")


def follow_up(
    messages: tuple[ChatMessage, ...], reply: Reply, text: str
) -> tuple[ChatMessage, ...]:
    return (
        *messages,
        ChatMessage(Role.ASSISTANT, reply.finished.text),
        ChatMessage(Role.USER, text),
    )


def configure(engine: EngineProbe, folder: Path, budget: int = BUDGET) -> SnapshotUsage:
    engine.client.send(ConfigureSnapshots(folder, budget))
    usage = engine.next_of(SnapshotUsage)
    assert isinstance(usage, SnapshotUsage)
    return usage


def snapshot_files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob("*.kvsnap"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "snapshots"


@pytest.fixture(scope="module")
def direct(tiny_model_path: Path) -> Iterator[tuple[Reply, Reply]]:
    """The conversation answered without ever leaving it: its first answer and its follow-up."""
    probe = EngineProbe()
    probe.client.start()
    try:
        probe.load(tiny_model_path, n_ctx=2048)
        first = say(probe, 1, 7, FIRST)
        second = say(probe, 2, 7, follow_up(FIRST, first, "And the sirocco?"))
        yield first, second
    finally:
        probe.client.stop()


def test_switching_away_and_back_evaluates_only_the_new_tokens_and_answers_the_same(
    engine: EngineProbe, tiny_model_path: Path, folder: Path, direct: tuple[Reply, Reply]
) -> None:
    engine.load(tiny_model_path, n_ctx=2048)
    configure(engine, folder)
    first = say(engine, 1, 1, FIRST)
    assert first.finished.text == direct[0].finished.text
    say(engine, 2, 2, OTHER)  # conversation 1 is saved on the way
    assert snapshot_files(folder) == ["1.kvsnap"]

    back = say(engine, 3, 1, follow_up(FIRST, first, "And the sirocco?"))

    assert back.restored
    assert back.evaluated == direct[1].evaluated
    assert 0 < back.evaluated < 20  # the new user message and the turn markers
    assert back.finished.text == direct[1].finished.text
    assert snapshot_files(folder) == ["1.kvsnap", "2.kvsnap"]


def test_after_a_restart_only_the_new_tokens_are_evaluated(
    tiny_model_path: Path, folder: Path, direct: tuple[Reply, Reply]
) -> None:
    before = EngineProbe()
    before.client.start()
    before.load(tiny_model_path, n_ctx=2048)
    configure(before, folder)
    first = say(before, 1, 1, FIRST)
    before.client.stop()  # the engine saves the conversation it holds as it ends
    assert snapshot_files(folder) == ["1.kvsnap"]

    after = EngineProbe()
    after.client.start()
    try:
        after.load(tiny_model_path, n_ctx=2048)
        configure(after, folder)
        back = say(after, 1, 1, follow_up(FIRST, first, "And the sirocco?"))
    finally:
        after.client.stop()

    assert back.restored and back.evaluated == direct[1].evaluated
    assert back.finished.text == direct[1].finished.text


def test_without_snapshots_the_history_is_read_again(
    engine: EngineProbe, tiny_model_path: Path, direct: tuple[Reply, Reply]
) -> None:
    engine.load(tiny_model_path, n_ctx=2048)
    first = say(engine, 1, 1, FIRST)
    say(engine, 2, 2, OTHER)

    back = say(engine, 3, 1, follow_up(FIRST, first, "And the sirocco?"))

    assert not back.restored
    # Only what the other conversation shares with it (the system prompt) is kept.
    assert back.evaluated > direct[1].evaluated
    assert back.finished.usage.cached_tokens < direct[1].finished.usage.cached_tokens
    assert back.finished.text == direct[1].finished.text


def test_images_in_a_restored_history_are_not_encoded_again(
    engine: EngineProbe,
    tiny_model_path: Path,
    tiny_projector_path: Path,
    folder: Path,
    tmp_path: Path,
) -> None:
    engine.load(tiny_model_path, mmproj_path=tiny_projector_path, n_ctx=4096)
    configure(engine, folder)
    history = (ask(picture(tmp_path, "chart.png", (420, 280)), "What does this chart show?"),)
    first = say(engine, 1, 1, history)
    assert first.finished.usage.images_encoded == 1
    say(engine, 2, 2, OTHER)

    back = say(engine, 3, 1, follow_up(history, first, "And its trend?"))

    assert back.restored
    assert back.finished.usage.images_encoded == 0
    assert back.evaluated < 20


def test_deleting_a_conversation_deletes_its_snapshot_and_delete_all_empties_the_folder(
    engine: EngineProbe, tiny_model_path: Path, folder: Path
) -> None:
    engine.load(tiny_model_path, n_ctx=2048)
    configure(engine, folder)
    for request_id, conversation in enumerate((1, 2, 3), start=1):
        say(engine, request_id, conversation, FIRST)
    assert snapshot_files(folder) == ["1.kvsnap", "2.kvsnap"]

    engine.client.send(DeleteSnapshots((1,)))
    usage = engine.next_of(SnapshotUsage)
    assert isinstance(usage, SnapshotUsage) and usage.files == 1
    assert snapshot_files(folder) == ["2.kvsnap"]

    engine.client.send(DeleteSnapshots(None))
    usage = engine.next_of(SnapshotUsage)
    assert isinstance(usage, SnapshotUsage) and (usage.files, usage.bytes) == (0, 0)


def test_the_budget_evicts_the_least_recently_used(
    engine: EngineProbe, tiny_model_path: Path, folder: Path
) -> None:
    engine.load(tiny_model_path, n_ctx=2048)
    configure(engine, folder)
    say(engine, 1, 1, FIRST)
    say(engine, 2, 2, FIRST)
    one = (folder / "1.kvsnap").stat().st_size
    configure(engine, folder, budget=one * 2 + one // 2)  # room for two
    say(engine, 3, 3, FIRST)  # saves 2: 1 and 2 fit
    say(engine, 4, 1, FIRST)  # saves 3, restores 1: 1 is now the most recently used
    say(engine, 5, 4, FIRST)  # saves 1: 2 goes, the least recently used

    assert snapshot_files(folder) == ["1.kvsnap", "3.kvsnap"]


def _rewrite_description(path: Path, change: str, value: object) -> None:
    data = path.read_bytes()
    length, magic = TRAILER.unpack(data[-TRAILER.size :])
    assert magic == MAGIC
    state = data[: -TRAILER.size - length]
    description = json.loads(data[-TRAILER.size - length : -TRAILER.size])
    description["identity"][change] = value
    text = json.dumps(description).encode()
    path.write_bytes(state + text + struct.pack("<Q8s", len(text), MAGIC))


MISMATCHES = ["kv-type", "context", "model", "truncated", "garbage", "llama-build", "flipped"]


@pytest.mark.parametrize("mismatch", MISMATCHES)
def test_a_snapshot_that_does_not_match_is_refused_deleted_and_the_history_read(
    engine: EngineProbe,
    tiny_model_path: Path,
    looping_model_path: Path,
    folder: Path,
    mismatch: str,
) -> None:
    engine.load(tiny_model_path, n_ctx=2048)
    configure(engine, folder)
    first = say(engine, 1, 1, FIRST)
    say(engine, 2, 2, OTHER)
    path = folder / "1.kvsnap"
    options: dict[str, object] = {"n_ctx": 2048}
    if mismatch == "kv-type":
        options["kv_cache_type"] = KvCacheType.Q8_0
    elif mismatch == "context":
        options["n_ctx"] = 3072
    elif mismatch == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif mismatch == "garbage":
        path.write_bytes(b"\x00" * 4096)
    elif mismatch == "llama-build":
        _rewrite_description(path, "llama_build", "0.0.1")
    elif mismatch == "flipped":  # a whole file whose state llama.cpp itself refuses
        data = bytearray(path.read_bytes())
        data[0] ^= 0xFF  # llama.cpp's magic
        path.write_bytes(bytes(data))
    model = looping_model_path if mismatch == "model" else tiny_model_path
    engine.load(model, **options)
    configure(engine, folder)

    back = say(engine, 3, 1, follow_up(FIRST, first, "And the sirocco?"))

    assert not back.restored
    assert back.evaluated == back.finished.usage.prompt_tokens  # read from the start
    assert not path.exists()


def test_a_snapshot_with_images_made_with_another_projector_is_refused(
    engine: EngineProbe,
    tiny_model_path: Path,
    tiny_projector_path: Path,
    folder: Path,
    tmp_path: Path,
) -> None:
    other = tmp_path / "other-mmproj.gguf"
    data = bytearray(tiny_projector_path.read_bytes())
    data[-1] ^= 0x01  # another projector: the same shape, one weight differs
    other.write_bytes(bytes(data))
    engine.load(tiny_model_path, mmproj_path=tiny_projector_path, n_ctx=4096)
    configure(engine, folder)
    history = (ask(picture(tmp_path, "chart.png", (420, 280)), "What does this chart show?"),)
    first = say(engine, 1, 1, history)
    say(engine, 2, 2, OTHER)
    engine.load(tiny_model_path, mmproj_path=other, n_ctx=4096)

    back = say(engine, 3, 1, follow_up(history, first, "And its trend?"))

    assert not back.restored and back.finished.usage.images_encoded == 1
    assert not (folder / "1.kvsnap").exists()
