"""The window's side of conversations' KV snapshots: the settings go to the engine, a deleted
conversation's snapshot goes with it, and the space in use and the one notice come back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.core.i18n import translate
from app.engine.protocol import ReadProgress, SnapshotUsage
from app.qt_bridge.engine_controller import EngineController
from app.qt_bridge.settings_controller import SettingsController
from app.settings import Settings

SNAPSHOT_FOLDER = "kv-snapshots"
PROGRESS_SHOWN_MS = 3000


def describe_read_progress(progress: ReadProgress) -> str:
    """What the status bar says while a conversation's history is read or restored."""
    counts = {"done": f"{progress.done:,}", "total": f"{progress.total:,}"}
    if progress.restored:
        text = translate(
            "SnapshotBridge", "Conversation restored from disk: {done} of {total} tokens."
        )
    elif progress.done >= progress.total:
        text = translate("SnapshotBridge", "Reading the conversation: {done} of {total} tokens.")
    elif progress.seconds_left is not None:
        text = translate(
            "SnapshotBridge",
            "Reading the conversation: {done} of {total} tokens, about {duration} left "
            "(Stop cancels).",
        )
        counts["duration"] = _duration(progress.seconds_left)
    else:
        text = translate(
            "SnapshotBridge", "Reading the conversation: {done} of {total} tokens (Stop cancels)."
        )
    return text.format(**counts)


def _duration(seconds: float) -> str:
    if seconds < 60:
        return translate("SnapshotBridge", "{seconds} s").format(seconds=max(1, round(seconds)))
    minutes, rest = divmod(round(seconds), 60)
    return translate("SnapshotBridge", "{minutes} min {seconds} s").format(
        minutes=minutes, seconds=f"{rest:02d}"
    )


class SnapshotBridge(QObject):
    notice = Signal(str)  # said once per run: why conversations stopped being saved
    usage_changed = Signal(int, int)  # files, bytes

    def __init__(
        self,
        engine: EngineController,
        settings: SettingsController,
        data_folder: Path,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._engine = engine
        self.folder = data_folder / SNAPSHOT_FOLDER
        self.usage = SnapshotUsage(0, 0)
        self._told = False
        settings.changed.connect(self._apply)
        engine.snapshot_usage.connect(self._on_usage)
        self._apply(settings.settings)

    def _apply(self, settings: Settings) -> None:
        model = settings.model
        folder = self.folder if model.kv_snapshots else None
        self._engine.configure_snapshots(folder, model.snapshot_budget_bytes)

    def forget(self, conversation_id: int) -> None:
        """The conversation was deleted: so is its snapshot."""
        self._engine.delete_snapshots((conversation_id,))

    def delete_all(self) -> None:
        self._engine.delete_snapshots(None)

    def refresh(self) -> None:
        """Ask for the space in use (answered through `usage_changed`)."""
        self._engine.query_snapshots()
        self.usage_changed.emit(self.usage.files, self.usage.bytes)

    def _on_usage(self, usage: SnapshotUsage) -> None:
        self.usage = usage
        self.usage_changed.emit(usage.files, usage.bytes)
        if usage.notice and not self._told:
            self._told = True
            self.notice.emit(usage.notice)
