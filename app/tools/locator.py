"""Where a tool's function can be found again by another process: its module and name, or the
path of the plugin file that defines it."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

PLUGIN_MODULE_PREFIX = "tramontane_plugin_"


@dataclass(frozen=True, slots=True)
class FunctionLocator:
    """Where a tool's function can be found again in another process."""

    qualname: str
    module: str | None = None  # an importable module
    file: Path | None = None  # a plugin file, imported by path

    @classmethod
    def of(cls, function: object) -> FunctionLocator | None:
        """The locator of a module-level function; None for lambdas, closures and the like."""
        module_name = getattr(function, "__module__", None)
        qualname = getattr(function, "__qualname__", None)
        if not isinstance(module_name, str) or not isinstance(qualname, str):
            return None
        if "<" in qualname or module_name == "__main__":
            return None
        module = sys.modules.get(module_name)
        if module is None:
            return None
        if module_name.startswith(PLUGIN_MODULE_PREFIX):
            file = getattr(module, "__file__", None)
            return cls(qualname, file=Path(file)) if file else None
        return cls(qualname, module=module_name)

    def load(self) -> object:
        module = self._module()
        value: object = module
        for part in self.qualname.split("."):
            value = getattr(value, part)
        return value

    def _module(self) -> ModuleType:
        if self.module is not None:
            return importlib.import_module(self.module)
        assert self.file is not None
        spec = importlib.util.spec_from_file_location(
            PLUGIN_MODULE_PREFIX + self.file.stem, self.file
        )
        if spec is None or spec.loader is None:
            raise ImportError(f"{self.file} cannot be imported")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        return module
