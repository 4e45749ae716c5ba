"""Render the welcome view when the recommended quant is already in llama.cpp's cache and only
the vision projector is missing, and save a screenshot of it.

Run as `python -m tests.qt.found_screenshot_app THEME OUT.png` under a real X server, offline:
the Q4_K_M file is written, sparse and at its full size, where `llama-cli -hf` stores it in the
home folder the caller gives (HOME).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.models.catalog import DEFAULT_REPO, offline_catalog
from app.models.other_tools import UserEnvironment
from tests.fixtures.models import gguf_payload
from tests.fixtures.other_tools import llama_cpp_file
from tests.qt.first_run_screenshot_app import first_run_window


def write_found_model(home: Path) -> Path:
    catalog = offline_catalog(DEFAULT_REPO)
    if catalog is None or catalog.default_quant().size is None:
        raise SystemExit("the shipped list of quants is missing")
    quant = catalog.default_quant()
    path = llama_cpp_file(home / ".cache" / "llama.cpp", DEFAULT_REPO, quant.filename, None)
    with path.open("wb") as sparse:
        sparse.write(gguf_payload(4096))
        sparse.truncate(quant.size or 0)
    return path


def main(theme: str, out: Path) -> int:
    app = QApplication(sys.argv[:1])
    user = UserEnvironment(Path.home())
    write_found_model(user.home)
    window, engine, store = first_run_window(app, theme, user)
    welcome = window.show_welcome()

    def save() -> None:
        window.grab().save(str(out))
        print(welcome.start_button.text())
        app.quit()

    def when_listed() -> None:
        if not welcome.start_button.isEnabled():
            QTimer.singleShot(50, when_listed)
            return
        QTimer.singleShot(300, save)  # once the layout has made room for the button's new text

    QTimer.singleShot(100, when_listed)
    code = app.exec()
    engine.shutdown()
    store.close()
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], Path(sys.argv[2])))
