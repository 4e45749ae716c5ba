"""What the window says when the engine refuses or fails a model, or a model cannot see the
images given to it, with the action that helps."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.engine.protocol import EngineError, ErrorKind, LoadModel
from app.models.local_models import projector_beside
from app.qt_bridge.workspace import Workspace
from app.ui.notice_bar import NoticeBar, Severity

ERROR_ADVICE: dict[ErrorKind, str] = {
    ErrorKind.FILE_NOT_FOUND: "Check that the file is still there.",
    ErrorKind.NOT_GGUF: "Choose a .gguf model file.",
    ErrorKind.TRUNCATED: "The file is incomplete; download it again.",
    ErrorKind.UNSUPPORTED_ARCHITECTURE: "Tramontane runs Mistral Small 3.2 GGUF files.",
    ErrorKind.CONTEXT_TOO_LARGE: "Choose a smaller context size in Settings.",
    ErrorKind.BAD_MMPROJ: "Choose the vision projector that belongs to this model in Settings.",
    ErrorKind.OUT_OF_MEMORY: (
        "Try a smaller quant, a smaller context size, a quantized KV cache or fewer GPU layers."
    ),
    ErrorKind.TEMPLATE: "The model's chat template could not be used.",
    ErrorKind.PROMPT_TOO_LONG: "Shorten the message or start a new conversation.",
    ErrorKind.BAD_IMAGE: "Remove the image from the message, or attach it again.",
}


def error_text(error: EngineError) -> str:
    advice = ERROR_ADVICE.get(error.kind)
    return f"{error.message} {advice}" if advice else error.message


class EngineNotices:
    """Shows the workspace's engine failures and load confirmations in the notice bar."""

    def __init__(
        self,
        notice: NoticeBar,
        workspace: Workspace,
        *,
        restart_engine: Callable[[], None],
        choose_model_file: Callable[[], None],
        get_projector: Callable[[], None],
    ) -> None:
        self._notice = notice
        self._workspace = workspace
        self._restart_engine = restart_engine
        self._choose_model_file = choose_model_file
        self._get_projector = get_projector
        workspace.engine_failed.connect(self.show_failure)
        workspace.engine.confirm_load.connect(self.confirm_load)
        workspace.loader.confirm_unverified.connect(self.confirm_unverified)

    def show_failure(self, error: EngineError) -> None:
        if error.kind is ErrorKind.ENGINE_CRASHED:
            self._notice.show_notice(
                f"{error.message} What was written of the answer was kept.",
                detail=error.detail,
                action=("Restart engine", self._restart_engine),
            )
            return
        if error.kind is ErrorKind.TEMPLATE and error.request_id is None:  # at load time
            self._notice.show_notice(
                error_text(error),
                detail=error.detail,
                action=(
                    "Use the built-in template",
                    self._workspace.loader.load_with_builtin_template,
                ),
            )
            return
        self._notice.show_notice(error_text(error), detail=error.detail)

    def confirm_load(self, command: LoadModel, reason: str) -> None:
        engine = self._workspace.engine
        self._notice.show_notice(
            reason,
            action=("Load it anyway", lambda: engine.load_model(command, confirmed=True)),
        )

    def confirm_unverified(self, path: Path) -> None:
        loader = self._workspace.loader
        self._notice.show_notice(
            f"{path.name} is unverified: the hub it came from gave no SHA-256 to check its bytes "
            "against. Load it only if you trust where it came from.",
            action=("Load it anyway", lambda: loader.load(path, confirmed=True)),
        )

    def offer_projector(self) -> None:
        """Say why images cannot be attached; load a projector already on disk, or fetch one."""
        workspace = self._workspace
        if workspace.engine.loaded_model is None:
            self._notice.show_notice(
                "Load a model with its vision projector first; then images can be attached.",
                Severity.INFO,
                action=("Load model…", self._choose_model_file),
            )
            return
        unseeing = (
            "This model was loaded without its vision projector (mmproj), so it cannot see images."
        )
        model_path = workspace.loader.current_path()
        on_disk = projector_beside(model_path) if model_path is not None else None
        if on_disk is not None:
            self._notice.show_notice(
                f"{unseeing} Its projector {on_disk.name} is on disk: load the model with it.",
                Severity.INFO,
                action=("Load with the projector", lambda: workspace.load_with_projector(on_disk)),
            )
            return
        self._notice.show_notice(
            f"{unseeing} Download the projector in the Models window (it is loaded with the "
            "model from then on), or choose an mmproj file in Settings → Model.",
            Severity.INFO,
            action=("Get the projector", self._get_projector),
        )
