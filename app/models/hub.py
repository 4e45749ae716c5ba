"""The Hugging Face hub, reached through `huggingface_hub`: repository listings, file URLs and
metadata, and the HTTP session downloads stream through.

The endpoint is, in order: the app's setting, the `HF_ENDPOINT` variable, the hub itself.
Offline mode (the app's setting or `HF_HUB_OFFLINE`, read when asked, not at import) is
checked before anything touches the network. Every hub failure leaves as one of the typed
errors of `app.models.errors`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx2
from huggingface_hub import (
    HfApi,
    constants,
    get_hf_file_metadata,
    get_session,
    hf_hub_url,
    hf_raise_for_status,
)
from huggingface_hub.errors import (
    GatedRepoError,
    HfHubHTTPError,
    OfflineModeIsEnabled,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from huggingface_hub.utils._headers import build_hf_headers

from app.core.i18n import translate
from app.models.errors import (
    AccessDeniedError,
    HubBusyError,
    HubError,
    InvalidRepoIdError,
    ModelsError,
    NoNetworkError,
    NotFoundError,
    OfflineModeError,
)

LIBRARY_NAME = "tramontane"
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True, slots=True)
class RemoteFile:
    """One file of a repository, with what the hub says about it."""

    filename: str  # path inside the repository
    size: int | None
    sha256: str | None  # the LFS object's SHA-256; None for small git files


@dataclass(frozen=True, slots=True)
class RepoListing:
    repo_id: str
    commit: str | None
    files: tuple[RemoteFile, ...]


@dataclass(frozen=True, slots=True)
class FileMetadata:
    commit: str | None
    size: int | None
    sha256: str | None  # from X-Linked-Etag when it carries a SHA-256


def check_repo_id(repo_id: str) -> str:
    if not _REPO_ID.match(repo_id) or ".." in repo_id:
        raise InvalidRepoIdError(repo_id)
    return repo_id


def env_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in _TRUE or constants.HF_HUB_OFFLINE


class HubClient:
    def __init__(
        self,
        endpoint: str | None = None,
        *,
        token: str | bool | None = None,
        offline: bool = False,
        timeout_s: float = 20.0,
    ) -> None:
        self._endpoint = endpoint.rstrip("/") if endpoint else None
        self._token = token
        self._offline = offline
        self.timeout_s = timeout_s

    @property
    def endpoint(self) -> str:
        return self._endpoint or os.environ.get("HF_ENDPOINT", "").rstrip("/") or constants.ENDPOINT

    @property
    def offline(self) -> bool:
        return self._offline or env_offline()

    def require_online(self, what: str) -> None:
        if self.offline:
            raise OfflineModeError(what)

    def list_repo(self, repo_id: str, revision: str | None = None) -> RepoListing:
        check_repo_id(repo_id)
        self.require_online(translate("HubClient", "the list of files"))
        api = HfApi(endpoint=self.endpoint, token=self._token, library_name=LIBRARY_NAME)
        with translated_errors(
            translate("HubClient", "the repository {repo}").format(repo=repo_id)
        ):
            info = api.model_info(
                repo_id, revision=revision, files_metadata=True, timeout=self.timeout_s
            )
        files = tuple(
            RemoteFile(
                sibling.rfilename,
                sibling.lfs.size if sibling.lfs else sibling.size,
                sibling.lfs.sha256 if sibling.lfs else None,
            )
            for sibling in info.siblings or ()
        )
        return RepoListing(repo_id, info.sha, files)

    def file_url(self, repo_id: str, filename: str, revision: str | None) -> str:
        return hf_hub_url(repo_id, filename, revision=revision, endpoint=self.endpoint)

    def headers(self) -> dict[str, str]:
        return build_hf_headers(token=self._token, library_name=LIBRARY_NAME)

    def file_metadata(self, repo_id: str, filename: str, revision: str | None) -> FileMetadata:
        self.require_online(translate("HubClient", "the details of {name}").format(name=filename))
        url = self.file_url(repo_id, filename, revision)
        with translated_errors(filename):
            meta = get_hf_file_metadata(
                url, token=self._token, timeout=self.timeout_s, endpoint=self.endpoint,
                library_name=LIBRARY_NAME,
            )  # fmt: skip
        etag = meta.etag or ""
        return FileMetadata(meta.commit_hash, meta.size, etag if _SHA256.match(etag) else None)

    @contextmanager
    def stream(self, url: str, start: int) -> Iterator[httpx2.Response]:
        """GET `url` from byte `start` on; raises typed errors for refusals (404, 403, 5xx).

        Transport failures (a dropped connection, a timeout) are left as `httpx2` errors:
        the downloader retries those.
        """
        headers = self.headers()
        headers["Accept-Encoding"] = "identity"
        if start:
            headers["Range"] = f"bytes={start}-"
        timeout = httpx2.Timeout(self.timeout_s, read=self.timeout_s)
        name = url.rsplit("/", 1)[-1]
        try:
            with get_session().stream("GET", url, headers=headers, timeout=timeout) as response:
                if response.status_code != 416:  # the caller decides what 416 means
                    with translated_errors(name):
                        hf_raise_for_status(response)
                yield response
        except OfflineModeIsEnabled as exc:
            raise OfflineModeError(
                translate("HubClient", "the download of {name}").format(name=name)
            ) from exc


@contextmanager
def translated_errors(what: str) -> Iterator[None]:
    """Turn `huggingface_hub`/`httpx2` failures into this package's typed errors."""
    try:
        yield
    except ModelsError:
        raise
    except OfflineModeIsEnabled as exc:
        raise OfflineModeError(what) from exc
    except GatedRepoError as exc:
        raise AccessDeniedError(
            translate(
                "HubClient",
                "{what} is gated: accept its terms on the hub and sign in with a token.",
            ).format(what=what)
        ) from exc
    except RepositoryNotFoundError as exc:
        raise NotFoundError(
            translate("HubClient", "The hub has no {what} (or it is private).").format(what=what)
        ) from exc
    except RevisionNotFoundError as exc:
        raise NotFoundError(
            translate("HubClient", "The hub has no such revision of {what}.").format(what=what)
        ) from exc
    except RemoteEntryNotFoundError as exc:
        raise NotFoundError(
            translate("HubClient", "The hub has no file {what}.").format(what=what)
        ) from exc
    except HfHubHTTPError as exc:
        raise _http_error(what, exc) from exc
    except (httpx2.TransportError, OSError) as exc:
        raise NoNetworkError(str(exc) or type(exc).__name__) from exc


def _http_error(what: str, exc: HfHubHTTPError) -> ModelsError:
    status = exc.response.status_code if exc.response is not None else 0
    if status == 404:
        return NotFoundError(translate("HubClient", "The hub has no {what}.").format(what=what))
    if status in (401, 403):
        return AccessDeniedError(
            translate("HubClient", "The hub refused access to {what} (HTTP {status}).").format(
                what=what, status=status
            )
        )
    if status == 429 or status >= 500:
        return HubBusyError(
            translate(
                "HubClient", "The hub could not serve {what} (HTTP {status}); try again later."
            ).format(what=what, status=status)
        )
    return HubError(
        translate("HubClient", "The hub could not serve {what} (HTTP {status}).").format(
            what=what, status=status
        )
    )


class NotTheFileError(HubError):
    """The server answered with a web page or a JSON message where the file's bytes should be."""


_HTML_TYPES = ("text/html", "application/xhtml+xml")
_JSON_TYPES = ("application/json", "application/problem+json", "text/json")


def _web_page() -> str:
    return translate("HubClient", "a web page (HTML)")


def _json_message() -> str:
    return translate("HubClient", "a JSON message")


def page_instead_of_file(content_type: str, first_bytes: bytes) -> str | None:
    """What the server sent instead of a file's bytes ("a web page (HTML)", "a JSON
    message"), judged by its type and its first bytes; None when it may be the file."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind in _HTML_TYPES:
        return _web_page()
    if kind in _JSON_TYPES:
        return _json_message()
    head = first_bytes[:256].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return _web_page()
    if head.startswith(b"{") and kind.startswith("text/"):
        return _json_message()
    return None
