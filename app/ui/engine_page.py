"""Settings → Engine: answer with the local llama.cpp engine, or with an OpenAI-compatible
server (vLLM, llama.cpp's llama-server, Ollama, LM Studio) given by its address."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QWidget

from app.api_key import load_api_key, save_api_key
from app.settings import RemoteSettings, SettingsError, check_hub_endpoint


class EnginePage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.use_server = QCheckBox("Answer with a server instead of this computer", self)
        self.base_url = QLineEdit(self)
        self.base_url.setPlaceholderText("http://gpu-server:8000/v1")
        self.api_key = QLineEdit(self)
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setPlaceholderText("None")
        self.model = QLineEdit(self)
        self.model.setPlaceholderText("The first model the server lists")
        hint = QLabel(
            "Any server with an OpenAI-compatible API: vLLM (Mistral's recommendation for "
            "serving this model), llama.cpp's llama-server, Ollama (…/v1), LM Studio. "
            "Conversations, tools and history stay on this computer. The key is kept in the "
            "system keyring when there is one, else in a file only you can read.",
            self,
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("", self.use_server)
        form.addRow("Server address", self.base_url)
        form.addRow("API key", self.api_key)
        form.addRow("Model", self.model)
        form.addRow("", hint)
        self.use_server.toggled.connect(self._update)

    def set_remote(self, remote: RemoteSettings) -> None:
        self.use_server.setChecked(remote.enabled)
        self.base_url.setText(remote.base_url)
        self.model.setText(remote.model)
        self.api_key.setText(load_api_key())
        self._update()

    def problem(self) -> str | None:
        if not self.use_server.isChecked():
            return None
        if not self.base_url.text().strip():
            return "Give the server's address, or answer with this computer."
        try:
            check_hub_endpoint(self.base_url.text())
        except SettingsError:
            return f"The server address {self.base_url.text().strip()!r} is not an http(s) URL."
        return None

    def remote(self) -> RemoteSettings:
        """The page's values; call `problem()` first."""
        return RemoteSettings(
            enabled=self.use_server.isChecked(),
            base_url=check_hub_endpoint(self.base_url.text()) or "",
            model=self.model.text().strip(),
        )

    def save_key(self) -> None:
        if self.api_key.text().strip() != load_api_key():
            save_api_key(self.api_key.text().strip())

    def _update(self) -> None:
        for field in (self.base_url, self.api_key, self.model):
            field.setEnabled(self.use_server.isChecked())
