"""Which conversation the engine's KV cache holds, and its snapshot when the engine leaves it.

The engine process saves a conversation's KV state when it leaves it (a request of another
conversation, an unload, a reload, the end of the process), never while an answer streams, and
restores it when the conversation comes back, so only what follows the longest common prefix is
evaluated. A save is one pass of llama.cpp writing the state into a temporary file through the
page cache (no copy of the whole state in memory, no sync): it delays the next request by the
time of writing that file once, about what reading it back costs, and a state already on disk
unchanged is not written again.
"""

from __future__ import annotations

import errno
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.i18n import translate
from app.engine.kv_sequence import KvItem, KvSequence
from app.engine.snapshots import SnapshotFolder, SnapshotIdentity, SnapshotUsage

if TYPE_CHECKING:
    from app.engine.session import LlamaSession


def disk_full_notice() -> str:
    """Said once when snapshots can no longer be written."""
    return translate(
        "SnapshotKeeper",
        "Conversations are no longer saved for quick reopening: the disk is full or the data "
        "folder cannot be written. They are read again when opened; free some space or lower "
        "the snapshot budget in Settings → Model.",
    )


@dataclass(frozen=True)
class Restored:
    positions: int  # of the snapshot
    seconds: float


@dataclass(frozen=True)
class Saved:
    path: Path
    bytes: int
    seconds: float


class SnapshotKeeper:
    def __init__(self, notify: Callable[[str], None]) -> None:
        self._notify = notify  # one message for the user (the disk is full)
        self._folder: SnapshotFolder | None = None
        self._identity: SnapshotIdentity | None = None
        self.conversation: int | None = None  # whose history the KV cache holds
        self._on_disk: tuple[KvItem, ...] | None = None  # what its file holds, when in step
        self._disk_full = False
        self.last_saved: Saved | None = None
        self.last_restored: Restored | None = None

    def configure(self, folder: Path | None, budget_bytes: int) -> None:
        """Snapshots in `folder` under `budget_bytes`; None turns them off."""
        if folder is None:
            self._folder = None
            return
        if self._folder is None or self._folder.folder != folder:
            self._folder = SnapshotFolder(folder, budget_bytes)
            self._disk_full = False
        self._folder.budget_bytes = budget_bytes
        self._folder.evict()

    def model_loaded(self, identity: SnapshotIdentity | None) -> None:
        self._identity = identity
        self.conversation = None
        self._on_disk = None

    @property
    def enabled(self) -> bool:
        return self._folder is not None and self._identity is not None

    # ---- entering and leaving a conversation ---------------------------------------------------

    def enter(
        self, session: LlamaSession, conversation_id: int | None, prompt: Sequence[KvItem]
    ) -> Restored | None:
        """Make the cache hold `conversation_id`'s history as far as it can: the current one
        is saved first; the snapshot is restored when it shares more with `prompt` than the
        cache does now."""
        if conversation_id is not None and conversation_id == self.conversation:
            return None
        self.leave(session)
        self.conversation = conversation_id
        self.last_restored = None
        if conversation_id is None or not self.enabled:
            return None
        assert self._folder is not None and self._identity is not None
        snapshot = self._folder.open(conversation_id, self._identity)
        if snapshot is None:
            return None
        if _shared_positions(snapshot.items, prompt) <= session.reusable_positions(prompt):
            return None
        started = time.perf_counter()
        if not session.restore_state(snapshot.path, snapshot.items):
            print(f"llama.cpp refused the snapshot {snapshot.path.name}", file=sys.stderr)
            self._folder.delete(conversation_id)
            return None
        self._on_disk = snapshot.items
        self.last_restored = Restored(snapshot.positions, time.perf_counter() - started)
        return self.last_restored

    def leave(self, session: LlamaSession) -> Saved | None:
        """Save the conversation the cache holds, unless its file holds it already."""
        conversation_id, self.conversation = self.conversation, None
        on_disk, self._on_disk = self._on_disk, None
        if conversation_id is None or not self.enabled or self._disk_full:
            return None
        items = session.kv_items()
        if not items or items == on_disk:
            return None
        return self._save(session, conversation_id, items)

    def _save(
        self, session: LlamaSession, conversation_id: int, items: tuple[KvItem, ...]
    ) -> Saved | None:
        folder, identity = self._folder, self._identity
        assert folder is not None and identity is not None
        started = time.perf_counter()
        expected = session.state_bytes()
        if expected > folder.budget_bytes:
            folder.delete(conversation_id)  # an older, shorter state would only mislead
            return None
        if not folder.has_room_for(expected):
            self._stop_saving()
            return None
        partial = folder.partial_path_for(conversation_id)
        written = session.save_state(partial)
        try:
            if not written:
                raise OSError(errno.EIO, "llama.cpp could not write the state")
            path = folder.commit(conversation_id, partial, written, items, identity)
        except OSError as exc:  # llama.cpp does not say why: a full disk, most likely
            folder.discard(partial)
            folder.delete(conversation_id)
            print(f"snapshot not saved: {exc}", file=sys.stderr)
            self._stop_saving()
            return None
        self.last_saved = Saved(path, path.stat().st_size, time.perf_counter() - started)
        return self.last_saved

    def _stop_saving(self) -> None:
        """One notice, then no more saves until room is made (snapshots deleted, new folder)."""
        self._disk_full = True
        self._notify(disk_full_notice())

    # ---- the folder ---------------------------------------------------------------------------

    def delete(self, conversation_ids: Sequence[int] | None) -> None:
        """Delete these conversations' snapshots (None: all); the cache stops being theirs."""
        if conversation_ids is None or self.conversation in conversation_ids:
            self.conversation = None
            self._on_disk = None
        if self._folder is None:
            return
        if conversation_ids is None:
            self._folder.delete_all()
        else:
            for conversation_id in conversation_ids:
                self._folder.delete(conversation_id)
        self._disk_full = False  # room was made: try again

    def usage(self) -> SnapshotUsage:
        return self._folder.usage() if self._folder is not None else SnapshotUsage(0, 0)


def _shared_positions(held: Sequence[KvItem], prompt: Sequence[KvItem]) -> int:
    """The positions of `prompt` that a cache holding `held` could keep."""
    sequence = KvSequence()
    sequence.extend(held)
    return sequence.position_of(sequence.reusable(prompt))
