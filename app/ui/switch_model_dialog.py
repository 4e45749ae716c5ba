"""Chat → Switch model or context…: another downloaded quant or context size, with the planner's
verdict for this machine shown before the switch. The engine restarts; the conversation stays."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import translate
from app.core.kv_cache import KvCacheType
from app.models.errors import format_bytes
from app.models.fit_load import LoadSetting
from app.models.fit_planner import CONTEXTS, Placement, Proposal, QuantSize, assess
from app.models.fit_report import context_label, proposal_sentence, vision_sentence
from app.models.metal_limit import metal_routes
from app.models.model_search import source_name
from app.qt_bridge.model_loader import ModelLoader
from app.qt_bridge.models_controller import ModelsController
from app.qt_bridge.models_overview import DiskFile, ModelsOverview
from app.qt_bridge.settings_controller import SettingsController
from app.ui.metal_limit_box import MetalLimitBox
from app.ui.text_size import scaled_size


def kv_choices() -> tuple[tuple[str, KvCacheType], ...]:
    return (
        (translate("SwitchModelDialog", "F16 (best quality)"), KvCacheType.F16),
        (translate("SwitchModelDialog", "Q8_0 (half the memory)"), KvCacheType.Q8_0),
        (translate("SwitchModelDialog", "Q4_0 (a quarter of the memory)"), KvCacheType.Q4_0),
    )


class SwitchModelDialog(QDialog):
    def __init__(
        self,
        controller: ModelsController,
        settings: SettingsController,
        loader: ModelLoader,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("SwitchModelDialog", "Switch model or context"))
        self.resize(scaled_size(self, 620, 440))
        self.controller = controller
        self._settings = settings
        self._loader = loader
        self._overview: ModelsOverview | None = None
        self._files: list[DiskFile] = []

        self.files = QListWidget(self)
        self.files.currentRowChanged.connect(lambda _row: self.update_verdict())
        self.files.setAccessibleName(translate("SwitchModelDialog", "Models on this computer"))
        self.files.setAccessibleDescription(
            translate("SwitchModelDialog", "The model file to load, with its size and place")
        )
        model = settings.settings.model
        self.context = QComboBox(self)
        for n_ctx in sorted({*CONTEXTS, model.n_ctx}):
            self.context.addItem(
                translate("SwitchModelDialog", "{label} tokens ({tokens})").format(
                    label=context_label(n_ctx), tokens=f"{n_ctx:,}"
                ),
                n_ctx,
            )
        self.context.setAccessibleName(translate("SwitchModelDialog", "Context"))
        self.context.setAccessibleDescription(
            translate("SwitchModelDialog", "How many tokens of the conversation the model holds")
        )
        self.context.setCurrentIndex(self.context.findData(model.n_ctx))
        self.context.currentIndexChanged.connect(lambda _i: self.update_verdict())
        self.kv_cache = QComboBox(self)
        for text, kv_type in kv_choices():
            self.kv_cache.addItem(text, kv_type)
        self.kv_cache.setAccessibleName(translate("SwitchModelDialog", "KV cache"))
        self.kv_cache.setAccessibleDescription(
            translate("SwitchModelDialog", "How precisely the model keeps what it has read")
        )
        self.kv_cache.setCurrentIndex(self.kv_cache.findData(model.kv_cache_type))
        self.kv_cache.currentIndexChanged.connect(lambda _i: self.update_verdict())

        self.verdict_label = QLabel(
            translate("SwitchModelDialog", "Looking at the models on this computer…"), self
        )
        self.verdict_label.setObjectName("verdict")
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.vision_label = QLabel(self)
        self.vision_label.setObjectName("hint")
        self.vision_label.setWordWrap(True)
        self.metal_box = MetalLimitBox(self)
        self.metal_box.raised.connect(lambda _mb: self._limit_raised())
        self.metal_box.failed.connect(self.vision_label.setText)
        note = QLabel(
            translate(
                "SwitchModelDialog",
                "The engine restarts with the new setting; the conversation goes on where it is.",
            ),
            self,
        )
        note.setObjectName("hint")
        note.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.switch_button = self.buttons.addButton(
            translate("SwitchModelDialog", "Switch"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.switch_button.setAccessibleName(translate("SwitchModelDialog", "Switch"))
        self.switch_button.setAccessibleDescription(
            translate("SwitchModelDialog", "Restarts the engine with the chosen model and context")
        )
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(translate("SwitchModelDialog", "Cancel"))
        cancel.setAccessibleDescription(translate("SwitchModelDialog", "Keeps the model as it is"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(translate("SwitchModelDialog", "Context"), self.context)
        form.addRow(translate("SwitchModelDialog", "KV cache"), self.kv_cache)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(translate("SwitchModelDialog", "Models on this computer:"), self))
        layout.addWidget(self.files, 1)
        layout.addLayout(form)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.vision_label)
        layout.addWidget(self.metal_box)
        layout.addWidget(note)
        layout.addWidget(self.buttons)

        controller.overview_ready.connect(self.show_overview)
        controller.overview_failed.connect(self.verdict_label.setText)
        self.update_verdict()

    def refresh(self) -> None:
        self.controller.refresh()

    def show_overview(self, overview: ModelsOverview) -> None:
        self._overview = overview
        current = self._loader.current_path() or self._settings.settings.model.model_path
        self._files = [
            file for file in overview.files if file.problem is None and not file.model.is_projector
        ]
        self.files.clear()
        for index, file in enumerate(self._files):
            model = file.model
            where = source_name(model)
            item = QListWidgetItem(f"{model.filename}  ·  {format_bytes(model.size)}  ·  {where}")
            item.setToolTip(str(model.path))
            self.files.addItem(item)
            if current is not None and model.path.resolve() == current.resolve():
                item.setText(
                    translate("SwitchModelDialog", "{file}  ·  loaded").format(file=item.text())
                )
                self.files.setCurrentRow(index)
        if self.files.currentRow() < 0 and self._files:
            self.files.setCurrentRow(0)
        self.update_verdict()

    def selected_file(self) -> DiskFile | None:
        row = self.files.currentRow()
        return self._files[row] if 0 <= row < len(self._files) else None

    def select_file(self, filename: str) -> None:
        for index, file in enumerate(self._files):
            if file.model.filename == filename:
                self.files.setCurrentRow(index)

    def select_setting(self, n_ctx: int, kv_type: KvCacheType) -> None:
        self.context.setCurrentIndex(self.context.findData(n_ctx))
        self.kv_cache.setCurrentIndex(self.kv_cache.findData(kv_type))

    def proposal(self) -> Proposal | None:
        file, overview = self.selected_file(), self._overview
        if file is None or overview is None:
            return None
        model = file.model
        return assess(
            QuantSize(model.quant or model.filename, model.size),
            int(self.context.currentData()),
            KvCacheType(self.kv_cache.currentData()),
            overview.budget,
            projector_bytes=self._projector_bytes(),
        )

    def _projector_bytes(self) -> int:
        projector = self._settings.settings.model.mmproj_path
        return projector.stat().st_size if projector and projector.is_file() else 0

    def _show_plan_details(self, proposal: Proposal, overview: ModelsOverview) -> None:
        """Whether the verdict counts the projector; on a Mac, the ways past Metal's limit."""
        quant = QuantSize(proposal.quant, proposal.fit.estimate.weights)
        projector_bytes = self._projector_bytes()
        self.vision_label.setText(
            vision_sentence(quant, proposal.kv_type, overview.budget, projector_bytes)
        )
        setting = LoadSetting(quant.size, proposal.n_ctx, proposal.kv_type, projector_bytes)
        others = [QuantSize(file.model.quant or file.model.filename, file.model.size)
                  for file in self._files]  # fmt: skip
        self.metal_box.show_routes(metal_routes(quant, setting, overview.budget, others))

    def _limit_raised(self) -> None:
        self._loader.memory.limit_changed()
        self.refresh()

    def update_verdict(self) -> None:
        proposal = self.proposal()
        if proposal is not None and self._overview is not None:
            self.verdict_label.setText(proposal_sentence(proposal, self._overview.budget))
            self._show_plan_details(proposal, self._overview)
        elif self._overview is not None:
            self.verdict_label.setText(
                translate(
                    "SwitchModelDialog",
                    "No model file is on this computer yet: download one in the Models window.",
                )
            )
        fits = proposal is not None and proposal.fit.placement is not Placement.NONE
        self.switch_button.setEnabled(fits)

    def accept(self) -> None:
        file, proposal = self.selected_file(), self.proposal()
        if file is None or proposal is None or proposal.fit.placement is Placement.NONE:
            return
        current = self._settings.settings
        model = replace(current.model, n_ctx=proposal.n_ctx, kv_cache_type=proposal.kv_type)
        self._settings.update(replace(current, model=model))
        self._loader.load(file.model.path)
        super().accept()
