"""Help → About Tramontane: name, version, icon, and the licenses of what it is made of."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.about import Component, headline, runtime_components, version
from app.core.i18n import translate
from app.paths import resource
from app.ui.text_size import scaled_size

PROJECT_LICENSE = "Apache-2.0"


def _columns() -> list[str]:
    return [
        translate("AboutDialog", "Component"),
        translate("AboutDialog", "Version"),
        translate("AboutDialog", "License"),
        "",
    ]


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("AboutDialog", "About Tramontane"))
        self.resize(scaled_size(self, 720, 560))
        icon = QLabel(self)
        icon.setPixmap(QIcon(str(resource("icons", "tramontane.svg"))).pixmap(72, 72))
        icon.setAccessibleName(translate("AboutDialog", "Tramontane's icon"))
        icon.setAccessibleDescription(
            translate("AboutDialog", "Image {file}, {width} × {height} pixels").format(
                file="tramontane.svg", width=72, height=72
            )
        )
        self.title = QLabel(f"<h2>Tramontane {version()}</h2>", self)
        summary = QLabel(
            translate(
                "AboutDialog",
                "Offline chat with Mistral Small 3.2 24B Instruct, run by llama.cpp on this "
                "computer. Tramontane is free software under the {license} license.",
            ).format(license=PROJECT_LICENSE),
            self,
        )
        summary.setWordWrap(True)
        head = QVBoxLayout()
        head.addWidget(self.title)
        head.addWidget(summary)
        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(head, 1)

        self.components = [*headline(), *runtime_components()]
        columns = _columns()
        self.table = QTableWidget(len(self.components), len(columns), self)
        self.table.setHorizontalHeaderLabels(columns)
        self.table.setAccessibleName(translate("AboutDialog", "Components"))
        self.table.setAccessibleDescription(
            translate("AboutDialog", "What Tramontane is made of, with versions and licenses")
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for row, component in enumerate(self.components):
            self._fill(row, component)

        self.license_text = QPlainTextEdit(self)
        self.license_text.setReadOnly(True)
        self.license_text.setPlainText(
            resource("licenses", f"{PROJECT_LICENSE}.txt").read_text(encoding="utf-8")
        )
        self.license_text.setAccessibleName(translate("AboutDialog", "License text"))
        self.license_text.setAccessibleDescription(
            translate("AboutDialog", "The full text of Tramontane's license")
        )
        self.license_text.hide()
        self.show_license = QPushButton(
            translate("AboutDialog", "Show Tramontane's license ({license})").format(
                license=PROJECT_LICENSE
            ),
            self,
        )
        self.show_license.setAccessibleName(translate("AboutDialog", "Show the license"))
        self.show_license.setAccessibleDescription(
            translate("AboutDialog", "Shows or hides the full text of Tramontane's license")
        )
        self.show_license.setCheckable(True)
        self.show_license.toggled.connect(self.license_text.setVisible)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(translate("AboutDialog", "Close"))
        close.setAccessibleDescription(translate("AboutDialog", "Closes this window"))

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel(translate("AboutDialog", "Made with:"), self))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.show_license)
        layout.addWidget(self.license_text, 1)
        layout.addWidget(buttons)

    def _fill(self, row: int, component: Component) -> None:
        cells = (component.name, component.version, component.license, component.note)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            self.table.setItem(row, column, item)
