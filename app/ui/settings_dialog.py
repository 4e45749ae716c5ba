"""The settings dialog: every field of `Settings`, on pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.app_log import LogLevel
from app.core.i18n import translate
from app.core.kv_cache import KvCacheType
from app.paths import data_dir
from app.qt_bridge.language import language_name
from app.qt_bridge.mcp_manager import McpManager
from app.settings import (
    MAX_CONTEXT,
    MAX_FONT_SIZE,
    MIN_CONTEXT,
    MIN_FONT_SIZE,
    AppearanceSettings,
    ContextOverflow,
    ModelSettings,
    Settings,
    ThemeChoice,
)
from app.tools.registry import PLUGINS_FOLDER, PluginError, Tool
from app.translations import shipped_languages
from app.ui.engine_page import EnginePage
from app.ui.library_page import LibraryPage
from app.ui.scrolling_tabs import ScrollingTabs
from app.ui.settings_forms import (
    PathField,
    SamplingForm,
    SystemPromptForm,
    accessible,
    chosen,
    combo,
    hint_label,
    select,
)
from app.ui.snapshot_settings import SnapshotSettingsBox
from app.ui.text_size import scaled_size
from app.ui.tools_page import ToolsPage


class SettingsDialog(QDialog):
    """All settings; the appearance is previewed live and put back on Cancel."""

    appearance_previewed = Signal(object)  # AppearanceSettings

    def __init__(
        self,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        tools: Sequence[Tool] = (),
        tool_errors: Sequence[PluginError] = (),
        mcp: McpManager | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("SettingsDialog", "Settings"))
        self._initial = settings
        self.tabs = ScrollingTabs(self)
        self.tabs.addTab(self._model_page(), translate("SettingsDialog", "Model"))
        self.tabs.addTab(self._answers_page(), translate("SettingsDialog", "Answers"))
        self.tabs.addTab(self._appearance_page(), translate("SettingsDialog", "Appearance"))
        self.tabs.addTab(self._conversations_page(), translate("SettingsDialog", "Conversations"))
        self.library_page = LibraryPage(self)
        self.tabs.addTab(self.library_page, translate("SettingsDialog", "Downloads"))
        plugins = str(data_dir() / PLUGINS_FOLDER)
        self.tools_page = ToolsPage(list(tools), list(tool_errors), plugins, mcp, self)
        self.tabs.addTab(self.tools_page, translate("SettingsDialog", "Tools"))
        self.engine_page = EnginePage(self)
        self.tabs.addTab(self.engine_page, translate("SettingsDialog", "Engine"))
        accessible(
            self.tabs,
            translate("SettingsDialog", "Settings pages"),
            translate("SettingsDialog", "Choose a page of settings with Ctrl+Tab"),
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("errorText")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self._fill(settings)
        self.theme.currentIndexChanged.connect(self._preview)
        self.font_size.valueChanged.connect(self._preview)
        self.resize(scaled_size(self, 620, 580))  # room for French, whose lines are longer

    # ---- pages ----------------------------------------------------------------------------

    def _model_page(self) -> QWidget:
        page = QWidget(self)
        self.model_path = PathField(translate("SettingsDialog", "Choose a model file"), page)
        self.model_path.describe(
            translate("SettingsDialog", "Model file"),
            translate("SettingsDialog", "The GGUF file of the model to load"),
        )
        self.mmproj_path = PathField(
            translate("SettingsDialog", "Choose a vision projector (mmproj) file"), page
        )
        self.mmproj_path.describe(
            translate("SettingsDialog", "Vision projector"),
            translate("SettingsDialog", "The mmproj GGUF file that lets the model see images"),
        )
        self.n_ctx = QSpinBox(page)
        self.n_ctx.setRange(MIN_CONTEXT, MAX_CONTEXT)
        self.n_ctx.setSingleStep(4096)
        self.n_ctx.setSuffix(translate("SettingsDialog", " tokens"))
        self.kv_cache = combo(
            page,
            [
                (translate("SettingsDialog", "F16 (best quality)"), KvCacheType.F16),
                (translate("SettingsDialog", "Q8_0 (half the memory)"), KvCacheType.Q8_0),
                (translate("SettingsDialog", "Q4_0 (a quarter of the memory)"), KvCacheType.Q4_0),
            ],
        )
        self.gpu_layers = QSpinBox(page)
        self.gpu_layers.setRange(-1, 999)
        self.gpu_layers.setSpecialValueText(
            translate("SettingsDialog", "Automatic (as many as fit)")
        )
        self.kv_on_gpu = QCheckBox(translate("SettingsDialog", "KV cache on the GPU"), page)
        self.kv_on_gpu.setToolTip(
            translate(
                "SettingsDialog",
                "Off: the KV cache stays in system memory, so a longer context fits beside the "
                "model, but attention runs on the CPU and answers slow down as the context fills.",
            )
        )
        self.flash_attention = QCheckBox(translate("SettingsDialog", "Flash attention"), page)
        self.read_ahead = QCheckBox(
            translate("SettingsDialog", "Read my message while I write it"), page
        )
        self.read_ahead.setToolTip(
            translate(
                "SettingsDialog",
                "When you pause typing, the model reads the message so far (and its images), so "
                "that its answer starts sooner once you send it. Takes effect at once.",
            )
        )
        self._describe_model_page()
        note = translate(
            "SettingsDialog", "Changes to the model take effect when the model is loaded again."
        )
        form = QFormLayout(page)
        form.addRow(translate("SettingsDialog", "Model file"), self.model_path)
        form.addRow(translate("SettingsDialog", "Vision projector"), self.mmproj_path)
        form.addRow(translate("SettingsDialog", "Context size"), self.n_ctx)
        form.addRow(translate("SettingsDialog", "KV cache"), self.kv_cache)
        form.addRow(translate("SettingsDialog", "GPU layers"), self.gpu_layers)
        form.addRow("", self.kv_on_gpu)
        form.addRow("", self.flash_attention)
        form.addRow("", hint_label(note, page))
        form.addRow("", self.read_ahead)
        self.snapshots = SnapshotSettingsBox(page)
        form.addRow(self.snapshots)
        return page

    def _describe_model_page(self) -> None:
        for widget, name, description in (
            (
                self.n_ctx,
                translate("SettingsDialog", "Context size"),
                translate("SettingsDialog", "How many tokens of the conversation the model reads"),
            ),
            (
                self.kv_cache,
                translate("SettingsDialog", "KV cache"),
                translate("SettingsDialog", "How precisely the model keeps what it has read"),
            ),
            (
                self.gpu_layers,
                translate("SettingsDialog", "GPU layers"),
                translate("SettingsDialog", "How many of the model's layers run on the GPU"),
            ),
            (
                self.kv_on_gpu,
                translate("SettingsDialog", "KV cache on the GPU"),
                translate("SettingsDialog", "Keeps the KV cache in the GPU's memory"),
            ),
            (
                self.flash_attention,
                translate("SettingsDialog", "Flash attention"),
                translate("SettingsDialog", "Computes attention faster and in less memory"),
            ),
            (
                self.read_ahead,
                translate("SettingsDialog", "Read ahead"),
                translate("SettingsDialog", "The model reads your message while you write it"),
            ),
        ):
            accessible(widget, name, description)

    def _answers_page(self) -> QWidget:
        page = QWidget(self)
        prompt_box = QGroupBox(translate("SettingsDialog", "System prompt"), page)
        self.system_prompt = SystemPromptForm(prompt_box)
        QVBoxLayout(prompt_box).addWidget(self.system_prompt)
        sampling_box = QGroupBox(translate("SettingsDialog", "Sampling"), page)
        self.sampling = SamplingForm(sampling_box)
        QVBoxLayout(sampling_box).addWidget(self.sampling)
        layout = QVBoxLayout(page)
        layout.addWidget(prompt_box, 1)
        layout.addWidget(sampling_box)
        return page

    def _appearance_page(self) -> QWidget:
        page = QWidget(self)
        self.theme = combo(
            page,
            [
                (translate("SettingsDialog", "Same as the system"), ThemeChoice.SYSTEM),
                (translate("SettingsDialog", "Light"), ThemeChoice.LIGHT),
                (translate("SettingsDialog", "Dark"), ThemeChoice.DARK),
            ],
        )
        self.font_size = QSpinBox(page)
        self.font_size.setRange(MIN_FONT_SIZE, MAX_FONT_SIZE)
        self.font_size.setSuffix(translate("SettingsDialog", " pt"))
        self.language = combo(
            page,
            [(translate("SettingsDialog", "Same as the system"), None)]
            + [(language_name(code), code) for code in shipped_languages()],
        )
        self.user_name = QLineEdit(page)
        self.user_name.setPlaceholderText(
            translate("SettingsDialog", "Used for {user} in system prompts")
        )
        for widget, name, description in (
            (
                self.theme,
                translate("SettingsDialog", "Theme"),
                translate("SettingsDialog", "Light or dark colours, or those of the system"),
            ),
            (
                self.font_size,
                translate("SettingsDialog", "Font size"),
                translate("SettingsDialog", "The size of the conversation's text, in points"),
            ),
            (
                self.language,
                translate("SettingsDialog", "Language"),
                translate("SettingsDialog", "The language of the window, from the next start"),
            ),
            (
                self.user_name,
                translate("SettingsDialog", "Your name"),
                translate("SettingsDialog", "Used for {user} in system prompts"),
            ),
        ):
            accessible(widget, name, description)
        restart = translate(
            "SettingsDialog", "A new language is used when Tramontane is started again."
        )
        form = QFormLayout(page)
        form.addRow(translate("SettingsDialog", "Theme"), self.theme)
        form.addRow(translate("SettingsDialog", "Font size"), self.font_size)
        form.addRow(translate("SettingsDialog", "Language"), self.language)
        form.addRow("", hint_label(restart, page))
        form.addRow(translate("SettingsDialog", "Your name"), self.user_name)
        return page

    def _conversations_page(self) -> QWidget:
        page = QWidget(self)
        self.context_overflow = combo(
            page,
            [
                (translate("SettingsDialog", "Ask me each time"), ContextOverflow.ASK),
                (
                    translate("SettingsDialog", "Leave out the oldest messages"),
                    ContextOverflow.DROP_OLDEST,
                ),
                (translate("SettingsDialog", "Don't send"), ContextOverflow.STOP),
            ],
        )
        note = translate(
            "SettingsDialog",
            "The system prompt and pinned messages are never left out. Messages that are left "
            "out stay in the conversation and are marked.",
        )
        self.log_level = combo(
            page,
            [
                (translate("SettingsDialog", "Errors only"), LogLevel.ERROR),
                (translate("SettingsDialog", "Warnings"), LogLevel.WARNING),
                (translate("SettingsDialog", "What the program does (default)"), LogLevel.INFO),
                (translate("SettingsDialog", "Everything, for a bug report"), LogLevel.DEBUG),
            ],
        )
        log_note = translate(
            "SettingsDialog",
            "The log file (Help → Open log folder) records what the program does, never what "
            "you or the model write.",
        )
        accessible(
            self.context_overflow,
            translate("SettingsDialog", "When a conversation is too long"),
            translate("SettingsDialog", "What happens when a conversation no longer fits"),
        )
        accessible(self.log_level, translate("SettingsDialog", "Log file"), log_note)
        form = QFormLayout(page)
        form.addRow(
            translate("SettingsDialog", "When a conversation is too long"), self.context_overflow
        )
        form.addRow("", hint_label(note, page))
        form.addRow(translate("SettingsDialog", "Log file"), self.log_level)
        form.addRow("", hint_label(log_note, page))
        return page

    # ---- values ---------------------------------------------------------------------------

    def _fill(self, settings: Settings) -> None:
        model = settings.model
        self.model_path.set_path(model.model_path)
        self.mmproj_path.set_path(model.mmproj_path)
        self.n_ctx.setValue(model.n_ctx)
        select(self.kv_cache, model.kv_cache_type)
        self.gpu_layers.setValue(model.n_gpu_layers)
        self.kv_on_gpu.setChecked(model.kv_on_gpu)
        self.flash_attention.setChecked(model.flash_attention)
        self.read_ahead.setChecked(model.read_ahead)
        self.snapshots.set_values(model.kv_snapshots, model.snapshot_budget_gb)
        self.system_prompt.set_prompt(settings.system_prompt)
        self.sampling.set_params(settings.sampling)
        select(self.theme, settings.appearance.theme)
        self.font_size.setValue(settings.appearance.font_size)
        select(self.language, settings.language)
        self.user_name.setText(settings.user_name)
        select(self.context_overflow, settings.context_overflow)
        select(self.log_level, settings.log_level)
        self.library_page.set_library(settings.library)
        self.tools_page.set_tools(settings.tools)
        self.engine_page.set_remote(settings.remote)
        self.engine_page.set_api(settings.api)

    def appearance(self) -> AppearanceSettings:
        return AppearanceSettings(
            theme=chosen(self.theme, ThemeChoice), font_size=self.font_size.value()
        )

    def settings(self) -> Settings:
        return replace(
            self._initial,
            model=ModelSettings(
                model_path=self.model_path.path(),
                mmproj_path=self.mmproj_path.path(),
                n_ctx=self.n_ctx.value(),
                kv_cache_type=chosen(self.kv_cache, KvCacheType),
                n_gpu_layers=self.gpu_layers.value(),
                flash_attention=self.flash_attention.isChecked(),
                read_ahead=self.read_ahead.isChecked(),
                kv_on_gpu=self.kv_on_gpu.isChecked(),
                kv_snapshots=self.snapshots.enabled.isChecked(),
                snapshot_budget_gb=self.snapshots.budget.value(),
            ),
            sampling=self.sampling.params(),
            system_prompt=self.system_prompt.prompt(),
            user_name=self.user_name.text().strip(),
            appearance=self.appearance(),
            context_overflow=chosen(self.context_overflow, ContextOverflow),
            log_level=chosen(self.log_level, LogLevel),
            language=self.language.currentData() or None,
            library=self.library_page.library(),
            tools=self.tools_page.tools(self._initial.tools),
            remote=self.engine_page.remote(),
            api=self.engine_page.api(),
        )

    def accept(self) -> None:
        for page, problem in (
            (self.library_page, self.library_page.problem()),
            (self.engine_page, self.engine_page.problem()),
        ):
            if problem is not None:
                self.tabs.setCurrentWidget(page)
                self.error_label.setText(problem)
                self.error_label.show()
                return
        self.engine_page.save_key()
        super().accept()

    def _preview(self) -> None:
        self.appearance_previewed.emit(self.appearance())

    def reject(self) -> None:
        if self.appearance() != self._initial.appearance:
            self.appearance_previewed.emit(self._initial.appearance)
        super().reject()
