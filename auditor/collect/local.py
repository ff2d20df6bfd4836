"""Read a snapshot from a local model folder (a pre-release check)."""

from __future__ import annotations

import contextlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from auditor.collect.base import license_files, read_bytes_as_text
from auditor.collect.snapshot_builder import build_snapshot
from auditor.errors import InputError
from auditor.snapshot import MAX_TEXT_BYTES, READ_ERROR, CollectNote, RepoFile, Snapshot, TextFile

MAX_FILES = 20000
SKIP_DIRS = {".git", ".cache", "__pycache__", ".huggingface"}


def read_file(path: Path, rel: str, root: Path | None = None) -> tuple[TextFile, list[CollectNote]]:
    """Read at most the cap (+1 byte) of one regular file, as text.

    With ``root``, a symlink that resolves outside it is not followed (a hostile folder could point
    LICENSE at a private file that would then be quoted in a published report).
    """
    def fail(reason: str) -> tuple[TextFile, list[CollectNote]]:
        note = CollectNote("file-unreadable", "medium", f"{rel}: {reason}; not read", path=rel)
        return TextFile(rel, READ_ERROR, None, None, reason), [note]

    try:
        if root is not None and not path.resolve().is_relative_to(root.resolve()):
            return fail("a link pointing outside the folder")
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return fail("not a regular file")
        with path.open("rb") as fh:
            data = fh.read(MAX_TEXT_BYTES + 1)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop on older Pythons
        return fail(f"cannot read ({getattr(exc, 'strerror', None) or exc})")
    return read_bytes_as_text(data, rel, info.st_size)


def list_files(root: Path) -> list[RepoFile]:
    files: list[RepoFile] = []
    with contextlib.suppress(RecursionError):  # an absurdly deep tree: keep what was listed
        _walk(root, files)
    return files


def _walk(root: Path, files: list[RepoFile]) -> None:
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            full = Path(dirpath) / name
            rel = full.relative_to(root).as_posix()
            try:
                size = full.stat().st_size
            except OSError:
                size = None
            files.append(RepoFile(rel, size))
            if len(files) >= MAX_FILES:
                return


def link_root(root: Path) -> Path:
    """Where links may point: the folder, or the whole repo cache folder for an HF cache snapshot
    (``models--org--name/snapshots/<sha>`` links its files into ``../../blobs``)."""
    if root.resolve().parent.name == "snapshots":
        return root.resolve().parent.parent
    return root


class LocalSource:
    """A model folder on disk."""

    name = "local"

    def snapshot(self, repo_id: str, revision: str | None = None, repo_type: str = "model") -> Snapshot:
        root = Path(repo_id).expanduser()
        if not root.is_dir():
            raise InputError(f"{repo_id}: no such folder")
        files = list_files(root)
        paths = [f.path for f in files]
        texts: dict[str, TextFile] = {}
        notes: list[CollectNote] = []
        wanted = (["README.md"] if "README.md" in paths else []) + license_files(paths)
        allowed = link_root(root)
        for rel in wanted:
            text, extra = read_file(root / rel, rel, allowed)
            texts[rel] = text
            notes.extend(extra)
        config: dict[str, Any] | None = None
        if "config.json" in paths:
            cfg, extra = read_file(root / "config.json", "config.json", allowed)
            notes.extend(extra)
            config = parse_config(cfg)
        return build_snapshot(
            repo_id=repo_id, source="local", revision=None, repo_type=repo_type, files=files, texts=texts,
            notes=notes, config=config,
        )


def parse_config(text_file: TextFile) -> dict[str, Any] | None:
    if not text_file.readable:
        return None
    try:
        data = json.loads(text_file.text or "")
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None
