"""The letter grade (placeholder until the framework stage lands)."""

from __future__ import annotations

from auditor.facts import Facts, FrameworkOutcome
from auditor.report.model import Grade
from auditor.rules import RuleSet


def grade(facts: Facts, outcome: FrameworkOutcome, rules: RuleSet) -> Grade | None:
    return None
