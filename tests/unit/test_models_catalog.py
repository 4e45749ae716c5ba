from __future__ import annotations

import json

import pytest

from app.models.catalog import (
    DEFAULT_REPO,
    CatalogFile,
    CatalogOrigin,
    FileRole,
    build_catalog,
    bundled_path,
    cache_path,
    catalog_from_json,
    catalog_to_json,
    load_catalog,
    offline_catalog,
)
from app.models.downloader import requests_for
from app.models.errors import InvalidRepoIdError, NoGgufFilesError, NoNetworkError, NotFoundError
from app.models.hub import HubClient, RemoteFile, RepoListing

PREFIX = "Mistral-Small-3.2-24B-Instruct-2506-"
Q4_K_M_SHA256 = "a3cc56310807ed0d145eaf9f018ccda9ae7ad8edb41ec870aa2454b0d4700b3c"


class StubHub(HubClient):
    """A hub that answers with a fixed listing, or fails with a fixed error."""

    def __init__(self, listing: RepoListing | None = None, error: Exception | None = None) -> None:
        super().__init__("http://hub.invalid")
        self.listing, self.error, self.calls = listing, error, 0

    def list_repo(self, repo_id: str, revision: str | None = None) -> RepoListing:
        self.calls += 1
        if self.error is not None:
            raise self.error
        assert self.listing is not None
        return self.listing


def test_the_bundled_snapshot_lists_unsloths_quants_with_q4_k_m_by_default() -> None:
    catalog = offline_catalog(DEFAULT_REPO)
    assert catalog is not None and catalog.origin is CatalogOrigin.BUNDLED
    labels = [q.label for q in catalog.quants]
    for label in ("Q3_K_M", "Q4_K_M", "UD-Q4_K_XL", "Q5_K_M", "Q6_K", "Q8_0"):
        assert label in labels
    default = catalog.default_quant()
    assert default.label == "Q4_K_M" and default.filename == PREFIX + "Q4_K_M.gguf"
    assert default.size == 14_333_922_848 and default.size_exact
    assert default.files[0].sha256 == Q4_K_M_SHA256
    bits = default.bits_per_weight(catalog.n_params)
    assert bits is not None and 4.8 < bits < 4.9
    projector = catalog.default_projector()
    assert projector is not None and projector.filename == "mmproj-F16.gguf"
    assert (
        projector.role is FileRole.PROJECTOR and projector.bits_per_weight(catalog.n_params) == 16
    )
    assert all(f.source for q in (*catalog.quants, *catalog.projectors) for f in q.files)
    assert [q.size for q in catalog.quants] == sorted(q.size or 0 for q in catalog.quants)


def test_the_snapshot_marks_unverified_figures() -> None:
    data = json.loads(bundled_path(DEFAULT_REPO).read_text(encoding="utf-8"))
    for entry in data["files"]:
        if not entry["size_exact"]:
            assert entry["sha256"] is None
            assert entry["source"].startswith(("approximate", "estimate"))


def test_shards_form_one_choice_and_other_files_are_ignored() -> None:
    files = [
        CatalogFile("BF16/m-BF16-00002-of-00002.gguf", 20, None, "t"),
        CatalogFile("BF16/m-BF16-00001-of-00002.gguf", 30, None, "t"),
        CatalogFile("m-Q4_K_M.gguf", 10, "ab" * 32, "t"),
        CatalogFile("mmproj-F16.gguf", 5, None, "t"),
        CatalogFile("README.md", 1, None, "t"),
    ]
    catalog = build_catalog("o/m", "c0ffee", files, CatalogOrigin.HUB)
    assert [(q.label, q.size) for q in catalog.quants] == [("Q4_K_M", 10), ("BF16", 50)]
    bf16 = catalog.find("bf16")
    assert bf16 is not None and bf16.filename == "BF16/m-BF16-00001-of-00002.gguf"
    assert [p.label for p in catalog.projectors] == ["mmproj-F16"]
    assert catalog_from_json(catalog_to_json(catalog), CatalogOrigin.CACHE).quants == catalog.quants


def test_a_repository_without_gguf_files_is_refused() -> None:
    with pytest.raises(NoGgufFilesError, match="no GGUF"):
        build_catalog(
            "o/m", None, [CatalogFile("model.safetensors", 1, None, "")], CatalogOrigin.HUB
        )


def test_the_hub_listing_is_saved_and_keeps_the_parameter_count() -> None:
    listing = RepoListing(
        DEFAULT_REPO,
        "f" * 40,
        (
            RemoteFile(PREFIX + "Q4_K_M.gguf", 123, "cd" * 32),
            RemoteFile("mmproj-F16.gguf", 7, None),
        ),
    )
    catalog = load_catalog(StubHub(listing), DEFAULT_REPO)
    assert catalog.origin is CatalogOrigin.HUB and catalog.revision == "f" * 40
    assert catalog.n_params == 23_572_403_200
    assert cache_path(DEFAULT_REPO).is_file()
    saved = offline_catalog(DEFAULT_REPO)
    assert saved is not None and saved.origin is CatalogOrigin.CACHE
    assert saved.quants == catalog.quants


def test_without_a_network_the_saved_list_is_shown_with_the_reason() -> None:
    catalog = load_catalog(StubHub(error=NoNetworkError("down")), DEFAULT_REPO)
    assert catalog.origin is CatalogOrigin.BUNDLED
    assert catalog.fallback_reason is not None and "network" in catalog.fallback_reason


def test_a_definite_hub_answer_is_not_hidden_by_a_saved_list() -> None:
    with pytest.raises(NotFoundError):
        load_catalog(StubHub(error=NotFoundError("gone")), DEFAULT_REPO)


def test_another_repository_without_network_or_saved_list_fails() -> None:
    with pytest.raises(NoNetworkError):
        load_catalog(StubHub(error=NoNetworkError()), "someone/Other-GGUF")


def test_a_damaged_cache_file_falls_back_to_the_snapshot() -> None:
    path = cache_path(DEFAULT_REPO)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")
    catalog = offline_catalog(DEFAULT_REPO)
    assert catalog is not None and catalog.origin is CatalogOrigin.BUNDLED


def test_repository_ids_are_checked() -> None:
    with pytest.raises(InvalidRepoIdError):
        load_catalog(StubHub(), "not a repo")


def test_download_requests_pin_the_commit_and_only_trust_exact_figures() -> None:
    catalog = offline_catalog(DEFAULT_REPO)
    assert catalog is not None
    q4, iq4 = catalog.find("Q4_K_M"), catalog.find("IQ4_XS")
    assert q4 is not None and iq4 is not None
    [exact] = requests_for(catalog, q4)
    assert (exact.revision, exact.size, exact.sha256) == (
        catalog.revision,
        14_333_922_848,
        Q4_K_M_SHA256,
    )
    [approximate] = requests_for(catalog, iq4)
    assert approximate.size is None and approximate.sha256 is None
