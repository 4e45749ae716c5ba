"""Settings → Downloads: the hub's address (a mirror), offline mode, and the user's own folders
of GGUF files, which the Models window lists beside its own."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import translate
from app.settings import LibrarySettings, SettingsError, check_hub_endpoint

HUB_ADDRESS = "https://huggingface.co"


class FolderList(QWidget):
    """Folders in a list with Add… and Remove."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setMaximumHeight(110)
        self.list.setAccessibleName(translate("FolderList", "Folders"))
        self.list.setAccessibleDescription(translate("FolderList", "The folders in this list"))
        self.add_button = QPushButton(translate("FolderList", "Add…"), self)
        self.add_button.setAccessibleName(translate("FolderList", "Add a folder"))
        self.add_button.setAccessibleDescription(
            translate("FolderList", "Chooses a folder to add to the list")
        )
        self.remove_button = QPushButton(translate("FolderList", "Remove"), self)
        self.remove_button.setAccessibleName(translate("FolderList", "Remove the folder"))
        self.remove_button.setAccessibleDescription(
            translate("FolderList", "Takes the selected folders off the list; nothing is deleted")
        )
        self.add_button.clicked.connect(self._choose)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.itemSelectionChanged.connect(self._update)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._update()

    def folders(self) -> tuple[Path, ...]:
        return tuple(Path(self.list.item(i).text()) for i in range(self.list.count()))

    def set_folders(self, folders: tuple[Path, ...]) -> None:
        self.list.clear()
        for folder in folders:
            self.add(folder)

    def add(self, folder: Path) -> None:
        if folder not in self.folders():
            self.list.addItem(str(folder))
        self._update()

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))
        self._update()

    def _choose(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, translate("FolderList", "A folder with GGUF models")
        )
        if chosen:
            self.add(Path(chosen))

    def _update(self) -> None:
        self.remove_button.setEnabled(bool(self.list.selectedItems()))


class LibraryPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hub_endpoint = QLineEdit(self)
        self.hub_endpoint.setClearButtonEnabled(True)
        self.hub_endpoint.setPlaceholderText(os.environ.get("HF_ENDPOINT") or HUB_ADDRESS)
        self.hub_endpoint.setAccessibleName(translate("LibraryPage", "Hub address"))
        self.hub_endpoint.setAccessibleDescription(
            translate(
                "LibraryPage",
                "The address of the Hugging Face hub or of a mirror; empty for the hub itself",
            )
        )
        self.offline = QCheckBox(translate("LibraryPage", "Offline: never use the network"), self)
        self.offline.setAccessibleName(translate("LibraryPage", "Offline"))
        self.offline.setAccessibleDescription(
            translate("LibraryPage", "Never uses the network: the saved models list, no downloads")
        )
        self.folders = FolderList(self)
        self.folders.list.setAccessibleName(translate("LibraryPage", "Model folders"))
        self.folders.list.setAccessibleDescription(
            translate("LibraryPage", "Your folders of GGUF files, listed in the Models window")
        )
        hint = QLabel(
            translate(
                "LibraryPage",
                "A mirror of the Hugging Face hub serves the same files at another address; "
                "leave it empty for the hub itself. Offline, the models list is the saved one and "
                "nothing is downloaded. Models in your folders are listed under Models → On this "
                "computer.",
            ),
            self,
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(translate("LibraryPage", "Hub address"), self.hub_endpoint)
        form.addRow("", self.offline)
        form.addRow(translate("LibraryPage", "Model folders"), self.folders)
        form.addRow("", hint)

    def set_library(self, library: LibrarySettings) -> None:
        self.hub_endpoint.setText(library.hub_endpoint or "")
        self.offline.setChecked(library.offline)
        self.folders.set_folders(library.model_folders)

    def problem(self) -> str | None:
        """Why the page's values cannot be saved, or None."""
        try:
            check_hub_endpoint(self.hub_endpoint.text())
        except SettingsError as exc:
            return f"{str(exc)[0].upper()}{str(exc)[1:]}."
        return None

    def library(self) -> LibrarySettings:
        """The values as settings; call `problem()` first."""
        return LibrarySettings(
            hub_endpoint=check_hub_endpoint(self.hub_endpoint.text()),
            offline=self.offline.isChecked(),
            model_folders=self.folders.folders(),
        )
