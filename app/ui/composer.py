"""Where the user writes: Enter sends, Shift+Enter breaks the line, Esc or the stop button stops."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QImage, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import translate
from app.ui.attachment_strip import AttachmentStrip


class ComposerMode(Enum):
    NO_MODEL = "no_model"  # nothing loaded: writing is off, the banner offers to load a model
    LOADING = "loading"  # a model is loading
    READY = "ready"
    GENERATING = "generating"  # an answer is streaming: the stop button replaces send
    ENGINE_STOPPED = "engine_stopped"  # the engine process died: the banner offers a restart


def _placeholder(mode: ComposerMode) -> str:
    return {
        ComposerMode.NO_MODEL: translate("Composer", "Load a model to start chatting"),
        ComposerMode.LOADING: translate("Composer", "Loading the model…"),
        ComposerMode.READY: translate(
            "Composer", "Message Mistral Small  (Enter sends, Shift+Enter for a new line)"
        ),
        ComposerMode.GENERATING: translate("Composer", "Answering…  (Esc stops)"),
        ComposerMode.ENGINE_STOPPED: translate("Composer", "The engine has stopped"),
    }[mode]


def _banner(mode: ComposerMode, detail: str) -> tuple[str, str, str] | None:
    """The banner's text, its button and what the button does, for the modes that show one."""
    if mode is ComposerMode.NO_MODEL:
        return (
            detail or translate("Composer", "No model is loaded."),
            translate("Composer", "Load model…"),
            translate("Composer", "Opens the choice of a model to load"),
        )
    if mode is ComposerMode.LOADING:
        return detail or translate("Composer", "Loading the model…"), "", ""
    if mode is ComposerMode.ENGINE_STOPPED:
        return (
            detail or translate("Composer", "The engine has stopped."),
            translate("Composer", "Restart engine"),
            translate("Composer", "Starts the engine again with the same model"),
        )
    return None


def local_files(mime: QMimeData) -> list[Path]:
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class _MessageEdit(QPlainTextEdit):
    """A plain-text field that grows with its content up to a few lines. Image files and image
    data dropped or pasted on it become attachments, not text."""

    submit = Signal()
    stop = Signal()
    files_given = Signal(list)  # list[Path]
    image_given = Signal(QImage)

    MAX_LINES = 10

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composerEdit")
        self.setTabChangesFocus(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().contentsChanged.connect(self.updateGeometry)
        self.setAccessibleName(translate("Composer", "Message"))
        self.setAccessibleDescription(
            translate(
                "Composer",
                "The message to send: Enter sends it, Shift+Enter starts a new line, Esc stops "
                "an answer. Dropped or pasted images and files are attached.",
            )
        )

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return (
            bool(local_files(source)) or source.hasImage() or super().canInsertFromMimeData(source)
        )

    def insertFromMimeData(self, source: QMimeData) -> None:
        files = local_files(source)
        if files:
            self.files_given.emit(files)
        elif source.hasImage():
            self.image_given.emit(QImage(source.imageData()))
        else:
            super().insertFromMimeData(source)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
            else:
                self.submit.emit()
            return
        if key == Qt.Key.Key_Escape:
            self.stop.emit()
            return
        super().keyPressEvent(event)

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self.font())
        lines = self._visual_lines()
        self.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if lines > self.MAX_LINES
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        shown = max(1, min(self.MAX_LINES, lines))
        margins = self.contentsMargins()
        document_margin = 2 * round(self.document().documentMargin())
        height = shown * metrics.lineSpacing() + document_margin + margins.top() + margins.bottom()
        return QSize(super().sizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def _visual_lines(self) -> int:
        # a plain-text document's layout measures its height in lines, not pixels
        return max(1, round(self.document().documentLayout().documentSize().height()))


class Composer(QWidget):
    send_requested = Signal(str)
    stop_requested = Signal()
    load_model_requested = Signal()
    restart_engine_requested = Signal()
    attach_requested = Signal()  # the Attach button
    files_given = Signal(list)  # list[Path]: dropped or pasted files
    image_given = Signal(QImage)  # pasted or dropped image data
    draft_changed = Signal()  # the text or the attached images changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._mode = ComposerMode.NO_MODEL

        self._banner = QFrame(self)
        self._banner.setObjectName("composerBanner")
        self._banner_label = QLabel(self._banner)
        self._banner_label.setWordWrap(True)
        self._banner_label.setAccessibleName(translate("Composer", "Model state"))
        self._banner_button = QPushButton(self._banner)
        self._banner_button.setObjectName("primaryButton")
        self._banner_button.clicked.connect(self._on_banner_button)
        banner_layout = QHBoxLayout(self._banner)
        banner_layout.setContentsMargins(12, 8, 8, 8)
        banner_layout.addWidget(self._banner_label, 1)
        banner_layout.addWidget(self._banner_button)

        frame = QFrame(self)
        frame.setObjectName("composerFrame")
        self._edit = _MessageEdit(frame)
        self._edit.submit.connect(self.submit)
        self._edit.stop.connect(self._on_escape)
        self._edit.textChanged.connect(self._update_buttons)
        self._edit.textChanged.connect(self.draft_changed)
        self._edit.files_given.connect(self.files_given)
        self._edit.image_given.connect(self.image_given)
        self.attachments = AttachmentStrip(self)
        self.attachments.changed.connect(self._update_buttons)
        self.attachments.changed.connect(self.draft_changed)
        self._attach_button = QPushButton(translate("Composer", "Attach"), frame)
        self._attach_button.setObjectName("attachButton")
        attach_tip = translate(
            "Composer",
            "Attach images, scans or documents (or drop them here, or paste with Ctrl+V)",
        )
        self._attach_button.setToolTip(attach_tip)
        self._attach_button.setAccessibleName(translate("Composer", "Attach"))
        self._attach_button.setAccessibleDescription(attach_tip)
        self._attach_button.clicked.connect(self.attach_requested)
        self._send_button = QPushButton(translate("Composer", "Send"), frame)
        self._send_button.setObjectName("primaryButton")
        self._send_button.setToolTip(translate("Composer", "Send (Enter)"))
        self._send_button.setAccessibleName(translate("Composer", "Send"))
        self._send_button.setAccessibleDescription(
            translate("Composer", "Sends the message and its attachments to the model")
        )
        self._send_button.clicked.connect(self.submit)
        self._stop_button = QPushButton(translate("Composer", "Stop"), frame)
        self._stop_button.setObjectName("stopButton")
        self._stop_button.setToolTip(translate("Composer", "Stop the answer (Esc)"))
        self._stop_button.setAccessibleName(translate("Composer", "Stop"))
        self._stop_button.setAccessibleDescription(
            translate("Composer", "Stops the answer being written; what it wrote so far stays")
        )
        self._stop_button.clicked.connect(self.stop_requested)
        frame_layout = QHBoxLayout(frame)
        frame_layout.setContentsMargins(10, 6, 6, 6)
        frame_layout.addWidget(self._attach_button, 0, Qt.AlignmentFlag.AlignBottom)
        frame_layout.addWidget(self._edit, 1)
        frame_layout.addWidget(self._send_button, 0, Qt.AlignmentFlag.AlignBottom)
        frame_layout.addWidget(self._stop_button, 0, Qt.AlignmentFlag.AlignBottom)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(self._banner)
        layout.addWidget(self.attachments)
        layout.addWidget(frame)
        self.set_mode(ComposerMode.NO_MODEL)

    @property
    def mode(self) -> ComposerMode:
        return self._mode

    def set_mode(self, mode: ComposerMode, detail: str = "") -> None:
        """Switch state; `detail` is shown in the banner (for example why the engine stopped)."""
        self._mode = mode
        writable = mode in (ComposerMode.READY, ComposerMode.GENERATING)
        self._edit.setReadOnly(not writable)
        self._edit.setEnabled(writable)
        self._edit.setPlaceholderText(_placeholder(mode))
        self._send_button.setVisible(mode is not ComposerMode.GENERATING)
        self._stop_button.setVisible(mode is ComposerMode.GENERATING)
        banner = _banner(mode, detail)
        self._banner.setVisible(banner is not None)
        if banner is not None:
            text, button, description = banner
            self._banner_label.setText(text)
            self._banner_label.setAccessibleDescription(text)
            self._banner_button.setText(button)
            self._banner_button.setAccessibleName(button.rstrip("…"))
            self._banner_button.setAccessibleDescription(description)
            self._banner_button.setVisible(bool(button))
        self._update_buttons()

    def text(self) -> str:
        return self._edit.toPlainText()

    def set_text(self, text: str) -> None:
        self._edit.setPlainText(text)
        cursor = self._edit.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self._edit.setTextCursor(cursor)

    def focus_input(self) -> None:
        self._edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def submit(self) -> None:
        """Send the text when a model is ready; the field is cleared only once it is sent."""
        text = self.text().strip()
        attached = self.attachments.images or self.attachments.documents
        if self._mode is not ComposerMode.READY or not (text or attached):
            return
        self.send_requested.emit(text)

    def clear(self) -> None:
        self._edit.clear()
        self.attachments.clear()

    def _on_escape(self) -> None:
        if self._mode is ComposerMode.GENERATING:
            self.stop_requested.emit()

    def _on_banner_button(self) -> None:
        if self._mode is ComposerMode.ENGINE_STOPPED:
            self.restart_engine_requested.emit()
        else:
            self.load_model_requested.emit()

    def _update_buttons(self) -> None:
        attached = self.attachments.images or self.attachments.documents
        has_content = bool(self.text().strip()) or bool(attached)
        self._send_button.setEnabled(self._mode is ComposerMode.READY and has_content)
        self._attach_button.setEnabled(self._mode in (ComposerMode.READY, ComposerMode.GENERATING))
