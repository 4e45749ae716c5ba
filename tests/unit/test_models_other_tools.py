"""Model files other programs keep, found in a test home laid out as each program writes it:
what is found, where it came from, which catalog file it is, and that nothing there changes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from app.models.catalog import CatalogFile, FileRole, QuantChoice
from app.models.download_plan import plan_download
from app.models.errors import ModelFileError
from app.models.local_models import LocalModel, ModelSource, delete_model, find_on_disk
from app.models.model_search import find_local_models, source_name
from app.models.other_tools import (
    UserEnvironment,
    hf_hub_cache,
    jan_data_folders,
    llama_cpp_cache,
    lm_studio_folders,
    ollama_stores,
)
from app.qt_bridge.models_overview import check_files
from tests.fixtures.models import gguf_payload
from tests.fixtures.other_tools import (
    hf_cache_file,
    jan_settings,
    llama_cpp_file,
    lm_studio_settings,
    ollama_model,
)

REPO = "unsloth/Tiny-GGUF"
Q4 = "Tiny-Q4_K_M.gguf"
Q4_BYTES = gguf_payload(4096)
MMPROJ = "mmproj-F16.gguf"
MMPROJ_BYTES = gguf_payload(2048)


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def choice(label: str, filename: str, content: bytes, *, hashed: bool = True) -> QuantChoice:
    role = FileRole.PROJECTOR if label.startswith("mmproj") else FileRole.MODEL
    file = CatalogFile(filename, len(content), sha(content) if hashed else None, "test")
    return QuantChoice(label, role, (file,))


def search(home: Path, **env: str) -> list[LocalModel]:
    return find_local_models(app_dir=home / "app", user=UserEnvironment(home, env))


def tree_state(root: Path) -> dict[Path, tuple[int, int, str]]:
    """Every file and link under `root` with its size, modification time and link target."""
    state = {}
    for folder, _subfolders, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            info = path.lstat()
            link = os.readlink(path) if path.is_symlink() else ""
            state[path] = (info.st_size, info.st_mtime_ns, link)
    return state


def test_each_program_has_its_folder_where_it_puts_it(tmp_path: Path) -> None:
    linux = UserEnvironment(tmp_path)
    assert hf_hub_cache(linux) == tmp_path / ".cache" / "huggingface" / "hub"
    assert hf_hub_cache(UserEnvironment(tmp_path, {"HF_HOME": "/hf"})) == Path("/hf/hub")
    moved = UserEnvironment(tmp_path, {"HF_HOME": "/hf", "HF_HUB_CACHE": "/hub"})
    assert hf_hub_cache(moved) == Path("/hub")
    assert llama_cpp_cache(linux) == tmp_path / ".cache" / "llama.cpp"
    assert llama_cpp_cache(UserEnvironment(tmp_path, {"XDG_CACHE_HOME": "/x"})) == Path(
        "/x/llama.cpp"
    )
    assert llama_cpp_cache(UserEnvironment(tmp_path, {"LLAMA_CACHE": "/l"})) == Path("/l")
    mac = UserEnvironment(tmp_path, system="Darwin")
    assert llama_cpp_cache(mac) == tmp_path / "Library" / "Caches" / "llama.cpp"
    windows = UserEnvironment(tmp_path, {"LOCALAPPDATA": "C:/L", "APPDATA": "C:/R"}, "Windows")
    assert llama_cpp_cache(windows) == Path("C:/L/llama.cpp")
    assert ollama_stores(linux)[0] == tmp_path / ".ollama" / "models"
    assert ollama_stores(UserEnvironment(tmp_path, {"OLLAMA_MODELS": "/o"})) == [Path("/o")]
    assert lm_studio_folders(linux) == [
        tmp_path / ".lmstudio" / "models",
        tmp_path / ".cache" / "lm-studio" / "models",
    ]
    assert tmp_path / "Library" / "Application Support" / "Jan" / "data" in jan_data_folders(mac)
    assert Path("C:/R/Jan/data") in jan_data_folders(windows)
    assert tmp_path / ".local" / "share" / "Jan" / "data" in jan_data_folders(linux)


def test_the_hugging_face_cache_is_found_under_hf_home(tmp_path: Path) -> None:
    cached = hf_cache_file(tmp_path / "hf" / "hub", REPO, Q4, Q4_BYTES)

    found = search(tmp_path / "home", HF_HOME=str(tmp_path / "hf"))

    assert [(m.path, m.source, m.repo_id, m.sha256) for m in found] == [
        (cached, ModelSource.HF_CACHE, REPO, sha(Q4_BYTES))
    ]
    assert find_on_disk(choice("Q4_K_M", Q4, Q4_BYTES), found) == found[0]


def test_llama_cpp_downloads_are_found_with_the_name_they_came_by(tmp_path: Path) -> None:
    cache = tmp_path / "llama-cache"
    noted = llama_cpp_file(cache, REPO, Q4, Q4_BYTES)
    bare = llama_cpp_file(cache, "bartowski/Other-GGUF", "Other-Q8_0.gguf", Q4_BYTES, notes=False)
    newer = hf_cache_file(cache, REPO, MMPROJ, MMPROJ_BYTES)  # newer llama.cpp: HF layout

    found = {m.path: m for m in search(tmp_path / "home", LLAMA_CACHE=str(cache))}

    assert (found[noted].filename, found[noted].repo_id) == (Q4, REPO)
    assert found[bare].filename == "Other-Q8_0.gguf"
    assert found[bare].repo_id == "bartowski/Other-GGUF"
    assert found[newer].filename == MMPROJ and found[newer].sha256 == sha(MMPROJ_BYTES)
    assert {m.source for m in found.values()} == {ModelSource.LLAMA_CPP}
    assert source_name(found[noted]) == "llama.cpp's cache"
    assert find_on_disk(choice("Q4_K_M", Q4, Q4_BYTES), found.values()) == found[noted]


def test_ollama_blobs_are_used_where_they_lie_and_matched_by_their_hash(tmp_path: Path) -> None:
    home = tmp_path / "home"
    store = home / ".ollama" / "models"
    model_blob, projector_blob = ollama_model(store, REPO, "Q4_K_M", Q4_BYTES, MMPROJ_BYTES)

    found = {m.path: m for m in search(home)}

    assert set(found) == {model_blob, projector_blob}  # neither the template nor the config
    model, projector = found[model_blob], found[projector_blob]
    assert model.source is ModelSource.OLLAMA and model.repo_id == REPO
    assert model.filename == "Tiny-GGUF:Q4_K_M" and model.sha256 == sha(Q4_BYTES)
    assert projector.is_projector and not model.is_projector
    wanted = choice("Q4_K_M", Q4, Q4_BYTES), choice("mmproj-F16", MMPROJ, MMPROJ_BYTES)
    plan = plan_download(*wanted, [*found.values()])
    assert plan.missing == () and plan.model_path == model_blob
    assert plan.projector_path == projector_blob
    # Without a hash in the catalog, a blob has no file name to match: another model.
    assert find_on_disk(choice("Q4_K_M", Q4, Q4_BYTES, hashed=False), found.values()) is None


def test_ollama_models_is_honoured(tmp_path: Path) -> None:
    store = tmp_path / "elsewhere"
    model_blob, _ = ollama_model(store, REPO, "Q4_K_M", Q4_BYTES)
    assert [m.path for m in search(tmp_path / "home", OLLAMA_MODELS=str(store))] == [model_blob]


def test_lm_studio_is_searched_where_its_settings_put_the_models(tmp_path: Path) -> None:
    home = tmp_path / "home"
    chosen = tmp_path / "big-disk" / "lm-models"
    in_chosen = chosen / "lmstudio-community" / "Tiny-GGUF" / Q4
    in_chosen.parent.mkdir(parents=True)
    in_chosen.write_bytes(Q4_BYTES)
    lm_studio_settings(home, chosen)
    moved_home = tmp_path / "lm-home"
    other = tmp_path / "second-disk"
    (other / "o" / "R-GGUF").mkdir(parents=True)
    (other / "o" / "R-GGUF" / "R-Q6_K.gguf").write_bytes(Q4_BYTES[:2000])
    lm_studio_settings(home, other, pointer=moved_home)

    found = {m.filename: m for m in search(home)}

    assert found[Q4].path == in_chosen and found[Q4].source is ModelSource.LM_STUDIO
    assert found[Q4].repo_id == "lmstudio-community/Tiny-GGUF"
    assert found["R-Q6_K.gguf"].source is ModelSource.LM_STUDIO


def test_jan_models_are_found_in_its_data_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    default = home / ".local" / "share" / "Jan" / "data" / "llamacpp" / "models" / "Tiny-Q4_K_M"
    default.mkdir(parents=True)
    (default / "model.gguf").write_bytes(Q4_BYTES)
    (default / "mmproj.gguf").write_bytes(MMPROJ_BYTES)
    chosen = tmp_path / "jan-data"
    (chosen / "llamacpp" / "models" / "other").mkdir(parents=True)
    (chosen / "llamacpp" / "models" / "other" / "model.gguf").write_bytes(MMPROJ_BYTES)
    jan_settings(home, chosen)

    found = search(home)

    assert {m.path: m.filename for m in found} == {
        default / "model.gguf": Q4,
        default / "mmproj.gguf": "mmproj of Tiny-Q4_K_M",
        chosen / "llamacpp" / "models" / "other" / "model.gguf": "other.gguf",
    }
    assert {source_name(m) for m in found} == {"Jan"}
    assert find_on_disk(choice("Q4_K_M", Q4, Q4_BYTES, hashed=False), found) is not None


def test_files_that_are_not_the_catalogs_are_other_models(tmp_path: Path) -> None:
    home = tmp_path / "home"
    same_name_other_bytes = gguf_payload(len(Q4_BYTES))
    hf_cache_file(home / ".cache" / "huggingface" / "hub", REPO, Q4, same_name_other_bytes)
    llama_cpp_file(home / ".cache" / "llama.cpp", REPO, "Tiny-Q8_0.gguf", Q4_BYTES[:3000])
    wanted = [choice("Q4_K_M", Q4, Q4_BYTES), choice("Q8_0", "Tiny-Q8_0.gguf", Q4_BYTES)]

    files = check_files(search(home), wanted)

    # The HF cache's blob name says another hash; the llama.cpp file has another size.
    assert [(f.model.filename, f.catalog_label, f.problem) for f in files] == [
        (Q4, None, None),
        ("Tiny-Q8_0.gguf", None, files[1].problem),
    ]
    assert find_on_disk(wanted[0], [f.model for f in files]) is None


def test_nothing_another_program_keeps_is_changed_or_deleted(tmp_path: Path) -> None:
    home = tmp_path / "home"
    hf_cache_file(home / ".cache" / "huggingface" / "hub", REPO, Q4, Q4_BYTES)
    llama_cpp_file(home / ".cache" / "llama.cpp", REPO, Q4, Q4_BYTES)
    ollama_model(home / ".ollama" / "models", REPO, "Q4_K_M", Q4_BYTES, MMPROJ_BYTES)
    before = tree_state(home)

    found = search(home)
    check_files(found, [choice("Q4_K_M", Q4, Q4_BYTES)])
    for model in found:
        with pytest.raises(ModelFileError, match="deletes only the files in its own folder"):
            delete_model(model)

    assert {m.source for m in found} == {
        ModelSource.HF_CACHE,
        ModelSource.LLAMA_CPP,
        ModelSource.OLLAMA,
    }
    assert tree_state(home) == before


def test_unreadable_settings_and_manifests_are_passed_over(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".lmstudio").mkdir(parents=True)
    (home / ".lmstudio" / "settings.json").write_text("{not json")
    (home / ".lmstudio-home-pointer").write_bytes(b"\xff\xfe")
    manifest = home / ".ollama" / "models" / "manifests" / "hf.co" / "o" / "r" / "latest"
    manifest.parent.mkdir(parents=True)
    manifest.write_text('{"layers": [{"mediaType": "application/vnd.ollama.image.model", '
                        '"digest": "sha256:../../etc"}, 7]}')  # fmt: skip
    jan_settings(home, tmp_path / "missing")

    assert search(home) == []
