"""Bounds on the work a chat template may do. A GGUF's template is foreign code: Jinja's sandbox
keeps it from reaching the program, and these limits keep it from running for ever or filling
the memory (nested loops, `'a' * 10**10`, a string doubled in a loop).

- Time: an interval timer interrupts the render where the system has one (the engine renders on
  its main thread); everywhere, loops over `range` and the checked operations below look at the
  clock too.
- Size: the output is counted as it is produced; repetition, `+`, `~`, `**`, `%`, method calls
  and filters are refused before they would build a value past the limit.
"""

from __future__ import annotations

import math
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sized
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from types import FrameType
from typing import Any

from jinja2 import Template, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

TIME_LIMIT_S = 5.0
MAX_OUTPUT_CHARS = 16 * 1024 * 1024  # a full 131,072-token context is well under 1 M characters
MAX_RANGE = 100_000
MAX_INT_BITS = 256
_CLOCK_EVERY = 256  # range items between two looks at the clock
_BIG_WIDTH = re.compile(r"[%{:][^%{}]*?\d{8,}")  # "%99999999s", "{:>99999999}"

_DEADLINE: ContextVar[float] = ContextVar("template_deadline", default=math.inf)


class TemplateLimitExceeded(Exception):
    """The template ran too long or tried to build too much text."""


def check_time() -> None:
    if time.monotonic() > _DEADLINE.get():
        raise _too_long()


def _too_long() -> TemplateLimitExceeded:
    return TemplateLimitExceeded(f"it ran for more than {TIME_LIMIT_S:g} s")


def _too_big(what: str) -> TemplateLimitExceeded:
    return TemplateLimitExceeded(f"it tried to build {what} larger than {MAX_OUTPUT_CHARS:,}")


def _check_size(value: object) -> None:
    if isinstance(value, str | bytes | list | tuple | dict) and len(value) > MAX_OUTPUT_CHARS:
        raise _too_big("a value")
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise TemplateLimitExceeded(f"it tried to use a number of more than {MAX_INT_BITS} bits")


def _check_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and value > MAX_OUTPUT_CHARS:
            raise _too_big(f"something {value:,} long:")
        if isinstance(value, str) and _BIG_WIDTH.search(value):
            raise _too_big("a formatted text")


def _length(value: object) -> int:
    return len(value) if isinstance(value, Sized) else 0


def _power_bits(base: object, exponent: object) -> float:
    """About how many bits `base ** exponent` takes, for integers; 0 otherwise."""
    if isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1 and exponent > 0:
        return exponent * math.log2(abs(base))
    return 0.0


def bounded_range(*args: int) -> Iterator[int]:
    """`range` for templates: at most MAX_RANGE items, and the clock looked at as it goes."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateLimitExceeded(f"it asked for a range of {len(numbers):,} numbers")
    for index, number in enumerate(numbers):
        if index % _CLOCK_EVERY == 0:
            check_time()
        yield number


def bounded_join(parts: tuple[object, ...]) -> str:
    """The `~` operator: its parts' length is checked before they are joined."""
    check_time()
    texts = [str(part) for part in parts]
    if sum(len(text) for text in texts) > MAX_OUTPUT_CHARS:
        raise _too_big("a text")
    return "".join(texts)


def bounded_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        check_time()
        _check_arguments(args[1:], kwargs)
        result = function(*args, **kwargs)
        _check_size(result)
        return result

    return bounded


class _BoundedCodeGenerator(CodeGenerator):
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_join((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with the limits of this module."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(
        self, *, filters: Mapping[str, Callable[..., Any]] | None = None, **options: Any
    ) -> None:
        super().__init__(**options)
        self.filters.update(filters or {})
        for name, function in list(self.filters.items()):  # arguments and results checked
            self.filters[name] = bounded_filter(function)
        self.globals["range"] = bounded_range
        self.bounded_join = bounded_join

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        check_time()
        if operator == "*":
            count, item = (right, left) if isinstance(right, int) else (left, right)
            if isinstance(count, int) and _length(item) * max(count, 0) > MAX_OUTPUT_CHARS:
                raise _too_big("a repeated value")
        elif operator == "+":
            if _length(left) + _length(right) > MAX_OUTPUT_CHARS:
                raise _too_big("a value")
        elif operator == "**" and _power_bits(left, right) > MAX_INT_BITS:
            raise TemplateLimitExceeded("it tried to compute a number too large")
        elif operator == "%" and isinstance(left, str):
            _check_arguments((left,), {})
        result = super().call_binop(context, operator, left, right)
        _check_size(result)
        return result

    def call(
        __self,  # Jinja's own signature: a template's keyword `self` cannot collide
        __context: Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        check_time()
        _check_arguments(args, kwargs)
        if getattr(__obj, "__name__", "") in ("format", "format_map"):  # the format string too
            method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
            _check_arguments((getattr(method, "__self__", None),), {})
        result = super().call(__context, __obj, *args, **kwargs)
        _check_size(result)
        return result


@contextmanager
def time_limit(seconds: float | None = None) -> Iterator[None]:
    """Within the block, checked operations fail after `seconds` (TIME_LIMIT_S); on the main
    thread of a system with interval timers, any Python code does (a bare loop is stopped too)."""
    seconds = TIME_LIMIT_S if seconds is None else seconds
    token = _DEADLINE.set(time.monotonic() + seconds)
    use_timer = (
        hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    )
    previous: Any = None
    if use_timer:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if use_timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        _DEADLINE.reset(token)


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise _too_long()


def render_bounded(template: Template, **context: Any) -> str:
    """The template's output, under the time and size limits."""
    with time_limit():
        pieces: list[str] = []
        produced = 0
        for piece in template.generate(**context):
            produced += len(piece)
            if produced > MAX_OUTPUT_CHARS:
                raise _too_big("a prompt")
            pieces.append(piece)
        return "".join(pieces)
