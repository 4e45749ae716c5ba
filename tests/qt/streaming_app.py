"""The real window, real store and a slow scripted engine, streaming one long answer.

Run as `python -m tests.qt.streaming_app` with TRAMONTANE_HOME set. Every 50 ms it prints
`PROGRESS <monotonic seconds> <characters streamed>` so a test can kill it mid-answer and
compare what the store kept with what had been streamed.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.main import build_window, open_window_store
from app.qt_bridge.engine_controller import EngineController, EngineState
from app.qt_bridge.settings_controller import SettingsController
from app.settings import Settings
from tests.qt.scripted_engine import Script, fake_model_file, scripted_factory

PROMPT = "Tell me a very long story."
REPORT_INTERVAL_MS = 50


def main() -> int:
    app = QApplication(sys.argv[:1])
    home = Path(os.environ["TRAMONTANE_HOME"])
    script = Script(answer="story " * 5000, token_interval_s=0.01, n_ctx=32768)
    engine = EngineController(scripted_factory(script))
    settings = SettingsController(Settings(), home / "settings.json")
    store = open_window_store()
    window = build_window(settings=settings, store=store, engine=engine)
    window.show()

    def send_when_ready() -> None:
        if engine.state is not EngineState.READY:
            QTimer.singleShot(20, send_when_ready)
            return
        window.chat.send(PROMPT)
        reporter.start(REPORT_INTERVAL_MS)

    def report() -> None:
        text = window.chat.last_answer_text() or ""
        print(f"PROGRESS {time.monotonic():.4f} {len(text)}", flush=True)

    reporter = QTimer()
    reporter.timeout.connect(report)
    models = home / "fixtures"
    models.mkdir(parents=True, exist_ok=True)
    window.loader.load(fake_model_file(models))
    QTimer.singleShot(0, send_when_ready)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
