"""The compiled translations shipped with the program: `tramontane_<language>.qm` files.

English is the language of the source; its file carries only the plural forms ("1 file",
"2 files"). The `.ts` files beside them are the sources that Qt Linguist and
`python -m app.devtools.translations` edit and compile.
"""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parent
CATALOG = "tramontane"  # the files' common prefix
SOURCE_LANGUAGE = "en"


def catalog_file(language: str, suffix: str) -> Path:
    """The file of `language` with `suffix` (".ts" or ".qm")."""
    return FOLDER / f"{CATALOG}_{language}{suffix}"


def shipped_languages() -> list[str]:
    """The codes of the languages the window can speak, English first."""
    others = sorted(
        path.stem.removeprefix(f"{CATALOG}_")
        for path in FOLDER.glob(f"{CATALOG}_*.qm")
        if path.stem != f"{CATALOG}_{SOURCE_LANGUAGE}"
    )
    return [SOURCE_LANGUAGE, *others]


def resolve_language(choice: str | None, ui_languages: list[str], shipped: list[str]) -> str:
    """The language to speak: the user's `choice` when shipped, else the first of the system's
    preferred `ui_languages` ("fr-CA", "en-US"…) that is shipped, else English."""
    if choice is not None and choice in shipped:
        return choice
    for tag in ui_languages:
        code = tag.replace("-", "_")
        base = code.split("_")[0].lower()
        for candidate in (code, base):
            if candidate in shipped:
                return candidate
    return SOURCE_LANGUAGE
