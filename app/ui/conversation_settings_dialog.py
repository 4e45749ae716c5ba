"""A conversation's own settings: system prompt, sampling, engine and date."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import translate
from app.settings import ConversationOverrides, EngineChoice, Settings
from app.ui.conversation_date import ConversationDateBox
from app.ui.settings_forms import SamplingForm, SystemPromptForm, accessible, combo
from app.ui.text_size import scaled_size


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
        self.setWindowTitle(
            translate("ConversationSettingsDialog", "Settings for “{title}”").format(title=title)
        )
        today = date.today()
        self.date = ConversationDateBox(prompt_date or today, today, self)
        self.own_prompt = QCheckBox(
            translate("ConversationSettingsDialog", "Use a system prompt of its own"), self
        )
        self.system_prompt = SystemPromptForm(self)
        self.own_sampling = QCheckBox(
            translate("ConversationSettingsDialog", "Use sampling settings of its own"), self
        )
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
        self.engine = combo(
            self,
            [
                (translate("ConversationSettingsDialog", "As in Settings → Engine"), None),
                (translate("ConversationSettingsDialog", "This computer"), EngineChoice.LOCAL),
                (
                    translate("ConversationSettingsDialog", "The server of Settings → Engine"),
                    EngineChoice.SERVER,
                ),
            ],
        )
        self.engine.setCurrentIndex(self.engine.findData(overrides.engine))
        self._describe()
        engine_row = QFormLayout()
        engine_row.addRow(translate("ConversationSettingsDialog", "Answered by"), self.engine)
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

    def _describe(self) -> None:
        accessible(
            self.own_prompt,
            translate("ConversationSettingsDialog", "Own system prompt"),
            translate(
                "ConversationSettingsDialog",
                "This conversation uses the system prompt below instead of the one in Settings",
            ),
        )
        accessible(
            self.own_sampling,
            translate("ConversationSettingsDialog", "Own sampling settings"),
            translate(
                "ConversationSettingsDialog",
                "This conversation uses the sampling below instead of the one in Settings",
            ),
        )
        accessible(
            self.engine,
            translate("ConversationSettingsDialog", "Answered by"),
            translate(
                "ConversationSettingsDialog",
                "Whether this computer or the server of Settings answers this conversation",
            ),
        )

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
