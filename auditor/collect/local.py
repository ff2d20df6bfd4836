"""Read a snapshot from a local model folder (a pre-release check)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from auditor.collect.base import license_files, read_bytes_as_text
from auditor.collect.snapshot_builder import build_snapshot
from auditor.errors import InputError
from auditor.snapshot import MAX_TEXT_BYTES, READ_ERROR, CollectNote, RepoFile, Snapshot, TextFile

MAX_FILES = 20000
SKIP_DIRS = {".git", ".cache", "__pycache__", ".huggingface"}


def read_file(path: Path, rel: str) -> tuple[TextFile, list[CollectNote]]:
    """Read at most the cap (+1 byte) of one file, as text."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            data = fh.read(MAX_TEXT_BYTES + 1)
    except OSError as exc:
        note = CollectNote("file-unreadable", "medium", f"{rel}: cannot read ({exc.strerror or exc})", path=rel)
        return TextFile(rel, READ_ERROR, None, None, str(exc.strerror or exc)), [note]
    return read_bytes_as_text(data, rel, size)


def list_files(root: Path) -> list[RepoFile]:
    files: list[RepoFile] = []
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
                return files
    return files


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
        for rel in wanted:
            text, extra = read_file(root / rel, rel)
            texts[rel] = text
            notes.extend(extra)
        config: dict[str, Any] | None = None
        if "config.json" in paths:
            cfg, extra = read_file(root / "config.json", "config.json")
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
