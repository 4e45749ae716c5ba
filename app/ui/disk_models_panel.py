"""The Models window's "On this computer" tab: every GGUF file found on disk (broken ones with
the reason), downloads left unfinished (resume or remove), import, delete and load."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import translate
from app.core.locale_format import format_percent
from app.models.download_types import PendingDownload
from app.models.errors import format_bytes
from app.models.local_models import ImportMode, LocalModel
from app.models.model_search import source_name
from app.qt_bridge.model_loader import ModelLoader
from app.qt_bridge.models_controller import ModelsController
from app.qt_bridge.models_overview import DiskFile, ModelsOverview


def _file_columns() -> tuple[str, ...]:
    return (
        translate("DiskModelsPanel", "File"),
        translate("DiskModelsPanel", "Model"),
        translate("DiskModelsPanel", "Where"),
        translate("DiskModelsPanel", "Size"),
        translate("DiskModelsPanel", "State"),
    )


def _pending_columns() -> tuple[str, ...]:
    return (translate("DiskModelsPanel", "File"), translate("DiskModelsPanel", "Downloaded"))


def _table(parent: QWidget, columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels(columns)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(len(columns) - 1, QHeaderView.ResizeMode.Stretch)
    return table


def pending_text(pending: PendingDownload) -> str:
    done = format_bytes(pending.downloaded)
    if not pending.size:
        return done
    return translate("DiskModelsPanel", "{done} of {size} ({percent})").format(
        done=done,
        size=format_bytes(pending.size),
        percent=format_percent(pending.downloaded / pending.size),
    )


class DiskModelsPanel(QWidget):
    def __init__(
        self, controller: ModelsController, loader: ModelLoader, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self._loader = loader
        self._files: tuple[DiskFile, ...] = ()
        self._pending: tuple[PendingDownload, ...] = ()

        intro = QLabel(
            translate(
                "DiskModelsPanel",
                "GGUF files in Tramontane's folder, the folders listed in Settings → Downloads, "
                "and where other programs keep them: the Hugging Face cache, llama.cpp's cache, "
                "Ollama, LM Studio and Jan. Those are used where they lie and never changed; "
                "only files in Tramontane's folder can be deleted.",
            ),
            self,
        )
        intro.setWordWrap(True)
        self.table = _table(self, _file_columns())
        self.table.setAccessibleName(translate("DiskModelsPanel", "Model files on this computer"))
        self.table.setAccessibleDescription(
            translate(
                "DiskModelsPanel",
                "Each GGUF file found, with its model, where it is, its size and whether it can "
                "be used; Enter or a double click loads it",
            )
        )
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.load_selected())

        self.load_button = QPushButton(translate("DiskModelsPanel", "Load"), self)
        self.load_button.setAccessibleName(translate("DiskModelsPanel", "Load"))
        self.load_button.setAccessibleDescription(
            translate("DiskModelsPanel", "Loads the selected model file")
        )
        self.delete_button = QPushButton(translate("DiskModelsPanel", "Delete…"), self)
        self.delete_button.setAccessibleName(translate("DiskModelsPanel", "Delete"))
        self.delete_button.setAccessibleDescription(
            translate(
                "DiskModelsPanel",
                "Deletes the selected file from Tramontane's folder, after asking",
            )
        )
        self.import_button = QPushButton(translate("DiskModelsPanel", "Import a file…"), self)
        self.import_button.setAccessibleName(translate("DiskModelsPanel", "Import a file"))
        self.import_button.setAccessibleDescription(
            translate("DiskModelsPanel", "Links or copies a GGUF file into Tramontane's folder")
        )
        self.load_button.clicked.connect(self.load_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button.clicked.connect(self.choose_import)
        file_buttons = QHBoxLayout()
        file_buttons.addWidget(self.import_button)
        file_buttons.addStretch(1)
        file_buttons.addWidget(self.delete_button)
        file_buttons.addWidget(self.load_button)

        self.pending_box = QGroupBox(translate("DiskModelsPanel", "Unfinished downloads"), self)
        self.pending_table = _table(self.pending_box, _pending_columns())
        self.pending_table.setAccessibleName(translate("DiskModelsPanel", "Unfinished downloads"))
        self.pending_table.setAccessibleDescription(
            translate("DiskModelsPanel", "Downloads left unfinished, with how much is downloaded")
        )
        self.pending_table.setMaximumHeight(120)
        self.pending_table.itemSelectionChanged.connect(self._update_buttons)
        self.resume_button = QPushButton(translate("DiskModelsPanel", "Resume"), self.pending_box)
        self.resume_button.setAccessibleName(translate("DiskModelsPanel", "Resume"))
        self.resume_button.setAccessibleDescription(
            translate("DiskModelsPanel", "Resumes the selected download where it stopped")
        )
        self.discard_button = QPushButton(translate("DiskModelsPanel", "Remove"), self.pending_box)
        self.discard_button.setAccessibleName(translate("DiskModelsPanel", "Remove"))
        self.discard_button.setAccessibleDescription(
            translate("DiskModelsPanel", "Deletes what the selected download has fetched so far")
        )
        self.resume_button.clicked.connect(self.resume_selected)
        self.discard_button.clicked.connect(self.discard_selected)
        pending_buttons = QHBoxLayout()
        pending_buttons.addStretch(1)
        pending_buttons.addWidget(self.discard_button)
        pending_buttons.addWidget(self.resume_button)
        pending_layout = QVBoxLayout(self.pending_box)
        pending_layout.addWidget(self.pending_table)
        pending_layout.addLayout(pending_buttons)
        self.pending_box.hide()

        self.copy_bar = QProgressBar(self)
        self.copy_bar.setAccessibleName(translate("DiskModelsPanel", "Import progress"))
        self.copy_bar.setAccessibleDescription(
            translate("DiskModelsPanel", "How much of the file is copied into Tramontane's folder")
        )
        self.copy_bar.hide()
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(file_buttons)
        layout.addWidget(self.pending_box)
        layout.addWidget(self.copy_bar)
        layout.addWidget(self.message_label)

        controller.overview_ready.connect(self.show_overview)
        controller.import_progress.connect(self._show_copy)
        controller.chore_done.connect(self._chore_done)
        controller.chore_failed.connect(self._chore_failed)
        controller.busy_changed.connect(lambda _busy: self._update_buttons())
        self._update_buttons()

    # ---- the lists ------------------------------------------------------------------------

    def show_overview(self, overview: ModelsOverview) -> None:
        self._files = overview.files
        self.table.setRowCount(len(self._files))
        for index, file in enumerate(self._files):
            model = file.model
            state = (
                translate("DiskModelsPanel", "Ready")
                if file.problem is None
                else translate("DiskModelsPanel", "Broken: {problem}").format(problem=file.problem)
            )
            if file.problem is None and model.unverified:
                state = translate(
                    "DiskModelsPanel", "Ready, unverified (no SHA-256 was given to check it)"
                )
            cells = (
                model.filename,
                file.catalog_label or translate("DiskModelsPanel", "other model"),
                source_name(model),
                format_bytes(model.size),
                state,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(model.path) if column < len(cells) - 1 else text)
                self.table.setItem(index, column, item)
        self._pending = overview.pending
        self.pending_table.setRowCount(len(self._pending))
        for index, pending in enumerate(self._pending):
            for column, text in enumerate((pending.filename, pending_text(pending))):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{pending.repo_id}: {pending.part}")
                self.pending_table.setItem(index, column, item)
        self.pending_box.setVisible(bool(self._pending))
        self._update_buttons()

    def selected_file(self) -> DiskFile | None:
        rows = self.table.selectionModel().selectedRows()
        return self._files[rows[0].row()] if rows else None

    def selected_pending(self) -> PendingDownload | None:
        rows = self.pending_table.selectionModel().selectedRows()
        return self._pending[rows[0].row()] if rows else None

    def select_file(self, filename: str) -> None:
        for index, file in enumerate(self._files):
            if file.model.filename == filename:
                self.table.selectRow(index)

    # ---- actions --------------------------------------------------------------------------

    def load_selected(self) -> None:
        file = self.selected_file()
        if file is not None and file.problem is None and not file.model.is_projector:
            self._loader.load(file.model.path)

    def delete_selected(self) -> None:
        file = self.selected_file()
        if file is None:
            return
        model = file.model
        if not model.owned:
            self.show_message(
                translate(
                    "DiskModelsPanel",
                    "{file} is kept by {source} ({path}); Tramontane uses it where it lies and "
                    "deletes only the files in its own folder.",
                ).format(file=model.filename, source=source_name(model), path=model.path)
            )
            return
        if self._is_loaded(model):
            self.show_message(
                translate(
                    "DiskModelsPanel", "This model is loaded: load another one before deleting it."
                )
            )
            return
        answer = QMessageBox.question(
            self,
            translate("DiskModelsPanel", "Delete the model?"),
            translate("DiskModelsPanel", "Delete {file} ({size}) from Tramontane's folder?").format(
                file=model.filename, size=format_bytes(model.size)
            )
            + f"\n{model.path}",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.controller.delete(model)

    def choose_import(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            translate("DiskModelsPanel", "Import a model"),
            "",
            translate("DiskModelsPanel", "GGUF models (*.gguf);;All files (*)"),
        )
        if not chosen:
            return
        mode = self.ask_import_mode(Path(chosen))
        if mode is not None:
            self.start_import(Path(chosen), mode)

    def ask_import_mode(self, source: Path) -> ImportMode | None:
        box = QMessageBox(self)
        box.setWindowTitle(translate("DiskModelsPanel", "Import a model"))
        box.setText(
            translate(
                "DiskModelsPanel",
                "Link {file} into Tramontane's folder (no extra disk space; keep the original "
                "where it is), or copy it?",
            ).format(file=source.name)
        )
        link = box.addButton(
            translate("DiskModelsPanel", "Link"), QMessageBox.ButtonRole.AcceptRole
        )
        link.setAccessibleDescription(
            translate("DiskModelsPanel", "Links the file: no extra disk space, the original stays")
        )
        copy = box.addButton(
            translate("DiskModelsPanel", "Copy"), QMessageBox.ButtonRole.AcceptRole
        )
        copy.setAccessibleDescription(
            translate("DiskModelsPanel", "Copies the file into Tramontane's folder")
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        return ImportMode.LINK if clicked is link else ImportMode.COPY if clicked is copy else None

    def start_import(self, source: Path, mode: ImportMode) -> None:
        self.import_button.setEnabled(False)
        self.show_message(
            translate("DiskModelsPanel", "Importing {file}…").format(file=source.name)
        )
        self.controller.import_file(source, mode)

    def resume_selected(self) -> None:
        pending = self.selected_pending()
        if pending is not None:
            self.controller.resume_pending(pending)

    def discard_selected(self) -> None:
        pending = self.selected_pending()
        if pending is not None:
            self.controller.discard(pending)

    # ---- reports --------------------------------------------------------------------------

    def _show_copy(self, done: int, total: int) -> None:
        self.copy_bar.show()
        self.copy_bar.setRange(0, 1000)
        self.copy_bar.setValue(round(1000 * done / total) if total else 1000)
        self.copy_bar.setFormat(
            translate("DiskModelsPanel", "{done} of {total}").format(
                done=format_bytes(done), total=format_bytes(total)
            )
        )

    def _chore_done(self, message: str) -> None:
        self.show_message(message)
        self._after_chore()

    def _chore_failed(self, message: str) -> None:
        self.message_label.setObjectName("errorText")
        self.message_label.setText(message)
        self.message_label.style().polish(self.message_label)
        self._after_chore()

    def _after_chore(self) -> None:
        self.copy_bar.hide()
        self.import_button.setEnabled(True)
        self.controller.refresh()

    def show_message(self, message: str) -> None:
        self.message_label.setObjectName("")
        self.message_label.setText(message)
        self.message_label.style().polish(self.message_label)

    def _is_loaded(self, model: LocalModel) -> bool:
        current = self._loader.current_path()
        return current is not None and current.resolve() == model.path.resolve()

    def _update_buttons(self) -> None:
        file = self.selected_file()
        usable = file is not None and file.problem is None and not file.model.is_projector
        self.load_button.setEnabled(usable)
        self.delete_button.setEnabled(file is not None and file.model.owned)
        self.delete_button.setToolTip(
            translate("DiskModelsPanel", "Only files in Tramontane's folder can be deleted.")
            if file is not None and not file.model.owned
            else ""
        )
        has_pending = self.selected_pending() is not None
        self.resume_button.setEnabled(has_pending and not self.controller.downloading)
        self.discard_button.setEnabled(has_pending and not self.controller.downloading)
