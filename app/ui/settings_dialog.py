"""The settings dialog (every field of `Settings`) and the per-conversation overrides dialog."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.app_log import LogLevel
from app.core.kv_cache import KvCacheType
from app.core.sampling import SamplingParams
from app.paths import data_dir
from app.qt_bridge.mcp_manager import McpManager
from app.settings import (
    MAX_CONTEXT,
    MAX_FONT_SIZE,
    MIN_CONTEXT,
    MIN_FONT_SIZE,
    AppearanceSettings,
    ContextOverflow,
    ConversationOverrides,
    EngineChoice,
    ModelSettings,
    Settings,
    ThemeChoice,
)
from app.tools.registry import PLUGINS_FOLDER, PluginError, Tool
from app.ui.conversation_date import ConversationDateBox
from app.ui.engine_page import EnginePage
from app.ui.library_page import LibraryPage
from app.ui.scrolling_tabs import ScrollingTabs
from app.ui.snapshot_settings import SnapshotSettingsBox
from app.ui.text_size import scaled_size
from app.ui.tools_page import ToolsPage

_E = TypeVar("_E", bound=StrEnum)

GGUF_FILTER = "GGUF models (*.gguf);;All files (*)"
PLACEHOLDER_HELP = "{name} is the model's name, {user} yours, {today} and {yesterday} are dates."


class PathField(QWidget):
    """A path in a line edit with a Browse… button; empty means none."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._caption = caption
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("None")
        self.edit.setClearButtonEnabled(True)
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(browse)

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text).expanduser() if text else None

    def set_path(self, path: Path | None) -> None:
        self.edit.setText(str(path) if path else "")

    def _browse(self) -> None:
        current = self.path()
        start = str(current.parent) if current else ""
        chosen, _ = QFileDialog.getOpenFileName(self, self._caption, start, GGUF_FILTER)
        if chosen:
            self.edit.setText(chosen)


class SamplingForm(QWidget):
    """Temperature, top-p, top-k, answer length, seed and the repetition guard."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._base = SamplingParams()
        self.temperature = QDoubleSpinBox(self)
        self.temperature.setRange(0.0, 2.0)
        self.temperature.setSingleStep(0.05)
        self.temperature.setDecimals(2)
        self.top_p = QDoubleSpinBox(self)
        self.top_p.setRange(0.0, 1.0)
        self.top_p.setSingleStep(0.05)
        self.top_p.setDecimals(2)
        self.top_k = QSpinBox(self)
        self.top_k.setRange(0, 1000)
        self.top_k.setSpecialValueText("Off")
        self.max_tokens = QSpinBox(self)
        self.max_tokens.setRange(1, MAX_CONTEXT)
        self.max_tokens.setSingleStep(256)
        self.max_tokens.setSuffix(" tokens")
        self.seed = QSpinBox(self)
        self.seed.setRange(-1, 2**31 - 1)
        self.seed.setSpecialValueText("Random")
        self.repetition_guard = QCheckBox("Stop answers that repeat themselves endlessly", self)
        self.speculative = QCheckBox("Draft from the conversation to write faster", self)
        self.speculative.setToolTip(
            "The model checks several tokens per step where the answer repeats text of the "
            "conversation. The answer stays the same."
        )
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Temperature", self.temperature)
        form.addRow("Top-p", self.top_p)
        form.addRow("Top-k", self.top_k)
        form.addRow("Longest answer", self.max_tokens)
        form.addRow("Seed", self.seed)
        form.addRow("", self.repetition_guard)
        form.addRow("", self.speculative)
        note = QLabel("Mistral recommends temperature 0.15, top-p 1.0 and top-k off.", self)
        note.setObjectName("hint")
        note.setWordWrap(True)
        form.addRow("", note)

    def set_params(self, params: SamplingParams) -> None:
        self._base = params
        self.temperature.setValue(params.temperature)
        self.top_p.setValue(params.top_p)
        self.top_k.setValue(params.top_k)
        self.max_tokens.setValue(params.max_tokens)
        self.seed.setValue(-1 if params.seed is None else params.seed)
        self.repetition_guard.setChecked(params.repetition_guard)
        self.speculative.setChecked(params.speculative)

    def params(self) -> SamplingParams:
        return replace(
            self._base,
            temperature=round(self.temperature.value(), 2),
            top_p=round(self.top_p.value(), 2),
            top_k=self.top_k.value(),
            max_tokens=self.max_tokens.value(),
            seed=None if self.seed.value() < 0 else self.seed.value(),
            repetition_guard=self.repetition_guard.isChecked(),
            speculative=self.speculative.isChecked(),
        )


class SystemPromptForm(QWidget):
    """The model's own system prompt, or the user's text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.use_model = QRadioButton("The model's own system prompt, dated today", self)
        self.use_custom = QRadioButton("My own system prompt:", self)
        group = QButtonGroup(self)
        group.addButton(self.use_model)
        group.addButton(self.use_custom)
        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText("You are a helpful assistant…")
        self.text.setTabChangesFocus(True)
        hint = QLabel(PLACEHOLDER_HELP, self)
        hint.setObjectName("hint")
        self.use_custom.toggled.connect(self.text.setEnabled)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.use_model)
        layout.addWidget(self.use_custom)
        layout.addWidget(self.text, 1)
        layout.addWidget(hint)
        self.set_prompt(None)

    def set_prompt(self, prompt: str | None) -> None:
        self.use_custom.setChecked(prompt is not None)
        self.use_model.setChecked(prompt is None)
        self.text.setEnabled(prompt is not None)
        self.text.setPlainText(prompt or "")

    def prompt(self) -> str | None:
        return self.text.toPlainText() if self.use_custom.isChecked() else None


def _combo(parent: QWidget, items: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox(parent)
    for label, value in items:
        combo.addItem(label, value)
    return combo


def _chosen(combo: QComboBox, kind: type[_E]) -> _E:
    """The selected item's value; Qt hands enum members back as their plain string values."""
    return kind(str(combo.currentData()))


def _select(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(0, index))


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
        self.setWindowTitle("Settings")
        self._initial = settings
        self.tabs = ScrollingTabs(self)
        self.tabs.addTab(self._model_page(), "Model")
        self.tabs.addTab(self._answers_page(), "Answers")
        self.tabs.addTab(self._appearance_page(), "Appearance")
        self.tabs.addTab(self._conversations_page(), "Conversations")
        self.library_page = LibraryPage(self)
        self.tabs.addTab(self.library_page, "Downloads")
        plugins = str(data_dir() / PLUGINS_FOLDER)
        self.tools_page = ToolsPage(list(tools), list(tool_errors), plugins, mcp, self)
        self.tabs.addTab(self.tools_page, "Tools")
        self.engine_page = EnginePage(self)
        self.tabs.addTab(self.engine_page, "Engine")
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
        self.resize(scaled_size(self, 560, 520))

    # ---- pages ----------------------------------------------------------------------------

    def _model_page(self) -> QWidget:
        page = QWidget(self)
        self.model_path = PathField("Choose a model file", page)
        self.mmproj_path = PathField("Choose a vision projector (mmproj) file", page)
        self.n_ctx = QSpinBox(page)
        self.n_ctx.setRange(MIN_CONTEXT, MAX_CONTEXT)
        self.n_ctx.setSingleStep(4096)
        self.n_ctx.setSuffix(" tokens")
        self.kv_cache = _combo(
            page,
            [
                ("F16 (best quality)", KvCacheType.F16),
                ("Q8_0 (half the memory)", KvCacheType.Q8_0),
                ("Q4_0 (a quarter of the memory)", KvCacheType.Q4_0),
            ],
        )
        self.gpu_layers = QSpinBox(page)
        self.gpu_layers.setRange(-1, 999)
        self.gpu_layers.setSpecialValueText("Automatic (as many as fit)")
        self.kv_on_gpu = QCheckBox("KV cache on the GPU", page)
        self.kv_on_gpu.setToolTip(
            "Off: the KV cache stays in system memory, so a longer context fits beside the "
            "model, but attention runs on the CPU and answers slow down as the context fills."
        )
        self.flash_attention = QCheckBox("Flash attention", page)
        self.read_ahead = QCheckBox("Read my message while I write it", page)
        self.read_ahead.setToolTip(
            "When you pause typing, the model reads the message so far (and its images), so "
            "that its answer starts sooner once you send it. Takes effect at once."
        )
        note = QLabel("Changes to the model take effect when the model is loaded again.", page)
        note.setObjectName("hint")
        note.setWordWrap(True)
        form = QFormLayout(page)
        form.addRow("Model file", self.model_path)
        form.addRow("Vision projector", self.mmproj_path)
        form.addRow("Context size", self.n_ctx)
        form.addRow("KV cache", self.kv_cache)
        form.addRow("GPU layers", self.gpu_layers)
        form.addRow("", self.kv_on_gpu)
        form.addRow("", self.flash_attention)
        form.addRow("", note)
        form.addRow("", self.read_ahead)
        self.snapshots = SnapshotSettingsBox(page)
        form.addRow(self.snapshots)
        return page

    def _answers_page(self) -> QWidget:
        page = QWidget(self)
        prompt_box = QGroupBox("System prompt", page)
        self.system_prompt = SystemPromptForm(prompt_box)
        QVBoxLayout(prompt_box).addWidget(self.system_prompt)
        sampling_box = QGroupBox("Sampling", page)
        self.sampling = SamplingForm(sampling_box)
        QVBoxLayout(sampling_box).addWidget(self.sampling)
        layout = QVBoxLayout(page)
        layout.addWidget(prompt_box, 1)
        layout.addWidget(sampling_box)
        return page

    def _appearance_page(self) -> QWidget:
        page = QWidget(self)
        self.theme = _combo(
            page,
            [
                ("Same as the system", ThemeChoice.SYSTEM),
                ("Light", ThemeChoice.LIGHT),
                ("Dark", ThemeChoice.DARK),
            ],
        )
        self.font_size = QSpinBox(page)
        self.font_size.setRange(MIN_FONT_SIZE, MAX_FONT_SIZE)
        self.font_size.setSuffix(" pt")
        self.user_name = QLineEdit(page)
        self.user_name.setPlaceholderText("Used for {user} in system prompts")
        form = QFormLayout(page)
        form.addRow("Theme", self.theme)
        form.addRow("Font size", self.font_size)
        form.addRow("Your name", self.user_name)
        return page

    def _conversations_page(self) -> QWidget:
        page = QWidget(self)
        self.context_overflow = _combo(
            page,
            [
                ("Ask me each time", ContextOverflow.ASK),
                ("Leave out the oldest messages", ContextOverflow.DROP_OLDEST),
                ("Don't send", ContextOverflow.STOP),
            ],
        )
        note = QLabel(
            "The system prompt and pinned messages are never left out. Messages that are left "
            "out stay in the conversation and are marked.",
            page,
        )
        note.setObjectName("hint")
        note.setWordWrap(True)
        self.log_level = _combo(
            page,
            [
                ("Errors only", LogLevel.ERROR),
                ("Warnings", LogLevel.WARNING),
                ("What the program does (default)", LogLevel.INFO),
                ("Everything, for a bug report", LogLevel.DEBUG),
            ],
        )
        log_note = QLabel(
            "The log file (Help → Open log folder) records what the program does, never what "
            "you or the model write.",
            page,
        )
        log_note.setObjectName("hint")
        log_note.setWordWrap(True)
        form = QFormLayout(page)
        form.addRow("When a conversation is too long", self.context_overflow)
        form.addRow("", note)
        form.addRow("Log file", self.log_level)
        form.addRow("", log_note)
        return page

    # ---- values ---------------------------------------------------------------------------

    def _fill(self, settings: Settings) -> None:
        model = settings.model
        self.model_path.set_path(model.model_path)
        self.mmproj_path.set_path(model.mmproj_path)
        self.n_ctx.setValue(model.n_ctx)
        _select(self.kv_cache, model.kv_cache_type)
        self.gpu_layers.setValue(model.n_gpu_layers)
        self.kv_on_gpu.setChecked(model.kv_on_gpu)
        self.flash_attention.setChecked(model.flash_attention)
        self.read_ahead.setChecked(model.read_ahead)
        self.snapshots.set_values(model.kv_snapshots, model.snapshot_budget_gb)
        self.system_prompt.set_prompt(settings.system_prompt)
        self.sampling.set_params(settings.sampling)
        _select(self.theme, settings.appearance.theme)
        self.font_size.setValue(settings.appearance.font_size)
        self.user_name.setText(settings.user_name)
        _select(self.context_overflow, settings.context_overflow)
        _select(self.log_level, settings.log_level)
        self.library_page.set_library(settings.library)
        self.tools_page.set_tools(settings.tools)
        self.engine_page.set_remote(settings.remote)
        self.engine_page.set_api(settings.api)

    def appearance(self) -> AppearanceSettings:
        return AppearanceSettings(
            theme=_chosen(self.theme, ThemeChoice), font_size=self.font_size.value()
        )

    def settings(self) -> Settings:
        return replace(
            self._initial,
            model=ModelSettings(
                model_path=self.model_path.path(),
                mmproj_path=self.mmproj_path.path(),
                n_ctx=self.n_ctx.value(),
                kv_cache_type=_chosen(self.kv_cache, KvCacheType),
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
            context_overflow=_chosen(self.context_overflow, ContextOverflow),
            log_level=_chosen(self.log_level, LogLevel),
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


class ConversationSettingsDialog(QDialog):
    """A conversation's own system prompt and sampling, over the global settings."""

    def __init__(
        self,
        title: str,
        overrides: ConversationOverrides,
        defaults: Settings,
        parent: QWidget | None = None,
        *,
        prompt_date: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Settings for “{title}”")
        today = date.today()
        self.date = ConversationDateBox(prompt_date or today, today, self)
        self.own_prompt = QCheckBox("Use a system prompt of its own", self)
        self.system_prompt = SystemPromptForm(self)
        self.own_sampling = QCheckBox("Use sampling settings of its own", self)
        self.sampling = SamplingForm(self)
        self.own_prompt.toggled.connect(self.system_prompt.setEnabled)
        self.own_sampling.toggled.connect(self.sampling.setEnabled)
        self.own_prompt.setChecked(overrides.override_system_prompt)
        self.system_prompt.set_prompt(
            overrides.system_prompt if overrides.override_system_prompt else defaults.system_prompt
        )
        self.system_prompt.setEnabled(overrides.override_system_prompt)
        self.own_sampling.setChecked(overrides.sampling is not None)
        self.sampling.set_params(overrides.sampling or defaults.sampling)
        self.sampling.setEnabled(overrides.sampling is not None)
        self.engine = _combo(
            self,
            [
                ("As in Settings → Engine", None),
                ("This computer", EngineChoice.LOCAL),
                ("The server of Settings → Engine", EngineChoice.SERVER),
            ],
        )
        self.engine.setCurrentIndex(self.engine.findData(overrides.engine))
        engine_row = QFormLayout()
        engine_row.addRow("Answered by", self.engine)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.own_prompt)
        layout.addWidget(self.system_prompt, 1)
        layout.addWidget(self.own_sampling)
        layout.addWidget(self.sampling)
        layout.addLayout(engine_row)
        layout.addWidget(self.date)
        layout.addWidget(buttons)
        self.resize(scaled_size(self, 520, 600))

    @property
    def renew_date(self) -> bool:
        """The user asked for today's date (the history is read again)."""
        return self.date.renew.isChecked()

    def overrides(self) -> ConversationOverrides:
        own_prompt = self.own_prompt.isChecked()
        return ConversationOverrides(
            override_system_prompt=own_prompt,
            system_prompt=self.system_prompt.prompt() if own_prompt else None,
            sampling=self.sampling.params() if self.own_sampling.isChecked() else None,
            engine=EngineChoice(self.engine.currentData()) if self.engine.currentData() else None,
        )
