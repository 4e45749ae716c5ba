"""Reads what a GGUF file says about itself (format, metadata, tensor extents) without loading it.

Used to turn a bad file into a clear message before llama.cpp sees it: not a GGUF file, a
truncated download, an architecture llama.cpp cannot run, a context larger than trained.
Large arrays (the 131,072-token vocabulary) are skipped, not decoded; their lengths are kept.

The file is hostile until read: every count and length is checked against the bytes the file
has left before anything is read, skipped or allocated, so a damaged or crafted header fails
with `GgufFormatError` in a time that grows with the file's length, never with its claims.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

MAGIC = b"GGUF"
DEFAULT_ALIGNMENT = 32

# ggml type id -> (elements per block, bytes per block)
_TYPE_SIZES: dict[int, tuple[int, int]] = {
    0: (1, 4), 1: (1, 2), 2: (32, 18), 3: (32, 20), 6: (32, 22), 7: (32, 24), 8: (32, 34),
    9: (32, 36), 10: (256, 84), 11: (256, 110), 12: (256, 144), 13: (256, 176), 14: (256, 210),
    15: (256, 292), 16: (256, 66), 17: (256, 74), 18: (256, 98), 19: (256, 50), 20: (32, 18),
    21: (256, 110), 22: (256, 82), 23: (256, 136), 24: (1, 1), 25: (1, 2), 26: (1, 4),
    27: (1, 8), 28: (1, 8), 29: (256, 56), 30: (1, 2), 34: (256, 54), 35: (256, 66), 39: (32, 17),
}  # fmt: skip

# GGUF value type id -> struct format of a scalar
_SCALARS = {
    0: "B",
    1: "b",
    2: "H",
    3: "h",
    4: "I",
    5: "i",
    6: "f",
    7: "?",
    10: "Q",
    11: "q",
    12: "d",
}
_STRING, _ARRAY = 8, 9
MAX_DIMS = 4  # GGML_MAX_DIMS
MAX_PLAUSIBLE_BYTES = 1 << 40  # no model file holds a terabyte of metadata
_MIN_SIZES = {**{vtype: struct.calcsize("<" + fmt) for vtype, fmt in _SCALARS.items()}}
_MIN_SIZES[_STRING] = 8  # its length
_MIN_SIZES[_ARRAY] = 12  # its item type and count


class GgufFormatError(Exception):
    """The file is not a GGUF file, or its header is damaged."""


class GgufTruncatedError(GgufFormatError):
    """The header is fine but the file ends before its tensor data does."""


@dataclass(frozen=True)
class GgufHeader:
    version: int
    metadata: dict[str, object] = field(repr=False)
    tensor_count: int
    data_end: int  # where the last tensor's data ends; the file must be at least this long
    file_size: int
    array_lengths: dict[str, int] = field(default_factory=dict, repr=False)
    block_indices: frozenset[int] = frozenset()  # the N of the file's `blk.N.*` tensors

    @property
    def architecture(self) -> str:
        value = self.metadata.get("general.architecture")
        return value if isinstance(value, str) else ""

    def arch_value(self, key: str) -> object:
        return self.metadata.get(f"{self.architecture}.{key}")

    @property
    def context_length(self) -> int | None:
        value = self.arch_value("context_length")
        return value if isinstance(value, int) else None

    @property
    def block_count(self) -> int | None:
        value = self.arch_value("block_count")
        return value if isinstance(value, int) else None

    @property
    def has_chat_template(self) -> bool:
        return isinstance(self.metadata.get("tokenizer.chat_template"), str)


class _Reader:
    def __init__(self, stream: BinaryIO, file_size: int) -> None:
        self._stream = stream
        self._file_size = file_size
        self.array_lengths: dict[str, int] = {}

    def remaining(self) -> int:
        return self._file_size - self._stream.tell()

    def take(self, size: int) -> bytes:
        if size > self.remaining():
            raise GgufTruncatedError("the file ends inside its header")
        data = self._stream.read(size)
        if len(data) != size:
            raise GgufTruncatedError("the file ends inside its header")
        return data

    def plausible_count(self, count: int, item_size: int, what: str) -> int:
        """`count` items of at least `item_size` bytes each, if the rest of the file holds them:
        a claim no model file could hold is damage; a smaller one, a file cut short."""
        needed = count * item_size
        if needed > MAX_PLAUSIBLE_BYTES:
            raise GgufFormatError(
                f"the header claims {count:,} {what}, more than the file's length can hold"
            )
        if needed > self.remaining():
            raise GgufTruncatedError("the file ends inside its header")
        return count

    def unpack(self, fmt: str) -> object:
        return struct.unpack("<" + fmt, self.take(struct.calcsize(fmt)))[0]

    def u32(self) -> int:
        value: int = struct.unpack("<I", self.take(4))[0]
        return value

    def u64(self) -> int:
        value: int = struct.unpack("<Q", self.take(8))[0]
        return value

    def string(self) -> str:
        size = self.u64()
        if size > 1 << 30:
            raise GgufFormatError(
                f"the header holds a text of {size:,} bytes, more than the file can hold"
            )
        return self.take(size).decode("utf-8", errors="replace")  # checked against the length

    def value(self, vtype: int, key: str = "") -> object:
        if vtype in _SCALARS:
            return self.unpack(_SCALARS[vtype])
        if vtype == _STRING:
            return self.string()
        if vtype == _ARRAY:
            item_type, count = self.u32(), self.u64()
            if item_type not in _MIN_SIZES:
                raise GgufFormatError(f"unknown metadata value type {item_type} in {key!r}")
            self.plausible_count(count, _MIN_SIZES[item_type], f"items in {key!r}")
            if key:
                self.array_lengths[key] = count
            if item_type in _SCALARS:  # skip numeric arrays wholesale
                self._stream.seek(_MIN_SIZES[item_type] * count, 1)
                return None
            for _ in range(count):
                self.value(item_type)
            return None
        raise GgufFormatError(f"unknown metadata value type {vtype} in {key!r}")

    def tell(self) -> int:
        return self._stream.tell()


def read_gguf_header(path: Path) -> GgufHeader:
    """Parse the header of `path`. Raises OSError, GgufFormatError or GgufTruncatedError."""
    file_size = path.stat().st_size
    with path.open("rb") as stream:
        return read_gguf_stream(stream, file_size)


def read_gguf_stream(stream: BinaryIO, file_size: int) -> GgufHeader:
    """Parse the header of a GGUF file open in `stream` (at its start) of `file_size` bytes."""
    reader = _Reader(stream, file_size)
    if stream.read(4) != MAGIC:
        raise GgufFormatError("the file does not start with the GGUF signature")
    version = reader.u32()
    if version not in (2, 3):
        raise GgufFormatError(f"GGUF version {version} is not supported")
    tensor_count, kv_count = reader.u64(), reader.u64()
    reader.plausible_count(kv_count, 8 + 4 + 1, "metadata entries")
    reader.plausible_count(tensor_count, 8 + 4 + 4 + 8, "tensors")
    metadata: dict[str, object] = {}
    for _ in range(kv_count):
        key = reader.string()
        metadata[key] = reader.value(reader.u32(), key)
    extents: list[int] = []
    blocks: set[int] = set()
    for _ in range(tensor_count):
        name = reader.string()
        n_dims = reader.u32()
        if n_dims > MAX_DIMS:
            raise GgufFormatError(f"the tensor {name!r} claims {n_dims} dimensions")
        dims = [reader.u64() for _ in range(n_dims)]
        ggml_type, offset = reader.u32(), reader.u64()
        if ggml_type not in _TYPE_SIZES:
            raise GgufFormatError(f"the tensor {name!r} has an unknown type {ggml_type}")
        block, type_size = _TYPE_SIZES[ggml_type]
        elements = 1
        for dim in dims:
            elements *= dim
        extents.append(offset + elements // block * type_size)
        if name.startswith("blk.") and (index := name.split(".")[1]).isdigit():
            blocks.add(int(index))
    alignment = metadata.get("general.alignment", DEFAULT_ALIGNMENT)
    if not isinstance(alignment, int) or alignment <= 0 or alignment & (alignment - 1):
        raise GgufFormatError(f"the alignment {alignment} is not a power of two")
    align = alignment
    header_end = reader.tell()
    # Tensor data starts at the next aligned offset; a file without tensors ends with its header.
    data_end = -(-header_end // align) * align + max(extents) if extents else header_end
    if file_size < data_end:
        raise GgufTruncatedError(
            f"the file is {file_size:,} bytes but its tensors need {data_end:,}: "
            "it was probably not downloaded completely"
        )
    return GgufHeader(
        version,
        metadata,
        tensor_count,
        data_end,
        file_size,
        reader.array_lengths,
        frozenset(blocks),
    )
