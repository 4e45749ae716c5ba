"""The settings as JSON: the mapping both ways, checking every value that is read."""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any
from urllib.parse import urlsplit

from app.app_log import LogLevel
from app.core.i18n import translate
from app.core.kv_cache import KvCacheType
from app.core.sampling import SamplingParams
from app.settings.json_reader import JsonReader, SettingsError
from app.settings.schema import (
    DEFAULT_API_PORT,
    DEFAULT_TOOL_ROUNDS,
    DEFAULT_TOOL_TIMEOUT_S,
    MAX_CONTEXT,
    MAX_FONT_SIZE,
    MAX_SNAPSHOT_BUDGET_GB,
    MIN_CONTEXT,
    MIN_FONT_SIZE,
    SCHEMA_VERSION,
    ApiSettings,
    AppearanceSettings,
    ContextOverflow,
    ConversationOverrides,
    EngineChoice,
    LibrarySettings,
    ModelSettings,
    RemoteSettings,
    Settings,
    ThemeChoice,
    ToolSettings,
)


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
        "language": settings.language,
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
    reader = JsonReader(data, "conversation")
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


def _sampling_from(reader: JsonReader) -> SamplingParams:
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
        message = translate("Settings", "the address “{address}” is not an http:// or https:// URL")
        raise SettingsError(message.format(address=endpoint))
    return endpoint


def settings_from_json(text: str) -> Settings:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        message = translate("Settings", "the file is not valid JSON ({reason}, line {line})")
        raise SettingsError(message.format(reason=exc.msg, line=exc.lineno)) from exc
    return settings_from_dict(data)


def settings_from_dict(data: object) -> Settings:
    root = JsonReader(data, "settings")
    version = root.optional_integer("schema_version")
    if version is None or version < 1:
        raise SettingsError(translate("Settings", "the file has no valid schema version"))
    if version > SCHEMA_VERSION:
        message = translate(
            "Settings", "the file was written by a newer version of Tramontane (schema {version})"
        )
        raise SettingsError(message.format(version=version))
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
        language=root.language("language"),
    )
