"""GGUF headers made to hurt: counts and lengths beyond the file, token ids beyond the vocabulary,
layer counts the tensors do not have. Each is a clear problem, found quickly, and one such file
does not spoil the list of the others. Ends with a fuzz test of the header reader."""

from __future__ import annotations

import io
import random
import struct
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from app.core.gguf_checks import metadata_problem
from app.core.gguf_header import (
    GgufFormatError,
    GgufHeader,
    GgufTruncatedError,
    read_gguf_header,
    read_gguf_stream,
)
from app.models.local_models import check_model_file, scan_models

U32, I32, STRING, ARRAY, U64 = 4, 5, 8, 9, 10
F32_TYPE = 0


def text(value: str) -> bytes:
    data = value.encode()
    return struct.pack("<Q", len(data)) + data


def kv(key: str, vtype: int, payload: bytes) -> bytes:
    return text(key) + struct.pack("<I", vtype) + payload


def u32(key: str, value: int) -> bytes:
    return kv(key, U32, struct.pack("<I", value))


def tokens(count: int) -> bytes:
    items = b"".join(text(f"t{index}") for index in range(count))
    return kv("tokenizer.ggml.tokens", ARRAY, struct.pack("<IQ", STRING, count) + items)


def tensor(name: str, elements: int, offset: int) -> bytes:
    return (
        text(name)
        + struct.pack("<I", 1)
        + struct.pack("<Q", elements)
        + struct.pack("<IQ", F32_TYPE, offset)
    )


def gguf(entries: list[bytes], tensors: Sequence[tuple[str, int]] = ()) -> bytes:
    """A whole GGUF file: header, metadata, tensor infos, aligned F32 data of each tensor."""
    infos, offset = b"", 0
    for name, elements in tensors:
        infos += tensor(name, elements, offset)
        offset += -(-elements * 4 // 32) * 32
    header = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(entries))
    body = header + b"".join(entries) + infos
    padding = -len(body) % 32
    return body + b"\0" * padding + b"\0" * offset


def llama(*extra: bytes, layers: int = 2, block_count: int | None = None) -> bytes:
    entries = [
        kv("general.architecture", STRING, text("llama")),
        u32("llama.block_count", layers if block_count is None else block_count),
        u32("llama.attention.head_count", 4),
        u32("llama.attention.head_count_kv", 2),
        tokens(16),
        u32("tokenizer.ggml.bos_token_id", 1),
        u32("tokenizer.ggml.eos_token_id", 2),
        *extra,
    ]
    weights = [("token_embd.weight", 64)]
    weights += [(f"blk.{layer}.attn_norm.weight", 8) for layer in range(layers)]
    return gguf(entries, weights)


def header_of(data: bytes) -> GgufHeader:
    return read_gguf_stream(io.BytesIO(data), len(data))


def test_a_well_formed_file_has_no_problem() -> None:
    header = header_of(llama())
    assert header.array_lengths["tokenizer.ggml.tokens"] == 16
    assert header.block_indices == frozenset({0, 1})
    assert metadata_problem(header) is None


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        (kv("x", ARRAY, struct.pack("<IQ", U32, 2**62)), "claims 4,611,686,018,427,387,904 items"),
        (kv("x", ARRAY, struct.pack("<IQ", STRING, 2**40)), "items in 'x', more than the file"),
        (kv("x", ARRAY, struct.pack("<IQ", ARRAY, 2**37)), "more than the file's length"),
        (kv("x", ARRAY, struct.pack("<IQ", 77, 1)), "unknown metadata value type 77"),
        (text("x") + struct.pack("<I", STRING) + struct.pack("<Q", 2**60), "a text of"),
        (kv("general.alignment", U32, struct.pack("<I", 3)), "alignment 3 is not a power"),
    ],
)
def test_impossible_counts_and_lengths_are_refused_at_once(entry: bytes, said: str) -> None:
    data = llama(entry)
    started = time.perf_counter()
    with pytest.raises(GgufFormatError, match=said):
        header_of(data)
    assert time.perf_counter() - started < 0.05


def test_a_plausible_count_in_a_file_cut_short_reads_as_truncated() -> None:
    data = llama(kv("x", ARRAY, struct.pack("<IQ", U32, 2**20)))
    with pytest.raises(GgufTruncatedError, match="the file ends inside its header"):
        header_of(data)


def test_impossible_entry_and_tensor_counts_are_refused() -> None:
    for counts in ((0, 2**40), (2**40, 0)):
        data = b"GGUF" + struct.pack("<IQQ", 3, *counts) + b"\0" * 64
        with pytest.raises(GgufFormatError, match="more than the file's length can hold"):
            header_of(data)


def test_a_tensor_with_too_many_dimensions_or_an_unknown_type_is_refused() -> None:
    many = text("w") + struct.pack("<I", 9) + struct.pack("<9Q", *[1] * 9)
    many += struct.pack("<IQ", F32_TYPE, 0)
    data = b"GGUF" + struct.pack("<IQQ", 3, 1, 0) + many + b"\0" * 64
    with pytest.raises(GgufFormatError, match="claims 9 dimensions"):
        header_of(data)
    odd = text("w") + struct.pack("<IQ", 1, 8) + struct.pack("<IQ", 1000, 0) + b"\0" * 64
    with pytest.raises(GgufFormatError, match="unknown type 1000"):
        header_of(b"GGUF" + struct.pack("<IQQ", 3, 1, 0) + odd)


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (llama(u32("tokenizer.ggml.unknown_token_id", 16)), "unknown token id 16 is outside"),
        (
            gguf(
                [
                    kv("general.architecture", STRING, text("llama")),
                    tokens(4),
                    u32("tokenizer.ggml.bos_token_id", 99),
                ]
            ),
            "bos token id 99 is outside its vocabulary of 4 tokens",
        ),
        (llama(block_count=1000), "layer count 1000 is not between 1 and 512"),
        (llama(block_count=40), "it says it has 40 layers but its tensors make 2"),
        (llama(block_count=0), "layer count 0 is not between 1 and 512"),
        (
            llama(kv("tokenizer.ggml.scores", ARRAY, struct.pack("<IQ", 6, 3) + b"\0" * 12)),
            "tokenizer.ggml.scores has 3 entries for 16 tokens",
        ),
    ],
)
def test_metadata_that_would_abort_llama_cpp_is_named(data: bytes, said: str) -> None:
    problem = metadata_problem(header_of(data))
    assert problem is not None and said in problem


def test_zero_heads_would_divide_by_zero() -> None:
    data = gguf(
        [kv("general.architecture", STRING, text("llama")), u32("llama.attention.head_count", 8),
         u32("llama.attention.head_count_kv", 3)]
    )  # fmt: skip
    assert metadata_problem(header_of(data)) == (
        "its 8 attention heads cannot be shared by 3 key-value heads"
    )


def test_one_bad_file_does_not_spoil_the_list(tmp_path: Path) -> None:
    folder = tmp_path / "models"
    folder.mkdir()
    (folder / "good-Q4_K_M.gguf").write_bytes(llama())
    (folder / "huge-array-Q4_K_M.gguf").write_bytes(
        llama(kv("x", ARRAY, struct.pack("<IQ", U32, 2**62)))
    )
    (folder / "bad-bos-Q8_0.gguf").write_bytes(llama(u32("tokenizer.ggml.eos_token_id", 70000)))
    (folder / "empty-Q6_K.gguf").write_bytes(b"")
    hf_cache = tmp_path / "hf"
    (hf_cache / "models--x--y" / "snapshots").mkdir(parents=True)  # a damaged cache
    (hf_cache / "models--x--y" / "snapshots" / "loose-file").write_text("?")

    found = scan_models([folder], app_dir=tmp_path / "app", hf_cache_dir=hf_cache, home=tmp_path)
    checks = {model.filename: check_model_file(model.path) for model in found}

    assert checks["good-Q4_K_M.gguf"].ok
    assert "items in 'x', more than the file" in (checks["huge-array-Q4_K_M.gguf"].reason or "")
    assert "eos token id 70,000" in (checks["bad-bos-Q8_0.gguf"].reason or "")
    assert not checks["empty-Q6_K.gguf"].ok


def mutations(seed_files: list[bytes], count: int, seed: int) -> list[bytes]:
    """Damaged copies of the seed files: bytes flipped, counts replaced by extreme values,
    slices cut out or repeated, the file cut short."""
    rng = random.Random(seed)
    extremes = [0, 1, 2**31, 2**32 - 1, 2**62, 2**63, 2**64 - 1, 255, 1000, 131_072]
    found = []
    for _ in range(count):
        data = bytearray(rng.choice(seed_files))
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(data))
            move = rng.randrange(5)
            if move == 0:
                data[at] = rng.randrange(256)
            elif move == 1 and at + 8 <= len(data):
                data[at : at + 8] = struct.pack("<Q", rng.choice(extremes) % 2**64)
            elif move == 2 and at + 4 <= len(data):
                data[at : at + 4] = struct.pack("<I", rng.choice(extremes) % 2**32)
            elif move == 3:
                del data[at : at + rng.randint(1, 64)]
            else:
                data[at:at] = data[at : at + rng.randint(1, 64)]
        if rng.random() < 0.2:
            del data[rng.randrange(len(data)) :]
        found.append(bytes(data))
    return found


def test_fuzzed_headers_fail_only_with_format_errors_and_quickly() -> None:
    """3,000 damaged headers from a seeded generator (random.Random(19)): each parses or raises
    GgufFormatError (truncation included), and its metadata check never raises."""
    seeds = [
        llama(),
        llama(kv("general.alignment", U32, struct.pack("<I", 64))),
        gguf([kv("a", ARRAY, struct.pack("<IQ", STRING, 3) + text("x") + text("yy") + text(""))]),
    ]
    started = time.perf_counter()
    parsed = 0
    slowest = 0.0
    for data in mutations(seeds, 3000, seed=19):
        one = time.perf_counter()
        try:
            header = header_of(data)
        except GgufFormatError:
            pass
        else:
            parsed += 1
            metadata_problem(header)
        slowest = max(slowest, time.perf_counter() - one)
    assert parsed > 50  # the generator keeps some files readable, so the checks run too
    assert slowest < 0.05, f"one header took {slowest:.3f} s"
    assert time.perf_counter() - started < 10


def test_a_file_on_disk_is_read_the_same_way(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    path.write_bytes(llama())
    assert read_gguf_header(path).block_indices == frozenset({0, 1})
