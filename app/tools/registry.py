"""Where tools come from: installed packages (the `tramontane.tools` entry-point group, which the
built-in tools use too) and `.py` files in the user's plugins folder. A plugin that fails to
load is reported with its traceback and skipped; the others still load.

A plugin offers tools as a function, or a list of functions, with type hints and a docstring:
an entry point names such an object (`package.module:TOOLS`); a plugin file lists them in a
module-level `TOOLS`.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from app.core.i18n import translate
from app.core.messages import ToolSpec
from app.core.mistral_rules import tool_name_problem
from app.tools.locator import PLUGIN_MODULE_PREFIX, FunctionLocator
from app.tools.schema import ToolDefinitionError, spec_from_function

if TYPE_CHECKING:
    from app.media.prepare import PreparedImage

ENTRY_POINT_GROUP = "tramontane.tools"
PLUGINS_FOLDER = "plugins"

Invoke = Callable[[dict[str, Any]], object]


@dataclass(frozen=True, slots=True)
class Tool:
    spec: ToolSpec
    plugin: str  # where it comes from, as the user knows it
    invoke: Invoke  # runs it with the checked arguments; blocks
    locator: FunctionLocator | None = None  # set: the window runs it in a process of its own

    @property
    def name(self) -> str:
        return self.spec.name


@dataclass(frozen=True, slots=True)
class ToolOutput:
    """What a tool returns when it has images for the model besides its text."""

    text: str
    images: tuple[PreparedImage, ...] = ()


@dataclass(frozen=True, slots=True)
class PluginError:
    plugin: str
    message: str
    detail: str = ""  # the traceback


@dataclass
class ToolCatalog:
    tools: dict[str, Tool] = field(default_factory=dict)
    errors: list[PluginError] = field(default_factory=list)

    def add(self, tool: Tool) -> None:
        problem = tool_name_problem(tool.name)
        if problem is not None:
            self.errors.append(
                PluginError(
                    tool.plugin,
                    translate("ToolCatalog", "{problem}; this tool is skipped").format(
                        problem=problem
                    ),
                )
            )
            return
        if tool.name in self.tools:
            first = self.tools[tool.name].plugin
            self.errors.append(
                PluginError(
                    tool.plugin,
                    translate(
                        "ToolCatalog", "{tool} is already offered by {first}; this one is skipped"
                    ).format(tool=tool.name, first=first),
                )
            )
            return
        self.tools[tool.name] = tool

    def add_functions(self, plugin: str, offered: object, *, isolate: bool = False) -> None:
        """Tools from what a plugin offers: a function or an iterable of functions. With
        `isolate`, each that can be found again by module and name runs in its own process."""
        functions = [offered] if callable(offered) else offered
        if not isinstance(functions, Iterable) or isinstance(functions, str | bytes):
            self.errors.append(
                PluginError(
                    plugin, translate("ToolCatalog", "offers no function or list of functions")
                )
            )
            return
        for function in functions:
            try:
                self.add(function_tool(function, plugin, isolate=isolate))
            except ToolDefinitionError as exc:
                self.errors.append(PluginError(plugin, str(exc)))


def callable_specs(specs: Iterable[ToolSpec]) -> tuple[tuple[ToolSpec, ...], list[str]]:
    """The specs whose names the model can call, and why each of the others is left out."""
    kept: list[ToolSpec] = []
    reasons: list[str] = []
    for spec in specs:
        problem = tool_name_problem(spec.name)
        if problem is None:
            kept.append(spec)
        else:
            reasons.append(problem)
    return tuple(kept), reasons


def function_tool(function: object, plugin: str, *, isolate: bool = False) -> Tool:
    if not callable(function):
        raise ToolDefinitionError(f"{function!r} is not a function")
    spec = spec_from_function(function)
    locator = FunctionLocator.of(function) if isolate else None
    return Tool(spec, plugin, lambda arguments: function(**arguments), locator)


def discover(
    plugins_dir: Path | None,
    *,
    group: str = ENTRY_POINT_GROUP,
    found: Iterable[EntryPoint] | None = None,
) -> ToolCatalog:
    """Every tool the installed packages and the plugins folder offer."""
    catalog = ToolCatalog()
    for entry in found if found is not None else entry_points(group=group):
        plugin = entry.dist.name if entry.dist is not None else entry.name
        label = f"{plugin} ({entry.name})" if entry.name != plugin else plugin
        try:
            offered = entry.load()
        except (Exception, SystemExit) as exc:
            catalog.errors.append(_load_error(label, exc))
            continue
        catalog.add_functions(label, offered, isolate=True)
    if plugins_dir is not None and plugins_dir.is_dir():
        for path in sorted(plugins_dir.glob("*.py")):
            _load_file(catalog, path)
    return catalog


def _load_file(catalog: ToolCatalog, path: Path) -> None:
    label = path.name
    try:
        module = _import_file(path)
    except (Exception, SystemExit) as exc:  # a plugin's sys.exit() must not end the app
        catalog.errors.append(_load_error(label, exc))
        return
    offered = getattr(module, "TOOLS", None)
    if offered is None:
        catalog.errors.append(
            PluginError(label, translate("ToolCatalog", "has no TOOLS list naming its functions"))
        )
        return
    catalog.add_functions(label, offered, isolate=True)


def _import_file(path: Path) -> ModuleType:
    name = PLUGIN_MODULE_PREFIX + path.stem
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"{path} cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def _load_error(plugin: str, exc: BaseException) -> PluginError:
    detail = "".join(traceback.format_exception(exc))
    message = translate("ToolCatalog", "failed to load: {error}").format(
        error=f"{type(exc).__name__}: {exc}"
    )
    return PluginError(plugin, message, detail)
