"""KV snapshots on disk: one file per conversation, under a disk budget, least recently used out.

A snapshot file is llama.cpp's sequence state file (written and read by
`llama_state_seq_save_file` / `llama_state_seq_load_file`, which stream it tensor by tensor and
ignore what follows it), then a JSON description of what the state holds and what made it, then a
fixed trailer: the description's length and a magic. The description carries the KV items (text
token ids and image chunks with their content hashes) and the identity of the model file, the
projector, the context size, the KV cache type and the llama.cpp build. A file whose trailer,
length or identity does not match is never handed to llama.cpp: it is deleted.

Files are written to a temporary name in the same folder and renamed into place, so a file under
its final name is always whole; a leftover temporary file (a crash mid-save) is removed on open.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import struct
import sys
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from app.engine.kv_sequence import ImageChunk, KvItem, width
from app.engine.protocol import LoadModel

SUFFIX = ".kvsnap"
PARTIAL = ".partial"
MAGIC = b"TRMKV001"
TRAILER = struct.Struct("<Q8s")  # description length, magic
HEAD_BYTES = 16 << 20  # a GGUF file's header, metadata and tensor table fit in the first 16 MiB
TAIL_BYTES = 1 << 20
MAX_DESCRIPTION = 64 << 20  # a description longer than this is not ours
SPARE_BYTES = 256 << 20  # free space left on the disk after a save


class SnapshotRefused(Exception):
    """A snapshot that is not usable here; the message says why (for the engine log)."""


def file_fingerprint(path: Path) -> str:
    """Size and SHA-256 of the first 16 MiB and last 1 MiB: another model file (other
    metadata, other tensors, another quantization) differs here, at the cost of reading 17 MiB."""
    digest = hashlib.sha256()
    size = path.stat().st_size
    with path.open("rb") as handle:
        digest.update(handle.read(HEAD_BYTES))
        if size > HEAD_BYTES:
            handle.seek(max(HEAD_BYTES, size - TAIL_BYTES))
            digest.update(handle.read(TAIL_BYTES))
    return f"{size}:{digest.hexdigest()}"


@dataclass(frozen=True, slots=True)
class SnapshotIdentity:
    """What a KV state depends on besides the tokens it holds."""

    model: str  # file_fingerprint of the model file
    projector: str | None  # file_fingerprint of the vision projector, if one is loaded
    n_ctx: int
    kv_cache_type: str
    flash_attention: bool  # the V cache is stored transposed without it
    llama_build: str

    def for_items(self, items: Sequence[KvItem]) -> SnapshotIdentity:
        """Without images, the projector played no part in the state."""
        if any(isinstance(item, ImageChunk) for item in items):
            return self
        return SnapshotIdentity(
            self.model, None, self.n_ctx, self.kv_cache_type, self.flash_attention,
            self.llama_build,
        )  # fmt: skip


def llama_build() -> str:
    """llama-cpp-python's version and the sizes of its native libraries: another build of
    llama.cpp may lay its state out otherwise."""
    import llama_cpp  # in the engine process only

    folder = Path(llama_cpp.__file__).parent / "lib"
    sizes = sorted(
        f"{path.name}={path.stat().st_size}"
        for path in (folder.glob("lib*") if folder.is_dir() else ())
        if path.is_file()
    )
    return ";".join([llama_cpp.__version__, *sizes])


def identity_of(command: LoadModel, n_ctx: int) -> SnapshotIdentity:
    projector = command.mmproj_path
    return SnapshotIdentity(
        model=file_fingerprint(command.model_path),
        projector=file_fingerprint(projector) if projector is not None else None,
        n_ctx=n_ctx,
        kv_cache_type=command.kv_cache_type.value,
        flash_attention=command.flash_attention,
        llama_build=llama_build(),
    )


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A snapshot file that passed every check, ready for llama.cpp to read."""

    conversation_id: int
    path: Path
    items: tuple[KvItem, ...]
    state_bytes: int  # llama.cpp's part of the file

    @property
    def positions(self) -> int:
        return sum(width(item) for item in self.items)


def _encode_items(items: Sequence[KvItem]) -> list[int | list[str | int]]:
    return [
        [item.sha256, item.n_tokens] if isinstance(item, ImageChunk) else item for item in items
    ]


def _decode_items(raw: object) -> tuple[KvItem, ...]:
    if not isinstance(raw, list):
        raise SnapshotRefused("its item list is not a list")
    items: list[KvItem] = []
    for entry in raw:
        if isinstance(entry, int) and not isinstance(entry, bool):
            items.append(entry)
        elif (
            isinstance(entry, list)
            and len(entry) == 2
            and isinstance(entry[0], str)
            and isinstance(entry[1], int)
            and entry[1] > 0
        ):
            items.append(ImageChunk(entry[0], entry[1]))
        else:
            raise SnapshotRefused("its item list holds something that is no KV item")
    return tuple(items)


@dataclass(frozen=True)
class SnapshotUsage:
    files: int
    bytes: int


class SnapshotFolder:
    """The snapshot files of one data folder, kept under `budget_bytes`."""

    def __init__(self, folder: Path, budget_bytes: int) -> None:
        self.folder = folder
        self.budget_bytes = budget_bytes
        folder.mkdir(parents=True, exist_ok=True)
        for leftover in folder.glob(f"*{PARTIAL}"):
            with contextlib.suppress(OSError):
                leftover.unlink()

    def path_for(self, conversation_id: int) -> Path:
        return self.folder / f"{conversation_id}{SUFFIX}"

    def partial_path_for(self, conversation_id: int) -> Path:
        return self.folder / f"{conversation_id}{SUFFIX}.{os.getpid()}{PARTIAL}"

    # ---- reading ------------------------------------------------------------------------------

    def open(self, conversation_id: int, identity: SnapshotIdentity) -> Snapshot | None:
        """The conversation's snapshot if it is whole and was made exactly as `identity` says;
        any other file is deleted (and None returned)."""
        path = self.path_for(conversation_id)
        if not path.exists():
            return None
        try:
            snapshot = self._read(conversation_id, path, identity)
        except (SnapshotRefused, OSError, ValueError) as exc:
            self.delete(conversation_id)
            print(f"snapshot of conversation {conversation_id} refused: {exc}", file=sys.stderr)
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # its last use, for the least-recently-used order
        return snapshot

    def _read(self, conversation_id: int, path: Path, identity: SnapshotIdentity) -> Snapshot:
        size = path.stat().st_size
        if size < TRAILER.size:
            raise SnapshotRefused("the file is truncated")
        with path.open("rb") as handle:
            handle.seek(size - TRAILER.size)
            length, magic = TRAILER.unpack(handle.read(TRAILER.size))
            if magic != MAGIC:
                raise SnapshotRefused("the file is truncated or not a snapshot")
            if length > min(MAX_DESCRIPTION, size - TRAILER.size):
                raise SnapshotRefused("its description length is impossible")
            handle.seek(size - TRAILER.size - length)
            description = json.loads(handle.read(length).decode("utf-8"))
        if not isinstance(description, dict):
            raise SnapshotRefused("its description is not an object")
        items = _decode_items(description.get("items"))
        state_bytes = description.get("state_bytes")
        if state_bytes != size - TRAILER.size - length:
            raise SnapshotRefused("the file's length does not match its description")
        made_by = description.get("identity")
        wanted = asdict(identity.for_items(items))
        if made_by != wanted:
            found = made_by if isinstance(made_by, dict) else {}
            differs = sorted(key for key in wanted if found.get(key) != wanted[key])
            raise SnapshotRefused(f"it was made with another {', '.join(differs)}")
        if description.get("conversation_id") != conversation_id or not items:
            raise SnapshotRefused("it belongs to another conversation or holds nothing")
        return Snapshot(conversation_id, path, items, int(state_bytes))

    # ---- writing ------------------------------------------------------------------------------

    def has_room_for(self, state_bytes: int) -> bool:
        """Whether the disk keeps some room after a file of about `state_bytes`."""
        free = shutil.disk_usage(self.folder).free
        return free >= state_bytes + SPARE_BYTES

    def commit(
        self,
        conversation_id: int,
        partial: Path,
        state_bytes: int,
        items: Sequence[KvItem],
        identity: SnapshotIdentity,
    ) -> Path:
        """Describe the state llama.cpp wrote to `partial` and put the file in place, then
        bring the folder back under its budget. Raises OSError (disk full) with `partial` gone."""
        description = {
            "conversation_id": conversation_id,
            "identity": asdict(identity.for_items(items)),
            "state_bytes": state_bytes,
            "items": _encode_items(items),
        }
        data = json.dumps(description, separators=(",", ":")).encode("utf-8")
        path = self.path_for(conversation_id)
        try:
            if partial.stat().st_size != state_bytes:
                raise OSError(f"llama.cpp wrote {partial.stat().st_size} of {state_bytes} bytes")
            with partial.open("ab") as handle:
                handle.write(data)
                handle.write(TRAILER.pack(len(data), MAGIC))
            os.replace(partial, path)
        except OSError:
            with contextlib.suppress(OSError):
                partial.unlink()
            raise
        self.evict(keep=path)
        return path

    def discard(self, partial: Path) -> None:
        with contextlib.suppress(OSError):
            partial.unlink()

    # ---- the budget ---------------------------------------------------------------------------

    def _files(self) -> Iterator[tuple[float, int, Path]]:
        """(last use, size, path) of each snapshot file."""
        for path in self.folder.glob(f"*{SUFFIX}"):
            with contextlib.suppress(OSError):
                stat = path.stat()
                yield stat.st_mtime, stat.st_size, path

    def usage(self) -> SnapshotUsage:
        files = list(self._files())
        return SnapshotUsage(len(files), sum(size for _, size, _ in files))

    def evict(self, keep: Path | None = None) -> list[Path]:
        """Delete the least recently used files until the folder is within its budget; `keep`
        goes last (and goes too if it alone is over the budget)."""
        files = sorted(self._files(), key=lambda entry: (entry[2] == keep, entry[0]))
        total = sum(size for _, size, _ in files)
        removed: list[Path] = []
        for _, size, path in files:
            if total <= self.budget_bytes:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
                total -= size
        return removed

    def delete(self, conversation_id: int) -> None:
        with contextlib.suppress(OSError):
            self.path_for(conversation_id).unlink()

    def delete_all(self) -> None:
        for _, _, path in list(self._files()):
            with contextlib.suppress(OSError):
                path.unlink()
