"""Collection: turn a target into an immutable Snapshot. The only stage that does I/O.

One interface, ``Source``, with three implementations: ``hub`` (the Hugging Face Hub through
huggingface_hub), ``cache`` (the local Hugging Face cache, offline) and ``local`` (a folder).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from auditor.snapshot import Snapshot
from auditor.target import Target


@dataclass(frozen=True)
class CollectOptions:
    offline: bool = False
    endpoint: str | None = None
    token: str | None = None
    timeout: float = 10.0
    cache_dir: str | None = None


class Source(Protocol):
    """Where snapshots come from."""

    name: str

    def snapshot(self, repo_id: str, revision: str | None = None, repo_type: str = "model") -> Snapshot:
        """Collect one repo; raise HubError/InputError on failure."""
        ...


def source_for(target: Target, options: CollectOptions) -> Source:
    """The source that serves a target (hub, or cache when offline)."""
    if target.kind == "local":
        from auditor.collect.local import LocalSource

        return LocalSource()
    if options.offline:
        from auditor.collect.cache import CacheSource

        return CacheSource(options)
    from auditor.collect.hub import HubSource

    return HubSource(options)


def collect(target: Target, options: CollectOptions) -> Snapshot:
    source = source_for(target, options)
    if target.kind == "local":
        assert target.path is not None
        return source.snapshot(str(target.path))
    return source.snapshot(target.id, target.revision)
