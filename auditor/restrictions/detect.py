"""Detect restrictive clauses, with evidence, in the licence texts, the card's licence section and the
gating prompt; fall back to the knowledge base for licences whose text could not be read."""

from __future__ import annotations

from typing import Any

from auditor.facts import LicenseOutcome, RestrictionOutcome
from auditor.report.model import Evidence, Finding, Restriction
from auditor.restrictions.patterns import TypeRule, compiled
from auditor.restrictions.regions import Region, collect, ids_of, is_policy_path
from auditor.restrictions.scan import Hit, LineIndex, Prepared, excerpt, is_heading, prepare, scan
from auditor.rules import RuleSet
from auditor.snapshot import Snapshot

KB_EXCERPT = 200
# Types whose policy headings ("Prohibited Uses", "Acceptable Use Policy") would otherwise each count as a
# clause: a heading followed by a detected clause of its type is left out (the clauses are the evidence),
# and of the other headings only the first is kept.
HEADING_TYPES = frozenset({"acceptable-use-policy"})


def detect(snapshot: Snapshot, licenses: LicenseOutcome, rules: RuleSet) -> RestrictionOutcome:
    from auditor.licenses.knowledge import load_knowledge

    types = compiled(rules)
    kb = load_knowledge(rules)
    out = RestrictionOutcome()

    def is_policy(lid: str) -> bool:
        entry = kb.get(lid)
        return entry is not None and entry.kind == "policy"

    regions = collect(snapshot, licenses, is_policy)
    for region in regions:
        out.restrictions.extend(scan_region(region, types))
    kb_restrictions, unread = from_knowledge_base(licenses, regions, out.restrictions, rules, types)
    out.restrictions.extend(kb_restrictions)
    if unread:
        out.findings.append(Finding(
            id="restrictions-from-knowledge-base", severity="info",
            message=("the text of " + ", ".join(unread) + " could not be read; its restrictions are "
                     "reported from the knowledge base"),
            evidence=[Evidence(source=f"knowledge-base:{lid}") for lid in unread],
            remediation="Publish the full licence and use-policy texts in the repository so that they "
                        "can be checked.",
        ))
    return out


def scan_text(text: str, types: tuple[TypeRule, ...], path: str = "", license: str | None = None,
              first_line: int = 1) -> list[Restriction]:
    """Restrictions in one text (a convenience for tests and the benchmark)."""
    return scan_region(Region(path, text, first_line, license, is_license_text=True), types)


def scan_region(region: Region, types: tuple[TypeRule, ...]) -> list[Restriction]:
    """Every restriction found in one region, capped per type (distinct clauses, first ones kept)."""
    prep = prepare(region.text)
    index = LineIndex(region.text)
    by_type = {t.id: t for t in types}
    counts: dict[str, int] = {}
    seen: set[tuple[str, int]] = set()
    found: list[Restriction] = []
    for hit in _without_redundant_headings(scan(prep, types), prep, index):
        rule = by_type[hit.type]
        offset = prep.original(hit.start)
        line = index.line(offset)
        if (hit.type, line) in seen or counts.get(hit.type, 0) >= rule.max_per_file:
            continue
        seen.add((hit.type, line))
        counts[hit.type] = counts.get(hit.type, 0) + 1
        found.append(Restriction(
            type=hit.type, license=_license_at(region, offset), path=region.path,
            line=region.first_line + line - 1, excerpt=excerpt(region.text, prep, hit), source="text",
            rule=hit.rule, section=index.section(line), osd=list(rule.osd),
        ))
    found.sort(key=lambda r: (r.line or 0, r.type))
    return found


def _without_redundant_headings(hits: list[Hit], prep: Prepared, index: LineIndex) -> list[Hit]:
    """Drop heading-only hits of HEADING_TYPES that the clauses below them already stand for."""
    heads: dict[int, int] = {}  # id(hit) -> line, for heading hits
    clause_lines: dict[str, list[int]] = {}
    for h in hits:
        if h.type not in HEADING_TYPES:
            continue
        line = index.line(prep.original(h.start))
        if is_heading(prep, h.clause):
            heads[id(h)] = line
        else:
            clause_lines.setdefault(h.type, []).append(line)
    if not heads:
        return hits
    kept_heading: set[str] = set()
    out: list[Hit] = []
    for h in hits:
        head = heads.get(id(h))
        if head is not None:
            if any(head <= n for n in clause_lines.get(h.type, ())) or h.type in kept_heading:
                continue
            kept_heading.add(h.type)
        out.append(h)
    return out


def _license_at(region: Region, offset: int) -> str | None:
    for start, end, lid in region.spans:
        if start <= offset < end:
            return lid
    return region.license


def from_knowledge_base(
    licenses: LicenseOutcome, regions: list[Region], found: list[Restriction], rules: RuleSet,
    types: tuple[TypeRule, ...],
) -> tuple[list[Restriction], list[str]]:
    """KB restrictions of identified licences (and the policies they incorporate) whose text was not read.

    A type already found in the text of that licence (for a policy: anywhere) is not repeated.
    """
    ids = _identified(licenses)
    if not ids:
        return [], []
    from auditor.licenses.knowledge import load_knowledge

    kb = load_knowledge(rules)

    def canon(lid: str | None) -> str | None:
        entry = kb.get(lid)
        return entry.id if entry is not None else lid

    read = {canon(lid) for lid in ids_of(regions)}
    # an unidentified use-policy file beside a read licence stands for that licence's policy
    loose_policy = any(r.is_license_text and not r.identified and is_policy_path(r.path) for r in regions)
    osd_of = {t.id: list(t.osd) for t in types}
    out: list[Restriction] = []
    unread: list[str] = []
    done: set[str] = set()
    for lid in ids:
        entry = kb.get(lid)
        if entry is None or entry.id in done:
            continue
        done.add(entry.id)
        todo: list[tuple[Any, set[str]]] = []
        if entry.id not in read:
            todo.append((entry, {r.type for r in found if canon(r.license) == entry.id}))
        for pid in entry.incorporates:
            policy = kb.get(pid)
            if policy is None or policy.id in read or policy.id in done:
                continue
            done.add(policy.id)
            if loose_policy and entry.id in read:
                continue
            todo.append((policy, {r.type for r in found}))
        for e, have in todo:
            if e.restrictions:
                unread.append(e.id)
            out.extend(_kb_restrictions(e, have, osd_of))
    return out, unread


def _kb_restrictions(entry: Any, have: set[str], osd_of: dict[str, list[int]]) -> list[Restriction]:
    """One restriction per type from a KB entry, skipping the types in ``have``."""
    out: list[Restriction] = []
    seen = set(have)
    for kr in entry.restrictions:
        if kr.type in seen:
            continue
        seen.add(kr.type)
        text = " ".join(kr.explanation.split())
        if len(text) > KB_EXCERPT:
            text = text[: KB_EXCERPT - 1] + "\u2026"
        out.append(Restriction(
            type=kr.type, license=entry.id, path=None, line=None, excerpt=text, source="knowledge-base",
            rule=f"knowledge-base:{entry.id}", section=kr.section or None,
            osd=list(kr.osd) or osd_of.get(kr.type, []),
        ))
    return out


def _identified(licenses: LicenseOutcome) -> list[str]:
    ids: list[str] = []
    if licenses.license is not None and licenses.license.id:
        ids.append(licenses.license.id)
    ids.extend(info.id for info in licenses.licenses if info.id)
    return list(dict.fromkeys(ids))
