"""Lineage: ancestors through base_model (placeholder until the lineage stage lands)."""

from __future__ import annotations

from auditor.collect import Source
from auditor.facts import Facts, LineageOutcome
from auditor.rules import RuleSet


def trace(facts: Facts, source: Source, rules: RuleSet) -> LineageOutcome:
    return LineageOutcome()
