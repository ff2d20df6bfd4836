"""The raw facts collected once per audited repo. Immutable; later stages only read it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

# Status of a text file the collector tried to read.
READ_OK = "ok"
READ_GATED = "gated"  # not accessible (gated repo, no access)
READ_TOO_LARGE = "too-large"  # over the 2 MB cap: recorded, not read
READ_BINARY = "binary"  # not text: recorded, not read
READ_MISSING = "missing"  # listed or linked but not there
READ_ERROR = "error"  # network or server fault while reading
READ_OFFLINE = "offline"  # not in the local cache while offline

MAX_TEXT_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class RepoFile:
    """One file of the repo's tree (from the Hub listing or the folder)."""

    path: str
    size: int | None = None


@dataclass(frozen=True)
class TextFile:
    """A licence-related text (or the card) and whether it could be read."""

    path: str
    status: str = READ_OK
    text: str | None = None
    size: int | None = None
    note: str = ""

    @property
    def readable(self) -> bool:
        return self.status == READ_OK and self.text is not None


@dataclass(frozen=True)
class CollectNote:
    """Something the collector noticed (broken YAML, BOM, gated file...). Becomes a finding."""

    id: str
    severity: str  # info | low | medium | high
    message: str
    path: str | None = None
    line: int | None = None


def frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Snapshot:
    """Everything later stages may know about one repo at one revision."""

    id: str  # org/name, or the folder path for a local audit
    source: str  # hub | cache | local
    revision: str | None = None  # the commit sha actually audited (None for a local folder)
    repo_type: str = "model"  # model | dataset
    gated: bool | str | None = None  # False | "auto" | "manual" | None (unknown)
    private: bool | None = None
    metadata: Mapping[str, Any] = field(default_factory=lambda: frozen(None))  # card front matter
    metadata_lines: Mapping[str, int] = field(default_factory=lambda: frozen(None))  # top-level key -> line
    card_body: str = ""
    card_body_line: int = 1  # README line on which the body starts
    tags: tuple[str, ...] = ()
    files: tuple[RepoFile, ...] = ()
    texts: Mapping[str, TextFile] = field(default_factory=lambda: frozen(None))  # path -> text, README too
    datasets: tuple[str, ...] = ()
    config: Mapping[str, Any] | None = None  # parsed config.json when available
    library_name: str | None = None
    pipeline_tag: str | None = None
    notes: tuple[CollectNote, ...] = ()

    @property
    def card_path(self) -> str:
        return "README.md"

    def file_paths(self) -> tuple[str, ...]:
        return tuple(f.path for f in self.files)

    def text(self, path: str) -> str | None:
        t = self.texts.get(path)
        return t.text if t is not None and t.readable else None
