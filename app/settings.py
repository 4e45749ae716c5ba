"""The user's settings: typed, versioned, saved as JSON in the data folder.

A settings file that cannot be read (bad JSON, wrong types, written by a newer version) never
stops the program: the defaults are used, the user is told, and the file is kept aside.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from app.app_log import LogLevel
from app.core.context_fit import ContextOverflow as ContextOverflow  # a setting of its own too
from app.core.kv_cache import KvCacheType
from app.core.sampling import SamplingParams
from app.engine.protocol import LoadModel
from app.models.fit_load import ALL_LAYERS, LoadSetting, n_gpu_layers_for
from app.models.fit_planner import MemoryBudget
from app.paths import data_dir

SCHEMA_VERSION = 1
SETTINGS_FILE_NAME = "settings.json"

MIN_CONTEXT = 512
MAX_CONTEXT = 131072
DEFAULT_CONTEXT = 32768
DEFAULT_SNAPSHOT_BUDGET_GB = 20  # Mistral Small takes 160 KB a token in f16, 85 KB in q8_0
MAX_SNAPSHOT_BUDGET_GB = 10_000
AUTOMATIC_GPU_LAYERS = ALL_LAYERS  # the planner's count (every layer when the model fits)
MIN_FONT_SIZE = 8
MAX_FONT_SIZE = 32


class ThemeChoice(StrEnum):
    LIGHT = "light"
    DARK = "dark"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class ModelSettings:
    model_path: Path | None = None
    mmproj_path: Path | None = None
    n_ctx: int = DEFAULT_CONTEXT
    kv_cache_type: KvCacheType = KvCacheType.F16
    n_gpu_layers: int = AUTOMATIC_GPU_LAYERS  # or a count the user chose
    flash_attention: bool = True
    read_ahead: bool = True  # evaluate the message being written in pauses of the typing
    kv_on_gpu: bool = True  # False: llama.cpp's offload_kqv off, the KV cache in system memory
    kv_snapshots: bool = True  # keep a conversation's KV cache on disk when the engine leaves it
    snapshot_budget_gb: int = DEFAULT_SNAPSHOT_BUDGET_GB  # the disk they may take, in GB

    @property
    def snapshot_budget_bytes(self) -> int:
        return self.snapshot_budget_gb * 10**9

    def load_setting(self, model_path: Path) -> LoadSetting:
        """What the planner needs to know of a load of `model_path`, images included."""
        projector = self.mmproj_path
        return LoadSetting(
            _file_size(model_path),
            self.n_ctx,
            self.kv_cache_type,
            _file_size(projector) if projector is not None else 0,
            self.kv_on_gpu,
        )

    def load_command(self, model_path: Path, budget: MemoryBudget | None = None) -> LoadModel:
        """The load of `model_path`; with GPU layers automatic and a `budget`, with as many
        layers on the GPU as the planner gives this file, context, KV type and projector."""
        layers = self.n_gpu_layers
        if layers == AUTOMATIC_GPU_LAYERS and budget is not None:
            layers = n_gpu_layers_for(self.load_setting(model_path), budget)
        return LoadModel(
            model_path=model_path,
            mmproj_path=self.mmproj_path,
            n_ctx=self.n_ctx,
            n_gpu_layers=layers,
            flash_attention=self.flash_attention,
            kv_cache_type=self.kv_cache_type,
            offload_kqv=self.kv_on_gpu,
        )


def same_load(one: ModelSettings, other: ModelSettings) -> bool:
    """Whether the two load the model alike (snapshot settings take effect without a reload)."""
    kept = replace(
        one, kv_snapshots=other.kv_snapshots, snapshot_budget_gb=other.snapshot_budget_gb
    )
    return kept == other


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


@dataclass(frozen=True, slots=True)
class AppearanceSettings:
    theme: ThemeChoice = ThemeChoice.SYSTEM
    font_size: int = 11


class ToolPolicy(StrEnum):
    """What happens when the model calls a tool."""

    ASK = "ask"  # show the call, run it only when the user says so
    ALWAYS = "always"  # run it at once
    NEVER = "never"  # not offered to the model at all


DEFAULT_TOOL_ROUNDS = 5
DEFAULT_TOOL_TIMEOUT_S = 60


@dataclass(frozen=True, slots=True)
class ToolSettings:
    # Off by default: Mistral's format puts the tool list before the last user message, so
    # with tools on, each follow-up also re-reads that list and the last exchange.
    enabled: bool = False
    policies: dict[str, ToolPolicy] = field(default_factory=dict)  # by tool name; default ASK
    allowed_folders: tuple[Path, ...] = ()  # what the file tools may read
    max_rounds: int = DEFAULT_TOOL_ROUNDS  # calls answered in a row before the user is asked
    timeout_s: int = DEFAULT_TOOL_TIMEOUT_S

    def policy(self, name: str) -> ToolPolicy:
        return self.policies.get(name, ToolPolicy.ASK)


@dataclass(frozen=True, slots=True)
class RemoteSettings:
    """An OpenAI-compatible server that answers instead of the local engine (its API key is
    kept apart, see app/api_key.py)."""

    enabled: bool = False
    base_url: str = ""  # e.g. http://gpu-box:8000/v1
    model: str = ""  # empty: the first model the server lists


DEFAULT_API_PORT = 8088


@dataclass(frozen=True, slots=True)
class ApiSettings:
    """The loaded model served on an OpenAI-compatible API (off by default)."""

    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = DEFAULT_API_PORT
    token: str = ""  # required (and generated) when the host is not the loopback address


@dataclass(frozen=True, slots=True)
class LibrarySettings:
    """Where models come from: the hub's address, whether the network may be used at all, and
    folders of GGUF files the user keeps outside the app (LM Studio's and the like)."""

    hub_endpoint: str | None = None  # None = the HF_ENDPOINT variable, else the hub itself
    offline: bool = False
    model_folders: tuple[Path, ...] = ()


@dataclass(frozen=True, slots=True)
class Settings:
    model: ModelSettings = field(default_factory=ModelSettings)
    library: LibrarySettings = field(default_factory=LibrarySettings)
    tools: ToolSettings = field(default_factory=ToolSettings)
    remote: RemoteSettings = field(default_factory=RemoteSettings)
    api: ApiSettings = field(default_factory=ApiSettings)
    sampling: SamplingParams = field(default_factory=SamplingParams)
    system_prompt: str | None = None  # None = the model's own prompt, dated today
    user_name: str = ""  # fills {user} in system prompts
    appearance: AppearanceSettings = field(default_factory=AppearanceSettings)
    context_overflow: ContextOverflow = ContextOverflow.ASK
    log_level: LogLevel = LogLevel.INFO  # of the log file in the data folder


class EngineChoice(StrEnum):
    """Which engine answers a conversation."""

    LOCAL = "local"  # llama.cpp on this computer
    SERVER = "server"  # the server of Settings → Engine


@dataclass(frozen=True, slots=True)
class ConversationOverrides:
    """A conversation's own system prompt, sampling and engine, over the global settings."""

    override_system_prompt: bool = False
    system_prompt: str | None = None  # with the override: None = the model's own prompt
    sampling: SamplingParams | None = None
    engine: EngineChoice | None = None  # None: as Settings → Engine says

    def system_prompt_for(self, settings: Settings) -> str | None:
        return self.system_prompt if self.override_system_prompt else settings.system_prompt

    def sampling_for(self, settings: Settings) -> SamplingParams:
        return self.sampling or settings.sampling

    def engine_for(self, settings: Settings) -> EngineChoice:
        if self.engine is not None:
            return self.engine
        remote = settings.remote
        return EngineChoice.SERVER if remote.enabled and remote.base_url else EngineChoice.LOCAL

    @property
    def empty(self) -> bool:
        return not self.override_system_prompt and self.sampling is None and self.engine is None


class SettingsError(ValueError):
    """A settings file that cannot be used; the message says why, in words for the user."""


class SettingsSaveError(OSError):
    """The settings could not be written (read-only folder, full disk)."""


@dataclass(frozen=True, slots=True)
class LoadedSettings:
    settings: Settings
    notice: str | None = None  # set when the file was unusable and the defaults are in use


def settings_path() -> Path:
    return data_dir() / SETTINGS_FILE_NAME


def load_settings(path: Path | None = None) -> LoadedSettings:
    """Read the settings file; fall back to the defaults (with a notice) when it is unusable."""
    path = path or settings_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LoadedSettings(Settings())
    except (OSError, UnicodeDecodeError) as exc:
        return LoadedSettings(Settings(), f"The settings file {path} could not be read ({exc}).")
    try:
        return LoadedSettings(settings_from_json(raw))
    except SettingsError as exc:
        kept = _keep_aside(path)
        where = f" The file was kept as {kept.name}." if kept else ""
        return LoadedSettings(Settings(), f"Settings were reset to the defaults: {exc}.{where}")


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write atomically: a temporary file in the same folder, then a rename over the old one."""
    path = path or settings_path()
    text = json.dumps(settings_to_dict(settings), indent=2, ensure_ascii=False) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise SettingsSaveError(f"The settings could not be saved to {path}: {exc}") from exc


def _keep_aside(path: Path) -> Path | None:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.bad-{stamp}")
    try:
        os.replace(path, target)
    except OSError:
        return None
    return target


# ---- JSON mapping -------------------------------------------------------------------------------


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    model = settings.model
    sampling = settings.sampling
    return {
        "schema_version": SCHEMA_VERSION,
        "model": {
            "model_path": str(model.model_path) if model.model_path else None,
            "mmproj_path": str(model.mmproj_path) if model.mmproj_path else None,
            "n_ctx": model.n_ctx,
            "kv_cache_type": model.kv_cache_type.value,
            "n_gpu_layers": model.n_gpu_layers,
            "flash_attention": model.flash_attention,
            "read_ahead": model.read_ahead,
            "kv_snapshots": model.kv_snapshots,
            "snapshot_budget_gb": model.snapshot_budget_gb,
            "kv_on_gpu": model.kv_on_gpu,
        },
        "library": {
            "hub_endpoint": settings.library.hub_endpoint,
            "offline": settings.library.offline,
            "model_folders": [str(folder) for folder in settings.library.model_folders],
        },
        "api": {
            "enabled": settings.api.enabled,
            "host": settings.api.host,
            "port": settings.api.port,
            "token": settings.api.token,
        },
        "remote": {
            "enabled": settings.remote.enabled,
            "base_url": settings.remote.base_url,
            "model": settings.remote.model,
        },
        "tools": {
            "enabled": settings.tools.enabled,
            "policies": {name: policy.value for name, policy in settings.tools.policies.items()},
            "allowed_folders": [str(folder) for folder in settings.tools.allowed_folders],
            "max_rounds": settings.tools.max_rounds,
            "timeout_s": settings.tools.timeout_s,
        },
        "sampling": _sampling_to_dict(sampling),
        "system_prompt": settings.system_prompt,
        "user_name": settings.user_name,
        "appearance": {
            "theme": settings.appearance.theme.value,
            "font_size": settings.appearance.font_size,
        },
        "context_overflow": settings.context_overflow.value,
        "log_level": settings.log_level.value,
    }


def overrides_to_dict(overrides: ConversationOverrides) -> dict[str, Any]:
    sampling = overrides.sampling
    return {
        "override_system_prompt": overrides.override_system_prompt,
        "system_prompt": overrides.system_prompt,
        "sampling": _sampling_to_dict(sampling) if sampling else None,
        "engine": overrides.engine.value if overrides.engine else None,
    }


def overrides_from_dict(data: object) -> ConversationOverrides:
    """Raises `SettingsError` on a malformed value."""
    reader = _Reader(data, "conversation")
    return ConversationOverrides(
        override_system_prompt=reader.flag("override_system_prompt", False),
        system_prompt=reader.text("system_prompt", None),
        sampling=_sampling_from(reader.section("sampling")) if reader.has("sampling") else None,
        engine=reader.enum("engine", EngineChoice, EngineChoice.LOCAL)
        if reader.has("engine")
        else None,
    )


def _sampling_to_dict(sampling: SamplingParams) -> dict[str, Any]:
    return {f.name: getattr(sampling, f.name) for f in fields(sampling)}


def _sampling_from(reader: _Reader) -> SamplingParams:
    sp = SamplingParams()
    return SamplingParams(
        temperature=reader.number("temperature", sp.temperature, low=0.0, high=5.0),
        top_p=reader.number("top_p", sp.top_p, low=0.0, high=1.0),
        top_k=reader.integer("top_k", sp.top_k, low=0),
        min_p=reader.number("min_p", sp.min_p, low=0.0, high=1.0),
        repeat_penalty=reader.number("repeat_penalty", sp.repeat_penalty, low=0.0, high=5.0),
        seed=reader.optional_integer("seed", low=0),
        max_tokens=reader.integer("max_tokens", sp.max_tokens, low=1, high=MAX_CONTEXT),
        repetition_guard=reader.flag("repetition_guard", sp.repetition_guard),
        speculative=reader.flag("speculative", sp.speculative),
        grammar=reader.text("grammar", None) or None,
    )


def check_hub_endpoint(endpoint: str | None) -> str | None:
    """The hub address as saved: blank means none; anything else must be an http(s) URL."""
    if endpoint is None or not endpoint.strip():
        return None
    endpoint = endpoint.strip().rstrip("/")
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"the hub address {endpoint!r} is not an http:// or https:// URL")
    return endpoint


def settings_from_json(text: str) -> Settings:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SettingsError(f"the file is not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    return settings_from_dict(data)


def settings_from_dict(data: object) -> Settings:
    root = _Reader(data, "settings")
    version = root.optional_integer("schema_version")
    if version is None or version < 1:
        raise SettingsError("the file has no valid schema version")
    if version > SCHEMA_VERSION:
        raise SettingsError(
            f"the file was written by a newer version of Tramontane (schema {version})"
        )
    defaults = Settings()
    model = root.section("model")
    library = root.section("library")
    tools = root.section("tools")
    remote = root.section("remote")
    api = root.section("api")
    appearance = root.section("appearance")
    return Settings(
        model=ModelSettings(
            model_path=model.path("model_path"),
            mmproj_path=model.path("mmproj_path"),
            n_ctx=model.integer("n_ctx", defaults.model.n_ctx, low=MIN_CONTEXT, high=MAX_CONTEXT),
            kv_cache_type=model.enum("kv_cache_type", KvCacheType, defaults.model.kv_cache_type),
            n_gpu_layers=model.integer("n_gpu_layers", defaults.model.n_gpu_layers, low=-1),
            flash_attention=model.flag("flash_attention", defaults.model.flash_attention),
            read_ahead=model.flag("read_ahead", defaults.model.read_ahead),
            kv_snapshots=model.flag("kv_snapshots", defaults.model.kv_snapshots),
            snapshot_budget_gb=model.integer(
                "snapshot_budget_gb",
                defaults.model.snapshot_budget_gb,
                low=1,
                high=MAX_SNAPSHOT_BUDGET_GB,
            ),
            kv_on_gpu=model.flag("kv_on_gpu", defaults.model.kv_on_gpu),
        ),
        library=LibrarySettings(
            hub_endpoint=check_hub_endpoint(library.text("hub_endpoint", None)),
            offline=library.flag("offline", defaults.library.offline),
            model_folders=library.paths("model_folders"),
        ),
        api=ApiSettings(
            enabled=api.flag("enabled", False),
            host=api.text("host", "127.0.0.1") or "127.0.0.1",
            port=api.integer("port", DEFAULT_API_PORT, low=1, high=65535),
            token=api.text("token", "") or "",
        ),
        remote=RemoteSettings(
            enabled=remote.flag("enabled", False),
            base_url=check_hub_endpoint(remote.text("base_url", None)) or "",
            model=remote.text("model", "") or "",
        ),
        tools=ToolSettings(
            enabled=tools.flag("enabled", False),
            policies=tools.policies("policies"),
            allowed_folders=tools.paths("allowed_folders"),
            max_rounds=tools.integer("max_rounds", DEFAULT_TOOL_ROUNDS, low=1, high=50),
            timeout_s=tools.integer("timeout_s", DEFAULT_TOOL_TIMEOUT_S, low=1, high=3600),
        ),
        sampling=_sampling_from(root.section("sampling")),
        system_prompt=root.text("system_prompt", None),
        user_name=root.text("user_name", defaults.user_name) or "",
        appearance=AppearanceSettings(
            theme=appearance.enum("theme", ThemeChoice, defaults.appearance.theme),
            font_size=appearance.integer(
                "font_size", defaults.appearance.font_size, low=MIN_FONT_SIZE, high=MAX_FONT_SIZE
            ),
        ),
        context_overflow=root.enum("context_overflow", ContextOverflow, defaults.context_overflow),
        log_level=root.enum("log_level", LogLevel, defaults.log_level),
    )


_E = TypeVar("_E", bound=StrEnum)


class _Reader:
    """Typed access to one JSON object; a missing key gives the default, a wrong value raises."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, dict):
            raise SettingsError(f"'{where}' is not an object")
        self._data: dict[str, object] = data
        self._where = where

    def has(self, key: str) -> bool:
        return self._data.get(key) is not None

    def section(self, key: str) -> _Reader:
        return _Reader(self._data.get(key, {}), key)

    def _get(self, key: str, *kinds: type) -> object | None:
        value = self._data.get(key)
        if value is None:
            return None
        # bool is an int in Python; a JSON true must not pass for a number
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise SettingsError(f"'{self._where}.{key}' has the wrong type")
        return value

    def text(self, key: str, default: str | None) -> str | None:
        value = self._get(key, str)
        return default if value is None else str(value)

    def flag(self, key: str, default: bool) -> bool:
        value = self._get(key, bool)
        return default if value is None else bool(value)

    def path(self, key: str) -> Path | None:
        value = self._get(key, str)
        return Path(str(value)) if value else None

    def paths(self, key: str) -> tuple[Path, ...]:
        value = self._get(key, list)
        if value is None:
            return ()
        items = value if isinstance(value, list) else []
        if not all(isinstance(item, str) and item for item in items):
            raise SettingsError(f"'{self._where}.{key}' must list folder paths")
        return tuple(Path(item) for item in items)

    def policies(self, key: str) -> dict[str, ToolPolicy]:
        section = self.section(key)
        return {name: section.enum(name, ToolPolicy, ToolPolicy.ASK) for name in section.names()}

    def names(self) -> list[str]:
        return list(self._data)

    def integer(
        self, key: str, default: int, *, low: int | None = None, high: int | None = None
    ) -> int:
        value = self.optional_integer(key, low=low, high=high)
        return default if value is None else value

    def optional_integer(
        self, key: str, *, low: int | None = None, high: int | None = None
    ) -> int | None:
        value = self._get(key, int)
        if not isinstance(value, int):
            return None
        self._check_range(key, value, low, high)
        return value

    def number(self, key: str, default: float, *, low: float, high: float) -> float:
        value = self._get(key, int, float)
        if not isinstance(value, int | float):
            return default
        self._check_range(key, value, low, high)
        return float(value)

    def enum(self, key: str, kind: type[_E], default: _E) -> _E:
        value = self._get(key, str)
        if value is None:
            return default
        try:
            return kind(str(value))
        except ValueError:
            raise SettingsError(f"'{self._where}.{key}' has an unknown value {value!r}") from None

    def _check_range(self, key: str, value: float, low: float | None, high: float | None) -> None:
        if (low is not None and value < low) or (high is not None and value > high):
            raise SettingsError(f"'{self._where}.{key}' is out of range ({value})")
