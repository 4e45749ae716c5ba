"""Settings → Engine: answer with the local llama.cpp engine, or with an OpenAI-compatible
server (vLLM, llama.cpp's llama-server, Ollama, LM Studio) given by its address."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from app.api_key import load_api_key, save_api_key
from app.core.i18n import translate
from app.qt_bridge.local_api import needs_token, new_token
from app.settings import ApiSettings, RemoteSettings, SettingsError, check_hub_endpoint


class EnginePage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.use_server = QCheckBox(
            translate("EnginePage", "Answer with a server instead of this computer"), self
        )
        self.base_url = QLineEdit(self)
        self.base_url.setPlaceholderText("http://gpu-server:8000/v1")
        self.api_key = QLineEdit(self)
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setPlaceholderText(translate("EnginePage", "None"))
        self.model = QLineEdit(self)
        self.model.setPlaceholderText(translate("EnginePage", "The first model the server lists"))
        hint = QLabel(
            translate(
                "EnginePage",
                "Any server with an OpenAI-compatible API: vLLM (Mistral's recommendation for "
                "serving this model), llama.cpp's llama-server, Ollama (…/v1), LM Studio. "
                "Conversations, tools and history stay on this computer. The key is kept in the "
                "system keyring when there is one, else in a file only you can read.",
            ),
            self,
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.serve = QCheckBox(
            translate("EnginePage", "Serve the loaded model on an OpenAI-compatible API"), self
        )
        self.api_host = QLineEdit(self)
        self.api_port = QSpinBox(self)
        self.api_port.setRange(1, 65535)
        self.api_token = QLineEdit(self)
        self.api_token.setReadOnly(True)
        self.api_token.setPlaceholderText(translate("EnginePage", "Not needed on 127.0.0.1"))
        api_hint = QLabel(
            translate(
                "EnginePage",
                "At http://HOST:PORT/v1 (/v1/models, /v1/chat/completions with streaming, tools "
                "and images). On 127.0.0.1 only this computer can reach it; on another address "
                "every request needs the token above (Authorization: Bearer …). Requests wait "
                "while the window is answering.",
            ),
            self,
        )
        api_hint.setObjectName("hint")
        api_hint.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("", self.use_server)
        form.addRow(translate("EnginePage", "Server address"), self.base_url)
        form.addRow(translate("EnginePage", "API key"), self.api_key)
        form.addRow(translate("EnginePage", "Model"), self.model)
        form.addRow("", hint)
        form.addRow("", self.serve)
        form.addRow(translate("EnginePage", "Listen on"), self.api_host)
        form.addRow(translate("EnginePage", "Port"), self.api_port)
        form.addRow(translate("EnginePage", "Token"), self.api_token)
        form.addRow("", api_hint)
        self._describe()
        self.use_server.toggled.connect(self._update)
        self.serve.toggled.connect(self._update)
        self.api_host.textChanged.connect(self._update)

    def set_remote(self, remote: RemoteSettings) -> None:
        self.use_server.setChecked(remote.enabled)
        self.base_url.setText(remote.base_url)
        self.model.setText(remote.model)
        self.api_key.setText(load_api_key())
        self._update()

    def set_api(self, api: ApiSettings) -> None:
        self.serve.setChecked(api.enabled)
        self.api_host.setText(api.host)
        self.api_port.setValue(api.port)
        self.api_token.setText(api.token)
        self._update()

    def api(self) -> ApiSettings:
        return ApiSettings(
            enabled=self.serve.isChecked(),
            host=self.api_host.text().strip() or "127.0.0.1",
            port=self.api_port.value(),
            token=self.api_token.text(),
        )

    def problem(self) -> str | None:
        if not self.use_server.isChecked():
            return None
        if not self.base_url.text().strip():
            return translate(
                "EnginePage", "Give the server's address, or answer with this computer."
            )
        try:
            check_hub_endpoint(self.base_url.text())
        except SettingsError:
            return translate(
                "EnginePage", "The server address “{address}” is not an http(s) URL."
            ).format(address=self.base_url.text().strip())
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

    def _describe(self) -> None:
        """Names and descriptions of the fields for screen readers."""
        self.use_server.setAccessibleName(translate("EnginePage", "Answer with a server"))
        self.use_server.setAccessibleDescription(
            translate(
                "EnginePage",
                "Sends the conversations to an OpenAI-compatible server instead of the model on "
                "this computer",
            )
        )
        self.base_url.setAccessibleName(translate("EnginePage", "Server address"))
        self.base_url.setAccessibleDescription(
            translate("EnginePage", "The http or https address of the server's API")
        )
        self.api_key.setAccessibleName(translate("EnginePage", "API key"))
        self.api_key.setAccessibleDescription(
            translate("EnginePage", "The key the server asks for, if any; kept hidden")
        )
        self.model.setAccessibleName(translate("EnginePage", "Model"))
        self.model.setAccessibleDescription(
            translate("EnginePage", "The model to ask on the server; empty for the first it lists")
        )
        self.serve.setAccessibleName(translate("EnginePage", "Serve the loaded model"))
        self.serve.setAccessibleDescription(
            translate(
                "EnginePage",
                "Lets other programs use the loaded model through an OpenAI-compatible API",
            )
        )
        self.api_host.setAccessibleName(translate("EnginePage", "Listen on"))
        self.api_host.setAccessibleDescription(
            translate(
                "EnginePage", "The address the API answers on; 127.0.0.1 for this computer only"
            )
        )
        self.api_port.setAccessibleName(translate("EnginePage", "Port"))
        self.api_port.setAccessibleDescription(
            translate("EnginePage", "The port the API answers on")
        )
        self.api_token.setAccessibleName(translate("EnginePage", "Token"))
        self.api_token.setAccessibleDescription(
            translate(
                "EnginePage",
                "The token every request must carry when the API is reachable from other computers",
            )
        )

    def _update(self) -> None:
        for field in (self.base_url, self.api_key, self.model):
            field.setEnabled(self.use_server.isChecked())
        serving = self.serve.isChecked()
        for widget in (self.api_host, self.api_port, self.api_token):
            widget.setEnabled(serving)
        host = self.api_host.text().strip() or "127.0.0.1"
        if serving and needs_token(host) and not self.api_token.text():
            self.api_token.setText(new_token())  # shown here, to copy into the client
