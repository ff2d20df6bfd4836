"""A stand-in Hugging Face Hub: a real HTTP server on 127.0.0.1 that serves the fixtures.

It implements the small part of the Hub HTTP API that huggingface_hub uses (see
shared/corpus/api/README.md §3), so tests drive the real client over HTTP:

- ``GET /api/{models|datasets}/{org}/{name}[/revision/{rev}]`` with ``expand=`` and ``blobs=true``
- ``GET /api/{models|datasets}/{org}/{name}/tree/{rev}[/{path}]?recursive=``
- ``GET /api/models?author=&search=`` (one page)
- ``HEAD|GET /{org}/{name}/resolve/{rev}/{path}`` and ``/datasets/{org}/{name}/resolve/...``
- ``/api/agent-harnesses`` → 404

Layout served (``root`` is usually ``fixtures/``):
``root/hub/<org>/<name>/`` (models), ``root/datasets/<org>/<name>/`` (datasets); beside each folder an
optional ``<name>.hub.json`` (gated, private, tags, library_name, pipeline_tag, created_at, gated_files,
tokens, extra_files) and an optional ``<name>.revisions/<rev>/`` folder per named older revision.

Test controls: ``.log`` (requests: method, path, headers without the Authorization value),
``.fail(path, kind)`` with kind ``"500"`` (any status), ``"drop"`` (close mid-response), ``"hang"`` (never
answer, bounded by ``HANG_SECONDS`` and ended by ``stop()``) or ``"body:<text>"`` (200 with that body and
no Hub headers, like a wrong endpoint). Run alone: ``python tests/hub.py [--port N] [ROOT]``.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import json
import os
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

HANG_SECONDS = 30.0
SHA_RE = re.compile(r"^[0-9a-f]{40}$")
FRONT_RE = re.compile(r"^(\s*---(?:\r\n|\r|\n))([\S\s]*?)((?:\r\n|\r|\n)---[ \t]*(\r\n|\n|$))")
SKIP_NAMES = {".git", "__pycache__"}
MODEL_EXPAND = {
    "author", "baseModels", "cardData", "childrenModelCount", "config", "createdAt", "disabled", "downloads",
    "downloadsAllTime", "evalResults", "gated", "gguf", "inference", "inferenceProviderMapping",
    "lastModified",
    "library_name", "likes", "mask_token", "model-index", "pipeline_tag", "private", "resourceGroup",
    "safetensors", "sha", "siblings", "spaces", "tags", "transformersInfo", "trendingScore", "usedStorage",
    "widgetData",
}
DATASET_EXPAND = {
    "author", "cardData", "citation", "createdAt", "description", "disabled", "downloads", "downloadsAllTime",
    "gated", "lastModified", "likes", "mainSize", "paperswithcode_id", "private", "resourceGroup", "sha",
    "siblings", "tags", "trendingScore", "usedStorage",
}
ALWAYS_OPEN = ("README.md", ".gitattributes")


def blob_sha1(data: bytes) -> str:
    """The git blob sha1 of a file's content (what the Hub uses as a regular file's ETag)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class Fault:
    kind: str  # "500" | "drop" | "hang" | a status code such as "503"
    method: str | None = None
    times: int | None = None  # None = every time


@dataclass
class LoggedRequest:
    method: str
    path: str  # path with query string, as sent
    headers: dict[str, str]
    authorized: bool = False

    @property
    def route(self) -> str:
        return self.path.split("?", 1)[0]


@dataclass
class RepoFiles:
    """One revision of one repo: files (path -> real file or inline bytes) and its sha."""

    folder: Path
    files: dict[str, Path | bytes]
    sha: str
    blob_ids: dict[str, str] = field(default_factory=dict)

    def read(self, rel: str) -> bytes:
        src = self.files[rel]
        return src if isinstance(src, bytes) else src.read_bytes()

    def size(self, rel: str) -> int:
        src = self.files[rel]
        return len(src) if isinstance(src, bytes) else src.stat().st_size


class Repo:
    """A fixture repo (model or dataset) with its Hub-only metadata and named revisions."""

    def __init__(self, root: Path, repo_type: str, repo_id: str) -> None:
        self.repo_type, self.id = repo_type, repo_id
        base = root / ("hub" if repo_type == "model" else "datasets")
        org, name = repo_id.split("/", 1)
        self.folder = base / org / name
        meta_path = base / org / f"{name}.hub.json"
        self.meta: dict[str, Any] = json.loads(meta_path.read_text("utf-8")) if meta_path.is_file() else {}
        self.revisions_dir = base / org / f"{name}.revisions"

    @property
    def exists(self) -> bool:
        return self.folder.is_dir()

    def revision(self, rev: str | None, cache: dict[tuple[str, int, int], str]) -> RepoFiles | None:
        """Files of ``rev`` (None/main, a named revision folder, or a sha of either); None if unknown."""
        main = self._files(self.folder, cache, extra=True)
        if rev in (None, "main") or rev == main.sha:
            return main
        if self.revisions_dir.is_dir():
            for sub in sorted(self.revisions_dir.iterdir()):
                if not sub.is_dir():
                    continue
                older = self._files(sub, cache, extra=False)
                if rev in (sub.name, older.sha):
                    return older
        return None

    def _files(self, folder: Path, cache: dict[tuple[str, int, int], str], extra: bool) -> RepoFiles:
        files: dict[str, Path | bytes] = {}
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_NAMES)
            for fname in sorted(filenames):
                full = Path(dirpath) / fname
                files[full.relative_to(folder).as_posix()] = full
        if extra:
            for item in self.meta.get("extra_files", []):
                if isinstance(item, str):
                    files[item] = b""
                else:
                    files[str(item["path"])] = str(item.get("content", "")).encode("utf-8")
        blob_ids: dict[str, str] = {}
        for rel, src in files.items():
            if isinstance(src, bytes):
                blob_ids[rel] = blob_sha1(src)
                continue
            st = src.stat()
            key = (str(src), st.st_size, st.st_mtime_ns)
            if key not in cache:
                cache[key] = blob_sha1(src.read_bytes())
            blob_ids[rel] = cache[key]
        digest = hashlib.sha1()
        for rel in sorted(blob_ids):
            digest.update(f"{rel}\0{blob_ids[rel]}\n".encode())
        return RepoFiles(folder, files, digest.hexdigest(), blob_ids)

    def gated_patterns(self) -> list[str]:
        if "gated_files" in self.meta:
            return [str(p) for p in self.meta["gated_files"]]
        return ["*"] if self.meta.get("gated") else []

    def is_gated_file(self, rel: str) -> bool:
        if rel in ALWAYS_OPEN and "gated_files" not in self.meta:
            return False
        return any(fnmatch.fnmatchcase(rel, pat) for pat in self.gated_patterns())

    def token_ok(self, token: str | None) -> bool:
        return token is not None and token in [str(t) for t in self.meta.get("tokens", [])]


def card_data(readme: bytes | None) -> dict[str, Any] | None:
    """The README front matter parsed the way the Hub does; None when absent or unreadable."""
    if readme is None:
        return None
    import yaml

    try:
        text = readme.decode("utf-8-sig")
        match = FRONT_RE.search(text)
        if not match:
            return None
        data = yaml.safe_load(match.group(2))
    except (UnicodeDecodeError, yaml.YAMLError, RecursionError, ValueError):
        return None
    return data if isinstance(data, dict) and _expanded_size(data) <= 100_000 else None


def _expanded_size(root: Any) -> int:
    """Values in a loaded YAML document with aliases expanded (memoised); huge when cyclic."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        kids = list(node.keys()) + list(node.values()) if isinstance(node, dict) else \
            list(node) if isinstance(node, list) else []
        if finished:
            on_path.discard(id(node))
            sizes[id(node)] = min(1 + sum(sizes.get(id(k), 1) for k in kids), 10**9)
            continue
        if id(node) in sizes:
            continue
        on_path.add(id(node))
        stack.append((node, True))
        for kid in kids:
            if id(kid) in on_path:
                return 10**9
            if isinstance(kid, (dict, list)) and id(kid) not in sizes:
                stack.append((kid, False))
    return sizes[id(root)]


def _folder_entry(path: str) -> dict[str, Any]:
    return {"type": "directory", "oid": blob_sha1(path.encode()), "size": 0, "path": path}


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int, float))]
    return []


class StandInHub:
    """The server. ``start()`` / ``stop()``, or use as a context manager."""

    def __init__(self, root: Path | str, host: str = "127.0.0.1", port: int = 0) -> None:
        self.root = Path(root)
        self.log: list[LoggedRequest] = []
        self.faults: dict[tuple[str, str | None], Fault] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._blob_cache: dict[tuple[str, int, int], str] = {}
        self._server = ThreadingHTTPServer((host, port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> StandInHub:
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="stand-in-hub", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> StandInHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- test controls ---------------------------------------------------------------------------
    def fail(self, path: str, kind: str = "500", method: str | None = None, times: int | None = None) -> None:
        """Make requests whose path (no query) matches ``path`` (fnmatch pattern) fail with ``kind``."""
        with self._lock:
            self.faults[(path, method.upper() if method else None)] = \
                Fault(kind, method.upper() if method else None, times)

    def clear(self) -> None:
        """Forget faults and the request log."""
        with self._lock:
            self.faults.clear()
            self.log.clear()

    def requests(self, method: str | None = None, contains: str = "") -> list[LoggedRequest]:
        with self._lock:
            return [r for r in self.log if (method is None or r.method == method) and contains in r.path]

    def sha(self, repo_id: str, revision: str | None = None, repo_type: str = "model") -> str:
        """The commit sha the server gives a repo revision (for asserts)."""
        files = Repo(self.root, repo_type, repo_id).revision(revision, self._blob_cache)
        if files is None:
            raise KeyError(f"{repo_id}@{revision}")
        return files.sha

    def add_repo(self, repo_id: str, files: dict[str, str | bytes], meta: dict[str, Any] | None = None,
                 repo_type: str = "model") -> Path:
        """Write a repo under ``root`` (for tests that serve a tmp root); returns its folder."""
        repo = Repo(self.root, repo_type, repo_id)
        for rel, content in files.items():
            dest = repo.folder / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        repo.folder.mkdir(parents=True, exist_ok=True)
        if meta is not None:
            org, name = repo_id.split("/", 1)
            meta_path = repo.folder.parent / f"{name}.hub.json"
            meta_path.write_text(json.dumps(meta), encoding="utf-8")
        return repo.folder

    # --- internals used by the handler -----------------------------------------------------------
    def _record(self, method: str, path: str, headers: dict[str, str]) -> None:
        clean = {k.lower(): ("<redacted>" if k.lower() == "authorization" else v) for k, v in headers.items()}
        with self._lock:
            self.log.append(LoggedRequest(method, path, clean, "authorization" in clean))

    def _fault_for(self, method: str, route: str) -> Fault | None:
        with self._lock:
            for (pattern, _), fault in self.faults.items():
                if fault.method not in (None, method):
                    continue
                if route == pattern or fnmatch.fnmatchcase(route, pattern):
                    if fault.times is not None:
                        if fault.times <= 0:
                            continue
                        fault.times -= 1
                    return fault
        return None

    def _hang(self) -> None:
        self._stopping.wait(HANG_SECONDS)


def _handler_for(hub: StandInHub) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        server_hub = hub

    return Handler


class _Handler(BaseHTTPRequestHandler):
    server_hub: StandInHub
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        return

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._dispatch("HEAD")

    # --- dispatch --------------------------------------------------------------------------------
    def _dispatch(self, method: str) -> None:
        hub = self.server_hub
        hub._record(method, self.path, dict(self.headers.items()))
        split = urlsplit(self.path)
        route, query = split.path, parse_qs(split.query)
        fault = hub._fault_for(method, route)
        if fault is not None and self._apply_fault(fault, method):
            return
        try:
            self._route(method, route, query)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _apply_fault(self, fault: Fault, method: str) -> bool:
        if fault.kind == "hang":
            self.server_hub._hang()
            self.close_connection = True
            return True
        if fault.kind == "drop":
            if method == "GET":
                body = b"x" * 4096
                self.send_response(200)
                self.send_header("Content-Length", str(len(body) * 4))
                self.send_header("X-Repo-Commit", "0" * 40)
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return True
        if fault.kind.startswith("body:"):  # 200 with this body and no Hub headers (a wrong endpoint)
            body = fault.kind[5:].encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(body)
            return True
        if fault.kind.isdigit():
            self._error(int(fault.kind), "", f"injected fault {fault.kind}", method)
            return True
        return False

    def _route(self, method: str, route: str, query: dict[str, list[str]]) -> None:
        parts = [unquote(p) for p in route.split("/")[1:]]
        if parts[:2] == ["api", "agent-harnesses"]:
            return self._error(404, "", "not here", method)
        if len(parts) >= 2 and parts[0] == "api" and parts[1] in ("models", "datasets"):
            repo_type = "model" if parts[1] == "models" else "dataset"
            rest = parts[2:]
            if not rest or rest == [""]:
                return self._list(repo_type, query, method)
            return self._api_repo(repo_type, rest, query, method)
        repo_type = "model"
        if parts and parts[0] == "datasets":
            repo_type, parts = "dataset", parts[1:]
        if len(parts) >= 5 and parts[2] == "resolve":
            return self._resolve(repo_type, f"{parts[0]}/{parts[1]}", parts[3], "/".join(parts[4:]), method)
        return self._error(404, "", "no such route", method)

    # --- API -------------------------------------------------------------------------------------
    def _token(self) -> str | None:
        auth = self.headers.get("Authorization", "")
        return auth[7:].strip() if auth.lower().startswith("bearer ") else None

    def _repo(self, repo_type: str, repo_id: str, method: str) -> Repo | None:
        if repo_id.count("/") != 1 or ".." in repo_id or not all(repo_id.split("/")):
            self._error(404, "RepoNotFound", f"Repository {repo_id} not found", method)
            return None
        repo = Repo(self.server_hub.root, repo_type, repo_id)
        if not repo.exists or (repo.meta.get("private") and not repo.token_ok(self._token())):
            self._error(404, "RepoNotFound", f"Repository Not Found for url: {repo_id}", method)
            return None
        return repo

    def _api_repo(self, repo_type: str, rest: list[str], query: dict[str, list[str]], method: str) -> None:
        repo = self._repo(repo_type, "/".join(rest[:2]), method)
        if repo is None:
            return
        tail = rest[2:]
        if not tail:
            return self._info(repo, None, query, method)
        if tail[0] == "revision" and len(tail) >= 2:
            return self._info(repo, "/".join(tail[1:]), query, method)
        if tail[0] == "tree" and len(tail) >= 2:
            return self._tree(repo, tail[1], "/".join(tail[2:]), query, method)
        return self._error(404, "", "no such route", method)

    def _files(self, repo: Repo, rev: str | None, method: str) -> RepoFiles | None:
        files = repo.revision(rev, self.server_hub._blob_cache)
        if files is None:
            self._error(404, "RevisionNotFound", f"Invalid rev id: {rev}", method)
        return files

    def _info(self, repo: Repo, rev: str | None, query: dict[str, list[str]], method: str) -> None:
        files = self._files(repo, rev, method)
        if files is None:
            return
        expand = query.get("expand", [])
        allowed = MODEL_EXPAND if repo.repo_type == "model" else DATASET_EXPAND
        bad = [e for e in expand if e not in allowed]
        if bad:
            return self._error(400, "", f"invalid expand value(s): {', '.join(bad)}", method)
        blobs = query.get("blobs", ["false"])[-1].lower() == "true"
        data = self._info_body(repo, files, blobs)
        if expand:
            data = {"_id": data["_id"], "id": data["id"], **{k: data[k] for k in expand if k in data}}
        self._json(data, method)

    def _info_body(self, repo: Repo, files: RepoFiles, blobs: bool) -> dict[str, Any]:
        readme = files.read("README.md") if "README.md" in files.files else None
        card = card_data(readme)
        meta = repo.meta
        siblings: list[dict[str, Any]] = []
        for rel in sorted(files.files):
            entry: dict[str, Any] = {"rfilename": rel}
            if blobs:
                entry["size"] = files.size(rel)
                entry["blobId"] = files.blob_ids[rel]
            siblings.append(entry)
        tags = list(meta.get("tags", []))
        if card:
            tags = _as_list(card.get("tags")) + tags
            tags += [f"license:{x}" for x in _as_list(card.get("license"))]
            tags += [f"base_model:{x}" for x in _as_list(card.get("base_model"))]
            tags += [f"dataset:{x}" for x in _as_list(card.get("datasets"))]
        created = str(meta.get("created_at", "2024-01-01T00:00:00.000Z"))
        data: dict[str, Any] = {
            "_id": hashlib.sha1(repo.id.encode()).hexdigest()[:24],
            "id": repo.id,
            "author": repo.id.split("/")[0],
            "sha": files.sha,
            "lastModified": created,
            "createdAt": created,
            "private": bool(meta.get("private", False)),
            "gated": meta.get("gated", False),
            "disabled": False,
            "downloads": 0,
            "likes": 0,
            "tags": list(dict.fromkeys(tags)),
            "cardData": card,
            "siblings": siblings,
        }
        if repo.repo_type == "model":
            data["modelId"] = repo.id
            lib = meta.get("library_name") or (card or {}).get("library_name")
            pipe = meta.get("pipeline_tag") or (card or {}).get("pipeline_tag")
            if lib:
                data["library_name"] = lib
            if pipe:
                data["pipeline_tag"] = pipe
            config = self._config(files)
            if config is not None:
                data["config"] = config
        return data

    @staticmethod
    def _config(files: RepoFiles) -> dict[str, Any] | None:
        if "config.json" not in files.files:
            return None
        try:
            cfg = json.loads(files.read("config.json"))
        except ValueError:
            return None
        if not isinstance(cfg, dict):
            return None
        return {k: cfg[k] for k in ("architectures", "model_type", "_name_or_path") if k in cfg}

    def _tree(self, repo: Repo, rev: str, sub: str, query: dict[str, list[str]], method: str) -> None:
        files = self._files(repo, rev, method)
        if files is None:
            return
        recursive = query.get("recursive", ["false"])[-1].lower() == "true"
        prefix = sub.strip("/") + "/" if sub.strip("/") else ""
        if prefix and not any(p.startswith(prefix) for p in files.files):
            return self._error(404, "EntryNotFound", f"{sub} does not exist", method, files.sha)
        entries: dict[str, dict[str, Any]] = {}
        for rel in sorted(files.files):
            if not rel.startswith(prefix):
                continue
            rest = rel[len(prefix):]
            if "/" in rest and not recursive:
                d = prefix + rest.split("/", 1)[0]
                entries.setdefault(d, _folder_entry(d))
                continue
            if recursive:
                parts = rest.split("/")[:-1]
                for i in range(len(parts)):
                    d = prefix + "/".join(parts[: i + 1])
                    entries.setdefault(d, _folder_entry(d))
            entries[rel] = {"type": "file", "oid": files.blob_ids[rel], "size": files.size(rel), "path": rel}
        self._json(list(entries.values()), method)

    def _list(self, repo_type: str, query: dict[str, list[str]], method: str) -> None:
        base = self.server_hub.root / ("hub" if repo_type == "model" else "datasets")
        author = query.get("author", [None])[-1]
        search = (query.get("search", [""])[-1] or "").lower()
        items = []
        if base.is_dir():
            for org in sorted(p for p in base.iterdir() if p.is_dir()):
                folders = [p for p in org.iterdir() if p.is_dir() and not p.name.endswith(".revisions")]
                for folder in sorted(folders):
                    repo_id = f"{org.name}/{folder.name}"
                    if (author and org.name != author) or (search and search not in repo_id.lower()):
                        continue
                    repo = Repo(self.server_hub.root, repo_type, repo_id)
                    if repo.meta.get("private"):
                        continue
                    files = repo.revision(None, self.server_hub._blob_cache)
                    assert files is not None
                    full = self._info_body(repo, files, blobs=False)
                    keep = ["_id", "id", "likes", "downloads", "private", "tags", "pipeline_tag",
                            "library_name", "createdAt"]
                    if query.get("cardData", [""])[-1].lower() == "true" or query.get("full"):
                        keep += ["cardData", "siblings", "sha", "lastModified", "author", "gated"]
                    items.append({k: full[k] for k in keep if k in full})
        self._json(items, method)

    # --- files -----------------------------------------------------------------------------------
    def _resolve(self, repo_type: str, repo_id: str, rev: str, rel: str, method: str) -> None:
        repo = self._repo(repo_type, repo_id, method)
        if repo is None:
            return
        files = self._files(repo, rev, method)
        if files is None:
            return
        if rel not in files.files:
            return self._error(404, "EntryNotFound", f"{rel} does not exist on {rev}", method, files.sha)
        if repo.is_gated_file(rel) and not repo.token_ok(self._token()):
            status = 403 if self._token() else 401
            return self._error(status, "GatedRepo",
                               f"Access to model {repo.id} is restricted. You must have access to it.",
                               method, files.sha)
        body = files.read(rel)
        status, start = 200, 0
        ranged = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range", ""))
        if method == "GET" and ranged and int(ranged.group(1)) < len(body):
            status, start = 206, int(ranged.group(1))
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("X-Repo-Commit", files.sha)
        self.send_header("ETag", f'"{files.blob_ids[rel]}"')
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        self.send_header("Content-Length", str(len(body) - start))
        self.end_headers()
        if method == "GET":
            self.wfile.write(body[start:])

    # --- responses -------------------------------------------------------------------------------
    def _json(self, data: Any, method: str) -> None:
        body = json.dumps(data).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, code: str, message: str, method: str, sha: str | None = None) -> None:
        body = json.dumps({"error": message}).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        if code:
            self.send_header("X-Error-Code", code)
        self.send_header("X-Error-Message", message)
        if sha:
            self.send_header("X-Repo-Commit", sha)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(body)


def main() -> None:
    """Serve a root folder until interrupted (handy for trying the CLI by hand)."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("root", nargs="?", default=str(Path(__file__).resolve().parents[1] / "fixtures"))
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    with StandInHub(args.root, port=args.port) as hub:
        print(f"HF_ENDPOINT={hub.url}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
