"""The core stays free of Qt and llama.cpp; imports flow ui -> controllers -> core, never back."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"
FORBIDDEN_IN_CORE = ("PySide6", "shiboken6", "llama_cpp", "app.ui", "app.qt_bridge", "app.engine")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def core_files() -> list[Path]:
    return sorted((APP / "core").rglob("*.py"))


@pytest.mark.parametrize("path", core_files(), ids=lambda p: p.name)
def test_core_module_imports_no_qt_or_llama(path: Path) -> None:
    offending = {
        name
        for name in imported_modules(path)
        for banned in FORBIDDEN_IN_CORE
        if name == banned or name.startswith(banned + ".")
    }
    assert not offending, f"{path.name} imports {sorted(offending)}"


def test_importing_all_of_core_loads_neither_qt_nor_llama() -> None:
    modules = [f"app.core.{p.stem}" for p in core_files() if p.stem != "__init__"]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'llama_cpp')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("package", ["store", "models", "tools", "engine"])
def test_lower_layers_do_not_import_the_gui(package: str) -> None:
    for path in sorted((APP / package).rglob("*.py")):
        gui = {
            n
            for n in imported_modules(path)
            if n.split(".")[0] == "PySide6" or n.startswith("app.ui")
        }
        assert not gui, f"app/{package}/{path.name} imports {sorted(gui)}"
