"""GGUF files on disk: found in the usual places, checked, imported, deleted."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import gguf
import numpy as np
import pytest

from app.models.catalog import CatalogFile, FileRole, QuantChoice
from app.models.download_types import DiskUsage
from app.models.errors import ModelFileError, NotEnoughSpaceError
from app.models.local_models import (
    ImportMode,
    LocalModel,
    ModelSource,
    check_model_file,
    delete_model,
    find_on_disk,
    import_model,
    scan_models,
)
from tests.fixtures.other_tools import hf_cache_file

NAME = "Tiny-Q4_K_M.gguf"


def write_gguf(path: Path, values: int = 256) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_block_count(1)
    writer.add_tensor("weights", np.arange(values, dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def choice_for(filename: str, size: int, sha256: str | None = None) -> QuantChoice:
    return QuantChoice("Q4_K_M", FileRole.MODEL, (CatalogFile(filename, size, sha256, "test"),))


def test_a_whole_gguf_file_passes(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / NAME)
    size = path.stat().st_size
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert check_model_file(path, expected_size=size, expected_sha256=sha, verify_hash=True).ok


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("not_gguf", "not a usable GGUF file"),
        ("truncated", "truncated"),
        ("bad_version", "version"),
        ("missing", "missing"),
    ],
)
def test_broken_files_are_reported_with_the_reason(
    tmp_path: Path, damage: str, reason: str
) -> None:
    path = write_gguf(tmp_path / NAME)
    data = path.read_bytes()
    if damage == "not_gguf":
        path.write_bytes(b"<html>404 Not Found</html>" + data[26:])
    elif damage == "truncated":
        path.write_bytes(data[: len(data) - 100])
    elif damage == "bad_version":
        path.write_bytes(data[:4] + (99).to_bytes(4, "little") + data[8:])
    else:
        path.unlink()
    check = check_model_file(path)
    assert not check.ok and check.reason is not None and reason in check.reason


def test_size_and_hash_mismatches_are_broken(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / NAME)
    size = path.stat().st_size
    wrong_size = check_model_file(path, expected_size=size + 1)
    assert not wrong_size.ok and wrong_size.reason and "the hub lists" in wrong_size.reason
    wrong_hash = check_model_file(path, expected_sha256="0" * 64, verify_hash=True)
    assert not wrong_hash.ok and wrong_hash.reason and "SHA-256" in wrong_hash.reason
    assert check_model_file(path, expected_sha256="0" * 64).ok  # hashing only when asked


def test_models_are_found_in_every_usual_place(tmp_path: Path) -> None:
    app_dir, cache, home, mine = (tmp_path / n for n in ("app", "hf", "home", "mine"))
    write_gguf(app_dir / "unsloth" / "Repo-GGUF" / NAME)
    cached = hf_cache_file(cache, "unsloth/Repo-GGUF", "Repo-Q8_0.gguf", b"GGUF-bytes")
    write_gguf(
        home / ".lmstudio" / "models" / "lmstudio-community" / "Repo-GGUF" / "Repo-Q6_K.gguf"
    )
    write_gguf(home / ".cache" / "lm-studio" / "models" / "bartowski" / "R-GGUF" / "R-IQ4_XS.gguf")
    write_gguf(mine / "deep" / "er" / "mmproj-F16.gguf")
    write_gguf(mine / "a" / "b" / "c" / "d" / "e" / "too-deep.gguf")
    (mine / "notes.txt").write_text("not a model")

    found = scan_models([mine], app_dir=app_dir, hf_cache_dir=cache, home=home)
    by_name = {m.filename: m for m in found}
    assert set(by_name) == {
        NAME,
        "Repo-Q8_0.gguf",
        "Repo-Q6_K.gguf",
        "R-IQ4_XS.gguf",
        "mmproj-F16.gguf",
    }
    assert by_name[NAME].source is ModelSource.APP and by_name[NAME].repo_id == "unsloth/Repo-GGUF"
    hf = by_name["Repo-Q8_0.gguf"]
    assert hf.source is ModelSource.HF_CACHE and hf.path == cached
    assert hf.sha256 == hashlib.sha256(b"GGUF-bytes").hexdigest() and hf.size == 10
    assert by_name["Repo-Q6_K.gguf"].repo_id == "lmstudio-community/Repo-GGUF"
    assert by_name["R-IQ4_XS.gguf"].source is ModelSource.LM_STUDIO
    assert by_name["mmproj-F16.gguf"].is_projector and by_name["mmproj-F16.gguf"].quant == "F16"


def test_a_file_on_disk_replaces_a_download_only_when_it_is_the_same(tmp_path: Path) -> None:
    model = LocalModel(tmp_path / NAME, 100, ModelSource.FOLDER, sha256="b" * 64)
    assert find_on_disk(choice_for("sub/" + NAME, 100), [model]) == model
    assert find_on_disk(choice_for(NAME, 101), [model]) is None
    assert find_on_disk(choice_for(NAME, 100, "c" * 64), [model]) is None
    assert find_on_disk(choice_for("Other.gguf", 100), [model]) is None


def test_import_links_or_copies_after_checking_the_header(tmp_path: Path) -> None:
    source = write_gguf(tmp_path / "elsewhere" / NAME)
    linked = import_model(source, dest_dir=tmp_path / "models")
    assert linked.path == tmp_path / "models" / "imported" / NAME
    assert linked.path.samefile(source)
    assert import_model(source, dest_dir=tmp_path / "models") == linked  # importing twice is fine

    reports: list[tuple[int, int]] = []
    copied = import_model(
        source,
        mode=ImportMode.COPY,
        dest_dir=tmp_path / "copies",
        on_progress=lambda done, total: reports.append((done, total)),
    )
    assert copied.path.read_bytes() == source.read_bytes() and not copied.path.samefile(source)
    size = source.stat().st_size
    assert reports[-1] == (size, size)

    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"nope")
    with pytest.raises(ModelFileError, match="cannot be imported"):
        import_model(broken, dest_dir=tmp_path / "models")


def test_copying_needs_free_space(tmp_path: Path) -> None:
    source = write_gguf(tmp_path / NAME)

    def full(path: Path) -> DiskUsage:
        return DiskUsage(10**9, 10**9 - 10, 10)

    with pytest.raises(NotEnoughSpaceError, match="free disk space"):
        import_model(source, mode=ImportMode.COPY, dest_dir=tmp_path / "m", disk_usage=full)
    assert not (tmp_path / "m" / "imported" / NAME).exists()


def test_deleting_reports_the_space_really_freed(tmp_path: Path) -> None:
    own = write_gguf(tmp_path / "models" / NAME)
    size = own.stat().st_size
    own.with_name(NAME + ".part").write_bytes(b"x" * 10)
    result = delete_model(LocalModel(own, size, ModelSource.APP))
    assert result.freed_bytes == size + 10 and not own.exists()

    original = write_gguf(tmp_path / "original.gguf")
    hard = tmp_path / "hard.gguf"
    os.link(original, hard)
    assert delete_model(LocalModel(hard, size, ModelSource.APP)).freed_bytes == 0
    soft = tmp_path / "soft.gguf"
    soft.symlink_to(original)
    assert delete_model(LocalModel(soft, size, ModelSource.APP)).freed_bytes == 0
    assert original.exists()


def test_a_file_in_the_hf_cache_is_never_deleted(tmp_path: Path) -> None:
    cached = hf_cache_file(tmp_path / "hf", "o/Repo-GGUF", "A-Q4_K_M.gguf", b"a" * 100)

    with pytest.raises(ModelFileError, match="deletes only the files in its own folder"):
        delete_model(LocalModel(cached, 100, ModelSource.HF_CACHE))
    assert cached.read_bytes() == b"a" * 100
