"""Helpers shared by every source: which files to read, and how to read them safely."""

from __future__ import annotations

import fnmatch
import posixpath
from typing import Any
from urllib.parse import unquote, urlsplit

from auditor.snapshot import (
    MAX_TEXT_BYTES,
    READ_BINARY,
    READ_OK,
    READ_TOO_LARGE,
    CollectNote,
    TextFile,
)

LICENSE_PATTERNS = ("license*", "licence*", "copying*", "notice*", "use_policy*", "*acceptable*use*")
MAX_LICENSE_FILES = 20


def is_license_file(path: str) -> bool:
    """True for LICENSE*, LICENCE*, COPYING*, NOTICE*, USE_POLICY*, *ACCEPTABLE*USE* (any case/folder)."""
    name = posixpath.basename(path).lower()
    if not any(fnmatch.fnmatchcase(name, pat) for pat in LICENSE_PATTERNS):
        return False
    # LICENSE.pdf or NOTICE.bin are not texts; LICENSE-MIT or LICENSE.llama are.
    return posixpath.splitext(name)[1] not in BINARY_SUFFIXES


BINARY_SUFFIXES = (".bin", ".safetensors", ".pt", ".pth", ".gguf", ".ckpt", ".h5", ".onnx", ".msgpack",
                   ".png", ".jpg", ".jpeg", ".gif", ".pdf", ".zip", ".gz", ".tar", ".npz", ".npy", ".pkl",
                   ".pickle")


def safe_relpath(path: str) -> str | None:
    """A repo-relative path, or None when it escapes the repo (``../``, absolute, NUL)."""
    if not path or "\x00" in path or "\\" in path:
        return None
    norm = posixpath.normpath(path)
    if norm.startswith(("/", "../")) or norm == ".." or norm == ".":
        return None
    return norm


def license_files(paths: list[str] | tuple[str, ...]) -> list[str]:
    found = sorted({p for p in paths if safe_relpath(p) == p and is_license_file(p)})
    # top-level files first, then nested ones
    found.sort(key=lambda p: (p.count("/"), p.lower()))
    return found[:MAX_LICENSE_FILES]


def decode_text(data: bytes, path: str) -> tuple[str | None, list[CollectNote]]:
    """Decode bytes as text; None when it is binary. Notes record BOMs and non-UTF-8 encodings."""
    notes: list[CollectNote] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return None, notes
        notes.append(CollectNote("file-encoding", "info", f"{path} is UTF-16; decoded", path=path))
        return text.replace("\r\n", "\n"), notes
    if b"\x00" in data[:8192]:
        return None, notes
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        notes.append(CollectNote("file-bom", "info", f"{path} starts with a UTF-8 byte-order mark",
                                 path=path))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        sample = data[:8192]
        controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
        if sample and controls / len(sample) > 0.05:
            return None, notes
        text = data.decode("latin-1")
        notes.append(CollectNote("file-encoding", "low", f"{path} is not UTF-8; read as Latin-1", path=path))
    return text.replace("\r\n", "\n").replace("\r", "\n"), notes


def read_bytes_as_text(data: bytes, path: str, size: int | None = None) -> tuple[TextFile, list[CollectNote]]:
    """Apply the 2 MB cap and binary check to bytes already read (read at most cap+1 bytes)."""
    size = len(data) if size is None else size
    if size > MAX_TEXT_BYTES or len(data) > MAX_TEXT_BYTES:
        note = CollectNote("file-too-large", "medium",
                           f"{path} is {size} bytes, over the 2 MB cap: recorded, not read", path=path)
        return TextFile(path, READ_TOO_LARGE, None, size, "over the 2 MB cap"), [note]
    text, notes = decode_text(data, path)
    if text is None:
        note = CollectNote("file-binary", "medium", f"{path} is binary, not text: recorded, not read",
                           path=path)
        return TextFile(path, READ_BINARY, None, size, "binary"), [note]
    return TextFile(path, READ_OK, text, size), notes


def linked_path(link: Any, repo_id: str, endpoint: str) -> tuple[str | None, CollectNote | None]:
    """The repo file a card's ``license_link`` points to, or None (with a note when it escapes the repo)."""
    if not isinstance(link, str) or not link.strip():
        return None, None
    link = link.strip()
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        base = urlsplit(endpoint)
        prefixes = [f"/{repo_id}/blob/", f"/{repo_id}/resolve/", f"/datasets/{repo_id}/blob/",
                    f"/datasets/{repo_id}/resolve/"]
        hosts = {base.netloc, "huggingface.co", "hf.co"}
        prefix = next((p for p in prefixes if parts.path.startswith(p)), None)
        if parts.netloc not in hosts or prefix is None:
            return None, None  # an outside URL: not a repo file
        rest = unquote(parts.path[len(prefix):])
        rel = rest.split("/", 1)[1] if "/" in rest else ""
        if not rel:
            return None, None
    else:
        rel = unquote(parts.path)
        if rel.startswith("./"):
            rel = rel[2:]
    safe = safe_relpath(rel)
    if safe is None:
        note = CollectNote("license-link-unsafe", "medium",
                           f"license_link {link!r} points outside the repo; not followed", path="README.md")
        return None, note
    return safe, None
