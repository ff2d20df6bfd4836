"""Lineage: follow base_model (declared or inferred) to the ancestors whose terms a derivative carries.

``trace(facts, source, rules, resolver=None)`` walks up to ten levels of ancestors, analyses each one
(licence + restrictions), and returns the ancestors, the restrictions the model inherits, the binding
(most restrictive) ancestor licence, and conflicts: ``relicensed``, ``incompatible-merge``,
``dataset-license`` and ``derivative-without-license``.
"""

from __future__ import annotations

from auditor.collect import Source
from auditor.facts import Facts, LineageOutcome
from auditor.lineage.render import render_lineage
from auditor.lineage.resolve import FolderMap, FolderTree, Resolver, resolver_for, source_resolver
from auditor.report.model import Finding
from auditor.rules import RuleSet

__all__ = ["FolderMap", "FolderTree", "Resolver", "render_lineage", "resolver_for", "source_resolver",
           "trace"]


def default_resolver(facts: Facts, source: Source) -> Resolver:
    if source.name == "local":
        from pathlib import Path

        return FolderTree(Path(facts.snapshot.id))
    return source_resolver(source)


def trace(facts: Facts, source: Source | None, rules: RuleSet,
          resolver: Resolver | None = None) -> LineageOutcome:
    from auditor.licenses.knowledge import load_knowledge
    from auditor.lineage.conflicts import dataset_conflicts, incompatible_merges, relicensed, without_license
    from auditor.lineage.parents import valid_id
    from auditor.lineage.terms import binding, inherited, to_ancestor
    from auditor.lineage.walk import UNKNOWN, fetch_all, walk
    from auditor.pipeline import analyse

    if resolver is None:
        if source is None:
            return LineageOutcome()
        resolver = default_resolver(facts, source)
    kb = load_knowledge(rules)
    found = walk(facts, resolver, rules)
    ancestors = [to_ancestor(kb, n) for n in found.nodes]
    out = LineageOutcome(ancestors=ancestors, findings=list(found.findings))
    for node, anc in zip(found.nodes, ancestors, strict=True):
        if node.status == UNKNOWN:
            known = f"; licence {anc.license.id} assumed from the {node.link.family.label} family" \
                if anc.license and node.link.family else ""
            out.findings.append(Finding(
                id="ancestor-unresolved", severity="medium",
                message=f"ancestor {anc.id} could not be read ({node.error}){known}", evidence=anc.evidence))
        if anc.inferred and anc.depth == 1:
            out.findings.append(Finding(
                id="base-model-inferred", severity="info",
                message=f"base_model is not declared; {anc.id} inferred (confidence {anc.confidence})",
                evidence=anc.evidence, remediation=f"declare it in the card: base_model: {anc.id}"))
    out.inherited = inherited(ancestors, facts.restrictions.restrictions)
    out.binding_license = binding(kb, ancestors)
    out.conflicts = [*without_license(facts, ancestors), *relicensed(kb, facts, ancestors),
                     *incompatible_merges(kb, facts, ancestors)]
    datasets = [d for d in facts.snapshot.datasets if valid_id(d)]
    if datasets:
        got = fetch_all(datasets, resolver, "dataset")
        analysed = {d: s if isinstance(s, str) else analyse(s, rules, lineage=False)
                    for d, s in got.items()}
        conflicts, findings = dataset_conflicts(kb, facts, analysed)
        out.conflicts.extend(conflicts)
        out.findings.extend(findings)
    return out
