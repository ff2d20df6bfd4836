"""The letter grade (rules/grade.yaml): the best letter whose requirements all pass, capped by lineage.

Requirements are probes, as in the framework rules; unknown never meets one. The binding licence of the
lineage (the most restrictive ancestor licence) caps the letter: its licence requirements are checked
as if it were the model's own licence.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from auditor.facts import Facts, FrameworkOutcome
from auditor.frameworks.context import Context
from auditor.frameworks.probes import PROBES, ProbeResult, run_probe
from auditor.report.model import PASS, Grade
from auditor.rules import RuleSet

SCHEMA = "rules-grade.json"
LICENCE_PROBES = ("license-open", "license-declared", "no-restrictions")
SCORED = ("osaid-1.0", "mof-1.0")


def grade_rules(rules: RuleSet) -> list[dict[str, Any]]:
    from auditor.errors import RuleError

    data = rules.single("grade.yaml", SCHEMA)
    letters: list[dict[str, Any]] = data["letters"]
    for letter in letters:
        for req in letter["requires"]:
            if req["probe"] not in PROBES:
                raise RuleError(f"grade.yaml: letter {letter['letter']}: unknown probe '{req['probe']}'")
    return letters


def requirement_results(
    letter: dict[str, Any], ctx: Context, only_licence: bool = False
) -> list[tuple[dict[str, Any], ProbeResult]]:
    out = []
    for req in letter["requires"]:
        if only_licence and req["probe"] not in LICENCE_PROBES:
            continue
        out.append((req, run_probe(req["probe"], ctx, dict(req.get("params") or {}))))
    return out


def first_met(letters: list[dict[str, Any]], ctx: Context, only_licence: bool = False) -> int:
    """The first letter whose requirements pass. With only_licence, letters without a licence requirement
    (such as 'meets OSAID') cannot be reached by the licence alone and are skipped."""
    for i, letter in enumerate(letters):
        results = requirement_results(letter, ctx, only_licence)
        if only_licence and not results and letter["requires"]:
            continue
        if all(r.outcome == PASS for _req, r in results):
            return i
    return len(letters) - 1


def openness_share(ctx: Context) -> float:
    """Share of counted OSAID and MOF checks that pass (0..1): places the score inside the letter's band."""
    results = ctx.cache.get("frameworks") or {}
    passed = total = 0
    for fid in SCORED:
        fw = results.get(fid) if isinstance(results, dict) else None
        if fw is None:
            continue
        for check in fw.checks:
            total += 1
            passed += check.outcome == PASS
    return passed / total if total else 0.0


def blockers_for(letter: dict[str, Any], ctx: Context) -> list[str]:
    out = []
    for req, result in requirement_results(letter, ctx):
        if result.outcome != PASS:
            why = "could not be checked: " if result.outcome == "unknown" else ""
            out.append(f"{letter['letter']}: {req['blocker']} ({why}{result.detail})")
    return out


def grade(facts: Facts, outcome: FrameworkOutcome, rules: RuleSet) -> Grade | None:
    from auditor.frameworks import context_for

    letters = grade_rules(rules)
    ctx = context_for(facts, outcome, rules)
    index = first_met(letters, ctx)
    blockers: list[str] = []
    if ctx.binding is not None:
        cap = first_met(letters, replace(ctx, license=ctx.binding), only_licence=True)
        if cap >= index:
            index = cap
            blockers.append(
                f"the binding ancestor licence {ctx.binding.label} caps the grade at "
                f"{letters[cap]['letter']}; no change to this repository alone can lift it"
            )
    chosen = letters[index]
    if index > 0:
        blockers.extend(blockers_for(letters[index - 1], ctx))
    band = chosen["score"]
    score = band["min"] + round((band["max"] - band["min"]) * openness_share(ctx))
    return Grade(letter=chosen["letter"], score=int(score), summary=chosen["meaning"], blockers=blockers)
