"""The window's status line: model and quant, backend, context meter, speed of the last answer."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from app.core.i18n import tr, translate
from app.core.model_file import describe_model_file
from app.engine.protocol import Backend, Loaded
from app.models.fit_load import speed_cost_words
from app.ui.elided_button import ElidedButton
from app.ui.text_size import TextMeter


def backend_label(backend: Backend) -> str:
    return translate("StatusBar", "CPU only") if backend is Backend.CPU else backend.value


def offload_text(loaded: Loaded) -> str:
    """ "37/41 layers on the GPU" (the output layer counts as one, as llama.cpp counts)."""
    return translate("StatusBar", "{on_gpu}/{layers} layers on the GPU").format(
        on_gpu=loaded.n_gpu_layers, layers=loaded.n_layers + 1
    )


def backend_text(loaded: Loaded) -> str:
    """The backend, and for a model only partly on the GPU how much and what it costs."""
    units = loaded.n_layers + 1
    label = backend_label(loaded.backend)
    if loaded.backend in (Backend.CPU, Backend.REMOTE) or loaded.n_gpu_layers >= units:
        if loaded.offload_kqv:
            return label
        return translate("StatusBar", "{backend} · KV cache in system memory").format(backend=label)
    cost = speed_cost_words(loaded.n_gpu_layers, units, unified=loaded.backend is Backend.METAL)
    return translate("StatusBar", "{backend} · {offload}, {cost}").format(
        backend=label, offload=offload_text(loaded), cost=cost
    )


def context_text(used: int, n_ctx: int, *, exact: bool) -> str:
    text = (
        translate("StatusBar", "{used} / {n_ctx} tokens")
        if exact
        else translate("StatusBar", "≈ {used} / {n_ctx} tokens")
    )
    return text.format(used=f"{used:,}", n_ctx=f"{n_ctx:,}")


def _images_take(tokens: tuple[int, ...]) -> str:
    each = ", ".join(f"{n:,}" for n in tokens)
    return tr("%n image(s) take {tokens} tokens", None, len(tokens)).format(tokens=each)


def _api_activity(running: int, waiting: int) -> str:
    if running and waiting:
        return tr("API: answering, %n waiting", None, waiting)
    if running:
        return translate("StatusBar", "API: answering")
    return tr("API: %n waiting", None, waiting)


class StatusBar(QStatusBar):
    model_clicked = Signal()  # the user wants to switch the model or its context

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.setSizeGripEnabled(False)
        self._model = ElidedButton(translate("StatusBar", "No model loaded"), self)
        self._model.setObjectName("statusModel")
        self._model.setAccessibleDescription(
            translate("StatusBar", "Opens the choice of another model, quant or context size")
        )
        self._model.setFlat(True)
        self._model.clicked.connect(self.model_clicked)
        self._backend = QLabel(self)
        self._backend.setObjectName("statusBackend")
        self._context = TextMeter(self)
        self._context.setObjectName("contextMeter")
        self._context.setTextVisible(True)
        self._context.setRange(0, 1)
        self._context.setValue(0)
        self._context.setAccessibleName(translate("StatusBar", "Context used"))
        self._image_tokens: tuple[int, ...] = ()
        self._context.setAccessibleDescription(self._context_tip())
        self._api = QLabel(self)
        self._api.setObjectName("statusApi")
        self._api.setToolTip(
            translate("StatusBar", "Requests to the local API: they wait for the window's answers")
        )
        self._api.hide()
        self.addPermanentWidget(self._api)
        self._speed = QLabel(self)
        self._speed.setObjectName("statusSpeed")
        for widget in (self._model, self._backend, self._context, self._speed):
            self.addPermanentWidget(widget)
        self.show_no_model()

    def show_no_model(self, detail: str | None = None) -> None:
        text = detail or translate("StatusBar", "No model loaded")
        self._model.setText(text)
        self._model.setAccessibleName(text)
        self._model.setToolTip(translate("StatusBar", "Choose a model"))
        self._backend.hide()
        self._context.hide()
        self._speed.hide()

    def show_loading(self, model_name: str) -> None:
        self._model.setText(translate("StatusBar", "Loading {model}…").format(model=model_name))
        self._model.setAccessibleName(self._model.text())
        self._backend.hide()
        self._context.hide()
        self._speed.hide()

    def show_model(self, loaded: Loaded) -> None:
        file = describe_model_file(loaded.model_path)
        quant = f" · {file.quant}" if file.quant else ""
        self._model.setText(f"{file.display_name}{quant}")
        self._model.setAccessibleName(
            translate("StatusBar", "Model: {model}").format(model=self._model.text())
        )
        where = (
            offload_text(loaded)
            if loaded.backend is not Backend.CPU
            else translate("StatusBar", "Running on the CPU")
        )
        lines = (
            str(loaded.model_path),
            loaded.model_name,
            translate("StatusBar", "Context {n_ctx} tokens (trained {n_ctx_train})").format(
                n_ctx=f"{loaded.n_ctx:,}", n_ctx_train=f"{loaded.n_ctx_train:,}"
            ),
            where,
            translate("StatusBar", "Memory {gib} GiB").format(
                gib=f"{loaded.memory_bytes / 2**30:.1f}"
            ),
            translate("StatusBar", "Click to switch to another quant or context size"),
        )
        self._model.setToolTip("\n".join(lines))
        self._backend.setText(backend_text(loaded))
        self._backend.setToolTip(
            translate("StatusBar", "No GPU is used: answers will be slow")
            if loaded.backend is Backend.CPU
            else translate("StatusBar", "Running on {backend}").format(backend=loaded.backend.value)
        )
        self._backend.show()
        self.set_context(0, loaded.n_ctx, exact=True)
        self._context.show()

    def set_image_tokens(self, image_tokens: tuple[int, ...]) -> None:
        """Say in the meter's tooltip what each image of the conversation takes."""
        self._image_tokens = image_tokens
        self._context.setToolTip(self._context_tip())
        self._context.setAccessibleDescription(self._context_tip())

    def _context_tip(self) -> str:
        tip = translate(
            "StatusBar",
            "Tokens the conversation takes in the context window, counting the system prompt, "
            "tools and images",
        )
        if self._image_tokens:
            tip += "\n" + _images_take(self._image_tokens)
        return tip

    def set_context(self, used: int, n_ctx: int, exact: bool) -> None:
        self._context.setRange(0, max(1, n_ctx))
        self._context.setValue(min(used, n_ctx))
        self._context.setFormat(context_text(used, n_ctx, exact=exact))
        self._context.setProperty("over", used > n_ctx)
        tip = self._context_tip()
        if not exact:
            tip += "\n" + translate("StatusBar", "Estimated until counted by the model.")
        self._context.setToolTip(tip)
        self._context.setAccessibleDescription(tip)
        self._context.style().unpolish(self._context)
        self._context.style().polish(self._context)

    def set_speed(self, tokens_per_s: float | None) -> None:
        if tokens_per_s is None:
            self._speed.hide()
            return
        self._speed.setText(
            translate("StatusBar", "{speed} tokens/s").format(speed=f"{tokens_per_s:.1f}")
        )
        self._speed.setToolTip(translate("StatusBar", "Generation speed of the last answer"))
        self._speed.show()

    def set_api_activity(self, running: int, waiting: int) -> None:
        if not running and not waiting:
            self._api.hide()
            return
        self._api.setText(_api_activity(running, waiting))
        self._api.show()

    @property
    def api_text(self) -> str:
        return "" if self._api.isHidden() else self._api.text()

    @property
    def model_text(self) -> str:
        return self._model.text()

    @property
    def backend_text(self) -> str:
        return self._backend.text()

    @property
    def context_format(self) -> str:
        return self._context.format()

    @property
    def speed_text(self) -> str:
        return self._speed.text()
