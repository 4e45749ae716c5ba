"""Settings → Model: conversations kept on disk for quick reopening (their KV snapshots)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.core.i18n import tr, translate
from app.settings import MAX_SNAPSHOT_BUDGET_GB


def describe_usage(files: int, size: int) -> str:
    if not files:
        return translate("SnapshotSettingsBox", "No conversation is saved.")
    return tr("%n conversation(s), {size} GB", None, files).format(size=f"{size / 1e9:.2f}")


class SnapshotSettingsBox(QGroupBox):
    delete_all_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(translate("SnapshotSettingsBox", "Quick reopening"), parent)
        self.enabled = QCheckBox(
            translate("SnapshotSettingsBox", "Keep conversations ready on disk"), self
        )
        enabled_tip = translate(
            "SnapshotSettingsBox",
            "When the model leaves a conversation (another one is used, the model is reloaded, "
            "Tramontane quits), what it has read of it is saved in the data folder. Going back "
            "to it then reads only the new messages instead of the whole conversation.",
        )
        self.enabled.setToolTip(enabled_tip)
        self.enabled.setAccessibleName(
            translate("SnapshotSettingsBox", "Keep conversations ready on disk")
        )
        self.enabled.setAccessibleDescription(enabled_tip)
        self.budget = QSpinBox(self)
        self.budget.setRange(1, MAX_SNAPSHOT_BUDGET_GB)
        self.budget.setSuffix(translate("SnapshotSettingsBox", " GB"))
        budget_tip = translate(
            "SnapshotSettingsBox", "The least recently used conversations are removed beyond this."
        )
        self.budget.setToolTip(budget_tip)
        self.budget.setAccessibleName(translate("SnapshotSettingsBox", "Disk space at most"))
        self.budget.setAccessibleDescription(budget_tip)
        self.usage = QLabel(describe_usage(0, 0), self)
        self.delete_all = QPushButton(translate("SnapshotSettingsBox", "Delete all"), self)
        self.delete_all.setAccessibleName(
            translate("SnapshotSettingsBox", "Delete all saved conversations")
        )
        self.delete_all.setAccessibleDescription(
            translate(
                "SnapshotSettingsBox",
                "Deletes what is saved for quick reopening; the conversations themselves stay",
            )
        )
        self.delete_all.clicked.connect(self.delete_all_requested)
        in_use = QWidget(self)
        row = QHBoxLayout(in_use)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.usage, 1)
        row.addWidget(self.delete_all)
        form = QFormLayout(self)
        form.addRow("", self.enabled)
        form.addRow(translate("SnapshotSettingsBox", "Disk space at most"), self.budget)
        form.addRow(translate("SnapshotSettingsBox", "In use"), in_use)
        self.enabled.toggled.connect(self.budget.setEnabled)

    def set_values(self, enabled: bool, budget_gb: int) -> None:
        self.enabled.setChecked(enabled)
        self.budget.setValue(budget_gb)
        self.budget.setEnabled(enabled)

    def show_usage(self, files: int, size: int) -> None:
        self.usage.setText(describe_usage(files, size))
        self.delete_all.setEnabled(files > 0)
