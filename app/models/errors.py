"""Failures of the model layer, each with a message a user can read (`str(error)`)."""

from __future__ import annotations

from app.core.locale_format import format_size


def format_bytes(size: int) -> str:
    """File sizes the way the hub shows them: decimal units (14.3 GB), in the user's locale."""
    return format_size(size)


class ModelsError(Exception):
    """Base of every error this package raises on purpose."""


class OfflineModeError(ModelsError):
    def __init__(self, what: str) -> None:
        super().__init__(f"Offline mode is on, so {what} cannot reach the Hugging Face hub.")


class NoNetworkError(ModelsError):
    def __init__(self, detail: str = "") -> None:
        message = "The Hugging Face hub cannot be reached: check the network connection."
        super().__init__(f"{message} ({detail})" if detail else message)


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
        super().__init__(f"'{repo_id}' is not a repository id: write it as owner/name.")


class NoGgufFilesError(ModelsError):
    def __init__(self, repo_id: str) -> None:
        super().__init__(f"The repository {repo_id} holds no GGUF files.")


class NotEnoughSpaceError(ModelsError):
    def __init__(self, what: str, needed: int, free: int, where: str) -> None:
        self.needed, self.free = needed, free
        super().__init__(
            f"{what} needs {format_bytes(needed)} of free disk space but only "
            f"{format_bytes(free)} is free in {where}. Free some space or choose another folder."
        )


class DiskFullError(ModelsError):
    def __init__(self, where: str) -> None:
        super().__init__(
            f"The disk holding {where} is full. What was downloaded so far is kept: "
            "free some space and the download resumes where it stopped."
        )


class HashMismatchError(ModelsError):
    def __init__(self, filename: str, expected: str, actual: str) -> None:
        self.expected, self.actual = expected, actual
        super().__init__(
            f"{filename} arrived damaged (its SHA-256 is {actual[:12]}…, the hub lists "
            f"{expected[:12]}…). The damaged file was deleted; download it again."
        )


class DownloadCancelled(ModelsError):
    def __init__(self, filename: str) -> None:
        super().__init__(f"The download of {filename} was cancelled and its partial file deleted.")


class ModelFileError(ModelsError):
    """A local model file that cannot be used (import, delete)."""
