"""The settings' types: what the user can set, with the defaults, and a conversation's own."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from app.app_log import LogLevel
from app.core.context_fit import ContextOverflow as ContextOverflow  # a setting of its own too
from app.core.kv_cache import KvCacheType
from app.core.sampling import SamplingParams
from app.engine.protocol import LoadModel
from app.models.fit_load import ALL_LAYERS, LoadSetting, n_gpu_layers_for
from app.models.fit_planner import MemoryBudget

SCHEMA_VERSION = 1

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
    language: str | None = None  # a language code such as "fr"; None follows the system


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
