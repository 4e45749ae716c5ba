"""Reading the message being written ahead of its sending.

When the typing pauses, the engine evaluates the conversation with the draft as its next
message (images included), so that pressing Send leaves it almost nothing to evaluate: the
answer starts at once even after a long pasted text or ten screenshots. Any command the engine
gets meanwhile stops the reading where it is; what it read stays useful for the next reading.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QObject, QTimer

from app.core.messages import ChatMessage, DocumentPart, Role, ToolSpec
from app.media.prepare import PreparedImage
from app.media.staging import DraftFiles
from app.qt_bridge.engine_controller import EngineController, EngineState
from app.qt_bridge.settings_controller import SettingsController

PAUSE_MS = 350  # a pause in the typing this long starts a reading


@dataclass(frozen=True, slots=True)
class DraftPrompt:
    """What sending the draft now would ask the engine."""

    messages: tuple[ChatMessage, ...]
    system_prompt: str | None
    tools: tuple[ToolSpec, ...]
    conversation_id: int | None = None
    today: date | None = None


PromptFor = Callable[[ChatMessage], DraftPrompt | None]  # None: it would not be sent now


class DraftReader(QObject):
    def __init__(
        self,
        engine: EngineController,
        settings: SettingsController,
        prompt_for: PromptFor,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._engine = engine
        self._settings = settings
        self._prompt_for = prompt_for
        self._text = ""
        self._images: tuple[PreparedImage, ...] = ()
        self._documents: tuple[DocumentPart, ...] = ()
        self._files = DraftFiles()
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(PAUSE_MS)
        self._pause.timeout.connect(self.read_now)

    def draft_changed(
        self,
        text: str,
        images: Sequence[PreparedImage],
        documents: Sequence[DocumentPart] = (),
    ) -> None:
        self._text, self._images = text.strip(), tuple(images)
        self._documents = tuple(documents)
        self._pause.start()

    def read_now(self) -> int | None:
        """Send the draft to be read; its request id, or None when there is nothing to read
        or nobody to read it now."""
        self._pause.stop()
        if not self._settings.settings.model.read_ahead or not (
            self._text or self._images or self._documents
        ):
            return None
        if self._engine.state is not EngineState.READY:
            return None
        try:
            parts = self._files.parts(self._images)
        except OSError:
            return None  # the temporary folder is full or gone: sending will say what is wrong
        draft = ChatMessage(Role.USER, self._text, images=parts, documents=self._documents)
        prompt = self._prompt_for(draft)
        if prompt is None:
            return None
        return self._engine.prefill(
            prompt.messages,
            system_prompt=prompt.system_prompt,
            tools=prompt.tools,
            conversation_id=prompt.conversation_id,
            today=prompt.today,
        )

    def close(self) -> None:
        self._pause.stop()
        self._files.close()
