"""On a Mac whose Metal limit does not hold a setting: the ways past it, and a button that raises
the limit through macOS's own administrator prompt, only when the user clicks it."""

from __future__ import annotations

import sys

from PySide6.QtCore import QProcess, Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from app.core.i18n import translate
from app.models.metal_limit import MetalRoutes, osascript_arguments, route_lines


class MetalLimitBox(QWidget):
    raised = Signal(int)  # the new iogpu.wired_limit_mb, once macOS has set it
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("metalLimitBox")
        self.routes: MetalRoutes | None = None
        self.text_label = QLabel(self)
        self.text_label.setWordWrap(True)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.raise_button = QPushButton(self)
        self.raise_button.setAccessibleName(translate("MetalLimitBox", "Raise Metal's limit"))
        self.raise_button.setAccessibleDescription(
            translate("MetalLimitBox", "Raises the memory macOS lets the GPU use")
        )
        self.raise_button.clicked.connect(self.raise_limit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text_label)
        layout.addWidget(self.raise_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._process: QProcess | None = None
        self.show_routes(None)

    def show_routes(self, routes: MetalRoutes | None, title: str = "") -> None:
        self.routes = routes
        self.setVisible(routes is not None)
        if routes is None:
            return
        lines = route_lines(routes)
        self.text_label.setText("\n".join([title, *lines] if title else lines))
        wired = routes.wired
        self.raise_button.setText(
            translate("MetalLimitBox", "Raise Metal's limit to {limit} MB…").format(
                limit=f"{wired.limit_mb:,}"
            )
        )
        self.raise_button.setVisible(wired.possible)
        on_mac = sys.platform == "darwin"
        self.raise_button.setEnabled(on_mac and self._process is None)
        tip = (
            translate("MetalLimitBox", "macOS asks for an administrator's password first")
            if on_mac
            else translate("MetalLimitBox", "Only on macOS; run the command above on the Mac")
        )
        self.raise_button.setToolTip(tip)
        self.raise_button.setAccessibleDescription(tip)

    def raise_limit(self) -> None:
        """Ask macOS to set the limit; its own dialog asks for the password."""
        if self.routes is None or self._process is not None:
            return
        program, *arguments = osascript_arguments(self.routes.wired)
        process = QProcess(self)
        process.finished.connect(lambda code, _status: self._done(code))
        process.errorOccurred.connect(lambda _error: self._done(-1))
        self._process = process
        self.raise_button.setEnabled(False)
        process.start(program, arguments)

    def _done(self, code: int) -> None:
        process, self._process = self._process, None
        if process is None or self.routes is None:
            return
        limit = self.routes.wired.limit_mb
        error = bytes(process.readAllStandardError().data()).decode(errors="replace").strip()
        process.deleteLater()
        self.raise_button.setEnabled(True)
        if code == 0:
            self.raised.emit(limit)
        else:
            command = self.routes.wired.command
            self.failed.emit(
                translate(
                    "MetalLimitBox",
                    "Metal's limit was not changed: {error}. It can be set by hand in Terminal: "
                    "{command}",
                ).format(error=error, command=command)
                if error
                else translate(
                    "MetalLimitBox",
                    "Metal's limit was not changed. It can be set by hand in Terminal: {command}",
                ).format(command=command)
            )
