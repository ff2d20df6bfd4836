"""The report: one typed structure that every output format renders.

Field names are the JSON contract (schemas/report-1.json). Add fields; never rename them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

SCHEMA_VERSION = "1"

# Outcomes of a check. `unknown` means the tool could not look; absent evidence is `fail`.
PASS = "pass"
FAIL = "fail"
UNKNOWN = "unknown"
NOT_APPLICABLE = "not-applicable"
OUTCOMES = (PASS, FAIL, UNKNOWN, NOT_APPLICABLE)

SEVERITIES = ("info", "low", "medium", "high", "critical")


@dataclass
class Evidence:
    """Where a fact comes from: a file line with an excerpt, or a knowledge-base entry."""

    path: str | None = None
    line: int | None = None
    excerpt: str | None = None
    source: str | None = None  # e.g. "metadata", "license-file", "knowledge-base:llama3.1", "url"
    url: str | None = None


@dataclass
class LicenseSource:
    kind: str  # metadata | license-file | card-text | license-link | base-model | gating | tag
    path: str | None = None
    line: int | None = None
    confidence: float = 0.0
    excerpt: str | None = None


@dataclass
class LicenseInfo:
    id: str | None  # lower-case Hub-style id; None for an unrecognised text
    spdx: str | None = None
    name: str | None = None
    osi_approved: bool | None = None
    category: str | None = None
    modified_from: str | None = None
    sources: list[LicenseSource] = field(default_factory=list)
    url: str | None = None  # where the licence's terms are published (knowledge base or license_link)


@dataclass
class Restriction:
    type: str  # one of the restriction codes (rules/restrictions)
    license: str | None
    path: str | None
    line: int | None
    excerpt: str
    source: str  # text | knowledge-base
    rule: str | None = None
    section: str | None = None
    osd: list[int] = field(default_factory=list)
    inherited_from: str | None = None


@dataclass
class Check:
    id: str
    outcome: str  # pass | fail | unknown | not-applicable
    reason: str
    title: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    remediation: str | None = None
    reference: str | None = None


@dataclass
class FrameworkResult:
    id: str
    verdict: str
    title: str | None = None
    summary: str | None = None
    checks: list[Check] = field(default_factory=list)
    progress: dict[str, float] | None = None


@dataclass
class Conflict:
    type: str
    message: str
    severity: str = "medium"
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Grade:
    letter: str | None  # A..F; None only when nothing could be graded
    score: int
    summary: str
    blockers: list[str] = field(default_factory=list)  # what blocks the next grade


@dataclass
class Finding:
    id: str
    severity: str
    message: str
    evidence: list[Evidence] = field(default_factory=list)
    remediation: str | None = None
    suppressed: bool = False
    suppression_reason: str | None = None


@dataclass
class Component:
    id: str
    name: str
    status: str  # present | absent | unknown
    license: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Ancestor:
    id: str
    relation: str | None  # finetune | adapter | merge | quantized | None
    depth: int
    status: str  # resolved | unknown | cycle
    parent: str | None = None
    license: LicenseInfo | None = None
    restrictions: list[Restriction] = field(default_factory=list)
    inferred: bool = False
    confidence: float | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Tool:
    name: str
    version: str
    rules_version: str


@dataclass
class Subject:
    id: str
    revision: str | None
    source: str  # hub | cache | local
    gated: bool | str | None
    repo_type: str = "model"
    files_not_read: list[dict[str, str]] = field(default_factory=list)  # [{"path","status"}]
    datasets: list[str] = field(default_factory=list)  # dataset ids named by the card (`datasets:`)


@dataclass
class Report:
    tool: Tool
    subject: Subject
    license: LicenseInfo | None = None
    licenses: list[LicenseInfo] = field(default_factory=list)
    restrictions: list[Restriction] = field(default_factory=list)
    frameworks: list[FrameworkResult] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    grade: Grade | None = None
    findings: list[Finding] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)
    lineage: list[Ancestor] = field(default_factory=list)
    policy: dict[str, Any] | None = None
    generated_at: str | None = None  # the one non-deterministic field
    schema_version: str = SCHEMA_VERSION

    def framework(self, framework_id: str) -> FrameworkResult | None:
        return next((f for f in self.frameworks if f.id == framework_id), None)


def to_data(obj: Any) -> Any:
    """Convert a report (or any part) to plain JSON data, keeping field order."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_data(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, dict):
        return {str(k): to_data(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_data(v) for v in obj]
    return obj
