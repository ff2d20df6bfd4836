"""Read a snapshot from the local Hugging Face cache, with no network at all (``--offline``).

The cache layout (``models--org--name/{refs,snapshots,blobs,trees}``) is read directly: no import of
huggingface_hub, so an offline audit starts fast. There is no model_info offline: metadata comes from the
card, gating from its ``extra_gated_*`` keys.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from auditor.collect import CollectOptions
from auditor.collect.base import license_files, linked_path, safe_relpath
from auditor.collect.snapshot_builder import build_snapshot
from auditor.errors import HubError
from auditor.snapshot import (
    READ_OFFLINE,
    CollectNote,
    RepoFile,
    Snapshot,
    TextFile,
)

SHA_RE = re.compile(r"^[0-9a-f]{40}$")
MAX_FILES = 20000


def hub_cache_dir(options: CollectOptions | None = None) -> Path:
    """The HF hub cache folder, resolved the way huggingface_hub does (read at call time)."""
    if options is not None and options.cache_dir:
        return Path(options.cache_dir).expanduser()
    for var in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if os.environ.get(var):
            return Path(os.environ[var]).expanduser()
    home = os.environ.get("HF_HOME")
    if home:
        return Path(home).expanduser() / "hub"
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join("~", ".cache")
    return Path(xdg).expanduser() / "huggingface" / "hub"


def repo_folder(cache_dir: Path, repo_id: str, repo_type: str = "model") -> Path:
    return cache_dir / f"{repo_type}s--{repo_id.replace('/', '--')}"


def write_ref(storage: Path, revision: str | None, sha: str) -> None:
    """Record ``refs/<revision or main>`` so a later offline audit can find the snapshot (best effort)."""
    name = revision or "main"
    if SHA_RE.match(name) or not storage.is_dir() or safe_relpath(name) != name:
        return
    try:
        ref = storage / "refs" / name
        ref.parent.mkdir(parents=True, exist_ok=True)
        if not ref.is_file() or ref.read_text(encoding="utf-8").strip() != sha:
            ref.write_text(sha, encoding="utf-8")
    except OSError:
        pass


LISTING_DIR = ".auditor"  # our own sub-folder of a repo's cache folder; huggingface_hub ignores it


def write_listing(storage: Path, sha: str, sizes: dict[str, int | None]) -> None:
    """Keep the repo's full file list for later offline audits (``.auditor/<sha>.json``), best effort.

    It is not written to huggingface_hub's own ``trees/`` cache: a listing there makes the library treat
    the partly downloaded snapshot as incomplete (IncompleteSnapshotError) in later offline downloads.
    """
    if not sizes or not storage.is_dir():
        return
    path = storage / LISTING_DIR / f"{sha}.json"
    if path.is_file():
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"format": 1, "files": dict(sorted(sizes.items()))}), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass


def read_listing(storage: Path, sha: str) -> list[RepoFile] | None:
    """The full file list of a commit: ours, else huggingface_hub's tree cache; None when neither exists."""
    for path in (storage / LISTING_DIR / f"{sha}.json", storage / "trees" / f"{sha}.json"):
        try:
            files = json.loads(path.read_text(encoding="utf-8"))["files"]
            listed = [RepoFile(p, _size(info)) for p, info in files.items() if safe_relpath(p) == p]
            return listed[:MAX_FILES]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
    return None


def _size(info: Any) -> int | None:
    value = info.get("size") if isinstance(info, dict) else info
    return value if isinstance(value, int) else None


def resolve_sha(storage: Path, revision: str | None) -> str | None:
    rev = revision or "main"
    if SHA_RE.match(rev):
        return rev if (storage / "snapshots" / rev).is_dir() else None
    if safe_relpath(rev) != rev:
        return None
    try:
        sha = (storage / "refs" / rev).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return sha if SHA_RE.match(sha) and (storage / "snapshots" / sha).is_dir() else None


def list_snapshot(folder: Path) -> list[RepoFile]:
    files: list[RepoFile] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            full = Path(dirpath) / name
            try:
                size: int | None = full.stat().st_size
            except OSError:
                size = None  # a dangling symlink: listed, not readable
            files.append(RepoFile(full.relative_to(folder).as_posix(), size))
            if len(files) >= MAX_FILES:
                return files
    return files


def read_cached(folder: Path, rel: str) -> tuple[TextFile, list[CollectNote]]:
    """Read one cached file with the 2 MB cap; a file absent from the snapshot is 'offline'.

    Snapshot files are links into ``../../blobs``: links may point anywhere inside the repo's cache
    folder, never outside it.
    """
    from auditor.collect.local import read_file

    path = folder / rel
    if not path.exists():
        note = CollectNote("file-offline", "medium", f"{rel}: not in the local cache (offline); not read",
                           path=rel)
        return TextFile(rel, READ_OFFLINE, None, None, "not in the local cache"), [note]
    return read_file(path, rel, folder.parent.parent)


class CacheSource:
    """Snapshots from the local HF cache; never touches the network."""

    name = "cache"

    def __init__(self, options: CollectOptions | None = None) -> None:
        self.options = options or CollectOptions(offline=True)

    def snapshot(self, repo_id: str, revision: str | None = None, repo_type: str = "model") -> Snapshot:
        cache_dir = hub_cache_dir(self.options)
        storage = repo_folder(cache_dir, repo_id, repo_type)
        sha = resolve_sha(storage, revision)
        if sha is None:
            shown = f"{repo_id}@{revision}" if revision else repo_id
            raise HubError(f"{shown}: not in the local cache (offline)")
        folder = storage / "snapshots" / sha
        cached = list_snapshot(folder)
        listing = read_listing(storage, sha)
        files = listing if listing is not None else cached
        paths = [f.path for f in files]
        notes: list[CollectNote] = []
        texts: dict[str, TextFile] = {}
        wanted = (["README.md"] if "README.md" in paths else []) + license_files(paths)
        for rel in wanted:
            texts[rel], extra = read_cached(folder, rel)
            notes.extend(extra)
        readme = texts.get("README.md")
        if readme is not None and readme.readable:
            from auditor.collect.frontmatter import split_card

            link, note = linked_path(split_card(readme.text or "").metadata.get("license_link"), repo_id, "")
            if note is not None:
                notes.append(note)
            if link and link not in texts:
                texts[link], extra = read_cached(folder, link)
                notes.extend(extra)
        config: dict[str, Any] | None = None
        if repo_type == "model" and (folder / "config.json").is_file():
            from auditor.collect.local import parse_config

            cfg, _ = read_cached(folder, "config.json")
            config = parse_config(cfg)
        if listing is None:
            notes.append(CollectNote("offline-partial-listing", "info",
                                     "offline: the file list holds only the files in the local cache"))
        return build_snapshot(
            repo_id=repo_id, source="cache", revision=sha, repo_type=repo_type, files=files, texts=texts,
            notes=notes, config=config,
        )
