"""The parts the settings dialogs share: a file path field, the sampling and system prompt forms."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
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

from app.core.i18n import translate
from app.core.sampling import SamplingParams
from app.settings import MAX_CONTEXT

_E = TypeVar("_E", bound=StrEnum)


def accessible(widget: QWidget, name: str, description: str) -> None:
    """What a screen reader says of `widget`: its short name, then what it does."""
    widget.setAccessibleName(name)
    widget.setAccessibleDescription(description)


def hint_label(text: str, parent: QWidget) -> QLabel:
    """A wrapped line of explanation under a field, in the theme's quieter colour."""
    label = QLabel(text, parent)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def gguf_filter() -> str:
    """The file dialog's filter for model files."""
    return translate("PathField", "GGUF models (*.gguf);;All files (*)")


class PathField(QWidget):
    """A path in a line edit with a Browse… button; empty means none."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._caption = caption
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(translate("PathField", "None"))
        self.edit.setClearButtonEnabled(True)
        self.browse = QPushButton(translate("PathField", "Browse…"), self)
        self.browse.clicked.connect(self._browse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.browse)

    def describe(self, name: str, description: str) -> None:
        """Names the path's field and its Browse button for screen readers."""
        accessible(self.edit, name, description)
        accessible(
            self.browse,
            translate("PathField", "Browse: {field}").format(field=name),
            translate("PathField", "Chooses the file in a file dialog"),
        )

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text).expanduser() if text else None

    def set_path(self, path: Path | None) -> None:
        self.edit.setText(str(path) if path else "")

    def _browse(self) -> None:
        current = self.path()
        start = str(current.parent) if current else ""
        chosen, _ = QFileDialog.getOpenFileName(self, self._caption, start, gguf_filter())
        if chosen:
            self.edit.setText(chosen)


def _probability_box(parent: QWidget, high: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox(parent)
    box.setRange(0.0, high)
    box.setSingleStep(0.05)
    box.setDecimals(2)
    return box


class SamplingForm(QWidget):
    """Temperature, top-p, top-k, answer length, seed and the repetition guard."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._base = SamplingParams()
        self.temperature = _probability_box(self, 2.0)
        self.top_p = _probability_box(self, 1.0)
        self.top_k = QSpinBox(self)
        self.top_k.setRange(0, 1000)
        self.top_k.setSpecialValueText(translate("SamplingForm", "Off"))
        self.max_tokens = QSpinBox(self)
        self.max_tokens.setRange(1, MAX_CONTEXT)
        self.max_tokens.setSingleStep(256)
        self.max_tokens.setSuffix(translate("SamplingForm", " tokens"))
        self.seed = QSpinBox(self)
        self.seed.setRange(-1, 2**31 - 1)
        self.seed.setSpecialValueText(translate("SamplingForm", "Random"))
        self.repetition_guard = QCheckBox(
            translate("SamplingForm", "Stop answers that repeat themselves endlessly"), self
        )
        self.speculative = QCheckBox(
            translate("SamplingForm", "Draft from the conversation to write faster"), self
        )
        self.speculative.setToolTip(
            translate(
                "SamplingForm",
                "The model checks several tokens per step where the answer repeats text of the "
                "conversation. The answer stays the same.",
            )
        )
        self._describe()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(translate("SamplingForm", "Temperature"), self.temperature)
        form.addRow(translate("SamplingForm", "Top-p"), self.top_p)
        form.addRow(translate("SamplingForm", "Top-k"), self.top_k)
        form.addRow(translate("SamplingForm", "Longest answer"), self.max_tokens)
        form.addRow(translate("SamplingForm", "Seed"), self.seed)
        form.addRow("", self.repetition_guard)
        form.addRow("", self.speculative)
        note = translate(
            "SamplingForm", "Mistral recommends temperature 0.15, top-p 1.0 and top-k off."
        )
        form.addRow("", hint_label(note, self))

    def _describe(self) -> None:
        accessible(
            self.temperature,
            translate("SamplingForm", "Temperature"),
            translate("SamplingForm", "Higher values make answers more varied, lower more focused"),
        )
        accessible(
            self.top_p,
            translate("SamplingForm", "Top-p"),
            translate("SamplingForm", "Keeps the likeliest tokens whose chances add up to this"),
        )
        accessible(
            self.top_k,
            translate("SamplingForm", "Top-k"),
            translate("SamplingForm", "Keeps this many of the likeliest tokens; 0 keeps them all"),
        )
        accessible(
            self.max_tokens,
            translate("SamplingForm", "Longest answer"),
            translate("SamplingForm", "The most tokens an answer may have"),
        )
        accessible(
            self.seed,
            translate("SamplingForm", "Seed"),
            translate("SamplingForm", "The same seed gives the same answer; -1 is random"),
        )
        accessible(
            self.repetition_guard,
            translate("SamplingForm", "Repetition guard"),
            translate("SamplingForm", "Stops an answer that repeats itself endlessly"),
        )
        accessible(
            self.speculative,
            translate("SamplingForm", "Drafting"),
            translate("SamplingForm", "Writes faster where the answer repeats the conversation"),
        )

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
        self.use_model = QRadioButton(
            translate("SystemPromptForm", "The model's own system prompt, dated today"), self
        )
        self.use_custom = QRadioButton(translate("SystemPromptForm", "My own system prompt:"), self)
        group = QButtonGroup(self)
        group.addButton(self.use_model)
        group.addButton(self.use_custom)
        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText(translate("SystemPromptForm", "You are a helpful assistant…"))
        self.text.setTabChangesFocus(True)
        help_text = translate(
            "SystemPromptForm",
            "{name} is the model's name, {user} yours, {today} and {yesterday} are dates.",
        )
        hint = QLabel(help_text, self)
        hint.setObjectName("hint")
        accessible(
            self.use_model,
            translate("SystemPromptForm", "The model's own system prompt"),
            translate("SystemPromptForm", "Uses the system prompt the model comes with"),
        )
        accessible(
            self.use_custom,
            translate("SystemPromptForm", "My own system prompt"),
            translate("SystemPromptForm", "Uses the text below as the system prompt"),
        )
        accessible(self.text, translate("SystemPromptForm", "System prompt"), help_text)
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


def combo(parent: QWidget, items: list[tuple[str, object]]) -> QComboBox:
    box = QComboBox(parent)
    for label, value in items:
        box.addItem(label, value)
    return box


def chosen(box: QComboBox, kind: type[_E]) -> _E:
    """The selected item's value; Qt hands enum members back as their plain string values."""
    return kind(str(box.currentData()))


def select(box: QComboBox, value: object) -> None:
    index = box.findData(value)
    box.setCurrentIndex(max(0, index))
