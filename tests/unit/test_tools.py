"""Tool plugins: schemas from signatures and docstrings, argument checks, the built-in tools,
discovery through entry points and the plugins folder, and running calls safely."""

from __future__ import annotations

import enum
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest

from app.core.messages import ToolCall, ToolSpec
from app.core.mistral_rules import tool_name_problem
from app.tools.arguments import ArgumentsError, parse_arguments
from app.tools.builtin import calculator, convert_units, current_time, list_folder, read_text_file
from app.tools.folders import allowing
from app.tools.registry import ENTRY_POINT_GROUP, callable_specs, discover, function_tool
from app.tools.runner import ToolResult, execute, fit_result
from app.tools.schema import ToolDefinitionError, parse_docstring, spec_from_function


class Colour(enum.Enum):
    RED = "red"
    GREEN = "green"


def search(
    query: str,
    limit: int = 10,
    exact: bool = False,
    colour: Colour = Colour.RED,
    mode: Literal["fast", "deep"] = "fast",
    tags: list[str] | None = None,
    weight: float | None = None,
) -> list[str]:
    """Search the notes.

    Finds every note that matches.

    Args:
        query: What to look for,
            in plain words.
        limit: At most this many results.
        colour: Only notes of this colour.

    Returns:
        The matching titles.
    """
    return [query] * limit


def test_a_schema_comes_from_the_signature_and_the_docstring() -> None:
    spec = spec_from_function(search)
    assert spec.name == "search"
    assert spec.description == "Search the notes. Finds every note that matches."
    assert spec.parameters == {
        "type": "object",
        "properties": {
            "query": {"type": "string", "description": "What to look for, in plain words."},
            "limit": {
                "type": "integer",
                "default": 10,
                "description": "At most this many results.",
            },
            "exact": {"type": "boolean", "default": False},
            "colour": {
                "type": "string",
                "enum": ["red", "green"],
                "default": "red",
                "description": "Only notes of this colour.",
            },
            "mode": {"type": "string", "enum": ["fast", "deep"], "default": "fast"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "weight": {"type": "number"},
        },
        "required": ["query"],
    }


def test_functions_that_cannot_be_tools_are_refused_with_the_reason() -> None:
    def no_doc(x: int) -> int:
        return x

    def untyped(x) -> int:  # type: ignore[no-untyped-def]
        """Doc."""
        return int(x)

    def star(*values: int) -> int:
        """Doc."""
        return 0

    def odd(handle: object) -> None:
        """Doc."""

    for function, reason in [
        (no_doc, "needs a docstring"),
        (untyped, "has no type"),
        (star, "name each argument"),
        (odd, "cannot be written as JSON"),
    ]:
        with pytest.raises(ToolDefinitionError, match=reason):
            spec_from_function(function)


def test_docstring_sections_other_than_args_are_not_the_description() -> None:
    summary, described = parse_docstring("Do it.\n\nReturns:\n    x: not an argument\n")
    assert (summary, described) == ("Do it.", {})


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ("{", "not valid JSON"),
        ("[1]", "must be a JSON object"),
        ("{}", "lack query"),
        ('{"query": 3}', "query must be a string, not 3"),
        ('{"query": "x", "limit": true}', "limit must be an integer, not true"),
        ('{"query": "x", "mode": "slow"}', 'mode must be one of "fast", "deep"'),
        ('{"query": "x", "tags": ["a", 2]}', "tags[1] must be a string"),
        ('{"query": "x", "page": 2}', "unknown page"),
    ],
)
def test_arguments_that_do_not_fit_are_explained(arguments: str, error: str) -> None:
    with pytest.raises(ArgumentsError, match=re.escape(error)):
        parse_arguments(arguments, spec_from_function(search).parameters)


def test_fitting_arguments_pass() -> None:
    schema = spec_from_function(search).parameters
    value = parse_arguments('{"query": "x", "weight": 2, "tags": null}', schema)
    assert value == {"query": "x", "weight": 2}  # null for an optional one: its default


# ---- built-in tools -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "result"),
    [
        ("6*7", "42"),
        ("2**10 - 1", "1023"),
        ("(1 + 2) / 4", "0.75"),
        ("sqrt(16) + pi - pi", "4"),
        ("round(10 / 3, 2)", "3.33"),
        ("max(3, 9, -1) % 4", "1"),
        ("-(-5)", "5"),
    ],
)
def test_the_calculator_computes(expression: str, result: str) -> None:
    assert calculator(expression) == result


@pytest.mark.parametrize(
    ("expression", "error"),
    [
        ("__import__('os').system('true')", "not allowed"),
        ("open('/etc/passwd')", "not allowed"),
        ("(1).__class__", "not allowed"),
        ("2 ** 100000", "exponent"),
        ("factorial(5000)", "limited"),
        ("1 +", "not an arithmetic expression"),
        ("'a' * 3", "not allowed"),
    ],
)
def test_the_calculator_refuses_anything_but_arithmetic(expression: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        calculator(expression)


def test_current_time_in_a_zone_and_an_unknown_zone() -> None:
    assert "UTC+0900" in current_time("Asia/Tokyo")
    assert re.search(r"\d{4}, \d\d:\d\d:\d\d", current_time())
    with pytest.raises(ValueError, match="not a known time zone"):
        current_time("Mars/Olympus")


def test_unit_conversions() -> None:
    assert convert_units(10, "km", "mi") == "10 km = 6.21371 mi"
    assert convert_units(100, "c", "f") == "100 c = 212 f"
    assert convert_units(1, "cup", "ml") == "1 cup = 236.588 ml"
    with pytest.raises(ValueError, match="length and kg a mass"):
        convert_units(1, "km", "kg")


def test_files_are_read_only_inside_allowed_folders(tmp_path: Path) -> None:
    allowed = tmp_path / "notes"
    (allowed / "sub").mkdir(parents=True)
    (allowed / "a.txt").write_text("hello")
    (tmp_path / "secret.txt").write_text("no")
    (allowed / "escape").symlink_to(tmp_path / "secret.txt")

    with pytest.raises(ValueError, match="allowed no folders"):
        read_text_file(str(allowed / "a.txt"))
    with allowing([allowed]):
        assert read_text_file("a.txt") == "hello"
        assert list_folder(str(allowed)) == "sub/\na.txt (5 bytes)\nescape (2 bytes)"
        for outside in (str(tmp_path / "secret.txt"), "../secret.txt", "escape"):
            with pytest.raises(ValueError, match="outside the allowed folders"):
                read_text_file(outside)


# ---- discovery ------------------------------------------------------------------------------


@pytest.fixture
def installed_plugin(tmp_path: Path) -> Iterator[Path]:
    """A package installed the way pip installs one: its code and a dist-info whose
    entry_points.txt registers its tools in Tramontane's group."""
    site = tmp_path / "site"
    package = site / "weather_tools"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        "def forecast(city: str, days: int = 1) -> str:\n"
        '    """Tomorrow\'s weather.\n\n    Args:\n        city: Where.\n    """\n'
        "    return f'sunny in {city}'\n\nTOOLS = [forecast]\n"
    )
    info = site / "weather_tools-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: weather-tools\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        f"[{ENTRY_POINT_GROUP}]\nweather = weather_tools:TOOLS\nbroken = weather_tools:MISSING\n"
    )
    sys.path.insert(0, str(site))
    yield site
    sys.path.remove(str(site))
    sys.modules.pop("weather_tools", None)


def test_installed_packages_and_plugin_files_are_discovered_and_broken_ones_skipped(
    installed_plugin: Path, tmp_path: Path
) -> None:
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "shout.py").write_text(
        "def shout(text: str) -> str:\n    '''Say it louder.'''\n    return text.upper()\n\n"
        "TOOLS = [shout]\n"
    )
    (plugins / "syntax.py").write_text("def broken(:\n")
    (plugins / "raises.py").write_text("raise RuntimeError('no config file')\n")
    (plugins / "exits.py").write_text("import sys\nsys.exit(3)\n")
    (plugins / "nothing.py").write_text("x = 1\n")
    (plugins / "again.py").write_text(
        "def calculator(expression: str) -> str:\n    '''Mine.'''\n    return ''\n\n"
        "TOOLS = [calculator]\n"
    )

    catalog = discover(plugins)

    assert {"calculator", "forecast", "shout"} <= set(catalog.tools)
    assert catalog.tools["forecast"].plugin == "weather-tools (weather)"
    assert catalog.tools["calculator"].plugin == "tramontane (builtin)"
    assert catalog.tools["shout"].invoke({"text": "hi"}) == "HI"
    errors = {error.plugin: error for error in catalog.errors}
    assert "AttributeError" in errors["weather-tools (broken)"].message
    assert "SyntaxError" in errors["syntax.py"].message
    assert "no config file" in errors["raises.py"].message
    assert "Traceback" in errors["raises.py"].detail
    assert "SystemExit" in errors["exits.py"].message
    assert "has no TOOLS list" in errors["nothing.py"].message
    assert "already offered by tramontane (builtin)" in errors["again.py"].message


# ---- running calls --------------------------------------------------------------------------


def test_every_failure_becomes_a_result_the_model_can_read() -> None:
    tool = function_tool(calculator, "test")

    def run(name: str, arguments: str) -> str:
        result = execute(
            tool if name == "calculator" else None, ToolCall("a" * 9, name, arguments), ()
        )
        assert not result.ok
        return result.text

    assert run("weather", "{}") == "Error: there is no tool named weather"
    assert "not valid JSON" in run("calculator", '{"expression": ')
    assert "lack expression" in run("calculator", '{"expr": "1"}')
    assert "ValueError" in run("calculator", '{"expression": "1/"}')
    assert "ZeroDivisionError" in run("calculator", '{"expression": "1/0"}')
    ok = execute(tool, ToolCall("a" * 9, "calculator", '{"expression": "1+1"}'), ())
    assert ok.ok and ok.text == "2"


def test_structured_results_become_json() -> None:
    tool = function_tool(search, "test")
    result = execute(tool, ToolCall("b" * 9, "search", '{"query": "é", "limit": 2}'), ())
    assert json.loads(result.text) == ["é", "é"]


def test_a_result_too_long_for_the_context_is_cut_with_a_notice() -> None:
    call = ToolCall("c" * 9, "read_text_file", "{}")
    result = fit_result(ToolResult(call, "y" * 5000, True), max_tokens=100)
    assert result.cut and result.text.startswith("y" * 300)
    assert "cut: it has 5,000 characters and only the first 300 fit" in result.text
    assert fit_result(ToolResult(call, "short", True), 100).text == "short"


def test_the_plugin_of_the_user_guide_works_as_written(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    example = readme.split("```python\ndef roll_dice", 1)[1].split("```", 1)[0]
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "dice.py").write_text("def roll_dice" + example)
    assert len(("def roll_dice" + example).strip().splitlines()) <= 11

    catalog = discover(plugins)

    dice = catalog.tools["roll_dice"]
    assert dice.spec.parameters["properties"]["sides"] == {
        "type": "integer",
        "default": 6,
        "description": "Faces on each die.",
    }
    total = execute(dice, ToolCall("d" * 9, "roll_dice", '{"sides": 6, "count": 3}'), ())
    assert total.ok and 3 <= int(total.text) <= 18


def test_tools_the_model_could_not_call_are_refused_at_registration(tmp_path: Path) -> None:
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    long_name = "fetch_" + "x" * 60
    (plugins / "names.py").write_text(
        f'def météo(city: str) -> str:\n    """Weather."""\n    return city\n\n\n'
        f'def {long_name}() -> str:\n    """Too long."""\n    return ""\n\n\n'
        'def fine_name() -> str:\n    """Fine."""\n    return ""\n\n\n'
        f"TOOLS = [météo, {long_name}, fine_name]\n",
        encoding="utf-8",
    )
    catalog = discover(plugins, found=[])
    assert list(catalog.tools) == ["fine_name"]
    reasons = [error.message for error in catalog.errors]
    assert reasons == [
        "the tool name 'météo' is not 1 to 64 letters (a-z, A-Z), digits, underscores or dashes, "
        "so the model cannot call it; this tool is skipped",
        f"the tool name {long_name!r} is not 1 to 64 letters (a-z, A-Z), digits, underscores or "
        "dashes, so the model cannot call it; this tool is skipped",
    ]


def test_mcp_tools_the_model_could_not_call_are_left_out_with_the_reason() -> None:
    specs = [ToolSpec("read file", "", {}), ToolSpec("read_file", "", {})]
    kept, reasons = callable_specs(specs)
    assert [spec.name for spec in kept] == ["read_file"]
    assert reasons == [tool_name_problem("read file")]
