"""The snapshot folder without llama.cpp: what a file must be to be handed over, the budget's
least-recently-used order, leftovers of a crash, and the date a template is given."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from app.engine.kv_sequence import ImageChunk, KvItem
from app.engine.snapshots import SnapshotFolder, SnapshotIdentity
from app.engine.template import ChatTemplate

IDENTITY = SnapshotIdentity("1:abc", "2:def", 4096, "f16", True, "0.3.36")
ITEMS: list[KvItem] = [1, 2, 3, ImageChunk("f" * 64, 16), 4]


def save(folder: SnapshotFolder, conversation_id: int, state: bytes, used_at: float) -> Path:
    partial = folder.partial_path_for(conversation_id)
    partial.write_bytes(state)
    path = folder.commit(conversation_id, partial, len(state), ITEMS, IDENTITY)
    os.utime(path, (used_at, used_at))
    return path


def test_a_whole_file_of_the_same_identity_comes_back_with_its_items(tmp_path: Path) -> None:
    folder = SnapshotFolder(tmp_path, 1 << 20)
    save(folder, 4, b"state" * 10, 1000.0)

    snapshot = folder.open(4, IDENTITY)

    assert snapshot is not None
    assert snapshot.items == tuple(ITEMS) and snapshot.state_bytes == 50
    assert snapshot.positions == 4 + 16


@pytest.mark.parametrize(
    "other",
    [
        SnapshotIdentity("1:other", "2:def", 4096, "f16", True, "0.3.36"),
        SnapshotIdentity("1:abc", "2:other", 4096, "f16", True, "0.3.36"),
        SnapshotIdentity("1:abc", "2:def", 8192, "f16", True, "0.3.36"),
        SnapshotIdentity("1:abc", "2:def", 4096, "q8_0", True, "0.3.36"),
        SnapshotIdentity("1:abc", "2:def", 4096, "f16", False, "0.3.36"),
        SnapshotIdentity("1:abc", "2:def", 4096, "f16", True, "0.3.37"),
    ],
    ids=["model", "projector", "context", "kv-type", "flash-attention", "llama-build"],
)
def test_any_other_identity_is_refused_and_the_file_deleted(
    tmp_path: Path, other: SnapshotIdentity
) -> None:
    folder = SnapshotFolder(tmp_path, 1 << 20)
    path = save(folder, 4, b"state" * 10, 1000.0)

    assert folder.open(4, other) is None
    assert not path.exists()


def test_without_images_the_projector_does_not_matter(tmp_path: Path) -> None:
    folder = SnapshotFolder(tmp_path, 1 << 20)
    partial = folder.partial_path_for(5)
    partial.write_bytes(b"state")
    folder.commit(5, partial, 5, [1, 2, 3], IDENTITY)

    without_projector = SnapshotIdentity("1:abc", None, 4096, "f16", True, "0.3.36")
    assert folder.open(5, without_projector) is not None


@pytest.mark.parametrize("cut", [1, 20, 60])
def test_a_truncated_file_is_refused_and_deleted(tmp_path: Path, cut: int) -> None:
    folder = SnapshotFolder(tmp_path, 1 << 20)
    path = save(folder, 4, b"state" * 10, 1000.0)
    path.write_bytes(path.read_bytes()[:-cut])

    assert folder.open(4, IDENTITY) is None
    assert not path.exists()


def test_a_file_of_another_conversation_is_refused(tmp_path: Path) -> None:
    folder = SnapshotFolder(tmp_path, 1 << 20)
    save(folder, 4, b"state", 1000.0).rename(folder.path_for(5))

    assert folder.open(5, IDENTITY) is None


def test_the_budget_removes_the_least_recently_used_first(tmp_path: Path) -> None:
    folder = SnapshotFolder(tmp_path, 10_000)
    for conversation_id, used_at in ((1, 3000.0), (2, 1000.0), (3, 2000.0)):
        save(folder, conversation_id, b"x" * 3000, used_at)
    folder.budget_bytes = 7000  # two files and their descriptions

    removed = folder.evict()

    assert [path.name for path in removed] == ["2.kvsnap"]
    assert folder.usage().files == 2


def test_a_file_alone_over_the_budget_goes_too(tmp_path: Path) -> None:
    folder = SnapshotFolder(tmp_path, 100)
    partial = folder.partial_path_for(1)
    partial.write_bytes(b"x" * 500)

    path = folder.commit(1, partial, 500, ITEMS, IDENTITY)

    assert not path.exists() and folder.usage().bytes == 0


def test_a_leftover_of_an_interrupted_save_is_removed(tmp_path: Path) -> None:
    (tmp_path / "3.kvsnap.999.partial").write_bytes(b"half")

    SnapshotFolder(tmp_path, 1 << 20)

    assert list(tmp_path.iterdir()) == []


def test_the_template_writes_the_conversations_date_not_the_clocks() -> None:
    template = ChatTemplate(
        "{{ strftime_now('%Y-%m-%d') }}{% for m in messages %}{{ m.content }}{% endfor %}",
        "<s>",
        "</s>",
    )

    parts = template.render_parts([], today=date(2026, 1, 31))

    assert "".join(part.text for part in parts) == "2026-01-31"
