"""What the window says when the engine refuses or fails a model, or a model cannot see the
images given to it, with the action that helps."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.core.i18n import translate
from app.engine.protocol import EngineError, ErrorKind, LoadModel
from app.models.local_models import projector_beside
from app.qt_bridge.workspace import Workspace
from app.ui.notice_bar import NoticeBar, Severity


def _advice(kind: ErrorKind) -> str | None:
    """What the user can do about a failure of this kind, when there is something to do."""
    advice = {
        ErrorKind.FILE_NOT_FOUND: translate("EngineNotices", "Check that the file is still there."),
        ErrorKind.NOT_GGUF: translate("EngineNotices", "Choose a .gguf model file."),
        ErrorKind.TRUNCATED: translate(
            "EngineNotices", "The file is incomplete; download it again."
        ),
        ErrorKind.UNSUPPORTED_ARCHITECTURE: translate(
            "EngineNotices", "Tramontane runs Mistral Small 3.2 GGUF files."
        ),
        ErrorKind.CONTEXT_TOO_LARGE: translate(
            "EngineNotices", "Choose a smaller context size in Settings."
        ),
        ErrorKind.BAD_MMPROJ: translate(
            "EngineNotices",
            "Choose the vision projector that belongs to this model in Settings.",
        ),
        ErrorKind.OUT_OF_MEMORY: translate(
            "EngineNotices",
            "Try a smaller quant, a smaller context size, a quantized KV cache or fewer GPU "
            "layers.",
        ),
        ErrorKind.TEMPLATE: translate(
            "EngineNotices", "The model's chat template could not be used."
        ),
        ErrorKind.PROMPT_TOO_LONG: translate(
            "EngineNotices", "Shorten the message or start a new conversation."
        ),
        ErrorKind.BAD_IMAGE: translate(
            "EngineNotices", "Remove the image from the message, or attach it again."
        ),
    }
    return advice.get(kind)


def error_text(error: EngineError) -> str:
    """The engine's message, followed by the advice for its kind of failure."""
    advice = _advice(error.kind)
    if advice is None:
        return error.message
    return translate("EngineNotices", "{error} {advice}").format(error=error.message, advice=advice)


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
                translate(
                    "EngineNotices", "{error} What was written of the answer was kept."
                ).format(error=error.message),
                detail=error.detail,
                action=(translate("EngineNotices", "Restart engine"), self._restart_engine),
            )
            return
        if error.kind is ErrorKind.TEMPLATE and error.request_id is None:  # at load time
            self._notice.show_notice(
                error_text(error),
                detail=error.detail,
                action=(
                    translate("EngineNotices", "Use the built-in template"),
                    self._workspace.loader.load_with_builtin_template,
                ),
            )
            return
        self._notice.show_notice(error_text(error), detail=error.detail)

    def confirm_load(self, command: LoadModel, reason: str) -> None:
        engine = self._workspace.engine
        self._notice.show_notice(
            reason,
            action=(
                translate("EngineNotices", "Load it anyway"),
                lambda: engine.load_model(command, confirmed=True),
            ),
        )

    def confirm_unverified(self, path: Path) -> None:
        loader = self._workspace.loader
        self._notice.show_notice(
            translate(
                "EngineNotices",
                "{file} is unverified: the hub it came from gave no SHA-256 to check its bytes "
                "against. Load it only if you trust where it came from.",
            ).format(file=path.name),
            action=(
                translate("EngineNotices", "Load it anyway"),
                lambda: loader.load(path, confirmed=True),
            ),
        )

    def offer_projector(self) -> None:
        """Say why images cannot be attached; load a projector already on disk, or fetch one."""
        workspace = self._workspace
        if workspace.engine.loaded_model is None:
            self._notice.show_notice(
                translate(
                    "EngineNotices",
                    "Load a model with its vision projector first; then images can be attached.",
                ),
                Severity.INFO,
                action=(translate("EngineNotices", "Load model…"), self._choose_model_file),
            )
            return
        model_path = workspace.loader.current_path()
        on_disk = projector_beside(model_path) if model_path is not None else None
        if on_disk is not None:
            self._notice.show_notice(
                translate(
                    "EngineNotices",
                    "This model was loaded without its vision projector (mmproj), so it cannot "
                    "see images. Its projector {file} is on disk: load the model with it.",
                ).format(file=on_disk.name),
                Severity.INFO,
                action=(
                    translate("EngineNotices", "Load with the projector"),
                    lambda: workspace.load_with_projector(on_disk),
                ),
            )
            return
        self._notice.show_notice(
            translate(
                "EngineNotices",
                "This model was loaded without its vision projector (mmproj), so it cannot see "
                "images. Download the projector in the Models window (it is loaded with the model "
                "from then on), or choose an mmproj file in Settings → Model.",
            ),
            Severity.INFO,
            action=(translate("EngineNotices", "Get the projector"), self._get_projector),
        )
