"""Screenshots of the real window, light and dark, for the README (marker `screenshot`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import QImage

from app.paths import resource

SCREENSHOTS = resource("screenshots")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.screenshot


@pytest.fixture(scope="module")
def x_server() -> Iterator[str]:
    """A private Xvfb on a free display number (Xvfb picks it and writes it to a pipe)."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not installed (apt: xvfb and the xcb libraries in DESIGN.md)")
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()
    if not number:
        process.kill()
        pytest.skip("Xvfb could not start")
    yield f":{number}"
    process.terminate()
    process.wait(timeout=10)


def brightness(image: QImage) -> float:
    step = 16
    values = [
        image.pixelColor(x, y).lightnessF()
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    ]
    return sum(values) / len(values)


def system_language(language: str) -> dict[str, str]:
    """The environment of a system set up in `language`: its messages and its way of writing
    numbers and dates (LANG=fr_FR.UTF-8 for fr), as the window reads them."""
    return {"LANGUAGE": language, "LANG": f"{QLocale(language).name()}.UTF-8"}


def render_main_window(
    x_server: str,
    home: Path,
    theme: str,
    out: Path,
    *,
    font_scale: float = 1.0,
    language: str | None = None,
) -> QImage:
    """The main window with a conversation, saved to `out` by `tests.qt.screenshot_app`."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    env = dict(
        os.environ,
        DISPLAY=x_server,
        QT_QPA_PLATFORM="xcb",
        TRAMONTANE_HOME=str(home),
        PYTHONPATH=str(ROOT),
    )
    command = [sys.executable, "-m", "tests.qt.screenshot_app", theme, str(out)]
    command += ["--font-scale", str(font_scale)]
    if language is not None:
        env.update(system_language(language))
        command += ["--language", language]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return QImage(str(out))


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_main_window_screenshot(x_server: str, theme: str, tmp_path: Path) -> None:
    image = render_main_window(
        x_server, tmp_path / "home", theme, SCREENSHOTS / f"main-{theme}.png"
    )
    assert (image.width(), image.height()) == (1280, 900)
    level = brightness(image)
    assert level > 0.7 if theme == "light" else level < 0.35


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_main_window_at_twice_the_font_size(x_server: str, theme: str, tmp_path: Path) -> None:
    out = SCREENSHOTS / f"main-{theme}-large.png"
    image = render_main_window(x_server, tmp_path / "home", theme, out, font_scale=2.0)
    assert (image.width(), image.height()) == (1280, 900)
    level = brightness(image)
    assert level > 0.7 if theme == "light" else level < 0.35


def render_first_run(
    x_server: str, home: Path, welcome: Path, models: Path, language: str | None = None
) -> str:
    """The welcome page and the Models window saved by `tests.qt.first_run_screenshot_app`;
    what it prints: the welcome page's start button's text."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    env = dict(
        os.environ,
        DISPLAY=x_server,
        QT_QPA_PLATFORM="xcb",
        TRAMONTANE_HOME=str(home),
        PYTHONPATH=str(ROOT),
    )
    command = [sys.executable, "-m", "tests.qt.first_run_screenshot_app", "light"]
    command += [str(welcome), str(models)]
    if language is not None:
        env.update(system_language(language))
        command.append(language)
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (QImage(str(welcome)).width(), QImage(str(welcome)).height()) == (1280, 900)
    assert QImage(str(models)).width() == 960
    return result.stdout


def test_first_run_screenshots(x_server: str, tmp_path: Path) -> None:
    welcome, models = SCREENSHOTS / "welcome.png", SCREENSHOTS / "models.png"
    start = render_first_run(x_server, tmp_path / "home", welcome, models)
    assert start.startswith("Download ")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_main_window_in_french_at_twice_the_font_size(
    x_server: str, theme: str, tmp_path: Path
) -> None:
    out = SCREENSHOTS / f"main-fr-{theme}-large.png"
    image = render_main_window(
        x_server, tmp_path / "home", theme, out, font_scale=2.0, language="fr"
    )
    assert (image.width(), image.height()) == (1280, 900)
    level = brightness(image)
    assert level > 0.7 if theme == "light" else level < 0.35


def test_french_welcome_screenshot(x_server: str, tmp_path: Path) -> None:
    welcome = SCREENSHOTS / "welcome-fr.png"
    start = render_first_run(
        x_server, tmp_path / "home", welcome, tmp_path / "models-fr.png", language="fr"
    )
    assert start.startswith("Télécharger ")


def test_found_model_screenshot(x_server: str, tmp_path: Path) -> None:
    """The welcome view with Q4_K_M found in llama.cpp's cache: only the projector to fetch."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    out = SCREENSHOTS / "welcome-found.png"
    env = dict(
        os.environ,
        DISPLAY=x_server,
        QT_QPA_PLATFORM="xcb",
        TRAMONTANE_HOME=str(tmp_path / "home"),
        HOME=str(tmp_path / "you"),
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(
        [sys.executable, "-m", "tests.qt.found_screenshot_app", "light", out],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout == "Download the vision projector (878.1 MB) and start\n"
    assert (QImage(str(out)).width(), QImage(str(out)).height()) == (1280, 900)
