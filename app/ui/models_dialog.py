"""File → Models…: the quants of the model with what each can do on this machine, a download
with progress, pause and cancel, Load for a downloaded file, and (in a second tab) every model
file on this computer.

The window only shows what ModelsController reports and forwards the user's clicks.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import translate
from app.engine.protocol import Loaded
from app.models.download_plan import DownloadPlan
from app.models.errors import format_bytes
from app.models.fit_report import device_label, projector_label
from app.models.progress import DownloadProgress, progress_text
from app.qt_bridge.engine_controller import EngineController
from app.qt_bridge.model_loader import ModelLoader
from app.qt_bridge.models_controller import DownloadDone, ModelsController
from app.qt_bridge.models_overview import (
    ModelsOverview,
    QuantRow,
    origin_text,
    predicted_memory,
    status_tip,
)
from app.qt_bridge.settings_controller import SettingsController
from app.ui.disk_models_panel import DiskModelsPanel
from app.ui.download_bar import DownloadBar
from app.ui.text_size import scaled_size


def _columns() -> list[str]:
    return [
        translate("ModelsDialog", "Quant"),
        translate("ModelsDialog", "Size"),
        translate("ModelsDialog", "Bits/weight"),
        translate("ModelsDialog", "On this machine"),
        translate("ModelsDialog", "On disk"),
    ]


def _describe(widget: QWidget, name: str, description: str) -> None:
    widget.setAccessibleName(name)
    widget.setAccessibleDescription(description)


class ModelsDialog(QDialog):
    def __init__(
        self,
        controller: ModelsController,
        *,
        engine: EngineController,
        settings: SettingsController,
        loader: ModelLoader,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("ModelsDialog", "Models"))
        self.resize(scaled_size(self, 880, 640))
        self.controller = controller
        self._engine = engine
        self._settings = settings
        self._loader = loader
        self._done: DownloadDone | None = None

        self.source_label = QLabel(translate("ModelsDialog", "Listing the models…"), self)
        self.source_label.setWordWrap(True)
        self.machine_label = QLabel(self)
        self.machine_label.setWordWrap(True)

        columns = _columns()
        self.table = QTableWidget(0, len(columns), self)
        self.table.setHorizontalHeaderLabels(columns)
        _describe(
            self.table,
            translate("ModelsDialog", "Quants of the model"),
            translate(
                "ModelsDialog",
                "Each quant with its size and what it can do on this machine; Enter or a double "
                "click loads a downloaded one",
            ),
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.load_selected())

        self.projector_check = QCheckBox(
            translate("ModelsDialog", "Also download the vision projector"), self
        )
        _describe(
            self.projector_check,
            translate("ModelsDialog", "Also download the vision projector"),
            translate("ModelsDialog", "Downloads the file that lets the model see images"),
        )
        self.projector_check.toggled.connect(lambda _on: self._update_buttons())

        self.progress_bar = DownloadBar(self)
        self.progress_label = QLabel(self)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("errorText")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

        self.download_button = QPushButton(translate("ModelsDialog", "Download"), self)
        self.pause_button = QPushButton(translate("ModelsDialog", "Pause"), self)
        self.cancel_button = QPushButton(translate("ModelsDialog", "Cancel download"), self)
        self.load_button = QPushButton(translate("ModelsDialog", "Load"), self)
        self.refresh_button = QPushButton(translate("ModelsDialog", "Refresh"), self)
        close_button = QPushButton(translate("ModelsDialog", "Close"), self)
        _describe(
            self.download_button,
            translate("ModelsDialog", "Download"),
            translate("ModelsDialog", "Downloads the selected quant"),
        )
        _describe(
            self.pause_button,
            translate("ModelsDialog", "Pause or resume"),
            translate("ModelsDialog", "Pauses the download, or resumes it where it stopped"),
        )
        _describe(
            self.cancel_button,
            translate("ModelsDialog", "Cancel download"),
            translate("ModelsDialog", "Stops the download"),
        )
        _describe(
            self.load_button,
            translate("ModelsDialog", "Load"),
            translate("ModelsDialog", "Loads the selected quant; the conversation stays"),
        )
        _describe(
            self.refresh_button,
            translate("ModelsDialog", "Refresh"),
            translate("ModelsDialog", "Lists the models again"),
        )
        _describe(
            close_button,
            translate("ModelsDialog", "Close"),
            translate("ModelsDialog", "Closes this window; a download goes on"),
        )
        self.download_button.clicked.connect(self.download_selected)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.cancel_button.clicked.connect(self.controller.cancel)
        self.load_button.clicked.connect(self.load_selected)
        self.refresh_button.clicked.connect(self.refresh)
        close_button.clicked.connect(self.close)

        catalog_buttons = QHBoxLayout()
        catalog_buttons.addWidget(self.download_button)
        catalog_buttons.addStretch(1)
        catalog_buttons.addWidget(self.load_button)
        transfer_buttons = QHBoxLayout()
        transfer_buttons.addWidget(self.pause_button)
        transfer_buttons.addWidget(self.cancel_button)
        transfer_buttons.addStretch(1)
        transfer_buttons.addWidget(self.refresh_button)
        transfer_buttons.addWidget(close_button)

        memory_box = QGroupBox(translate("ModelsDialog", "Memory of the loaded model"), self)
        self.memory_label = QLabel(translate("ModelsDialog", "No model is loaded."), memory_box)
        self.memory_label.setWordWrap(True)
        self.memory_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        QVBoxLayout(memory_box).addWidget(self.memory_label)

        catalog_page = QWidget(self)
        catalog_layout = QVBoxLayout(catalog_page)
        catalog_layout.addWidget(self.source_label)
        catalog_layout.addWidget(self.machine_label)
        catalog_layout.addWidget(self.table, 1)
        catalog_layout.addWidget(self.projector_check)
        catalog_layout.addLayout(catalog_buttons)
        self.disk_panel = DiskModelsPanel(controller, loader, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(catalog_page, translate("ModelsDialog", "Download"))
        self.tabs.addTab(self.disk_panel, translate("ModelsDialog", "On this computer"))
        _describe(
            self.tabs,
            translate("ModelsDialog", "Models"),
            translate(
                "ModelsDialog", "Download a quant of the model, or see the files on this computer"
            ),
        )

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.error_label)
        layout.addLayout(transfer_buttons)
        layout.addWidget(memory_box)

        controller.overview_ready.connect(self._show_overview)
        controller.overview_failed.connect(self._show_overview_error)
        controller.progress.connect(self._show_progress)
        controller.download_done.connect(self._on_done)
        controller.download_failed.connect(self._on_failed)
        controller.download_cancelled.connect(self._on_cancelled)
        controller.busy_changed.connect(lambda _busy: self._update_buttons())
        engine.loaded.connect(self.show_memory)
        self.show_memory(engine.loaded_model)
        self._update_buttons()

    # ---- the list -------------------------------------------------------------------------

    def refresh(self) -> None:
        self.refresh_button.setEnabled(False)
        self.source_label.setText(translate("ModelsDialog", "Listing the models…"))
        self.controller.refresh()

    def _show_overview(self, overview: ModelsOverview) -> None:
        self.refresh_button.setEnabled(True)
        selected = self.selected_label()
        self.source_label.setText(origin_text(overview.catalog))
        projector = overview.projector
        vision = (
            translate(
                "ModelsDialog",
                "What is said “with images” counts the vision projector ({projector} with its "
                "image buffer).",
            ).format(projector=projector_label(projector.size))
            if projector is not None and projector.size
            else translate("ModelsDialog", "No vision projector is counted.")
        )
        verdicts = translate(
            "ModelsDialog", "Verdicts for {device}, with the {kv_type} KV cache of Settings."
        ).format(device=device_label(overview.budget), kv_type=overview.kv_type.value)
        hover = translate("ModelsDialog", "Hover over a verdict for the details.")
        self.machine_label.setText(f"{verdicts} {vision} {hover}")
        self.table.setRowCount(len(overview.rows))
        default = overview.catalog.default_quant().label if overview.rows else None
        for index, row in enumerate(overview.rows):
            self._fill_row(index, row)
        wanted = selected or default
        for index, row in enumerate(overview.rows):
            if row.label == wanted:
                self.table.selectRow(index)
        projector = overview.projector
        self.projector_check.setVisible(projector is not None)
        if projector is not None:
            details = [projector.label]
            if projector.size:
                details.append(format_bytes(projector.size))
            if overview.projector_local:
                details.append(translate("ModelsDialog", "already on disk"))
            self.projector_check.setText(
                translate("ModelsDialog", "Also download the vision projector ({details})").format(
                    details=", ".join(details)
                )
            )
        self._update_buttons()

    def _fill_row(self, index: int, row: QuantRow) -> None:
        cells = (
            row.label,
            row.size_text,
            row.bits_text,
            row.verdict_text,
            ", ".join(
                mark
                for mark, shown in (
                    (translate("ModelsDialog", "✓ on disk"), row.local),
                    (translate("ModelsDialog", "unverified"), not row.verifiable),
                )
                if shown
            ),
        )
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column == 3 and row.detail:
                item.setToolTip(row.detail)
            if column == 4 and (row.local or not row.verifiable):
                item.setToolTip(status_tip(row))
            self.table.setItem(index, column, item)

    def _show_overview_error(self, message: str) -> None:
        self.refresh_button.setEnabled(True)
        self.source_label.setText(
            translate("ModelsDialog", "The list of models could not be shown.")
        )
        self.show_error(message)

    def selected_label(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return item.text() if item is not None else None

    def select(self, label: str) -> None:
        for index in range(self.table.rowCount()):
            item = self.table.item(index, 0)
            if item is not None and item.text() == label:
                self.table.selectRow(index)

    def _selected_row(self) -> QuantRow | None:
        label = self.selected_label()
        overview = self.controller.overview
        return overview.row(label) if overview is not None and label is not None else None

    # ---- downloads ------------------------------------------------------------------------

    def download_plan(self) -> DownloadPlan | None:
        """What Download fetches for the selected quant: the files not found on disk."""
        label, overview = self.selected_label(), self.controller.overview
        if label is None or overview is None:
            return None
        with_projector = not self.projector_check.isHidden() and self.projector_check.isChecked()
        return overview.plan(label, with_projector=with_projector)

    def download_selected(self) -> None:
        label = self.selected_label()
        if label is None:
            return
        self.error_label.hide()
        self._done = None
        self.progress_bar.setValue(0)
        self.progress_label.setText(
            translate("ModelsDialog", "Starting the download of {quant}…").format(quant=label)
        )
        with_projector = self.projector_check.isVisible() and self.projector_check.isChecked()
        self.controller.download(label, with_projector=with_projector)

    def toggle_pause(self) -> None:
        if self.controller.paused:
            self.controller.resume()
        else:
            self.controller.pause()
            self.progress_label.setText(
                translate("ModelsDialog", "{progress} (pausing…)").format(
                    progress=self.progress_label.text()
                )
            )
        self._update_buttons()

    def _show_progress(self, progress: DownloadProgress) -> None:
        self.progress_bar.show_progress(progress)
        self.progress_label.setText(progress_text(progress))

    def _on_done(self, done: DownloadDone) -> None:
        self._done = done
        self.progress_bar.finish()
        self.progress_label.setText(
            translate("ModelsDialog", "{summary} Load it now?").format(summary=done.summary)
        )
        self.select(done.label)
        self.refresh()  # mark it on disk
        self.load_button.setDefault(True)
        self._update_buttons()

    def _on_failed(self, message: str) -> None:
        self.progress_label.setText(translate("ModelsDialog", "The download stopped."))
        self.show_error(message)

    def _on_cancelled(self, message: str) -> None:
        self.progress_bar.setValue(0)
        self.progress_label.setText(message)

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    # ---- loading --------------------------------------------------------------------------

    def path_to_load(self) -> Path | None:
        label = self.selected_label()
        if self._done is not None and self._done.label == label:
            return self._done.model_path
        row = self._selected_row()
        return row.local.path if row is not None and row.local is not None else None

    def load_selected(self) -> None:
        """Load the selected quant: the engine restarts with it; the conversation stays."""
        path = self.path_to_load()
        if path is None:
            return
        projector = self._done.projector_path if self._done is not None else None
        if projector is not None:
            model = replace(self._settings.settings.model, mmproj_path=projector)
            self._settings.update(replace(self._settings.settings, model=model))
        just_said = self._done is not None and path == self._done.model_path  # "…unverified"
        self._loader.load(path, confirmed=just_said)

    def show_memory(self, loaded: Loaded | None) -> None:
        if loaded is None:
            self.memory_label.setText(translate("ModelsDialog", "No model is loaded."))
            return
        kv_type = self._settings.settings.model.kv_cache_type
        self.memory_label.setText(predicted_memory(loaded, self._engine.pending_load, kv_type))

    # ---- state ----------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        busy = self.controller.downloading
        plan = self.download_plan()
        missing = plan is not None and bool(plan.missing)
        self.download_button.setText(
            translate("ModelsDialog", "Download {what}").format(what=plan.what())
            if plan and missing
            else translate("ModelsDialog", "Download")
        )
        self.download_button.setEnabled(not busy and missing)
        self.pause_button.setEnabled(busy)
        self.pause_button.setText(
            translate("ModelsDialog", "Resume")
            if self.controller.paused
            else translate("ModelsDialog", "Pause")
        )
        self.cancel_button.setEnabled(busy)
        self.projector_check.setEnabled(not busy)
        self.load_button.setEnabled(self.path_to_load() is not None)
