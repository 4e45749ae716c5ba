from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from app.core.kv_cache import KvCacheType
from app.core.sampling import SamplingParams
from app.settings import (
    SCHEMA_VERSION,
    AppearanceSettings,
    ContextOverflow,
    ConversationOverrides,
    EngineChoice,
    LibrarySettings,
    ModelSettings,
    RemoteSettings,
    Settings,
    SettingsError,
    SettingsSaveError,
    ThemeChoice,
    ToolPolicy,
    ToolSettings,
    check_hub_endpoint,
    load_settings,
    overrides_from_dict,
    overrides_to_dict,
    save_settings,
    settings_from_dict,
    settings_path,
    settings_to_dict,
)


def custom_settings() -> Settings:
    return Settings(
        model=ModelSettings(
            model_path=Path("/models/Mistral-Small-3.2-24B-Instruct-2506-Q4_K_M.gguf"),
            mmproj_path=Path("/models/mmproj-F16.gguf"),
            n_ctx=131072,
            kv_cache_type=KvCacheType.Q8_0,
            n_gpu_layers=30,
            flash_attention=False,
        ),
        sampling=SamplingParams(temperature=0.7, top_p=0.9, top_k=40, seed=7, max_tokens=1000),
        system_prompt="You help {name}. Today is {today}.",
        user_name="Ada",
        language="fr",
        appearance=AppearanceSettings(theme=ThemeChoice.DARK, font_size=14),
        context_overflow=ContextOverflow.DROP_OLDEST,
        library=LibrarySettings(
            hub_endpoint="https://hf-mirror.example.org",
            offline=True,
            model_folders=(Path("/data/lm-studio"), Path("/data/more models")),
        ),
        tools=ToolSettings(
            enabled=True,
            policies={"calculator": ToolPolicy.ALWAYS, "read_text_file": ToolPolicy.NEVER},
            allowed_folders=(Path("/home/ada/notes"),),
            max_rounds=3,
            timeout_s=20,
        ),
    )


def test_defaults_follow_the_model_card() -> None:
    settings = Settings()
    assert settings.sampling.temperature == 0.15
    assert settings.sampling.top_p == 1.0
    assert settings.sampling.top_k == 0
    assert settings.model.n_ctx == 32768
    assert settings.system_prompt is None
    assert settings.context_overflow is ContextOverflow.ASK


def test_a_missing_file_gives_the_defaults_silently(tmp_path: Path) -> None:
    loaded = load_settings(tmp_path / "settings.json")
    assert loaded.settings == Settings()
    assert loaded.notice is None


def test_saved_settings_load_back_equal(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(custom_settings(), path)
    loaded = load_settings(path)
    assert loaded.notice is None
    assert loaded.settings == custom_settings()
    assert json.loads(path.read_text())["schema_version"] == SCHEMA_VERSION


def test_save_replaces_the_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(Settings(), path)
    save_settings(custom_settings(), path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]
    assert load_settings(path).settings == custom_settings()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "not an object"),
        ('{"schema_version": 99}', "newer version"),
        ('{"model": {}}', "no valid schema version"),
        ('{"schema_version": 1, "model": {"n_ctx": "big"}}', "wrong type"),
        ('{"schema_version": 1, "model": {"n_ctx": 10}}', "out of range"),
        ('{"schema_version": 1, "model": {"n_ctx": 262144}}', "out of range"),
        ('{"schema_version": 1, "sampling": {"temperature": true}}', "wrong type"),
        ('{"schema_version": 1, "appearance": {"theme": "pink"}}', "unknown value"),
        ('{"schema_version": 1, "appearance": []}', "not an object"),
        ('{"schema_version": 1, "library": {"hub_endpoint": "ftp://x"}}', "not an http"),
        ('{"schema_version": 1, "library": {"hub_endpoint": "https://"}}', "not an http"),
        ('{"schema_version": 1, "library": {"model_folders": "/models"}}', "wrong type"),
        ('{"schema_version": 1, "library": {"model_folders": [3]}}', "folder paths"),
        ('{"schema_version": 1, "tools": {"policies": {"x": "maybe"}}}', "unknown value"),
        ('{"schema_version": 1, "tools": {"max_rounds": 0}}', "out of range"),
        ('{"schema_version": 1, "language": "French"}', "unknown value"),
        ('{"schema_version": 1, "language": 33}', "wrong type"),
    ],
)
def test_an_unusable_file_gives_defaults_a_notice_and_is_kept_aside(
    tmp_path: Path, content: str, reason: str
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content)
    loaded = load_settings(path)
    assert loaded.settings == Settings()
    assert loaded.notice is not None and reason in loaded.notice
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("settings.json.bad-")]
    assert len(kept) == 1 and kept[0].read_text() == content
    assert kept[0].name in loaded.notice
    assert not path.exists()


def test_missing_keys_take_their_defaults() -> None:
    settings = settings_from_dict({"schema_version": 1, "user_name": "Ada"})
    assert settings == replace(Settings(), user_name="Ada")


def test_unknown_keys_are_ignored() -> None:
    data = settings_to_dict(custom_settings())
    data["future_feature"] = {"x": 1}
    assert settings_from_dict(data) == custom_settings()


def test_saving_where_no_file_can_be_written_raises_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(SettingsSaveError, match="could not be saved"):
        save_settings(Settings(), blocker / "settings.json")


def test_settings_path_follows_tramontane_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRAMONTANE_HOME", str(tmp_path))
    assert settings_path() == tmp_path / "data" / "settings.json"


def test_load_command_carries_the_model_settings() -> None:
    model = custom_settings().model
    command = model.load_command(Path("/m.gguf"))
    assert command.model_path == Path("/m.gguf")
    assert command.mmproj_path == model.mmproj_path
    assert command.n_ctx == 131072
    assert command.kv_cache_type is KvCacheType.Q8_0
    assert command.n_gpu_layers == 30
    assert command.flash_attention is False


def test_conversation_overrides_apply_over_the_settings() -> None:
    settings = custom_settings()
    assert ConversationOverrides().empty
    assert ConversationOverrides().system_prompt_for(settings) == settings.system_prompt
    assert ConversationOverrides().sampling_for(settings) == settings.sampling
    own = ConversationOverrides(override_system_prompt=True, system_prompt=None)
    assert own.system_prompt_for(settings) is None  # the model's own prompt for this one
    sampling = SamplingParams(temperature=1.0)
    assert ConversationOverrides(sampling=sampling).sampling_for(settings) == sampling


@pytest.mark.parametrize(
    "overrides",
    [
        ConversationOverrides(),
        ConversationOverrides(override_system_prompt=True, system_prompt="Be brief."),
        ConversationOverrides(sampling=SamplingParams(temperature=0.5, seed=3)),
        ConversationOverrides(engine=EngineChoice.SERVER),
    ],
)
def test_conversation_overrides_round_trip(overrides: ConversationOverrides) -> None:
    assert overrides_from_dict(json.loads(json.dumps(overrides_to_dict(overrides)))) == overrides


def test_malformed_conversation_overrides_raise() -> None:
    with pytest.raises(SettingsError):
        overrides_from_dict({"sampling": {"top_p": 3}})


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("", None),
        ("   ", None),
        (" https://hf-mirror.com/ ", "https://hf-mirror.com"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
    ],
)
def test_the_hub_address_is_saved_trimmed_and_blank_means_none(
    typed: str, saved: str | None
) -> None:
    assert check_hub_endpoint(typed) == saved


def test_the_engine_of_a_conversation_follows_settings_unless_it_has_its_own() -> None:
    served = replace(Settings(), remote=RemoteSettings(True, "http://gpu:8000/v1"))
    assert ConversationOverrides().engine_for(Settings()) is EngineChoice.LOCAL
    assert ConversationOverrides().engine_for(served) is EngineChoice.SERVER
    own = ConversationOverrides(engine=EngineChoice.LOCAL)
    assert own.engine_for(served) is EngineChoice.LOCAL and not own.empty


def test_the_kv_cache_placement_is_saved_and_defaults_to_the_gpu() -> None:
    kept = Settings(model=ModelSettings(kv_on_gpu=False))
    saved = json.loads(json.dumps(settings_to_dict(kept)))
    assert settings_from_dict(saved).model.kv_on_gpu is False
    assert settings_from_dict({"schema_version": 1}).model.kv_on_gpu is True


def test_the_language_follows_the_system_unless_one_is_chosen() -> None:
    assert Settings().language is None
    assert settings_to_dict(Settings())["language"] is None
    for code in ("fr", "pt_BR"):
        saved = settings_to_dict(replace(Settings(), language=code))
        assert settings_from_dict(saved).language == code
