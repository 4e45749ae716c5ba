"""The progress bar of a model download, as the Models window and the welcome page show it."""

from __future__ import annotations

from PySide6.QtWidgets import QProgressBar, QWidget

from app.core.i18n import translate
from app.models.progress import DownloadProgress

PROGRESS_STEPS = 1000


class DownloadBar(QProgressBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, PROGRESS_STEPS)
        self.setValue(0)
        self.setAccessibleName(translate("DownloadBar", "Download progress"))
        self.setAccessibleDescription(
            translate("DownloadBar", "How much of the model is downloaded")
        )

    def show_progress(self, progress: DownloadProgress) -> None:
        if progress.fraction is not None:
            self.setValue(round(progress.fraction * PROGRESS_STEPS))

    def finish(self) -> None:
        self.setValue(PROGRESS_STEPS)
