"""Time from starting the program to its window on screen, with no model (no engine process).

Run as `python -m tests.bench.bench_startup [runs]`. Each run is a fresh interpreter with a fresh
data folder; the figure counts the interpreter start, the imports, the settings, the store and
the window up to its first paint.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

BUDGET_S = 1.5
RUNS = 5

# Runs inside the child: the program's own main(), plus a filter that notes the main window's
# first paint, prints the moments and quits. Nothing else is added to the program.
CHILD = r"""
import sys, time
started = time.perf_counter()
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])
qt_ready = time.perf_counter()

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
            shown = time.perf_counter()
            figures = (qt_ready - started, imported - started, shown - started)
            print("FIGURES " + " ".join(f"{x:.4f}" for x in figures), flush=True)
            app.removeEventFilter(self)
            QTimer.singleShot(0, app.quit)
        return False

watcher = FirstPaint()
app.installEventFilter(watcher)
import app.main as program
imported = time.perf_counter()
sys.exit(program.main([]))
"""


def one_run() -> tuple[float, float, float, float]:
    """(wall seconds to the first paint, Qt ready, program imported, shown) for one start."""
    with tempfile.TemporaryDirectory(prefix="tramontane-bench-") as home:
        env = dict(os.environ, TRAMONTANE_HOME=home)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        begin = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", CHILD],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert process.stdout is not None
        figures: list[float] = []
        wall = 0.0
        for line in process.stdout:
            if line.startswith("FIGURES"):
                wall = time.perf_counter() - begin
                figures = [float(x) for x in line.split()[1:]]
                break
        process.wait(timeout=30)
        if not figures:
            raise SystemExit(f"the program exited with {process.returncode} before its window")
        return wall, figures[0], figures[1], figures[2]


def main(argv: list[str]) -> int:
    runs = int(argv[0]) if argv else RUNS
    results = [one_run() for _ in range(runs)]
    walls = [r[0] for r in results]
    print(f"Start to window shown, no model, {runs} runs (QT_QPA_PLATFORM={_platform()}):")
    print(
        f"  wall, from process spawn: median {statistics.median(walls):.3f} s, "
        f"min {min(walls):.3f} s, max {max(walls):.3f} s"
    )
    for index, label in ((1, "Qt application ready"), (2, "program imported"), (3, "shown")):
        values = [r[index] for r in results]
        print(f"  inside the process, {label}: median {statistics.median(values):.3f} s")
    verdict = "within" if statistics.median(walls) <= BUDGET_S else "OVER"
    print(f"  {verdict} the {BUDGET_S:.1f} s budget")
    return 0


def _platform() -> str:
    return os.environ.get("QT_QPA_PLATFORM", "offscreen")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
