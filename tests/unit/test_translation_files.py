"""The shipped translations are complete and built from the source as it is now.

`pyside6-lupdate` is run over app/ into a copy of each committed .ts file: a string of the source
that the committed file lacks, one it still holds that the source dropped, or one without a
finished translation fails the test with the list of strings. The committed .qm files must be what
`pyside6-lrelease` makes of the .ts files.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.devtools.translations import languages, lrelease_command, lupdate_command, source_files
from app.translations import SOURCE_LANGUAGE, catalog_file, shipped_languages

PLACEHOLDER = re.compile(r"\{[a-z_]*\}|%n|%L?\d")
ACCELERATOR = re.compile(r"&(?!&)\S")


@dataclass(frozen=True)
class Entry:
    context: str
    source: str
    translations: tuple[str, ...]  # one, or one per plural form
    finished: bool
    numerus: bool

    def __str__(self) -> str:
        return f"{self.context}: {self.source!r}"


def read_ts(path: Path) -> dict[tuple[str, str], Entry]:
    entries: dict[tuple[str, str], Entry] = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            assert translation is not None
            numerus = message.get("numerus") == "yes"
            forms = [form.text or "" for form in translation.iter("numerusform")]
            texts = tuple(forms) if numerus else (translation.text or "",)
            finished = translation.get("type") is None and all(texts)
            entries[(name, source)] = Entry(name, source, texts, finished, numerus)
    return entries


def updated_copy(language: str, folder: Path) -> Path:
    """The committed .ts of `language` after `pyside6-lupdate` over app/ as it is now."""
    copy = folder / catalog_file(language, ".ts").name
    shutil.copy(catalog_file(language, ".ts"), copy)
    subprocess.run(lupdate_command(language, copy, source_files()), check=True, timeout=120)
    return copy


def placeholders(text: str) -> list[str]:
    """The {names}, %n and %1 of `text`, each once: a plural form may name the count twice."""
    return sorted(set(PLACEHOLDER.findall(text)))


def listing(entries: list[Entry]) -> str:
    return "\n".join(f"  {entry}" for entry in entries)


def test_english_and_french_are_shipped_each_compiled() -> None:
    assert languages()[0] == "en" and "fr" in languages()
    assert shipped_languages() == languages()


@pytest.mark.parametrize("language", languages())
def test_every_string_of_the_source_has_a_finished_translation(
    language: str, tmp_path: Path
) -> None:
    committed = read_ts(catalog_file(language, ".ts"))
    current = read_ts(updated_copy(language, tmp_path))
    new = [entry for key, entry in current.items() if key not in committed]
    vanished = [entry for key, entry in committed.items() if key not in current]
    unfinished = [entry for entry in current.values() if not entry.finished]
    command = "python -m app.devtools.translations update"
    name = catalog_file(language, ".ts").name
    assert not new, f"strings not yet in {name} (run {command}):\n{listing(new)}"
    assert not vanished, f"strings gone from the source (run {command}):\n{listing(vanished)}"
    assert not unfinished, f"strings without a {language} translation:\n{listing(unfinished)}"


def test_the_source_has_strings_to_translate() -> None:
    assert len(read_ts(catalog_file("fr", ".ts"))) > 100


@pytest.mark.parametrize("language", languages())
def test_translations_keep_placeholders_and_accelerators(language: str) -> None:
    wrong: list[str] = []
    for entry in read_ts(catalog_file(language, ".ts")).values():
        wanted = placeholders(entry.source)
        accelerators = len(ACCELERATOR.findall(entry.source))
        for text in entry.translations:
            if placeholders(text) != wanted:
                wrong.append(f"{entry} -> {text!r}: placeholders {wanted}")
            if len(ACCELERATOR.findall(text)) != accelerators:
                wrong.append(f"{entry} -> {text!r}: {accelerators} keyboard accelerator(s)")
    assert not wrong, "\n".join(wrong)


def test_english_holds_only_plural_forms() -> None:
    entries = read_ts(catalog_file(SOURCE_LANGUAGE, ".ts")).values()
    assert all(entry.numerus and len(entry.translations) == 2 for entry in entries)


@pytest.mark.parametrize("language", languages())
def test_the_committed_qm_is_built_from_the_ts(language: str, tmp_path: Path) -> None:
    built = tmp_path / f"{language}.qm"
    ts_file = catalog_file(language, ".ts")
    subprocess.run(lrelease_command(ts_file, built), check=True, timeout=120)
    committed = catalog_file(language, ".qm")
    assert committed.read_bytes() == built.read_bytes(), (
        f"{committed.name} is older than {ts_file.name}: "
        "run python -m app.devtools.translations build"
    )
