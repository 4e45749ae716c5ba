"""GGUF files already on disk: the app's downloads, the Hugging Face cache, LM Studio's folders
and folders the user picks (app/models/other_tools.py adds the other tools' stores). Found files
are offered instead of downloading them again; files can be imported (linked or copied) and
checked; only the app's own files can be deleted."""

from __future__ import annotations

import errno
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from huggingface_hub import constants, scan_cache_dir
from huggingface_hub.errors import CorruptedCacheException

from app.core.gguf_checks import metadata_problem
from app.core.gguf_header import GgufFormatError, GgufTruncatedError, read_gguf_header
from app.core.i18n import translate
from app.core.locale_format import format_count
from app.models.catalog import CatalogFile, QuantChoice
from app.models.download_types import (
    PART_SUFFIX,
    SPACE_MARGIN_MIN,
    STATE_SUFFIX,
    UNVERIFIED_SUFFIX,
    DiskUsageFunction,
    disk_usage,
)
from app.models.errors import DiskFullError, ModelFileError, NotEnoughSpaceError
from app.models.quant import is_gguf, is_projector, quant_label
from app.paths import models_dir

IMPORTED_FOLDER = "imported"
COPY_BLOCK = 16 * 1024 * 1024
CopyProgress = Callable[[int, int], None]  # bytes copied, bytes in all
MAX_SCAN_DEPTH = 4  # folders below a scanned root; deep enough for publisher/repo/file
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class ModelSource(StrEnum):
    APP = "app"
    HF_CACHE = "huggingface"
    LM_STUDIO = "lm-studio"
    FOLDER = "folder"
    LLAMA_CPP = "llama.cpp"
    OLLAMA = "ollama"
    JAN = "jan"


class ImportMode(StrEnum):
    LINK = "link"  # a hard link where the disk allows it, else a symbolic link
    COPY = "copy"


@dataclass(frozen=True, slots=True)
class LocalModel:
    path: Path
    size: int
    source: ModelSource
    repo_id: str | None = None
    sha256: str | None = None  # known without reading: the HF cache and Ollama name blobs by it
    name: str | None = None  # the model's own name where the tool stores it under another

    @property
    def filename(self) -> str:
        return self.name or self.path.name

    @property
    def owned(self) -> bool:
        """In Tramontane's own folder: the only files it may delete."""
        return self.source is ModelSource.APP

    @property
    def quant(self) -> str | None:
        return quant_label(self.filename)

    @property
    def is_projector(self) -> bool:
        return is_projector(self.filename)

    @property
    def unverified(self) -> bool:
        return is_unverified(self.path)


def is_unverified(path: Path) -> bool:
    """Was `path` downloaded from a hub that gave no SHA-256 to check it against?"""
    return path.with_name(path.name + UNVERIFIED_SUFFIX).exists()


@dataclass(frozen=True, slots=True)
class FileCheck:
    ok: bool
    reason: str | None = None  # why the file is broken


@dataclass(frozen=True, slots=True)
class DeleteResult:
    freed_bytes: int
    removed: tuple[Path, ...]


def check_model_file(
    path: Path,
    *,
    expected_size: int | None = None,
    expected_sha256: str | None = None,
    verify_hash: bool = False,
) -> FileCheck:
    """Is `path` a whole GGUF file? Reads the header; hashing the file is asked for separately
    (`verify_hash`), since it reads every byte."""
    try:
        header = read_gguf_header(path)
    except FileNotFoundError:
        return FileCheck(False, translate("LocalModels", "the file is missing"))
    except GgufTruncatedError as exc:
        return FileCheck(False, translate("LocalModels", "truncated: {reason}").format(reason=exc))
    except GgufFormatError as exc:
        return FileCheck(
            False, translate("LocalModels", "not a usable GGUF file: {reason}").format(reason=exc)
        )
    except OSError as exc:
        return FileCheck(
            False,
            translate("LocalModels", "cannot be read: {reason}").format(reason=exc.strerror or exc),
        )
    except Exception as exc:  # one strange file must not spoil a listing
        return FileCheck(
            False,
            translate("LocalModels", "cannot be read: {reason}").format(
                reason=f"{type(exc).__name__}: {exc}"
            ),
        )
    problem = metadata_problem(header)
    if problem is not None:
        return FileCheck(
            False, translate("LocalModels", "damaged: {reason}").format(reason=problem)
        )
    if expected_size is not None and header.file_size != expected_size:
        return FileCheck(
            False,
            translate(
                "LocalModels", "the file holds {count} bytes but the hub lists {expected}"
            ).format(count=format_count(header.file_size), expected=format_count(expected_size)),
        )
    if verify_hash and expected_sha256 is not None:
        actual = sha256_of(path)
        if actual != expected_sha256.lower():
            return FileCheck(
                False,
                translate("LocalModels", "SHA-256 {actual}… differs from the hub's").format(
                    actual=actual[:12]
                ),
            )
    return FileCheck(True)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(8 * 1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def lm_studio_folders(home: Path | None = None) -> list[Path]:
    base = home if home is not None else Path.home()
    return [base / ".lmstudio" / "models", base / ".cache" / "lm-studio" / "models"]


def scan_models(
    folders: Iterable[Path] = (),
    *,
    app_dir: Path | None = None,
    hf_cache_dir: Path | None = None,
    home: Path | None = None,
) -> list[LocalModel]:
    """Every GGUF file in the app's folder, the HF cache, LM Studio's folders and `folders`."""
    found: dict[Path, LocalModel] = {}
    sources: list[Iterable[LocalModel]] = [
        _scan_tree(app_dir if app_dir is not None else models_dir(), ModelSource.APP),
        _scan_hf_cache(hf_cache_dir if hf_cache_dir is not None else Path(constants.HF_HUB_CACHE)),
        *(_scan_tree(folder, ModelSource.LM_STUDIO) for folder in lm_studio_folders(home)),
        *(_scan_tree(folder, ModelSource.FOLDER) for folder in folders),
    ]
    for source in sources:
        for model in source:
            found.setdefault(model.path.resolve(), model)
    return sorted(found.values(), key=lambda m: (m.source.value, str(m.path)))


def _scan_tree(root: Path, source: ModelSource) -> Iterator[LocalModel]:
    """GGUF files under `root`; a publisher/repo/file layout names the repository."""
    if not root.is_dir():
        return
    for path in _walk_gguf(root):
        parts = path.relative_to(root).parts
        repo_id = f"{parts[-3]}/{parts[-2]}" if len(parts) >= 3 else None
        try:
            size = path.stat().st_size
        except OSError:
            continue
        yield LocalModel(path, size, source, repo_id)


def _walk_gguf(root: Path) -> Iterator[Path]:
    for folder, subfolders, files in os.walk(root):
        depth = len(Path(folder).relative_to(root).parts)
        subfolders[:] = [] if depth >= MAX_SCAN_DEPTH else [
            name for name in subfolders if not name.startswith(".")
        ]  # fmt: skip
        for name in sorted(files):
            if is_gguf(name):
                yield Path(folder) / name


def _scan_hf_cache(cache_dir: Path) -> Iterator[LocalModel]:
    if not cache_dir.is_dir():
        return
    try:
        cache = scan_cache_dir(cache_dir)
    except (OSError, ValueError, CorruptedCacheException):  # hides its own files, no others
        return
    seen_blobs: set[Path] = set()
    for repo in cache.repos:
        if repo.repo_type != "model":
            continue
        for revision in repo.revisions:
            for file in sorted(revision.files, key=lambda f: str(f.file_path)):
                if not is_gguf(file.file_name) or file.blob_path in seen_blobs:
                    continue
                seen_blobs.add(file.blob_path)
                blob = file.blob_path.name
                sha = blob if _SHA256.match(blob) else None
                yield LocalModel(
                    file.file_path, file.size_on_disk, ModelSource.HF_CACHE, repo.repo_id, sha
                )


def find_on_disk(choice: QuantChoice, models: Iterable[LocalModel]) -> LocalModel | None:
    """A file already on disk that is this choice's file, so it need not be downloaded again:
    the same size, and the same SHA-256 where both sides know it (a hash both know decides
    alone: Ollama's blobs carry no file name), else the same file name."""
    wanted = choice.files[0]
    return next((model for model in models if is_same_file(wanted, model)), None)


def is_same_file(wanted: CatalogFile, model: LocalModel) -> bool:
    if wanted.size is not None and wanted.size_exact and model.size != wanted.size:
        return False
    if wanted.sha256 and model.sha256:
        return wanted.sha256.lower() == model.sha256.lower()
    return model.filename == Path(wanted.filename).name


def import_model(
    source: Path,
    *,
    mode: ImportMode = ImportMode.LINK,
    dest_dir: Path | None = None,
    disk_usage: DiskUsageFunction = disk_usage,
    on_progress: CopyProgress | None = None,
) -> LocalModel:
    """Bring a GGUF file the user chose into the models folder, after checking its header.
    A copy reports the bytes copied so far to `on_progress` (on the calling thread)."""
    check = check_model_file(source)
    if not check.ok:
        raise ModelFileError(
            translate("LocalModels", "{name} cannot be imported: {reason}.").format(
                name=source.name, reason=check.reason
            )
        )
    folder = (dest_dir if dest_dir is not None else models_dir()) / IMPORTED_FOLDER
    target = folder / source.name
    if target.exists():
        if target.samefile(source):
            return LocalModel(target, target.stat().st_size, ModelSource.APP)
        raise ModelFileError(
            translate("LocalModels", "A model named {name} was already imported.").format(
                name=source.name
            )
        )
    folder.mkdir(parents=True, exist_ok=True)
    if mode is ImportMode.LINK:
        _link(source, target)
    else:
        _copy(source, target, disk_usage, on_progress)
    return LocalModel(target, source.stat().st_size, ModelSource.APP)


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
        return
    except OSError:
        pass  # another disk, or a file system without hard links
    try:
        target.symlink_to(source.resolve())
    except OSError as exc:
        raise ModelFileError(
            translate(
                "LocalModels", "{name} cannot be linked here ({reason}); import a copy instead."
            ).format(name=source.name, reason=exc.strerror or exc)
        ) from exc


def _copy(
    source: Path, target: Path, usage: DiskUsageFunction, on_progress: CopyProgress | None
) -> None:
    size = source.stat().st_size
    free = usage(target.parent).free
    if free < size + SPACE_MARGIN_MIN:
        raise NotEnoughSpaceError(source.name, size + SPACE_MARGIN_MIN, free, str(target.parent))
    partial = target.with_name(target.name + PART_SUFFIX)
    try:
        with source.open("rb") as reader, partial.open("wb") as writer:
            copied = 0
            while block := reader.read(COPY_BLOCK):
                writer.write(block)
                copied += len(block)
                if on_progress is not None:
                    on_progress(copied, size)
            writer.flush()
            os.fsync(writer.fileno())
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise DiskFullError(str(target.parent)) from exc
        raise ModelFileError(
            translate("LocalModels", "{name} could not be copied: {reason}.").format(
                name=source.name, reason=exc.strerror or exc
            )
        ) from exc


def delete_model(model: LocalModel) -> DeleteResult:
    """Delete one of Tramontane's own model files and say how much space that really freed:
    nothing for a link whose target stays. Files other tools keep are never touched."""
    if not model.owned:
        raise ModelFileError(
            translate(
                "LocalModels",
                "{path} is not in Tramontane's folder: Tramontane deletes only the files in "
                "its own folder, never those another program or you keep elsewhere.",
            ).format(path=model.path)
        )
    path = model.path
    try:
        stat = path.lstat()
    except FileNotFoundError:
        return DeleteResult(0, ())
    freed = 0 if path.is_symlink() or stat.st_nlink > 1 else stat.st_size
    removed = [path]
    try:
        path.unlink()
        for leftover in (PART_SUFFIX, STATE_SUFFIX, UNVERIFIED_SUFFIX):
            stale = path.with_name(path.name + leftover)
            if stale.exists():
                freed += stale.stat().st_size
                stale.unlink()
                removed.append(stale)
    except OSError as exc:
        raise ModelFileError(
            translate("LocalModels", "{name} could not be deleted: {reason}.").format(
                name=path.name, reason=exc.strerror or exc
            )
        ) from exc
    return DeleteResult(freed, tuple(removed))


def projector_beside(model_path: Path) -> Path | None:
    """A vision projector (mmproj) file in the model's folder, as downloads and LM Studio keep
    them; the first by name when there are several."""
    try:
        candidates = sorted(
            entry for entry in model_path.parent.iterdir() if is_projector(entry.name)
        )
    except OSError:
        return None
    return next((path for path in candidates if path.is_file()), None)
