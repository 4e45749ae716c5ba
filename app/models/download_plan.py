"""What a download must fetch: the chosen quant and projector, less the files already on disk,
and the words that say so ("the vision projector (878.1 MB)")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.core.i18n import translate
from app.models.catalog import Catalog, FileRole, QuantChoice
from app.models.download_types import DownloadRequest
from app.models.downloader import requests_for
from app.models.errors import format_bytes
from app.models.local_models import LocalModel, find_on_disk


@dataclass(frozen=True, slots=True)
class PlannedFile:
    choice: QuantChoice
    found: LocalModel | None  # the same file already on disk, used where it lies

    @property
    def missing(self) -> bool:
        return self.found is None


@dataclass(frozen=True, slots=True)
class DownloadPlan:
    model: PlannedFile
    projector: PlannedFile | None  # None when no projector was asked for

    @property
    def files(self) -> tuple[PlannedFile, ...]:
        return (self.model,) if self.projector is None else (self.model, self.projector)

    @property
    def missing(self) -> tuple[PlannedFile, ...]:
        return tuple(file for file in self.files if file.missing)

    @property
    def missing_bytes(self) -> int | None:
        sizes = [file.choice.size for file in self.missing]
        return None if None in sizes else sum(size for size in sizes if size is not None)

    def requests(self, catalog: Catalog) -> list[DownloadRequest]:
        """Requests for the missing files only."""
        return [request for file in self.missing for request in requests_for(catalog, file.choice)]

    def what(self) -> str:
        """The files to download in words, with their size: "Q4_K_M (14.3 GB)", "the vision
        projector (878.1 MB)", "Q4_K_M with the vision projector (15.2 GB)"; "" for none."""
        missing = self.missing
        if not missing:
            return ""
        if len(missing) == 1:
            names = _name(missing[0])
        else:
            names = translate("DownloadPlan", "{model} with {projector}").format(
                model=_name(missing[0]), projector=_name(missing[1])
            )
        size = self.missing_bytes
        if size is None:
            return names
        if all(file.choice.size_exact for file in missing):
            return translate("DownloadPlan", "{files} ({size})").format(
                files=names, size=format_bytes(size)
            )
        return translate("DownloadPlan", "{files} (about {size})").format(
            files=names, size=format_bytes(size)
        )

    @property
    def model_path(self) -> Path | None:
        return self.model.found.path if self.model.found is not None else None

    @property
    def projector_path(self) -> Path | None:
        found = self.projector.found if self.projector is not None else None
        return found.path if found is not None else None


def plan_download(
    model: QuantChoice, projector: QuantChoice | None, on_disk: Sequence[LocalModel]
) -> DownloadPlan:
    return DownloadPlan(
        PlannedFile(model, find_on_disk(model, on_disk)),
        PlannedFile(projector, find_on_disk(projector, on_disk)) if projector is not None else None,
    )


def _name(file: PlannedFile) -> str:
    if file.choice.role is FileRole.PROJECTOR:
        return translate("DownloadPlan", "the vision projector")
    return file.choice.label
