"""Failures of the model layer, each with a message a user can read (`str(error)`)."""

from __future__ import annotations

from app.core.i18n import translate
from app.core.locale_format import format_size


def format_bytes(size: int) -> str:
    """File sizes the way the hub shows them: decimal units (14.3 GB), in the user's locale."""
    return format_size(size)


class ModelsError(Exception):
    """Base of every error this package raises on purpose."""


class OfflineModeError(ModelsError):
    def __init__(self, what: str) -> None:
        super().__init__(
            translate(
                "ModelsError", "Offline mode is on, so {what} cannot reach the Hugging Face hub."
            ).format(what=what)
        )


class NoNetworkError(ModelsError):
    def __init__(self, detail: str = "") -> None:
        message = (
            translate(
                "ModelsError",
                "The Hugging Face hub cannot be reached: check the network connection ({detail}).",
            )
            if detail
            else translate(
                "ModelsError",
                "The Hugging Face hub cannot be reached: check the network connection.",
            )
        )
        super().__init__(message.format(detail=detail))


class NotFoundError(ModelsError):
    """A repository, revision or file the hub does not have (HTTP 404)."""


class AccessDeniedError(ModelsError):
    """A gated or private repository (HTTP 401/403)."""


class HubError(ModelsError):
    """The hub answered, but not usefully (server errors, odd replies)."""


class HubBusyError(HubError):
    """A refusal that may pass (HTTP 429 or 5xx): worth another try later."""


class InvalidRepoIdError(ModelsError):
    def __init__(self, repo_id: str) -> None:
        super().__init__(
            translate(
                "ModelsError", "'{repo}' is not a repository id: write it as owner/name."
            ).format(repo=repo_id)
        )


class NoGgufFilesError(ModelsError):
    def __init__(self, repo_id: str) -> None:
        super().__init__(
            translate("ModelsError", "The repository {repo} holds no GGUF files.").format(
                repo=repo_id
            )
        )


class NotEnoughSpaceError(ModelsError):
    def __init__(self, what: str, needed: int, free: int, where: str) -> None:
        self.needed, self.free = needed, free
        super().__init__(
            translate(
                "ModelsError",
                "{what} needs {needed} of free disk space but only {free} is free in {where}. "
                "Free some space or choose another folder.",
            ).format(what=what, needed=format_bytes(needed), free=format_bytes(free), where=where)
        )


class DiskFullError(ModelsError):
    def __init__(self, where: str) -> None:
        super().__init__(
            translate(
                "ModelsError",
                "The disk holding {where} is full. What was downloaded so far is kept: "
                "free some space and the download resumes where it stopped.",
            ).format(where=where)
        )


class HashMismatchError(ModelsError):
    def __init__(self, filename: str, expected: str, actual: str) -> None:
        self.expected, self.actual = expected, actual
        super().__init__(
            translate(
                "ModelsError",
                "{name} arrived damaged (its SHA-256 is {actual}…, the hub lists {expected}…). "
                "The damaged file was deleted; download it again.",
            ).format(name=filename, actual=actual[:12], expected=expected[:12])
        )


class DownloadCancelled(ModelsError):
    def __init__(self, filename: str) -> None:
        super().__init__(
            translate(
                "ModelsError", "The download of {name} was cancelled and its partial file deleted."
            ).format(name=filename)
        )


class ModelFileError(ModelsError):
    """A local model file that cannot be used (import, delete)."""
