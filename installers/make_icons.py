"""Render the app icon (resources/icons/tramontane.svg) to the formats installers need:
PNGs for Linux, tramontane.ico for Windows and tramontane.icns for macOS, in installers/build/.

    python installers/make_icons.py
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icons" / "tramontane.svg"
OUT = ROOT / "installers" / "build"
SIZES = (16, 32, 48, 64, 128, 256, 512, 1024)


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(data.data()))).convert("RGBA")


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"{SOURCE} cannot be read", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    images = {size: render(renderer, size) for size in SIZES}
    for size in (48, 128, 256, 512):
        images[size].save(OUT / f"tramontane-{size}.png")
    images[256].save(OUT / "tramontane.ico", sizes=[(s, s) for s in (16, 32, 48, 64, 128, 256)])
    images[1024].save(OUT / "tramontane.icns")
    del app
    print(f"icons written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
