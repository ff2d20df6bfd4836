"""Framework verdicts (OSAID, MOF, OSD, EU AI Act) over the collected facts."""

from __future__ import annotations

from auditor.facts import Facts, FrameworkOutcome
from auditor.rules import RuleSet


def evaluate(facts: Facts, rules: RuleSet) -> FrameworkOutcome:
    """Placeholder until the framework stage lands."""
    return FrameworkOutcome()
