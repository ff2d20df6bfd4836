"""Detect restrictive clauses (placeholder until the restriction stage lands)."""

from __future__ import annotations

from auditor.facts import LicenseOutcome, RestrictionOutcome
from auditor.rules import RuleSet
from auditor.snapshot import Snapshot


def detect(snapshot: Snapshot, licenses: LicenseOutcome, rules: RuleSet) -> RestrictionOutcome:
    return RestrictionOutcome()
