from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.kv_cache import KvCacheType
from app.core.sampling import SamplingParams
from app.qt_bridge.settings_controller import SettingsController
from app.settings import (
    AppearanceSettings,
    ContextOverflow,
    ConversationOverrides,
    EngineChoice,
    LibrarySettings,
    Settings,
    ThemeChoice,
    ToolPolicy,
    ToolSettings,
    load_settings,
)
from app.tools.builtin import calculator, current_time
from app.tools.registry import PluginError, function_tool
from app.ui.conversation_settings_dialog import ConversationSettingsDialog
from app.ui.settings_dialog import SettingsDialog
from app.ui.theme import ThemeManager
from app.ui.theme_colors import DARK, LIGHT


def select(combo: object, value: object) -> None:
    index = combo.findData(value)  # type: ignore[attr-defined]
    assert index >= 0
    combo.setCurrentIndex(index)  # type: ignore[attr-defined]


def test_the_dialog_shows_and_returns_every_field(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    assert dialog.settings() == Settings()  # unchanged fields come back unchanged

    dialog.model_path.edit.setText(str(tmp_path / "model-Q4_K_M.gguf"))
    dialog.mmproj_path.edit.setText(str(tmp_path / "mmproj.gguf"))
    dialog.n_ctx.setValue(131072)
    select(dialog.kv_cache, KvCacheType.Q8_0)
    dialog.gpu_layers.setValue(20)
    assert dialog.kv_on_gpu.isChecked()
    dialog.kv_on_gpu.setChecked(False)
    dialog.flash_attention.setChecked(False)
    dialog.system_prompt.use_custom.setChecked(True)
    dialog.system_prompt.text.setPlainText("You help {name}.")
    dialog.sampling.temperature.setValue(0.7)
    dialog.sampling.top_p.setValue(0.9)
    dialog.sampling.top_k.setValue(40)
    dialog.sampling.max_tokens.setValue(2000)
    dialog.sampling.seed.setValue(42)
    dialog.sampling.repetition_guard.setChecked(False)
    dialog.sampling.speculative.setChecked(False)
    select(dialog.theme, ThemeChoice.DARK)
    dialog.font_size.setValue(15)
    dialog.user_name.setText("  Ada ")
    select(dialog.context_overflow, ContextOverflow.DROP_OLDEST)
    dialog.library_page.hub_endpoint.setText("https://hf-mirror.example.org/")
    dialog.library_page.offline.setChecked(True)
    dialog.library_page.folders.add(tmp_path / "lm-studio")

    settings = dialog.settings()
    assert settings.model.model_path == tmp_path / "model-Q4_K_M.gguf"
    assert settings.model.mmproj_path == tmp_path / "mmproj.gguf"
    assert settings.model.n_ctx == 131072
    assert settings.model.kv_cache_type is KvCacheType.Q8_0
    assert settings.model.n_gpu_layers == 20
    assert settings.model.kv_on_gpu is False
    assert settings.model.flash_attention is False
    assert settings.system_prompt == "You help {name}."
    assert settings.sampling == SamplingParams(
        temperature=0.7,
        top_p=0.9,
        top_k=40,
        max_tokens=2000,
        seed=42,
        repetition_guard=False,
        speculative=False,
    )
    assert settings.appearance == AppearanceSettings(ThemeChoice.DARK, 15)
    assert settings.user_name == "Ada"
    assert settings.context_overflow is ContextOverflow.DROP_OLDEST
    assert settings.library == LibrarySettings(
        "https://hf-mirror.example.org", True, (tmp_path / "lm-studio",)
    )


def test_a_hub_address_that_is_no_url_is_refused_with_a_reason(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.library_page.hub_endpoint.setText("hf-mirror.com")

    dialog.accept()

    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.tabs.currentWidget() is dialog.library_page
    assert "hf-mirror.com" in dialog.error_label.text()
    assert "is not an http:// or https:// URL" in dialog.error_label.text()

    dialog.library_page.hub_endpoint.setText("https://hf-mirror.com")
    dialog.accept()
    assert dialog.result() == 1


def test_model_folders_are_added_and_removed(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    folders = dialog.library_page.folders
    folders.add(tmp_path / "a")
    folders.add(tmp_path / "b")
    folders.add(tmp_path / "a")  # listed once
    assert folders.folders() == (tmp_path / "a", tmp_path / "b")

    folders.list.setCurrentRow(0)
    folders.remove_button.click()

    assert dialog.settings().library.model_folders == (tmp_path / "b",)


def test_the_model_prompt_and_a_random_seed_are_the_defaults(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings(system_prompt="Mine", sampling=SamplingParams(seed=3)))
    qtbot.addWidget(dialog)
    dialog.system_prompt.use_model.setChecked(True)
    dialog.sampling.seed.setValue(-1)
    assert dialog.settings().system_prompt is None
    assert dialog.settings().sampling.seed is None
    assert dialog.sampling.seed.text() == "Random"
    assert dialog.sampling.top_k.text() == "Off"


def test_theme_and_font_apply_live_and_cancel_puts_them_back(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme = ThemeManager(app)
    theme.apply(AppearanceSettings(ThemeChoice.LIGHT, 11))
    dialog = SettingsDialog(Settings(appearance=AppearanceSettings(ThemeChoice.LIGHT, 11)))
    qtbot.addWidget(dialog)
    dialog.appearance_previewed.connect(theme.apply)

    select(dialog.theme, ThemeChoice.DARK)
    assert theme.dark
    assert app.palette().window().color().name() == DARK.window
    dialog.font_size.setValue(16)
    assert app.font().pointSize() == 16

    dialog.reject()
    assert not theme.dark
    assert app.palette().window().color().name() == LIGHT.window
    assert app.font().pointSize() == 11


def test_the_settings_controller_saves_and_reports_failures(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    controller = SettingsController(Settings(), path)
    with qtbot.waitSignal(controller.changed):
        controller.set_context_overflow(ContextOverflow.STOP)
    assert load_settings(path).settings.context_overflow is ContextOverflow.STOP

    blocked = SettingsController(Settings(), tmp_path / "settings.json" / "inside")
    with qtbot.waitSignal(blocked.save_failed) as failure:
        blocked.set_model_path(tmp_path / "m.gguf")
    assert "could not be saved" in failure.args[0]
    assert blocked.settings.model.model_path == tmp_path / "m.gguf"  # still in use


def test_conversation_overrides_dialog(qtbot: QtBot) -> None:
    defaults = Settings(system_prompt="Global prompt")
    dialog = ConversationSettingsDialog("Trip", ConversationOverrides(), defaults)
    qtbot.addWidget(dialog)
    assert "Trip" in dialog.windowTitle()
    assert not dialog.system_prompt.isEnabled() and not dialog.sampling.isEnabled()
    assert dialog.overrides() == ConversationOverrides()
    assert dialog.system_prompt.text.toPlainText() == "Global prompt"

    dialog.own_prompt.setChecked(True)
    dialog.system_prompt.text.setPlainText("Answer in French.")
    dialog.own_sampling.setChecked(True)
    dialog.sampling.temperature.setValue(1.0)
    select(dialog.engine, EngineChoice.SERVER)
    overrides = dialog.overrides()
    assert overrides.engine is EngineChoice.SERVER
    assert overrides.override_system_prompt
    assert overrides.system_prompt == "Answer in French."
    assert overrides.sampling is not None and overrides.sampling.temperature == 1.0

    again = ConversationSettingsDialog("Trip", overrides, defaults)
    qtbot.addWidget(again)
    assert again.overrides() == overrides


def test_the_tools_page_sets_the_switch_policies_folders_and_limits(
    qtbot: QtBot, tmp_path: Path
) -> None:
    tools = [function_tool(calculator, "tramontane (builtin)"), function_tool(current_time, "x")]
    errors = [PluginError("broken.py", "failed to load: SyntaxError", "Traceback …")]
    before = Settings(tools=ToolSettings(policies={"gone": ToolPolicy.ALWAYS}))
    dialog = SettingsDialog(before, tools=tools, tool_errors=errors)
    qtbot.addWidget(dialog)
    page = dialog.tools_page
    assert page.table.item(0, 1).text() == "tramontane (builtin)"
    assert page.errors.item(0).text() == "broken.py: failed to load: SyntaxError"
    assert not page.enabled.isChecked()

    page.enabled.setChecked(True)
    select(page.policy_boxes["calculator"], ToolPolicy.ALWAYS)
    select(page.policy_boxes["current_time"], ToolPolicy.NEVER)
    page.folders.add(tmp_path)
    page.max_rounds.setValue(3)
    page.timeout.setValue(15)

    assert dialog.settings().tools == ToolSettings(
        enabled=True,
        policies={
            "gone": ToolPolicy.ALWAYS,  # a plugin not loaded now keeps its setting
            "calculator": ToolPolicy.ALWAYS,
            "current_time": ToolPolicy.NEVER,
        },
        allowed_folders=(tmp_path,),
        max_rounds=3,
        timeout_s=15,
    )
