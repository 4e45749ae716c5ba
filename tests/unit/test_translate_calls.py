"""Every translated string of app/ is one `pyside6-lupdate` can find and file in the right place.

lupdate reads the source, not the running program: the context and the text of `translate(...)`
and the text of `tr(...)` must be string literals (never f-strings or variables), and a counted
`tr(...)` must sit outside any class, since lupdate files a call made in a class under that class
while `app.core.i18n.tr` looks it up in the empty context. Qt's own `self.tr` is not used (it
looks the context up by the runtime class, which a subclass changes).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from app.devtools.translations import APP_FOLDER, source_files

LITERAL_ARGUMENTS = {"translate": 2, "tr": 1}  # how many leading arguments must be literals


def parsed_sources() -> Iterator[tuple[Path, ast.Module]]:
    for name in source_files():
        path = Path(name)
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=name)


def where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(APP_FOLDER.parent)}:{getattr(node, 'lineno', '?')}"


def is_literal(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def calls_of(tree: ast.AST, names: set[str] | dict[str, int]) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names:
            yield node


def translation_calls(tree: ast.Module) -> Iterator[ast.Call]:
    return calls_of(tree, LITERAL_ARGUMENTS)


def calls_in_classes(tree: ast.Module) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            yield from calls_of(node, {"tr"})


def test_translated_text_is_always_a_string_literal() -> None:
    wrong: list[str] = []
    for path, tree in parsed_sources():
        for call in translation_calls(tree):
            name = call.func.id  # type: ignore[attr-defined]
            wanted = call.args[: LITERAL_ARGUMENTS[name]]
            if len(wanted) < LITERAL_ARGUMENTS[name] or not all(map(is_literal, wanted)):
                wrong.append(f"{where(path, call)}: {ast.unparse(call)}")
    assert not wrong, "translate/tr with text lupdate cannot read:\n" + "\n".join(wrong)


def test_counted_text_is_only_translated_outside_classes() -> None:
    wrong = [
        f"{where(path, call)}: {ast.unparse(call)}"
        for path, tree in parsed_sources()
        for call in calls_in_classes(tree)
    ]
    assert not wrong, "tr() inside a class (move it to a module-level function):\n" + "\n".join(
        wrong
    )


def test_qt_own_tr_is_not_used() -> None:
    wrong = [
        f"{where(path, node)}: {ast.unparse(node)}"
        for path, tree in parsed_sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "tr"
    ]
    assert not wrong, "self.tr() (use app.core.i18n.translate):\n" + "\n".join(wrong)


def test_the_check_sees_a_variable_and_an_f_string() -> None:
    tree = ast.parse('translate("C", text)\ntranslate("C", f"{n} files")\ntranslate("C", "ok")')
    calls = list(translation_calls(tree))
    assert [all(map(is_literal, call.args[:2])) for call in calls] == [False, False, True]
