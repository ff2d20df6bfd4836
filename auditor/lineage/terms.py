"""Licences along the lineage: ancestors' licences, inherited restrictions and the binding licence."""

from __future__ import annotations

from dataclasses import replace

from auditor.facts import LicenseOutcome
from auditor.licenses.knowledge import CATEGORY_ORDER, KnowledgeBase
from auditor.lineage.families import Family, family_of_id
from auditor.lineage.walk import RESOLVED, Node
from auditor.report.model import Ancestor, Evidence, LicenseInfo, LicenseSource, Restriction


def effective_license(outcome: LicenseOutcome) -> LicenseInfo | None:
    """The concluded licence, or when that is an unrecognised text, the best-supported identified one."""
    if outcome.license is not None and outcome.license.id:
        return outcome.license
    named = [i for i in outcome.licenses if i.id]
    if not named:
        return None
    return max(named, key=lambda i: max((s.confidence for s in i.sources), default=0.0))


def rank(kb: KnowledgeBase, info: LicenseInfo | None) -> int | None:
    """How restrictive a licence is (KB category order); None when unknown."""
    if info is None or not info.id:
        return None
    entry = kb.get(info.id)
    category = entry.category if entry else info.category
    if not category or category == "unknown":
        return None
    return CATEGORY_ORDER.get(category)


def same_license(kb: KnowledgeBase, a: LicenseInfo | None, b: LicenseInfo | None) -> bool:
    if a is None or b is None or not a.id or not b.id:
        return False
    ea, eb = kb.get(a.id), kb.get(b.id)
    if ea and eb:
        return ea.id == eb.id or eb.id in ea.incorporates or ea.id in eb.incorporates
    return a.id.lower() == b.id.lower()


def family_license(kb: KnowledgeBase, family: Family, confidence: float | None) -> LicenseInfo:
    entry = kb.get(family.license)
    src = LicenseSource(kind="base-model", confidence=min(confidence or 0.5, 0.9),
                        excerpt=f"{family.label} family")
    if entry is None:
        return LicenseInfo(id=family.license, sources=[src])
    return LicenseInfo(id=entry.id, spdx=entry.spdx, name=entry.name, osi_approved=entry.osi_approved,
                       category=entry.category, sources=[src])


def enrich(kb: KnowledgeBase, info: LicenseInfo | None) -> LicenseInfo | None:
    """Fill in category/name from the KB when the licence stage left them empty."""
    if info is None or not info.id:
        return info
    entry = kb.get(info.id)
    if entry is None:
        return info
    return replace(info, category=info.category or entry.category, name=info.name or entry.name,
                   spdx=info.spdx or entry.spdx,
                   osi_approved=info.osi_approved if info.osi_approved is not None else entry.osi_approved)


def kb_restrictions(kb: KnowledgeBase, info: LicenseInfo | None) -> list[Restriction]:
    entry = kb.get(info.id) if info and info.id else None
    if entry is None:
        return []
    return [Restriction(type=r.type, license=entry.id, path=None, line=None, excerpt=r.explanation,
                        source="knowledge-base", section=r.section, osd=list(r.osd))
            for r in entry.restrictions]


def to_ancestor(kb: KnowledgeBase, node: Node) -> Ancestor:
    link = node.link
    info = enrich(kb, effective_license(node.facts.licenses)) if node.facts else None
    restrictions = list(node.facts.restrictions.restrictions) if node.facts else []
    family = link.family or (fm.family if (fm := family_of_id(link.id)) else None)
    if info is None and family is not None:
        info = family_license(kb, family, link.confidence if link.inferred else 0.8)
    if not restrictions and node.status != "cycle":
        restrictions = kb_restrictions(kb, info)
    return Ancestor(
        id=link.id, relation=link.relation, depth=node.depth, status=node.status, parent=node.child,
        license=info, restrictions=restrictions, inferred=link.inferred,
        confidence=link.confidence if link.inferred else 1.0, evidence=list(link.evidence),
    )


def inherited(ancestors: list[Ancestor], own: list[Restriction]) -> list[Restriction]:
    """Ancestors' restrictions, marked with where they come from; one per (type, licence)."""
    have = {(r.type, r.license) for r in own}
    out = []
    for anc in ancestors:
        for r in anc.restrictions:
            key = (r.type, r.license)
            if key in have:
                continue
            have.add(key)
            out.append(replace(r, inherited_from=anc.id))
    return out


def binding(kb: KnowledgeBase, ancestors: list[Ancestor]) -> LicenseInfo | None:
    """The most restrictive ancestor licence (nearest ancestor on ties)."""
    best: tuple[int, int] | None = None
    chosen = None
    for anc in ancestors:
        r = rank(kb, anc.license)
        if r is None:
            continue
        key = (r, -anc.depth)
        if best is None or key > best:
            best, chosen = key, anc.license
    return chosen


def license_evidence(anc: Ancestor) -> Evidence:
    lic = anc.license
    if lic is None:
        return Evidence(source=f"ancestor:{anc.id}", excerpt="licence unknown")
    src = lic.sources[0] if lic.sources else None
    if anc.status != RESOLVED or src is None or src.kind == "base-model":
        shown = src.excerpt if src else lic.id
        return Evidence(source=f"knowledge-base:{lic.id}", excerpt=f"{anc.id}: {shown}")
    return Evidence(path=src.path, line=src.line, excerpt=src.excerpt or f"license: {lic.id}",
                    source=f"ancestor:{anc.id}")
