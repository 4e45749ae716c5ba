"""Every GGUF file on this computer that Tramontane can use: its own folder, the folders the user
listed, and the stores of the Hugging Face cache, llama.cpp, Ollama, LM Studio and Jan; each
with a name for where it came from."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from app.core.i18n import translate
from app.models.local_models import LocalModel, ModelSource, scan_models
from app.models.other_tools import UserEnvironment, hf_hub_cache, scan_other_tools


def source_name(model: LocalModel) -> str:
    names = {
        ModelSource.APP: translate("ModelSearch", "Tramontane's folder"),
        ModelSource.HF_CACHE: translate("ModelSearch", "Hugging Face cache"),
        ModelSource.LLAMA_CPP: translate("ModelSearch", "llama.cpp's cache"),
        ModelSource.OLLAMA: "Ollama",
        ModelSource.LM_STUDIO: "LM Studio",
        ModelSource.JAN: "Jan",
        ModelSource.FOLDER: translate("ModelSearch", "Your folder"),
    }
    return names[model.source]


def short_path(path: Path, home: Path | None = None) -> str:
    """`path` with the home folder written `~`, as people read it."""
    home = home if home is not None else Path.home()
    try:
        return str(Path("~") / path.relative_to(home))
    except ValueError:
        return str(path)


def find_local_models(
    folders: Iterable[Path] = (),
    *,
    app_dir: Path | None = None,
    user: UserEnvironment | None = None,
) -> list[LocalModel]:
    """All GGUF files found, each once (a file two tools share is listed where it is first
    found: Tramontane's folder, then the Hugging Face cache, then the other tools)."""
    user = user if user is not None else UserEnvironment.current()
    found: dict[Path, LocalModel] = {}
    own = scan_models(folders, app_dir=app_dir, hf_cache_dir=hf_hub_cache(user), home=user.home)
    for model in (*own, *scan_other_tools(user)):
        try:
            key = model.path.resolve()
        except OSError:
            continue
        found.setdefault(key, model)
    return sorted(found.values(), key=lambda m: (m.source.value, str(m.path)))
