"""The API key of the remote server: in the system keyring when the `keyring` package is
installed, otherwise in a file of the data folder that only the user can read."""

from __future__ import annotations

import contextlib
import importlib
import os
from pathlib import Path
from types import ModuleType

from app.paths import data_dir

SERVICE = "Tramontane"
ACCOUNT = "remote-server"
KEY_FILE = "server-api-key"


def _keyring() -> ModuleType | None:
    try:
        return importlib.import_module("keyring")
    except ImportError:
        return None


def _key_file() -> Path:
    return data_dir() / KEY_FILE


def load_api_key() -> str:
    keyring = _keyring()
    if keyring is not None:
        with contextlib.suppress(Exception):  # no usable keyring backend: the file, then
            return str(keyring.get_password(SERVICE, ACCOUNT) or "")
    try:
        return _key_file().read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def save_api_key(key: str) -> None:
    keyring = _keyring()
    if keyring is not None:
        with contextlib.suppress(Exception):
            if key:
                keyring.set_password(SERVICE, ACCOUNT, key)
            else:
                keyring.delete_password(SERVICE, ACCOUNT)
            return
    path = _key_file()
    if not key:
        path.unlink(missing_ok=True)
        return
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(key)
    os.chmod(path, 0o600)  # also when the file was there before
