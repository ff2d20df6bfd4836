"""Collect a snapshot from the Hugging Face Hub through huggingface_hub (2.x, httpx2).

One metadata request (``model_info``/``dataset_info`` with file sizes), then README.md, the licence files
and config.json, each downloaded pinned to the commit sha the metadata returned. Nothing else.

Every request goes through a guard installed as an httpx2 event hook: it refuses a second identical
request (huggingface_hub retries HEADs on 5xx/timeouts with long back-offs, and resumes broken GETs) and
anything after the collection deadline, so a faulty server ends in a recorded error, not a long wait.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from auditor.collect import CollectOptions
from auditor.collect.base import license_files, linked_path, read_bytes_as_text, safe_relpath
from auditor.collect.cache import hub_cache_dir, repo_folder, write_listing, write_ref
from auditor.collect.snapshot_builder import build_snapshot
from auditor.errors import HubError, InputError
from auditor.snapshot import (
    MAX_TEXT_BYTES,
    READ_ERROR,
    READ_GATED,
    READ_MISSING,
    READ_OFFLINE,
    READ_TOO_LARGE,
    CollectNote,
    RepoFile,
    Snapshot,
    TextFile,
)

DEFAULT_ENDPOINT = "https://huggingface.co"
SHA_RE = re.compile(r"^[0-9a-f]{40}$")
DEADLINE_FACTOR = 4  # the whole collection may take at most this many --timeout periods

# Keep huggingface_hub quiet and free of hidden requests when it is first imported from here.
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


class RequestRefused(Exception):
    """Raised by the guard hook: a retry, or a request after the deadline."""


class Guard:
    """Per-snapshot request policy: each (method, url) once, nothing after the deadline.

    It also remembers how each request ended, so a refused retry can say why the first attempt failed.
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.deadline = time.monotonic() + DEADLINE_FACTOR * timeout
        self.sent: dict[tuple[str, str], float] = {}
        self.status: dict[tuple[str, str], int] = {}
        self.count = 0

    def check(self, method: str, url: str) -> None:
        key = (method, url)
        if key in self.sent:
            raise RequestRefused(f"{self.first_failure(key)}; not retried")
        if time.monotonic() > self.deadline:
            raise RequestRefused("time budget used up; not sent")
        self.sent[key] = time.monotonic()
        self.count += 1

    def answered(self, method: str, url: str, status: int) -> None:
        self.status[(method, url)] = status

    def first_failure(self, key: tuple[str, str]) -> str:
        status = self.status.get(key)
        if status is not None and status >= 400:
            return f"HTTP {status}"
        if status is None and time.monotonic() - self.sent[key] >= 0.9 * self.timeout:
            return "timed out"
        return "connection dropped" if status is not None else "no answer (connection failed or dropped)"


_LOCAL = threading.local()
_INSTALLED = False
_INSTALL_LOCK = threading.Lock()


def _guard_request(request: Any) -> None:
    guard: Guard | None = getattr(_LOCAL, "guard", None)
    if guard is not None:
        guard.check(str(request.method), str(request.url))


def _guard_response(response: Any) -> None:
    guard: Guard | None = getattr(_LOCAL, "guard", None)
    if guard is not None:
        guard.answered(str(response.request.method), str(response.request.url), int(response.status_code))


def _install_client() -> None:
    """Use an httpx2 client that keeps huggingface_hub's own hook and adds the guard."""
    global _INSTALLED
    with _INSTALL_LOCK:
        if _INSTALLED:
            return
        import httpx2
        from huggingface_hub import set_client_factory

        try:  # huggingface_hub's own hook enforces offline mode and adds request ids: keep it
            from huggingface_hub.utils._http import hf_request_event_hook
        except ImportError:  # a 2.x release that moved it: keep the library's default client
            _INSTALLED = True
            return

        def factory() -> httpx2.Client:
            hooks: dict[str, list[Callable[..., Any]]] = {
                "request": [hf_request_event_hook, _guard_request], "response": [_guard_response]}
            return httpx2.Client(event_hooks=hooks, follow_redirects=True, timeout=None)

        set_client_factory(factory)
        _INSTALLED = True


@contextmanager
def guarded(timeout: float) -> Iterator[Guard]:
    guard = Guard(timeout)
    previous = getattr(_LOCAL, "guard", None)
    _LOCAL.guard = guard
    try:
        yield guard
    finally:
        _LOCAL.guard = previous


def _prepare(timeout: float) -> None:
    """Apply settings huggingface_hub reads at call time (its env vars are read once, at import)."""
    from huggingface_hub import constants
    from huggingface_hub.utils import disable_progress_bars, logging

    logging.set_verbosity_error()  # failures become notes; no "trying to resume" warnings on stderr
    constants.HF_HUB_DISABLE_TELEMETRY = True
    constants.HF_HUB_DOWNLOAD_TIMEOUT = timeout  # type: ignore[assignment]
    if os.environ.get("HF_HUB_DISABLE_PROGRESS_BARS", "1") != "0":
        disable_progress_bars()
    _install_client()


def resolve_endpoint(options: CollectOptions) -> str:
    """--endpoint, else HF_ENDPOINT (read now, not at import), else huggingface.co; must be an http(s) URL."""
    endpoint = (options.endpoint or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).strip()
    try:
        parts = urlsplit(endpoint)
        _ = parts.port  # raises ValueError on a bad port
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid or any(c.isspace() for c in endpoint):
        raise InputError(f"invalid Hub endpoint {endpoint!r}: expected an http(s) URL")
    return endpoint.rstrip("/")


def describe(exc: BaseException) -> str:
    """A short, token-free reason for a failed request."""
    import httpx2

    chain: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and cause not in chain:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    refused = [c for c in chain if isinstance(c, RequestRefused)]
    for cause in [c for c in chain if not isinstance(c, RequestRefused)] + refused:
        response = getattr(cause, "response", None)
        status = getattr(response, "status_code", None) if response is not None else None
        if isinstance(status, int) and status >= 400:
            return f"HTTP {status}"
        if isinstance(cause, httpx2.TimeoutException):
            return "timed out"
        if isinstance(cause, (httpx2.ConnectError, ConnectionError)):
            return "connection failed"
        if isinstance(cause, httpx2.RemoteProtocolError):
            return "connection dropped"
        if isinstance(cause, RequestRefused):
            return str(cause)
    return type(exc).__name__


class HubSource:
    """Snapshots from the Hub (models and datasets)."""

    name = "hub"

    def __init__(self, options: CollectOptions | None = None) -> None:
        self.options = options or CollectOptions()
        self.requests = 0  # requests made by the last snapshot() (for tests and benches)

    def _clean(self, text: str) -> str:
        token = self.options.token or os.environ.get("HF_TOKEN")
        return text.replace(token, "***") if token and len(token) >= 4 else text

    def snapshot(self, repo_id: str, revision: str | None = None, repo_type: str = "model") -> Snapshot:
        timeout = float(self.options.timeout)
        _prepare(timeout)
        with guarded(timeout) as guard:
            try:
                return self._snapshot(repo_id, revision, repo_type, timeout)
            finally:
                self.requests = guard.count

    # --- metadata --------------------------------------------------------------------------------
    def _info(self, repo_id: str, revision: str | None, repo_type: str, timeout: float, url: str) -> Any:
        import httpx2
        from huggingface_hub import HfApi
        from huggingface_hub.errors import (
            EntryNotFoundError,
            GatedRepoError,
            HfHubHTTPError,
            OfflineModeIsEnabled,
            RepositoryNotFoundError,
            RevisionNotFoundError,
        )

        from auditor import __version__

        api = HfApi(endpoint=url, token=self.options.token or None, library_name="auditor",
                    library_version=__version__)
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
        endpoint = f"{parts.scheme}://{parts.hostname}{port}"  # shown in messages: never user:password
        kind = "dataset" if repo_type == "dataset" else "model"
        shown = f"{repo_id}@{revision}" if revision else repo_id
        try:
            if repo_type == "dataset":
                return api.dataset_info(repo_id, revision=revision, timeout=timeout, files_metadata=True)
            return api.model_info(repo_id, revision=revision, timeout=timeout, files_metadata=True)
        except GatedRepoError as exc:
            raise HubError(f"{shown}: no access (gated {kind})", self._clean(str(exc))) from None
        except RepositoryNotFoundError as exc:
            raise HubError(f"{shown}: {kind} not found on the Hub (or private without access)",
                           self._clean(str(exc))) from None
        except RevisionNotFoundError as exc:
            raise HubError(f"{shown}: revision {revision!r} not found", self._clean(str(exc))) from None
        except EntryNotFoundError as exc:
            raise HubError(f"{shown}: not found on the Hub", self._clean(str(exc))) from None
        except OfflineModeIsEnabled:
            raise HubError(f"{shown}: offline mode is on (HF_HUB_OFFLINE); use --offline to read the cache") \
                from None
        except HfHubHTTPError as exc:
            status = exc.response.status_code if exc.response is not None else "?"
            raise HubError(f"{shown}: the Hub answered HTTP {status}", self._clean(str(exc))) from None
        except httpx2.TimeoutException:
            raise HubError(f"{shown}: timed out after {timeout:g}s waiting for {endpoint}") from None
        except RequestRefused as exc:
            raise HubError(f"{shown}: {exc}") from None
        except (httpx2.HTTPError, OSError) as exc:
            raise HubError(f"{shown}: connection error ({describe(exc)}) talking to {endpoint}",
                           self._clean(str(exc))) from None
        except (ValueError, TypeError, KeyError, AttributeError) as exc:  # not a Hub answer (wrong endpoint?)
            raise HubError(f"{shown}: unexpected answer from {endpoint} (is it a Hub endpoint?)",
                           self._clean(str(exc))) from None

    # --- snapshot --------------------------------------------------------------------------------
    def _snapshot(self, repo_id: str, revision: str | None, repo_type: str, timeout: float) -> Snapshot:
        endpoint = resolve_endpoint(self.options)
        info = self._info(repo_id, revision, repo_type, timeout, endpoint)
        sha = getattr(info, "sha", None)
        if not isinstance(sha, str) or not SHA_RE.match(sha):
            raise HubError(f"{repo_id}: the Hub gave no commit sha; cannot pin the files")
        notes: list[CollectNote] = []
        files: list[RepoFile] = []
        for sib in getattr(info, "siblings", None) or []:
            name = getattr(sib, "rfilename", None)
            if not isinstance(name, str):
                continue
            if safe_relpath(name) != name:
                notes.append(CollectNote("unsafe-file-name", "medium",
                                         f"the Hub lists a file {name!r} that escapes the repo; ignored"))
                continue
            size = sib.size if isinstance(getattr(sib, "size", None), int) else None
            files.append(RepoFile(name, size))
        sizes = {f.path: f.size for f in files}
        card = getattr(info, "card_data", None)
        card_dict: dict[str, Any] = card.to_dict() if card is not None and hasattr(card, "to_dict") else {}
        wanted = ["README.md"] if ("README.md" in sizes or not files) else []
        wanted += [p for p in license_files(list(sizes)) if p not in wanted]
        link, link_note = linked_path(card_dict.get("license_link"), repo_id, endpoint)
        if link_note:
            notes.append(link_note)
        texts: dict[str, TextFile] = {}
        if link and link not in wanted:
            if link in sizes:
                wanted.append(link)
            else:
                texts[link] = TextFile(link, READ_MISSING, None, None, "license_link target not in the repo")
                notes.append(CollectNote("license-link-missing", "medium",
                                         f"license_link points to {link}, not in the repo", path=link))
        fetch = _Fetcher(repo_id, repo_type, sha, endpoint, self.options, timeout, self._clean)
        for rel in wanted:
            texts[rel], extra = fetch.text(rel, sizes.get(rel))
            notes.extend(extra)
        config: dict[str, Any] | None = None
        if repo_type == "model":
            raw_cfg = getattr(info, "config", None)
            if "config.json" in sizes:
                cfg_text, _ = fetch.text("config.json", sizes.get("config.json"))
                from auditor.collect.local import parse_config

                config = parse_config(cfg_text)
            if config is None and isinstance(raw_cfg, dict):
                config = raw_cfg
        storage = repo_folder(fetch.cache_dir, repo_id, repo_type)
        write_ref(storage, revision, sha)
        write_listing(storage, sha, sizes)
        gated = getattr(info, "gated", None)
        return build_snapshot(
            repo_id=repo_id, source="hub", revision=sha, repo_type=repo_type, files=files, texts=texts,
            notes=notes, gated=gated if gated in (False, "auto", "manual") else bool(gated),
            private=getattr(info, "private", None), card_data=card_dict,
            tags=[t for t in (getattr(info, "tags", None) or []) if isinstance(t, str)], config=config,
            library_name=getattr(info, "library_name", None),
            pipeline_tag=getattr(info, "pipeline_tag", None),
        )


class _Fetcher:
    """Downloads single files pinned to one sha, turning every failure into a TextFile status + note."""

    def __init__(self, repo_id: str, repo_type: str, sha: str, endpoint: str, options: CollectOptions,
                 timeout: float, clean: Any) -> None:
        self.repo_id, self.repo_type, self.sha, self.endpoint = repo_id, repo_type, sha, endpoint
        self.token = options.token or None
        self.timeout = timeout
        self.cache_dir = hub_cache_dir(options)
        self.clean = clean

    def text(self, rel: str, size: int | None) -> tuple[TextFile, list[CollectNote]]:
        if size is not None and size > MAX_TEXT_BYTES:
            note = CollectNote("file-too-large", "medium",
                               f"{rel} is {size} bytes, over the 2 MB cap: recorded, not read", path=rel)
            return TextFile(rel, READ_TOO_LARGE, None, size, "over the 2 MB cap"), [note]
        path, failure = self.download(rel)
        if failure is not None:
            return failure
        assert path is not None
        try:
            real = Path(path)
            actual = real.stat().st_size
            with real.open("rb") as fh:
                data = fh.read(MAX_TEXT_BYTES + 1)
        except OSError as exc:
            return self._fail(rel, READ_ERROR, f"cannot read the downloaded file ({exc.strerror or exc})")
        return read_bytes_as_text(data, rel, actual)

    def download(self, rel: str) -> tuple[str | None, tuple[TextFile, list[CollectNote]] | None]:
        import httpx2
        from huggingface_hub import hf_hub_download
        from huggingface_hub.errors import (
            EntryNotFoundError,
            GatedRepoError,
            HfHubHTTPError,
            LocalEntryNotFoundError,
            OfflineModeIsEnabled,
            RepositoryNotFoundError,
            RevisionNotFoundError,
        )

        try:
            path = hf_hub_download(self.repo_id, rel, repo_type=self.repo_type, revision=self.sha,
                                   endpoint=self.endpoint, token=self.token, cache_dir=str(self.cache_dir),
                                   etag_timeout=self.timeout)
            return path, None
        except GatedRepoError:
            return None, self._fail(rel, READ_GATED, "not accessible (gated)", "file-gated", "medium")
        except RepositoryNotFoundError:
            return None, self._fail(rel, READ_ERROR, "not accessible (repo not found or no access)")
        except RevisionNotFoundError:
            return None, self._fail(rel, READ_ERROR, "revision vanished while reading")
        except LocalEntryNotFoundError as exc:
            return None, self._fail(rel, READ_ERROR, f"download failed ({describe(exc)})")
        except EntryNotFoundError:
            return None, self._fail(rel, READ_MISSING, "listed but not found on the Hub", "file-missing")
        except OfflineModeIsEnabled:
            return None, self._fail(rel, READ_OFFLINE, "not downloaded (offline mode)", "file-offline")
        except (HfHubHTTPError, RequestRefused, httpx2.HTTPError, OSError, ValueError) as exc:
            return None, self._fail(rel, READ_ERROR, f"download failed ({describe(exc)})")
        except Exception as exc:  # noqa: BLE001 - one file's fault must not end the audit
            return None, self._fail(rel, READ_ERROR, f"download failed ({type(exc).__name__})")

    def _fail(self, rel: str, status: str, reason: str, note_id: str = "file-unreadable",
              severity: str = "medium") -> tuple[TextFile, list[CollectNote]]:
        reason = self.clean(reason)
        note = CollectNote(note_id, severity, f"{rel}: {reason}", path=rel)
        return TextFile(rel, status, None, None, reason), [note]
