"""Translation of user-visible text, usable from every layer.

Qt's tools (`pyside6-lupdate`) find the strings to translate by reading the source for calls of
`translate("Context", "text")` and, for text that depends on a count, `tr("%n file(s)", "", n)`.
This module gives both names to code that must not import Qt; the window installs Qt's own
`QCoreApplication.translate` at start-up, and until then the English source text is returned.

Text meant for programs rather than people (the local API's error bodies, which clients parse and
expect in English) is worded inside `english()`, whatever the window's language.

Counted text is looked up in the empty context, which is where `pyside6-lupdate` files a `tr`
call made outside any class: write such calls in module-level functions only.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Translator = Callable[[str, str, str | None, int], str]


def _english(context: str, source: str, disambiguation: str | None, n: int) -> str:
    del context, disambiguation
    return source.replace("%n", str(n)) if n >= 0 else source


_translator: Translator = _english
_in_english: ContextVar[bool] = ContextVar("in_english", default=False)


def install_translator(translator: Translator | None) -> None:
    """Route every lookup through `translator` (Qt's), or back to English with None."""
    global _translator
    _translator = translator or _english


@contextmanager
def english() -> Iterator[None]:
    """Word text in English, numbers included, within this block (of this thread or task)."""
    token = _in_english.set(True)
    try:
        yield
    finally:
        _in_english.reset(token)


def speaking_english() -> bool:
    """Whether the caller is inside `english()`."""
    return _in_english.get()


def translate(context: str, source: str, disambiguation: str | None = None) -> str:
    """The text `source` of `context` in the user's language."""
    lookup = _english if _in_english.get() else _translator
    return lookup(context, source, disambiguation, -1)


def tr(source: str, disambiguation: str | None, n: int) -> str:
    """Counted text: `source` holds `%n`, replaced by `n` in the form the language needs."""
    lookup = _english if _in_english.get() else _translator
    return lookup("", source, disambiguation, n)
