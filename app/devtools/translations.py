"""Keeps the translation files in step with the source, with PySide6's own Qt Linguist tools.

    python -m app.devtools.translations update      # the .ts files from the strings in app/
    python -m app.devtools.translations build       # the .qm files the program loads
    python -m app.devtools.translations add de      # a .ts file for a new language

`update` runs `pyside6-lupdate` over every Python file of app/: new strings arrive unfinished,
strings gone from the source are dropped (-no-obsolete), and no source locations are written
(-locations none) and messages are sorted (-sort-messages), so moving code never changes a .ts
file. English is the source language: its
file holds only the strings with plural forms (-pluralonly), for "1 file" against "2 files".
`build` runs `pyside6-lrelease` on each .ts file into the .qm beside it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from app.translations import CATALOG, FOLDER, SOURCE_LANGUAGE, catalog_file

APP_FOLDER = FOLDER.parent


class ToolMissing(RuntimeError):
    pass


def qt_tool(name: str) -> str:
    """The path of `pyside6-<name>`, beside this interpreter or else on the PATH."""
    tool = f"pyside6-{name}"
    found = shutil.which(tool, path=str(Path(sys.executable).parent)) or shutil.which(tool)
    if found is None:
        raise ToolMissing(f"{tool} is not installed (it comes with PySide6)")
    return found


def source_files(app_folder: Path = APP_FOLDER) -> list[str]:
    """Every Python file of the program, in a stable order."""
    return sorted(str(path) for path in app_folder.rglob("*.py"))


def languages() -> list[str]:
    """The languages that have a .ts file, English first."""
    found = sorted(path.stem.removeprefix(f"{CATALOG}_") for path in FOLDER.glob(f"{CATALOG}_*.ts"))
    return sorted(found, key=lambda code: code != SOURCE_LANGUAGE)


def lupdate_command(language: str, ts_file: Path, files: list[str]) -> list[str]:
    """The `pyside6-lupdate` call that brings `ts_file` of `language` up to date with `files`."""
    command = [qt_tool("lupdate"), *files, "-no-obsolete", "-locations", "none", "-sort-messages"]
    command += ["-source-language", SOURCE_LANGUAGE, "-target-language", language]
    if language == SOURCE_LANGUAGE:
        command.append("-pluralonly")
    return [*command, "-silent", "-ts", str(ts_file)]


def lrelease_command(ts_file: Path, qm_file: Path) -> list[str]:
    return [qt_tool("lrelease"), "-silent", str(ts_file), "-qm", str(qm_file)]


def run(command: list[str]) -> None:
    subprocess.run(command, check=True)


def update(codes: list[str]) -> None:
    files = source_files()
    for code in codes:
        run(lupdate_command(code, catalog_file(code, ".ts"), files))


def build(codes: list[str]) -> None:
    for code in codes:
        run(lrelease_command(catalog_file(code, ".ts"), catalog_file(code, ".qm")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("update", help="extract the strings of app/ into every .ts file")
    commands.add_parser("build", help="compile every .ts file into its .qm file")
    add = commands.add_parser("add", help="start the .ts file of a new language")
    add.add_argument("language", help='a language code such as "de" or "pt_BR"')
    args = parser.parse_args(argv)
    try:
        if args.command == "add":
            update([args.language])
        elif args.command == "update":
            update(languages())
        else:
            build(languages())
    except (ToolMissing, subprocess.CalledProcessError) as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
