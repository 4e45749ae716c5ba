"""The tools Tramontane comes with. They register through the `tramontane.tools` entry point
like any plugin (see pyproject.toml)."""

from __future__ import annotations

import ast
import itertools
import math
import operator
import os
from collections.abc import Callable
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.tools.folders import allowed_path

MAX_EXPONENT = 10_000
MAX_DIGITS = 100
MAX_MAGNITUDE = 10**MAX_DIGITS
MAX_ROUND_DIGITS = 400  # round(x, n) computes 10**abs(n): keep that small
MAX_FILE_CHARACTERS = 200_000
MAX_FILE_BYTES_READ = 4 * MAX_FILE_CHARACTERS  # UTF-8 takes at most 4 bytes a character
MAX_SCANNED = 10_000  # folder entries looked at before "and more"
MAX_LISTED = 500

_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_UNARY: dict[type[ast.unaryop], Callable[[float], float]] = {
    ast.UAdd: operator.pos,
    ast.USub: operator.neg,
}
_FUNCTIONS: dict[str, Callable[..., float]] = {
    name: getattr(math, name)
    for name in (
        "sqrt", "exp", "log", "log10", "log2", "sin", "cos", "tan", "asin", "acos", "atan",
        "atan2", "sinh", "cosh", "tanh", "degrees", "radians", "floor", "ceil", "factorial",
        "gcd", "hypot",
    )
} | {"abs": abs, "round": round, "min": min, "max": max}  # fmt: skip
_CONSTANTS = {"pi": math.pi, "e": math.e, "tau": math.tau}


def calculator(expression: str) -> str:
    """Evaluate an arithmetic expression exactly as written and return the result.

    Args:
        expression: Numbers with + - * / // % ** and parentheses, the constants pi, e and tau,
            and functions such as sqrt, log, sin, round, min, max, factorial.
    """
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"{expression!r} is not an arithmetic expression") from exc
    value = _evaluate(tree.body)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value)


def _evaluate(node: ast.expr) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        if isinstance(node.value, bool):
            raise ValueError("True and False are not numbers here")
        return node.value
    if isinstance(node, ast.Name) and node.id in _CONSTANTS:
        return _CONSTANTS[node.id]
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_evaluate(node.operand))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _evaluate(node.left), _evaluate(node.right)
        if isinstance(node.op, ast.Pow):
            _check_power(left, right)
        result = _BINARY[type(node.op)](left, right)
        if isinstance(result, int) and abs(result) > MAX_MAGNITUDE:
            raise ValueError("the result is too large")
        return result
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _FUNCTIONS
        and not node.keywords
    ):
        arguments = [_evaluate(argument) for argument in node.args]
        if node.func.id == "factorial" and arguments and arguments[0] > 1000:
            raise ValueError("factorial is limited to 1000")
        if node.func.id == "round" and len(arguments) > 1 and abs(arguments[1]) > MAX_ROUND_DIGITS:
            raise ValueError(f"round keeps at most {MAX_ROUND_DIGITS} digits")
        return _FUNCTIONS[node.func.id](*arguments)
    raise ValueError(f"{ast.unparse(node)!r} is not allowed in an arithmetic expression")


def _check_power(base: float, exponent: float) -> None:
    """Refuse a power whose result would be too large, before computing it."""
    if abs(exponent) > MAX_EXPONENT:
        raise ValueError(f"the exponent {exponent} is too large")
    whole = isinstance(base, int) and isinstance(exponent, int)
    digits = exponent * math.log10(abs(base)) if whole and exponent > 0 and base else 0
    if digits > MAX_DIGITS + 1:
        raise ValueError("the result is too large")


def current_time(timezone: str = "local") -> str:
    """The current date and time, with the day of the week, in a time zone.

    Args:
        timezone: An IANA time zone such as Europe/Paris or America/New_York, or "local" for
            this computer's own.
    """
    if timezone == "local":
        now = datetime.now().astimezone()
    else:
        try:
            now = datetime.now(ZoneInfo(timezone))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"{timezone!r} is not a known time zone") from exc
    return now.strftime("%A %d %B %Y, %H:%M:%S %Z (UTC%z)")


def read_text_file(path: str) -> str:
    """Read a text file from a folder the user allowed and return its content.

    Args:
        path: The file's path, inside one of the allowed folders.
    """
    file = allowed_path(path)
    if not file.is_file():
        raise ValueError(f"{path} is not a file")
    with file.open("rb") as stream:  # never more than the characters returned can take
        data = stream.read(MAX_FILE_BYTES_READ + 1)
    if b"\0" in data[:8192]:
        raise ValueError(f"{path} is not a text file")
    text = data[:MAX_FILE_BYTES_READ].decode("utf-8", errors="replace")
    if len(text) > MAX_FILE_CHARACTERS or len(data) > MAX_FILE_BYTES_READ:
        return text[:MAX_FILE_CHARACTERS] + f"\n[… cut at {MAX_FILE_CHARACTERS:,} characters]"
    return text


def list_folder(path: str) -> str:
    """List the files and folders in a folder the user allowed, with file sizes.

    Args:
        path: The folder's path, inside one of the allowed folders.
    """
    folder = allowed_path(path)
    if not folder.is_dir():
        raise ValueError(f"{path} is not a folder")
    with os.scandir(folder) as scan:
        scanned = list(itertools.islice(scan, MAX_SCANNED + 1))
    uncounted = len(scanned) > MAX_SCANNED  # a huge folder is not read to its end
    entries = sorted(scanned[:MAX_SCANNED], key=lambda e: (not e.is_dir(), e.name.lower()))
    lines = [_listed(entry) for entry in entries[:MAX_LISTED]]
    if uncounted:
        lines.append(f"[… and more than {MAX_SCANNED - MAX_LISTED:,} more]")
    elif len(entries) > MAX_LISTED:
        lines.append(f"[… and {len(entries) - MAX_LISTED:,} more]")
    return "\n".join(lines) if lines else "(the folder is empty)"


def _listed(entry: os.DirEntry[str]) -> str:
    if entry.is_dir():
        return f"{entry.name}/"
    try:
        return f"{entry.name} ({entry.stat().st_size:,} bytes)"
    except OSError:
        return entry.name


Unit = Literal[
    "mm", "cm", "m", "km", "in", "ft", "yd", "mi",
    "mg", "g", "kg", "oz", "lb",
    "ml", "l", "tsp", "tbsp", "cup", "floz", "gal",
    "c", "f", "k",
    "kmh", "mph", "ms", "kn",
]  # fmt: skip

_FACTORS: dict[str, tuple[str, float]] = {
    "mm": ("length", 0.001), "cm": ("length", 0.01), "m": ("length", 1.0),
    "km": ("length", 1000.0), "in": ("length", 0.0254), "ft": ("length", 0.3048),
    "yd": ("length", 0.9144), "mi": ("length", 1609.344),
    "mg": ("mass", 1e-6), "g": ("mass", 0.001), "kg": ("mass", 1.0),
    "oz": ("mass", 0.028349523125), "lb": ("mass", 0.45359237),
    "ml": ("volume", 0.001), "l": ("volume", 1.0), "tsp": ("volume", 0.00492892159375),
    "tbsp": ("volume", 0.01478676478125), "cup": ("volume", 0.2365882365),
    "floz": ("volume", 0.0295735295625), "gal": ("volume", 3.785411784),
    "kmh": ("speed", 1 / 3.6), "mph": ("speed", 0.44704), "ms": ("speed", 1.0),
    "kn": ("speed", 1852 / 3600),
}  # fmt: skip
_TO_KELVIN: dict[str, Callable[[float], float]] = {
    "c": lambda v: v + 273.15,
    "f": lambda v: (v - 32) * 5 / 9 + 273.15,
    "k": lambda v: v,
}
_FROM_KELVIN: dict[str, Callable[[float], float]] = {
    "c": lambda v: v - 273.15,
    "f": lambda v: (v - 273.15) * 9 / 5 + 32,
    "k": lambda v: v,
}


def convert_units(value: float, from_unit: Unit, to_unit: Unit) -> str:
    """Convert a quantity between units of length, mass, volume (US cups and gallons),
    temperature (c, f, k) or speed (kmh, mph, ms for metres per second, kn).

    Args:
        value: The quantity to convert.
        from_unit: The unit it is in.
        to_unit: The unit wanted.
    """
    if from_unit in _TO_KELVIN or to_unit in _TO_KELVIN:
        if not (from_unit in _TO_KELVIN and to_unit in _TO_KELVIN):
            raise ValueError(f"{from_unit} and {to_unit} do not measure the same thing")
        result = _FROM_KELVIN[to_unit](_TO_KELVIN[from_unit](value))
    else:
        (kind, factor), (to_kind, to_factor) = _FACTORS[from_unit], _FACTORS[to_unit]
        if kind != to_kind:
            raise ValueError(f"{from_unit} is a {kind} and {to_unit} a {to_kind}")
        result = value * factor / to_factor
    return f"{value:g} {from_unit} = {result:.6g} {to_unit}"


TOOLS = [calculator, current_time, read_text_file, list_folder, convert_units]
