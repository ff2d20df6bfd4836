"""Walk the ancestor graph breadth-first: fetch each level concurrently, analyse each ancestor."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from auditor.errors import AuditorError
from auditor.facts import Facts
from auditor.lineage.parents import Link, parent_links, repo_name
from auditor.lineage.resolve import Resolver
from auditor.report.model import Evidence, Finding
from auditor.rules import RuleSet
from auditor.snapshot import Snapshot

MAX_DEPTH = 10
MAX_WORKERS = 8
MAX_ANCESTORS = 200  # a hostile graph cannot make one audit fetch without end

RESOLVED = "resolved"
UNKNOWN = "unknown"
CYCLE = "cycle"


@dataclass
class Node:
    """One ancestor as found: the link that named it, and what resolving it gave."""

    link: Link
    depth: int
    child: str  # id of the repo whose parent this is
    status: str
    facts: Facts | None = None
    error: str | None = None
    siblings: int = 1  # how many parents the child has (merges have several)


@dataclass
class Walk:
    nodes: list[Node] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def own_keys(snapshot: Snapshot) -> set[str]:
    """Names the audited repo goes by (a local folder also by parent/name and org__name)."""
    org, name = repo_name(snapshot)
    keys = {snapshot.id.lower()}
    if org:
        keys.add(f"{org}/{name}".lower())
    if snapshot.source == "local":
        parts = snapshot.id.replace("\\", "/").rstrip("/").split("/")
        if len(parts) >= 2:
            keys.add(f"{parts[-2]}/{parts[-1]}".lower())
    return keys


def fetch_all(ids: Iterable[str], resolver: Resolver, repo_type: str = "model") -> dict[str, Snapshot | str]:
    """Resolve ids (concurrently when more than one); each maps to a Snapshot or an error message."""
    wanted = list(dict.fromkeys(ids))

    def one(repo_id: str) -> Snapshot | str:
        try:
            return resolver(repo_id, repo_type)
        except AuditorError as exc:
            return exc.message
        except (OSError, ValueError) as exc:
            return f"{repo_id}: {type(exc).__name__}: {exc}"

    if len(wanted) <= 1:
        return {i: one(i) for i in wanted}
    with ThreadPoolExecutor(max_workers=min(MAX_WORKERS, len(wanted))) as pool:
        return dict(zip(wanted, pool.map(one, wanted), strict=True))


def _analyse(snapshot: Snapshot, rules: RuleSet) -> Facts:
    from auditor.pipeline import analyse

    return analyse(snapshot, rules, lineage=False)


def walk(root: Facts, resolver: Resolver, rules: RuleSet, max_depth: int = MAX_DEPTH) -> Walk:
    out = Walk()
    root_snap = root.snapshot
    seen = own_keys(root_snap)
    level: list[tuple[Snapshot, frozenset[str], int]] = [(root_snap, frozenset(seen), 0)]
    while level:
        pending: list[tuple[Node, frozenset[str]]] = []
        for snap, chain, depth in level:
            links, rejected = parent_links(snap)
            for bad in rejected:
                out.findings.append(Finding(
                    id="base-model-invalid", severity="medium",
                    message=f"{snap.id}: base_model value {bad!r} is not a Hub id; not followed",
                    evidence=[Evidence(path="README.md", line=snap.metadata_lines.get("base_model"),
                                       source="metadata")]))
            if not links:
                continue
            if depth >= max_depth:
                out.findings.append(Finding(
                    id="lineage-depth-limit", severity="low",
                    message=f"lineage not followed beyond {max_depth} levels (at {snap.id})"))
                continue
            for link in links:
                key = link.id.lower()
                if key in chain:
                    out.nodes.append(Node(link, depth + 1, snap.id, CYCLE, siblings=len(links)))
                    out.findings.append(Finding(
                        id="lineage-cycle", severity="medium",
                        message=f"base_model chain loops back to {link.id} (from {snap.id}); not followed",
                        evidence=link.evidence))
                    continue
                if key in seen:
                    continue
                if len(seen) > MAX_ANCESTORS:
                    out.findings.append(Finding(
                        id="lineage-too-large", severity="low",
                        message=f"lineage not followed beyond {MAX_ANCESTORS} ancestors (at {snap.id})"))
                    break
                seen.add(key)
                pending.append((Node(link, depth + 1, snap.id, UNKNOWN, siblings=len(links)), chain | {key}))
        got = fetch_all((n.link.id for n, _ in pending if n.link.fetch), resolver)
        level = []
        for node, chain in pending:
            out.nodes.append(node)
            result = got.get(node.link.id) if node.link.fetch else None
            if isinstance(result, Snapshot):
                try:
                    node.facts = _analyse(result, rules)
                except AuditorError as exc:
                    node.error = exc.message
                    continue
                node.status = RESOLVED
                level.append((result, chain, node.depth))
            else:
                node.error = result or "no Hub id is known for this family"
    return out
