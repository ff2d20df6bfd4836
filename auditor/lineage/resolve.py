"""Resolvers: how an ancestor id becomes a Snapshot.

A resolver is a callable ``(repo_id, repo_type) -> Snapshot`` that raises HubError or InputError when
the repo cannot be read. Hub and cache audits resolve through their own Source; a local folder audit
looks for the ancestor beside the folder first (``<dir>/<org>/<name>`` or ``<dir>/<org>__<name>`` in
the folder's parent tree, datasets also under ``<dir>/datasets/``), then through the Hub or the cache.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from auditor.collect import CollectOptions, Source
from auditor.errors import InputError
from auditor.snapshot import Snapshot
from auditor.target import Target

Resolver = Callable[[str, str], Snapshot]

PARENT_LEVELS = 3  # how far up from the audited folder ancestors are looked for


def source_resolver(source: Source) -> Resolver:
    def resolve(repo_id: str, repo_type: str = "model") -> Snapshot:
        return source.snapshot(repo_id, None, repo_type)

    return resolve


class FolderTree:
    """Ancestors as folders near the audited one, with an optional fallback resolver."""

    def __init__(self, folder: Path, fallback: Resolver | None = None, levels: int = PARENT_LEVELS) -> None:
        start = folder.expanduser().resolve()
        self.roots = [start.parent, *list(start.parent.parents)[:max(0, levels - 1)]]
        self.fallback = fallback

    def find(self, repo_id: str, repo_type: str = "model") -> Path | None:
        if "/" not in repo_id:
            return None
        org, name = repo_id.split("/", 1)
        for root in self.roots:
            bases = [root / "datasets", root] if repo_type == "dataset" else [root]
            for base in bases:
                for cand in (base / org / name, base / f"{org}__{name}"):
                    if cand.is_dir():
                        return cand
        return None

    def __call__(self, repo_id: str, repo_type: str = "model") -> Snapshot:
        from auditor.collect.local import LocalSource

        found = self.find(repo_id, repo_type)
        if found is not None:
            return replace(LocalSource().snapshot(str(found), None, repo_type), id=repo_id)
        if self.fallback is not None:
            return self.fallback(repo_id, repo_type)
        raise InputError(f"{repo_id}: not found near {self.roots[0]}")


class FolderMap:
    """Ancestors from one folder of ``org__name`` sub-folders (a corpus), and nothing else."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __call__(self, repo_id: str, repo_type: str = "model") -> Snapshot:
        from auditor.collect.local import LocalSource

        folder = self.root / repo_id.replace("/", "__")
        if "/" not in repo_id or not folder.is_dir():
            raise InputError(f"{repo_id}: not in {self.root}")
        return replace(LocalSource().snapshot(str(folder), None, repo_type), id=repo_id)


def resolver_for(target: Target, options: CollectOptions, source: Source) -> Resolver:
    """The resolver an audit of ``target`` uses for its ancestors and datasets."""
    if target.kind != "local" or target.path is None:
        return source_resolver(source)
    from auditor.collect import source_for

    remote = source_for(Target(kind="hub", id="lineage/fallback"), options)
    return FolderTree(target.path, source_resolver(remote))
