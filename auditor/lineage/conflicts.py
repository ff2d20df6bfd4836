"""Contradictions between a model's declared licence and its lineage or training data."""

from __future__ import annotations

from auditor.facts import Facts
from auditor.licenses.knowledge import KnowledgeBase
from auditor.lineage.parents import meta_line
from auditor.lineage.terms import effective_license, license_evidence, rank, same_license
from auditor.report.model import Ancestor, Conflict, Evidence, Finding, LicenseInfo
from auditor.snapshot import Snapshot

RESTRICTIVE = 4  # restricted-open-weights and above: the terms travel with the weights
PERMISSIVE = 1


def declared_evidence(snapshot: Snapshot, info: LicenseInfo | None) -> list[Evidence]:
    if "license" in snapshot.metadata:
        return [meta_line(snapshot, "license")]
    if info is not None and info.sources:
        s = info.sources[0]
        return [Evidence(path=s.path, line=s.line, excerpt=s.excerpt, source=s.kind)]
    return []


def link_evidence(snapshot: Snapshot, anc: Ancestor) -> list[Evidence]:
    if not anc.inferred and "base_model" in snapshot.metadata:
        return [meta_line(snapshot, "base_model")]
    return anc.evidence[:2]


def _how(anc: Ancestor) -> str:
    if anc.inferred:
        return f"inferred {anc.relation or 'ancestor'}, confidence {anc.confidence}"
    return anc.relation or "ancestor"


def without_license(facts: Facts, ancestors: list[Ancestor]) -> list[Conflict]:
    known = [a for a in ancestors if a.status != "cycle"]
    if facts.licenses.license is not None or effective_license(facts.licenses) is not None or not known:
        return []
    anc = next((a for a in known if a.license is not None), known[0])
    terms = f"; {anc.id}'s terms ({anc.license.id}) still apply" if anc.license else ""
    return [Conflict(
        type="derivative-without-license", severity="high",
        message=f"a derivative of {anc.id} ({_how(anc)}) with no licence of its own{terms}",
        evidence=[*link_evidence(facts.snapshot, anc), license_evidence(anc)])]


def same_publisher(model_id: str, ancestor_id: str) -> bool:
    """Both are Hub ids (org/name) under the same organisation."""
    parts, theirs = model_id.split("/"), ancestor_id.split("/")
    return len(parts) == 2 == len(theirs) and all(parts) and parts[0].lower() == theirs[0].lower()


def relicensed(kb: KnowledgeBase, facts: Facts, ancestors: list[Ancestor]) -> list[Conflict]:
    """The declared licence drops terms an ancestor's licence imposes."""
    declared = effective_license(facts.licenses)
    if declared is None:
        return []
    mine = rank(kb, declared)
    out: list[Conflict] = []
    done: set[str] = set()
    for anc in sorted(ancestors, key=lambda a: a.depth):
        lic = anc.license
        theirs = rank(kb, lic)
        if lic is None or theirs is None or anc.status == "cycle" or same_license(kb, declared, lic):
            continue
        key = (kb.get(lic.id or "") or lic).id or ""
        if key in done:
            continue
        if mine is not None and theirs > mine:
            severity, verb = "high", "is more permissive than"
        elif theirs >= RESTRICTIVE:
            severity, verb = "medium", "differs from"
        else:
            continue
        done.add(key)
        tail = f"{anc.id}'s terms still bind this model"
        if same_publisher(facts.snapshot.id, anc.id):
            severity = "low"  # the owner of the base may release its own derivative under new terms
            tail = (f"the same publisher releases both and may set new terms; check that {lic.id}'s terms "
                    f"are not carried over")
        out.append(Conflict(
            type="relicensed", severity=severity,
            message=(f"declared licence {declared.id} {verb} {lic.id}, the licence of {anc.id} "
                     f"({_how(anc)}); {tail}"),
            evidence=[*declared_evidence(facts.snapshot, declared), *link_evidence(facts.snapshot, anc),
                      license_evidence(anc)]))
    return out


def incompatible_merges(kb: KnowledgeBase, facts: Facts, ancestors: list[Ancestor]) -> list[Conflict]:
    """Merges whose parents carry licences that cannot all be honoured under one licence."""
    out = []
    children: dict[str, list[Ancestor]] = {}
    for anc in ancestors:
        if anc.parent is not None and anc.relation == "merge" and anc.status != "cycle":
            children.setdefault(anc.parent, []).append(anc)
    declared_rank = rank(kb, effective_license(facts.licenses))
    for child, parents in children.items():
        licensed: list[tuple[Ancestor, int]] = []
        for a in parents:
            r = rank(kb, a.license)
            if r is not None:
                licensed.append((a, r))
        distinct = {(kb.get(a.license.id or "") or a.license).id for a, _ in licensed if a.license}
        if len(distinct) < 2:
            continue
        ranks = [r for _, r in licensed]
        if max(ranks) <= PERMISSIVE:
            continue
        top = max(licensed, key=lambda x: x[1])[0]
        unhonoured = child == facts.snapshot.id and declared_rank is not None and declared_rank < max(ranks)
        severity = "high" if min(ranks) > PERMISSIVE or unhonoured else "medium"
        names = ", ".join(f"{a.id} ({a.license.id})" for a, _ in licensed if a.license)
        evidence = [meta_line(facts.snapshot, "base_model")] if child == facts.snapshot.id else []
        out.append(Conflict(
            type="incompatible-merge", severity=severity,
            message=(f"{child} merges models under different licences: {names}; the merge is bound by the "
                     f"most restrictive ({top.license.id if top.license else '?'}) and cannot be released "
                     f"under a more permissive one"),
            evidence=[*evidence, *(license_evidence(a) for a, _ in licensed)]))
    return out


def dataset_conflicts(kb: KnowledgeBase, facts: Facts, datasets: dict[str, Facts | str]) -> tuple[
        list[Conflict], list[Finding]]:
    """Training datasets whose licence forbids what the model's declared licence allows."""
    snap = facts.snapshot
    ds_line = meta_line(snap, "datasets")
    declared = effective_license(facts.licenses)
    mine = rank(kb, declared)
    conflicts: list[Conflict] = []
    findings: list[Finding] = []
    for ds_id, result in datasets.items():
        if isinstance(result, str):
            findings.append(Finding(
                id="dataset-unresolved", severity="low",
                message=f"training dataset {ds_id}: licence not checked ({result})", evidence=[ds_line],
                remediation="check the dataset's licence against the model's declared use"))
            continue
        lic = effective_license(result.licenses)
        theirs = rank(kb, lic)
        if lic is None or theirs is None:
            findings.append(Finding(
                id="dataset-license-unknown", severity="low",
                message=f"training dataset {ds_id} declares no recognised licence", evidence=[ds_line]))
            continue
        if declared is None or mine is None or theirs < 5 or theirs <= mine:
            continue
        src = lic.sources[0] if lic.sources else None
        entry = kb.get(lic.id)
        category = entry.category if entry else lic.category
        conflicts.append(Conflict(
            type="dataset-license", severity="medium",
            message=(f"trained on {ds_id} ({lic.id}, {category}) "
                     f"but declared {declared.id}, which allows uses the dataset's licence forbids"),
            evidence=[*declared_evidence(snap, declared), ds_line,
                      Evidence(path=src.path if src else None, line=src.line if src else None,
                               excerpt=(src.excerpt if src else None) or f"license: {lic.id}",
                               source=f"dataset:{ds_id}")]))
    return conflicts, findings
