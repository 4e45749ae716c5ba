"""Where other programs keep GGUF files, read without changing anything there.

- llama.cpp (`llama-cli -hf …`): `LLAMA_CACHE`, else its per-OS cache folder (`~/.cache/llama.cpp`
  on Linux or `$XDG_CACHE_HOME/llama.cpp`, `~/Library/Caches/llama.cpp` on macOS,
  `%LOCALAPPDATA%\\llama.cpp` on Windows). Older versions store `<owner>_<repo>_<file>` there
  with a `<file>.json` that records the URL; newer ones use the Hugging Face cache layout, in
  `LLAMA_CACHE` when it is set and in the Hugging Face cache otherwise.
- Ollama: `OLLAMA_MODELS`, else `~/.ollama/models` (and the Linux service's
  `/usr/share/ollama/.ollama/models`). Manifests under `manifests/<host>/<namespace>/<model>/<tag>`
  list layers; the `…image.model` layer is the GGUF and the `…image.projector` layer the vision
  projector, each stored as `blobs/sha256-<hex>`, used where it lies.
- LM Studio: the folder its settings name (`downloadsFolder` in `settings.json` of its home,
  which `~/.lmstudio-home-pointer` may move), else `~/.lmstudio/models`, and the older
  `~/.cache/lm-studio/models`.
- Jan: its data folder (`data_folder` in its `settings.json`, else `~/.local/share/Jan/data`,
  `~/Library/Application Support/Jan/data`, `%APPDATA%\\Jan\\data`, or the older `~/jan`),
  with models under `llamacpp/models/<id>/model.gguf` and `models/<id>/`, named by their id.
- The Hugging Face cache: `HF_HUB_CACHE`, `HF_HOME/hub`, else `~/.cache/huggingface/hub`.
"""

from __future__ import annotations

import json
import os
import platform
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app.models.local_models import (
    LocalModel,
    ModelSource,
    _scan_hf_cache,
    _scan_tree,
    _walk_gguf,
)

SETTINGS_LIMIT = 1024 * 1024  # bytes of another program's settings or manifest worth reading
OLLAMA_MODEL = "application/vnd.ollama.image.model"
OLLAMA_PROJECTOR = "application/vnd.ollama.image.projector"
_DIGEST = re.compile(r"^sha256:([0-9a-f]{64})$")
_HF_URL = re.compile(r"/(?P<repo>[^/]+/[^/]+)/resolve/[^/]+/(?P<file>[^?]+)$")


@dataclass(frozen=True, slots=True)
class UserEnvironment:
    """The user's home, environment and system: where other programs put their files."""

    home: Path
    env: Mapping[str, str] = field(default_factory=dict)
    system: str = "Linux"  # platform.system(): Linux, Darwin or Windows
    shared_folders: tuple[Path, ...] = ()  # stores outside the home (Ollama's Linux service)

    @classmethod
    def current(cls) -> UserEnvironment:
        system = platform.system()
        service = Path("/usr/share/ollama/.ollama/models")
        return cls(Path.home(), dict(os.environ), system, (service,) if system == "Linux" else ())

    def folder(self, variable: str) -> Path | None:
        value = self.env.get(variable, "").strip()
        return Path(value).expanduser() if value else None


# --- where each program keeps its files ---------------------------------------------------------


def hf_hub_cache(user: UserEnvironment) -> Path:
    """The Hugging Face cache folder, found as huggingface_hub finds it."""
    for variable in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if (folder := user.folder(variable)) is not None:
            return folder
    if (hf_home := user.folder("HF_HOME")) is not None:
        return hf_home / "hub"
    cache = user.folder("XDG_CACHE_HOME") or user.home / ".cache"
    return cache / "huggingface" / "hub"


def llama_cpp_cache(user: UserEnvironment) -> Path:
    if (folder := user.folder("LLAMA_CACHE")) is not None:
        return folder
    if user.system == "Darwin":
        return user.home / "Library" / "Caches" / "llama.cpp"
    if user.system == "Windows":
        local = user.folder("LOCALAPPDATA") or user.home / "AppData" / "Local"
        return local / "llama.cpp"
    return (user.folder("XDG_CACHE_HOME") or user.home / ".cache") / "llama.cpp"


def ollama_stores(user: UserEnvironment) -> list[Path]:
    if (folder := user.folder("OLLAMA_MODELS")) is not None:
        return [folder]
    return [user.home / ".ollama" / "models", *user.shared_folders]


def lm_studio_folders(user: UserEnvironment) -> list[Path]:
    """LM Studio's models folder wherever its settings put it, and its default ones."""
    homes = [user.home / ".lmstudio", user.home / ".cache" / "lm-studio"]
    pointer = _read_text(user.home / ".lmstudio-home-pointer")
    if pointer:
        homes.insert(0, Path(pointer.strip()).expanduser())
    folders: list[Path] = []
    for home in homes:
        chosen = _setting(home / "settings.json", "downloadsFolder")
        folders.extend([Path(chosen).expanduser()] if chosen else [])
        folders.append(home / "models")
    return _unique(folders)


def jan_data_folders(user: UserEnvironment) -> list[Path]:
    """Jan's data folder as its settings name it, else where each version of Jan keeps it."""
    if user.system == "Darwin":
        apps = [user.home / "Library" / "Application Support" / "Jan"]
    elif user.system == "Windows":
        apps = [(user.folder("APPDATA") or user.home / "AppData" / "Roaming") / "Jan"]
    else:
        share = user.folder("XDG_DATA_HOME") or user.home / ".local" / "share"
        config = user.folder("XDG_CONFIG_HOME") or user.home / ".config"
        apps = [share / "Jan", config / "Jan"]
    folders: list[Path] = []
    for app in apps:
        for settings in (app / "settings.json", app / "settings" / "settings.json"):
            chosen = _setting(settings, "data_folder")
            folders.extend([Path(chosen).expanduser()] if chosen else [])
        folders.append(app / "data")
    folders.append(user.home / "jan")
    return _unique(folders)


# --- what each program holds --------------------------------------------------------------------


def scan_other_tools(user: UserEnvironment) -> Iterator[LocalModel]:
    """Every GGUF file llama.cpp, Ollama, LM Studio and Jan keep for this user."""
    yield from scan_llama_cpp(llama_cpp_cache(user))
    for store in ollama_stores(user):
        yield from scan_ollama(store)
    for folder in lm_studio_folders(user):
        yield from _scan_tree(folder, ModelSource.LM_STUDIO)
    for data in jan_data_folders(user):
        for models in (data / "llamacpp" / "models", data / "models"):
            for model in _scan_tree(models, ModelSource.JAN):
                yield replace(model, name=jan_name(model.path))


def scan_llama_cpp(cache: Path) -> Iterator[LocalModel]:
    """llama.cpp's downloads: flat `<owner>_<repo>_<file>` files and a Hugging Face layout."""
    if not cache.is_dir():
        return
    for model in _scan_hf_cache(cache):
        yield replace(model, source=ModelSource.LLAMA_CPP)
    for path in _walk_gguf(cache):
        if any(part.startswith("models--") for part in path.relative_to(cache).parts):
            continue
        try:
            size = path.stat().st_size
        except OSError:
            continue
        repo_id, name = llama_cpp_names(path)
        yield LocalModel(path, size, ModelSource.LLAMA_CPP, repo_id, name=name)


def llama_cpp_names(path: Path) -> tuple[str | None, str]:
    """The repository and file name a flat llama.cpp download came from: read from the URL its
    `.json` records, else taken from `<owner>_<repo>_<file>` after a repository named …GGUF."""
    url = _setting(path.with_name(path.name + ".json"), "url")
    match = _HF_URL.search(url) if url else None
    if match is not None:
        return match["repo"], match["file"].rsplit("/", 1)[-1]
    owner, _, rest = path.name.partition("_")
    repo, found, name = rest.partition("-GGUF_") if rest else ("", "", "")
    if found and name:
        return f"{owner}/{repo}-GGUF", name
    return None, path.name


def jan_name(path: Path) -> str:
    """Jan keeps each model as `<model id>/model.gguf` (and `mmproj.gguf`): name it by its id."""
    if path.name == "model.gguf":
        return f"{path.parent.name}.gguf"
    if path.name == "mmproj.gguf":
        return f"mmproj of {path.parent.name}"
    return path.name


def scan_ollama(store: Path) -> Iterator[LocalModel]:
    """The GGUF and projector blobs Ollama's manifests name, with the model's name and tag."""
    manifests = store / "manifests"
    if not manifests.is_dir():
        return
    seen: set[str] = set()
    for folder, _subfolders, files in os.walk(manifests):
        for tag in sorted(files):
            path = Path(folder) / tag
            name = ollama_name(path.relative_to(manifests))
            for layer in _ollama_layers(path):
                media, digest = layer.get("mediaType"), str(layer.get("digest", ""))
                match = _DIGEST.match(digest)
                if media not in (OLLAMA_MODEL, OLLAMA_PROJECTOR) or not match or digest in seen:
                    continue
                blob = store / "blobs" / f"sha256-{match[1]}"
                try:
                    size = blob.stat().st_size
                except OSError:
                    continue
                seen.add(digest)
                shown = name if media == OLLAMA_MODEL else f"mmproj of {name}"
                yield LocalModel(
                    blob, size, ModelSource.OLLAMA, _ollama_repo(path.relative_to(manifests)),
                    match[1], shown,
                )  # fmt: skip


def ollama_name(manifest: Path) -> str:
    """`registry.ollama.ai/library/mistral-small3.2/24b` -> `mistral-small3.2:24b`;
    `hf.co/unsloth/X-GGUF/Q4_K_M` -> `X-GGUF:Q4_K_M`."""
    parts = manifest.parts
    return f"{parts[-2]}:{parts[-1]}" if len(parts) >= 2 else manifest.name


def _ollama_repo(manifest: Path) -> str | None:
    parts = manifest.parts
    return f"{parts[1]}/{parts[2]}" if len(parts) == 4 and parts[0] == "hf.co" else None


def _ollama_layers(manifest: Path) -> list[dict[str, Any]]:
    data = _read_json(manifest)
    layers = data.get("layers") if data is not None else None
    if not isinstance(layers, list):
        return []
    return [layer for layer in layers if isinstance(layer, dict)]


# --- reading other programs' files, never failing on them ---------------------------------------


def _read_text(path: Path) -> str | None:
    try:
        if path.stat().st_size > SETTINGS_LIMIT:
            return None
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _read_json(path: Path) -> dict[str, Any] | None:
    text = _read_text(path)
    try:
        data = json.loads(text) if text else None
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _setting(path: Path, key: str) -> str | None:
    data = _read_json(path)
    value = data.get(key) if data is not None else None
    return value if isinstance(value, str) and value.strip() else None


def _unique(folders: list[Path]) -> list[Path]:
    return list(dict.fromkeys(folders))
