"""What each analysis stage returns. The pipeline merges them into a Report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from auditor.report.model import (
    Ancestor,
    Component,
    Conflict,
    Finding,
    FrameworkResult,
    LicenseInfo,
    Restriction,
)
from auditor.snapshot import Snapshot


@dataclass
class LicenseOutcome:
    """Identified licences and the concluded licence of the weights."""

    license: LicenseInfo | None = None
    licenses: list[LicenseInfo] = field(default_factory=list)
    identifications: dict[str, Any] = field(default_factory=dict)  # path -> identify.Identification
    conflicts: list[Conflict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class RestrictionOutcome:
    restrictions: list[Restriction] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class LineageOutcome:
    ancestors: list[Ancestor] = field(default_factory=list)
    inherited: list[Restriction] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # the most restrictive ancestor licence, which caps the grade
    binding_license: LicenseInfo | None = None


@dataclass
class FrameworkOutcome:
    components: list[Component] = field(default_factory=list)
    frameworks: list[FrameworkResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Facts:
    """Everything known about one model after the analysis stages; frameworks and grade read it."""

    snapshot: Snapshot
    licenses: LicenseOutcome = field(default_factory=LicenseOutcome)
    restrictions: RestrictionOutcome = field(default_factory=RestrictionOutcome)
    lineage: LineageOutcome = field(default_factory=LineageOutcome)

    @property
    def all_restrictions(self) -> list[Restriction]:
        return [*self.restrictions.restrictions, *self.lineage.inherited]
