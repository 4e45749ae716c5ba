"""What the About window says: the version, and the licenses of the model, of llama.cpp, of Qt
and of every package Tramontane runs with, read from their installed metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata

from packaging.requirements import InvalidRequirement, Requirement

from app.core.i18n import translate

DISTRIBUTION = "tramontane"


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    version: str
    license: str
    note: str = ""


def headline() -> tuple[Component, ...]:
    """What the user should know first: the parts whose licenses matter most."""
    return (
        Component(
            "Mistral Small 3.2 24B Instruct (2506)",
            "",
            "Apache-2.0",
            translate("About", "by Mistral AI; the weights"),
        ),
        Component(
            "llama.cpp",
            "",
            "MIT",
            translate("About", "by the ggml authors, through llama-cpp-python"),
        ),
        Component(
            translate("About", "Qt 6 and PySide6"),
            "",
            "LGPL-3.0",
            translate(
                "About",
                "by The Qt Company; the Qt libraries in Tramontane's folder may be replaced by "
                "compatible builds of your own",
            ),
        ),
    )


def version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return translate("About", "unknown")


def license_of(dist: metadata.Distribution) -> str:
    """The license as the package declares it: its SPDX expression, else its license field if
    short, else its license classifiers."""
    meta = dist.metadata
    expression = (meta.get_all("License-Expression") or [""])[0]
    if expression:
        return str(expression)
    field = str((meta.get_all("License") or [""])[0])
    if field and len(field) <= 60 and "\n" not in field:
        return str(field)
    classifiers = [
        value.split(" :: ")[-1]
        for value in meta.get_all("Classifier") or []
        if value.startswith("License ::") and value != "License :: OSI Approved"
    ]
    return ", ".join(classifiers) or translate("About", "see the package")


def runtime_components() -> list[Component]:
    """Every installed package Tramontane needs to run (its requirements, followed through)."""
    seen: dict[str, Component] = {}
    pending = [DISTRIBUTION]
    while pending:
        name = pending.pop()
        key = _key(name)
        if key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[key] = Component(str(dist.metadata["Name"]), dist.version, license_of(dist))
        for line in dist.requires or []:
            try:
                requirement = Requirement(line)
            except InvalidRequirement:
                continue
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(requirement.name)
    seen.pop(_key(DISTRIBUTION), None)
    return sorted(seen.values(), key=lambda c: c.name.lower())


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
