"""Framework verdicts (OSAID, MOF, OSD, EU AI Act, and user frameworks) over the collected facts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from auditor.facts import Facts, FrameworkOutcome
from auditor.rules import RuleSet

if TYPE_CHECKING:
    from auditor.frameworks.context import Context

# packaged frameworks first, in this order; user frameworks follow by id
ORDER = ("osaid-1.0", "mof-1.0", "osd", "eu-ai-act-53-2")


def frameworks(rules: RuleSet) -> list[dict[str, Any]]:
    """The framework rule files, validated (schema + probe names), in report order."""
    from auditor.frameworks import mof  # noqa: F401 - registers the mof-component probe
    from auditor.frameworks.engine import check_probes

    loaded = rules.kind("frameworks")
    if not rules._cache.get("frameworks-checked"):
        for fw in loaded.values():
            check_probes(fw)
        rules._cache["frameworks-checked"] = True
    ids = [i for i in ORDER if i in loaded] + sorted(i for i in loaded if i not in ORDER)
    return [loaded[i] for i in ids]


def evaluate(facts: Facts, rules: RuleSet) -> FrameworkOutcome:
    from auditor.frameworks.context import build_context
    from auditor.frameworks.engine import evaluate_framework

    ctx = build_context(facts, rules)
    outcome = FrameworkOutcome(
        components=list(ctx.evidence.components.values()), findings=list(ctx.evidence.findings)
    )
    results: dict[str, object] = {}
    ctx.cache["frameworks"] = results
    for fw in frameworks(rules):
        result = evaluate_framework(fw, ctx)
        results[result.id] = result
        outcome.frameworks.append(result)
    if len(CONTEXTS) > 64:
        CONTEXTS.clear()
    CONTEXTS[id(outcome)] = ctx
    return outcome


# the Context behind each outcome, so the grade reuses it instead of rebuilding (bounded)
CONTEXTS: dict[int, object] = {}


def context_for(facts: Facts, outcome: FrameworkOutcome, rules: RuleSet) -> Context:
    from auditor.frameworks.context import Context as Ctx
    from auditor.frameworks.context import build_context

    ctx = CONTEXTS.pop(id(outcome), None)
    if isinstance(ctx, Ctx) and ctx.facts is facts:
        return ctx
    ctx = build_context(facts, rules)
    ctx.cache["frameworks"] = {f.id: f for f in outcome.frameworks}
    return ctx
