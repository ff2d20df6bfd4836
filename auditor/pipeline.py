"""audit(target) -> Report: collect -> licences -> restrictions -> lineage -> frameworks -> grade."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass

from auditor import __version__
from auditor.collect import CollectOptions, Source, source_for
from auditor.facts import Facts
from auditor.report.model import Evidence, Finding, Report, Subject, Tool
from auditor.rules import RuleSet
from auditor.snapshot import READ_OK, Snapshot
from auditor.target import Target, parse_target


@dataclass(frozen=True)
class AuditOptions:
    collect: CollectOptions = CollectOptions()
    revision: str | None = None
    lineage: bool = True
    timestamp: bool = True
    fetch_links: bool = True  # fetch an off-Hub license_link (auditor/fetch.py); cache only when offline


def analyse(snapshot: Snapshot, rules: RuleSet, source: Source | None = None, lineage: bool = True,
            resolver: Callable[[str, str], Snapshot] | None = None) -> Facts:
    """The analysis stages over one snapshot (also used for ancestors, with lineage off).

    ``resolver`` ``(repo_id, repo_type) -> Snapshot`` fetches ancestors and datasets; by default the source.
    """
    from auditor.licenses.conclude import conclude
    from auditor.restrictions.detect import detect

    facts = Facts(snapshot=snapshot)
    facts.licenses = conclude(snapshot, rules)
    facts.restrictions = detect(snapshot, facts.licenses, rules)
    if lineage and (source is not None or resolver is not None):
        from auditor.lineage import trace

        facts.lineage = trace(facts, source, rules, resolver=resolver)
    return facts


def note_findings(snapshot: Snapshot) -> list[Finding]:
    out = []
    for note in snapshot.notes:
        ev = [Evidence(path=note.path, line=note.line)] if note.path else []
        out.append(Finding(id=note.id, severity=note.severity, message=note.message, evidence=ev))
    return out


def build_report(facts: Facts, rules: RuleSet, timestamp: bool = True) -> Report:
    from auditor.frameworks import evaluate
    from auditor.frameworks.grade import grade

    snap = facts.snapshot
    outcome = evaluate(facts, rules)
    not_read = [{"path": t.path, "status": t.status} for t in snap.texts.values() if t.status != READ_OK]
    report = Report(
        tool=Tool(name="auditor", version=__version__, rules_version=rules.version),
        subject=Subject(id=snap.id, revision=snap.revision, source=snap.source, gated=snap.gated,
                        repo_type=snap.repo_type, files_not_read=not_read, datasets=list(snap.datasets)),
        license=facts.licenses.license,
        licenses=facts.licenses.licenses,
        restrictions=facts.all_restrictions,
        frameworks=outcome.frameworks,
        conflicts=[*facts.licenses.conflicts, *facts.lineage.conflicts],
        findings=[*note_findings(snap), *facts.licenses.findings, *facts.restrictions.findings,
                  *facts.lineage.findings, *outcome.findings],
        components=outcome.components,
        lineage=facts.lineage.ancestors,
    )
    report.grade = grade(facts, outcome, rules)
    if timestamp:
        report.generated_at = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()
    return report


def audit_target(target: Target, options: AuditOptions, rules: RuleSet) -> Report:
    source = source_for(target, options.collect)
    if target.kind == "local":
        assert target.path is not None
        snapshot = source.snapshot(str(target.path))
        snapshot = _relabel(snapshot, target.id)
    else:
        snapshot = source.snapshot(target.id, target.revision)
    if options.fetch_links:
        from auditor.fetch import attach_license_link

        snapshot = attach_license_link(snapshot, options.collect)
    resolver = None
    if options.lineage:
        from auditor.lineage import resolver_for

        resolver = resolver_for(target, options.collect, source)
    facts = analyse(snapshot, rules, source, lineage=options.lineage, resolver=resolver)
    return build_report(facts, rules, timestamp=options.timestamp)


def audit(text: str, options: AuditOptions | None = None, rules: RuleSet | None = None) -> Report:
    """Audit one target given as on the command line."""
    options = options or AuditOptions()
    rules = rules or RuleSet()
    return audit_target(parse_target(text, options.revision), options, rules)


def _relabel(snapshot: Snapshot, shown_id: str) -> Snapshot:
    from dataclasses import replace

    return replace(snapshot, id=shown_id)
