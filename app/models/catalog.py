"""The quants a GGUF repository offers, and its vision projectors.

Listed from the hub when it can be reached and cached in the data folder; offline, the cached
list is used, and for Unsloth's Mistral Small 3.2 repository a snapshot shipped in
resources/catalog/ so the list shows on first start without a network. Files split in shards
(…-00001-of-00003.gguf) form one choice.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from app.models.errors import HubError, NoGgufFilesError, NoNetworkError, OfflineModeError
from app.models.hub import HubClient, RemoteFile, check_repo_id
from app.models.quant import (
    effective_bits_per_weight,
    is_gguf,
    is_projector,
    nominal_bits_per_weight,
    projector_label,
    quant_label,
    shard_of,
)
from app.paths import data_dir, resource

DEFAULT_REPO = "unsloth/Mistral-Small-3.2-24B-Instruct-2506-GGUF"
DEFAULT_QUANT = "Q4_K_M"
DEFAULT_PROJECTOR = "mmproj-F16"
SCHEMA_VERSION = 1


class FileRole(StrEnum):
    MODEL = "model"
    PROJECTOR = "mmproj"


class CatalogOrigin(StrEnum):
    HUB = "hub"  # listed just now
    CACHE = "cache"  # the last listing saved in the data folder
    BUNDLED = "bundled"  # the snapshot shipped with the app


@dataclass(frozen=True, slots=True)
class CatalogFile:
    filename: str
    size: int | None
    sha256: str | None
    source: str  # where size and hash come from
    size_exact: bool = True


@dataclass(frozen=True, slots=True)
class QuantChoice:
    """One thing a user can pick: a quant (one file or its shards) or a vision projector."""

    label: str
    role: FileRole
    files: tuple[CatalogFile, ...]

    @property
    def filename(self) -> str:
        """The file to load (the first shard of a split model)."""
        return self.files[0].filename

    @property
    def size(self) -> int | None:
        sizes = [f.size for f in self.files]
        return None if None in sizes else sum(s for s in sizes if s is not None)

    @property
    def size_exact(self) -> bool:
        return all(f.size_exact for f in self.files)

    def bits_per_weight(self, n_params: int | None) -> float | None:
        """True bits per weight when size and parameter count (of the language model) are
        known, else the nominal one of the quant's main type."""
        size = self.size
        if self.role is FileRole.MODEL and size is not None and n_params:
            return effective_bits_per_weight(size, n_params)
        return nominal_bits_per_weight(self.label.removeprefix("mmproj-"))


@dataclass(frozen=True, slots=True)
class Catalog:
    repo_id: str
    revision: str | None  # the commit the list describes
    quants: tuple[QuantChoice, ...]  # smallest first
    projectors: tuple[QuantChoice, ...]
    origin: CatalogOrigin
    listed_at: str | None = None  # ISO time of the listing
    n_params: int | None = None  # of the language model, when known
    note: str = ""
    fallback_reason: str | None = None  # why a saved list is shown instead of the hub's

    def find(self, label: str) -> QuantChoice | None:
        wanted = label.upper()
        for choice in (*self.quants, *self.projectors):
            if choice.label.upper() == wanted:
                return choice
        return None

    def default_quant(self) -> QuantChoice:
        """Q4_K_M when offered, otherwise the quant whose size is closest to a 4-bit file."""
        found = self.find(DEFAULT_QUANT)
        if found is not None:
            return found
        return min(self.quants, key=lambda q: abs((q.bits_per_weight(self.n_params) or 99) - 4.8))

    def default_projector(self) -> QuantChoice | None:
        found = self.find(DEFAULT_PROJECTOR)
        return found or (self.projectors[0] if self.projectors else None)


def build_catalog(
    repo_id: str,
    revision: str | None,
    files: Iterable[CatalogFile],
    origin: CatalogOrigin,
    *,
    listed_at: str | None = None,
    n_params: int | None = None,
    note: str = "",
) -> Catalog:
    """Group the GGUF files of a repository into quant and projector choices."""
    groups: dict[tuple[FileRole, str], list[CatalogFile]] = {}
    for file in files:
        if not is_gguf(file.filename):
            continue
        role = FileRole.PROJECTOR if is_projector(file.filename) else FileRole.MODEL
        groups.setdefault((role, _choice_key(file.filename)), []).append(file)
    choices = [
        QuantChoice(_label(role, parts[0].filename), role, tuple(sorted(parts, key=_shard_index)))
        for (role, _), parts in groups.items()
    ]
    if not any(c.role is FileRole.MODEL for c in choices):
        raise NoGgufFilesError(repo_id)
    by_size = sorted(choices, key=lambda c: (c.size is None, c.size or 0, c.label))
    return Catalog(
        repo_id,
        revision,
        tuple(c for c in by_size if c.role is FileRole.MODEL),
        tuple(c for c in by_size if c.role is FileRole.PROJECTOR),
        origin,
        listed_at,
        n_params,
        note,
    )


def _choice_key(filename: str) -> str:
    shard = shard_of(filename)
    return shard.stem if shard else filename


def _shard_index(file: CatalogFile) -> int:
    shard = shard_of(file.filename)
    return shard.index if shard else 0


def _label(role: FileRole, filename: str) -> str:
    if role is FileRole.PROJECTOR:
        return projector_label(filename)
    shard = shard_of(filename)
    name = f"{shard.stem}.gguf" if shard else filename
    return quant_label(name) or Path(name).name.removesuffix(".gguf")


def catalog_from_listing(
    repo_id: str, commit: str | None, files: Iterable[RemoteFile], n_params: int | None
) -> Catalog:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return build_catalog(
        repo_id,
        commit,
        (CatalogFile(f.filename, f.size, f.sha256, "hub listing") for f in files),
        CatalogOrigin.HUB,
        listed_at=now,
        n_params=n_params,
    )


# --- JSON form (bundled snapshot and cache) -------------------------------------------------


def catalog_to_json(catalog: Catalog) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "repo_id": catalog.repo_id,
        "revision": catalog.revision,
        "listed_at": catalog.listed_at,
        "n_params": catalog.n_params,
        "note": catalog.note,
        "files": [
            {
                "filename": f.filename,
                "size": f.size,
                "size_exact": f.size_exact,
                "sha256": f.sha256,
                "source": f.source,
            }
            for choice in (*catalog.quants, *catalog.projectors)
            for f in choice.files
        ],
    }


def catalog_from_json(data: dict[str, Any], origin: CatalogOrigin) -> Catalog:
    if data.get("schema") != SCHEMA_VERSION:
        raise ValueError(f"unsupported catalog schema {data.get('schema')!r}")
    files = [
        CatalogFile(
            str(entry["filename"]),
            _optional_int(entry.get("size")),
            _optional_str(entry.get("sha256")),
            str(entry.get("source", "")),
            bool(entry.get("size_exact", True)),
        )
        for entry in data["files"]
    ]
    return build_catalog(
        str(data["repo_id"]),
        _optional_str(data.get("revision")),
        files,
        origin,
        listed_at=_optional_str(data.get("listed_at")),
        n_params=_optional_int(data.get("n_params")),
        note=str(data.get("note", "")),
    )


def _optional_int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected an integer, got {value!r}")
    return value


def _optional_str(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {value!r}")
    return value


# --- Where catalogs live ----------------------------------------------------------------------


def bundled_path(repo_id: str) -> Path:
    return resource("catalog", f"{repo_id.split('/')[-1].lower().removesuffix('-gguf')}.json")


def cache_path(repo_id: str) -> Path:
    return data_dir() / "catalog" / f"{repo_id.replace('/', '--')}.json"


def read_catalog_file(path: Path, origin: CatalogOrigin) -> Catalog | None:
    """A saved catalog, or None when it is missing or unreadable (then the next source is used)."""
    try:
        return catalog_from_json(json.loads(path.read_text(encoding="utf-8")), origin)
    except (OSError, ValueError, KeyError, TypeError, NoGgufFilesError):
        return None


def save_catalog(catalog: Catalog) -> None:
    path = cache_path(catalog.repo_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False
    ) as handle:
        json.dump(catalog_to_json(catalog), handle, indent=1)
    os.replace(handle.name, path)


def offline_catalog(repo_id: str) -> Catalog | None:
    """The cached listing, else the bundled snapshot; None when there is neither."""
    cached = read_catalog_file(cache_path(repo_id), CatalogOrigin.CACHE)
    if cached is not None:
        return cached
    bundled = read_catalog_file(bundled_path(repo_id), CatalogOrigin.BUNDLED)
    return bundled if bundled is not None and bundled.repo_id == repo_id else None


def load_catalog(
    hub: HubClient, repo_id: str = DEFAULT_REPO, *, revision: str | None = None
) -> Catalog:
    """List `repo_id` from the hub and cache it; offline or without a network, use what is saved.

    A definite answer from the hub (no such repository, no access, no GGUF files) is raised
    even when a saved list exists; so is any failure when nothing is saved.
    """
    check_repo_id(repo_id)
    saved = offline_catalog(repo_id)
    try:
        listing = hub.list_repo(repo_id, revision)
    except (OfflineModeError, NoNetworkError, HubError) as exc:
        if saved is None:
            raise
        return replace(saved, fallback_reason=str(exc))
    n_params = saved.n_params if saved is not None else None
    catalog = catalog_from_listing(repo_id, listing.commit, listing.files, n_params)
    save_catalog(catalog)
    return catalog
