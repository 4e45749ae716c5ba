"""Python tools run in a process of their own, so that a runaway call (a huge number, an endless
loop in a plugin) can neither hold the window's interpreter nor outlive its timeout: the process
is killed when the time is up or the user cancels.

The child finds the function again by its module and name (or, for a plugin file, by the file's
path), runs the call exactly as `runner.execute` would in the window, and sends back a result of
bounded length. Where the system allows it, the child's memory is capped as well.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
from collections.abc import Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from app.core.messages import ToolCall
from app.tools.locator import FunctionLocator
from app.tools.runner import ToolResult, error_result, execute

MAX_RESULT_CHARACTERS = 1_000_000  # far more than any context holds; fit_result cuts further
MEMORY_LIMIT_BYTES = 4 * 1024**3  # address space of the tool process, where the OS enforces it


class IsolatedCall:
    """One call in its own process. `wait` starts it and blocks (a worker thread's job); `stop`
    may be called from any thread, never blocks, and kills the process (or keeps it from
    starting)."""

    def __init__(self, locator: FunctionLocator, call: ToolCall, folders: Sequence[Path]):
        self.call = call
        context = multiprocessing.get_context("spawn")
        self._receiver, self._sender = context.Pipe(duplex=False)
        self._process: BaseProcess = context.Process(
            target=_child,
            args=(self._sender, locator, call, tuple(folders)),
            name=f"tool-{call.name}",
            daemon=True,
        )
        self._lock = threading.Lock()
        self._stopped = False

    def wait(self, timeout_s: float) -> ToolResult:
        """The call's result; an error result when it ran past `timeout_s`, was stopped, or its
        process died without one."""
        with self._lock:
            if not self._stopped:
                self._process.start()
        self._sender.close()
        timed_out = False
        try:
            if self._process.pid is not None and self._receiver.poll(timeout_s):
                result: ToolResult = self._receiver.recv()
                return result
            timed_out = not self._stopped
        except (EOFError, OSError):
            pass  # the process ended (or was killed) without an answer
        finally:
            self.stop()
            if self._process.pid is not None:
                self._process.join(5)
            self._receiver.close()
        if timed_out:
            message = f"{self.call.name} did not finish within {timeout_s:g} s and was stopped"
            return error_result(self.call, message)
        if self._stopped and self._process.exitcode in (None, -9):
            return error_result(self.call, f"{self.call.name} was stopped before it finished")
        code = self._process.exitcode
        return error_result(
            self.call, f"{self.call.name} ended without a result (exit code {code})"
        )

    def stop(self) -> None:
        """Kill the process if it runs; safe to call more than once, from any thread."""
        with self._lock:
            self._stopped = True
            if self._process.pid is not None and self._process.exitcode is None:
                self._process.kill()


def _child(
    sender: Connection, locator: FunctionLocator, call: ToolCall, folders: tuple[Path, ...]
) -> None:
    _limit_memory()
    from app.tools.registry import function_tool  # the child imports the registry on its own

    try:
        tool = function_tool(locator.load(), "isolated")
        result = execute(tool, call, folders)
    except BaseException as exc:  # the plugin could not even be loaded here
        result = error_result(call, f"{call.name} failed: {type(exc).__name__}: {exc}")
    if len(result.text) > MAX_RESULT_CHARACTERS:
        text = result.text[:MAX_RESULT_CHARACTERS] + "\n[… cut at 1,000,000 characters]"
        result = ToolResult(call, text, result.ok, cut=True)
    sender.send(result)
    sender.close()


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:  # Windows
        return
    with contextlib.suppress(ValueError, OSError):  # a lower limit is set, or none enforced
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
