"""A guard against a reference-counting bug in some PySide6 builds.

With PySide6 6.12.0 on Python 3.11, `SignalInstance.emit()` returns `True` without taking a
reference to it, so every signal emitted from Python takes one reference away from `True`,
until the interpreter aborts with "bool_dealloc" (after a few thousand emits: one long answer).
When the bug is detected, `emit` is wrapped to give the reference back. Builds without the bug,
and Python 3.12+ (where `True` is immortal), are left untouched.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, SignalInstance

PROBE_EMITS = 8

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None
_repaired = False


class _Probe(QObject):
    ping = Signal()


def emit_loses_references() -> bool:
    """Emit a few signals and see whether `True` lost references (then give them back)."""
    if sys.version_info >= (3, 12):
        return False
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(PROBE_EMITS):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    for _ in range(max(0, lost)):
        _incref(True)
    return lost > 0


def repair_signal_emit() -> bool:
    """Wrap `SignalInstance.emit` if this PySide6 build needs it; True when it was wrapped."""
    global _repaired
    if _repaired or not emit_loses_references():
        return _repaired
    original: Callable[..., object] = SignalInstance.emit

    def emit(self: SignalInstance, *args: object) -> object:
        result = original(self, *args)
        _incref(result)  # the reference the binding should have taken
        return result

    setattr(SignalInstance, "emit", emit)  # noqa: B010 - replacing a method of a binding type
    _repaired = True
    return True
