"""Parse an audit target: a Hub id ``org/name[@revision]`` or a path to a local folder."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from auditor.errors import InputError

# Hub ids: one or two segments of letters, digits, '.', '_' and '-'; no '..' or '--' runs.
_SEGMENT = r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?"
HUB_ID = re.compile(rf"^(?:{_SEGMENT}/)?{_SEGMENT}$")
REVISION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$")


@dataclass(frozen=True)
class Target:
    kind: str  # hub | local
    id: str  # repo id, or the folder path as given
    revision: str | None = None
    path: Path | None = None


def looks_like_path(text: str) -> bool:
    return text.startswith((".", "/", "~")) or "\\" in text or text.endswith("/")


def check_repo_id(repo_id: str) -> str:
    if not repo_id or not repo_id.strip():
        raise InputError("empty model id")
    if repo_id != repo_id.strip() or any(c.isspace() for c in repo_id):
        raise InputError(f"invalid model id {repo_id!r}: spaces are not allowed")
    if ".." in repo_id or "--" in repo_id or not HUB_ID.match(repo_id):
        raise InputError(f"invalid model id {repo_id!r}: expected org/name")
    return repo_id


def parse_target(text: str, revision: str | None = None) -> Target:
    """Turn a command-line TARGET into a Target, or raise InputError (exit 2)."""
    if text is None or not text.strip():
        raise InputError("empty target: give a model id (org/name) or a folder")
    candidate = Path(text).expanduser()
    if looks_like_path(text) or candidate.exists():
        if not candidate.exists():
            raise InputError(f"{text}: no such folder")
        if not candidate.is_dir():
            raise InputError(f"{text}: is a file; expected a model folder")
        if revision:
            raise InputError("--revision applies to Hub ids, not local folders")
        return Target(kind="local", id=text, path=candidate)
    repo_id, sep, rev = text.partition("@")
    check_repo_id(repo_id)
    if sep:
        if not rev:
            raise InputError(f"invalid target {text!r}: empty revision after '@'")
        if revision and revision != rev:
            raise InputError(f"revision given twice: {rev!r} and --revision {revision!r}")
        revision = rev
    if revision is not None and (not REVISION.match(revision) or ".." in revision):
        raise InputError(f"invalid revision {revision!r}")
    return Target(kind="hub", id=repo_id, revision=revision)
