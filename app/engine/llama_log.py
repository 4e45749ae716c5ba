"""llama.cpp's log, written straight to the engine's log file (file descriptor 2).

llama-cpp-python prints llama.cpp's log through `sys.stderr`, mixed with its own chatter (the whole
metadata and chat template of every model it loads). Writing llama.cpp's lines to the descriptor
directly keeps the file to what llama.cpp said, so its last lines explain a failure.
"""

from __future__ import annotations

import ctypes
import os

import llama_cpp

# enum ggml_log_level
_DEBUG, _CONTINUATION = 4, 5
_last_level = 0


@llama_cpp.llama_log_callback  # type: ignore[untyped-decorator]
def _write(level: int, text: bytes, _user_data: ctypes.c_void_p) -> None:
    global _last_level
    if level != _CONTINUATION:
        _last_level = level
    if _last_level != _DEBUG:
        os.write(2, text)


def route_llama_log() -> None:
    """From now on, llama.cpp logs (debug lines aside) to descriptor 2."""
    llama_cpp.llama_log_set(_write, ctypes.c_void_p(0))
