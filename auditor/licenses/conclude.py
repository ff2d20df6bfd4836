"""Conclude the licence of the weights (placeholder: metadata only, replaced by the licence stage)."""

from __future__ import annotations

from auditor.facts import LicenseOutcome
from auditor.report.model import Finding, LicenseInfo, LicenseSource
from auditor.rules import RuleSet
from auditor.snapshot import Snapshot


def conclude(snapshot: Snapshot, rules: RuleSet) -> LicenseOutcome:
    declared = snapshot.metadata.get("license")
    out = LicenseOutcome()
    if isinstance(declared, str) and declared.strip():
        line = snapshot.metadata_lines.get("license")
        info = LicenseInfo(id=declared.strip().lower(), sources=[
            LicenseSource(kind="metadata", path="README.md", line=line, confidence=0.5)])
        out.license = info
        out.licenses = [info]
    else:
        out.findings.append(Finding(id="license-missing", severity="high",
                                    message="no licence is declared or found"))
    return out
