"""llama-cpp-python's default parameters, amended while a model or context is made.

`llama_cpp.Llama` builds its parameters from llama.cpp's defaults and takes no argument for some
fields; amending the defaults for the time of the call sets those. The engine process makes one
model at a time, so nothing else sees the change.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import llama_cpp


@contextlib.contextmanager
def amended_defaults(function_name: str, **fields: object) -> Iterator[None]:
    """While open, llama_cpp's `function_name` (for example `llama_context_default_params`)
    returns its usual parameters with `fields` set."""
    module = llama_cpp.llama_cpp
    defaults = getattr(module, function_name)

    def amended() -> object:
        params = defaults()
        for name, value in fields.items():
            setattr(params, name, value)
        return params

    setattr(module, function_name, amended)
    try:
        yield
    finally:
        setattr(module, function_name, defaults)
