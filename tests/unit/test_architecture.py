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


@pytest.mark.parametrize("package", ["store", "models", "tools", "engine", "media"])
def test_lower_layers_do_not_import_the_gui(package: str) -> None:
    for path in sorted((APP / package).rglob("*.py")):
        gui = {
            n
            for n in imported_modules(path)
            if n.split(".")[0] == "PySide6" or n.startswith("app.ui")
        }
        assert not gui, f"app/{package}/{path.name} imports {sorted(gui)}"


# ---- layers -------------------------------------------------------------------------------------

# Imports go down this list, never up; within one layer, packages may import each other only
# where no cycle results. Every module or package directly under app/ must be placed here.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"__init__", "core", "paths", "app_log", "translations"}),
    frozenset({"engine", "store", "media", "tools", "models"}),
    frozenset({"settings", "api", "api_key", "about", "devtools"}),
    frozenset({"qt_bridge"}),
    frozenset({"ui"}),
    frozenset({"main", "__main__", "cli", "models_cli", "selftest"}),
)


def _layer_of(unit: str) -> int:
    for rank, members in enumerate(LAYERS):
        if unit in members:
            return rank
    raise AssertionError(f"app/{unit} is in no layer of test_architecture.LAYERS")


def _module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _import_graph() -> dict[str, set[str]]:
    """Every module of app/ and the app modules it imports (at any depth of the file, lazily
    imported ones included: a cycle through a function's import is still a cycle)."""
    modules = {_module_name(path): path for path in APP.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    submodule = f"{node.module}.{alias.name}"
                    targets.append(submodule if submodule in modules else node.module)
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_every_import_goes_down_the_layers() -> None:
    upward = sorted(
        f"{source} imports {target}"
        for source, targets in _import_graph().items()
        for target in targets
        if _layer_of(_unit(target)) > _layer_of(_unit(source))
    )
    assert not upward, "\n".join(upward)


# The domain layer's packages stand beside each other; these are the only imports between them.
SIDEWAYS_IN_THE_DOMAIN = frozenset({("tools", "media")})  # a tool's result may carry a picture


def test_domain_packages_import_each_other_only_where_declared() -> None:
    domain = LAYERS[1]
    sideways = {
        (_unit(source), _unit(target))
        for source, targets in _import_graph().items()
        for target in targets
        if _unit(source) in domain and _unit(target) in domain and _unit(source) != _unit(target)
    }
    assert sideways <= SIDEWAYS_IN_THE_DOMAIN, sorted(sideways - SIDEWAYS_IN_THE_DOMAIN)


def test_no_module_imports_itself_in_a_cycle() -> None:
    assert not _cycles(_import_graph())


def test_no_package_imports_itself_in_a_cycle() -> None:
    packages: dict[str, set[str]] = {}
    for source, targets in _import_graph().items():
        edges = packages.setdefault(_unit(source), set())
        edges.update(_unit(target) for target in targets if _unit(target) != _unit(source))
    assert not _cycles(packages)


def test_the_cycle_finder_finds_cycles() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
