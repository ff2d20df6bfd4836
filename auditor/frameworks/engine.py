"""Evaluate one framework rule file (rules/frameworks/<id>.yaml) over a Context.

A check names a probe (or ``all:`` a list of probes) with parameters; the verdict rule combines the
checks that count. Rule files are validated by schemas/rules-framework.json; probe names are checked here.
"""

from __future__ import annotations

from typing import Any

from auditor.errors import RuleError
from auditor.frameworks.context import Context
from auditor.frameworks.probes import PROBES, ProbeResult, run_probe
from auditor.report.model import FAIL, PASS, UNKNOWN, Check, Evidence, FrameworkResult

SCHEMA = "rules-framework.json"


def check_probes(fw: dict[str, Any]) -> None:
    """Unknown probe names are rule errors (exit 2) naming the file and the check."""
    for check in fw.get("checks", []):
        for step in steps(check):
            if step["probe"] not in PROBES:
                raise RuleError(
                    f"{fw.get('_file', fw['id'])}: check {check['id']}: unknown probe "
                    f"'{step['probe']}' (known: {', '.join(sorted(PROBES))})"
                )


def steps(check: dict[str, Any]) -> list[dict[str, Any]]:
    if "all" in check:
        return list(check["all"])
    return [{"probe": check["probe"], "params": check.get("params", {})}]


def pooled(results: list[ProbeResult], limit: int = 8) -> list[Evidence]:
    """The evidence of several probes, each piece once."""
    seen: dict[tuple[object, ...], Evidence] = {}
    for r in results:
        for e in r.evidence:
            seen.setdefault((e.path, e.line, e.excerpt, e.source, e.url), e)
    return list(seen.values())[:limit]


def combine(results: list[ProbeResult]) -> ProbeResult:
    """All steps must pass: a failure (else an unknown) decides; details and evidence are pooled."""
    for wanted in (FAIL, UNKNOWN):
        bad = [r for r in results if r.outcome == wanted]
        if bad:
            return ProbeResult(wanted, "; ".join(dict.fromkeys(r.detail for r in bad)), pooled(bad))
    return ProbeResult(PASS, "; ".join(dict.fromkeys(r.detail for r in results)), pooled(results))


def run_check(check: dict[str, Any], ctx: Context) -> Check:
    result = combine([run_probe(s["probe"], ctx, dict(s.get("params") or {})) for s in steps(check)])
    templates = check.get("outcomes", {})
    reason = templates.get(result.outcome, "{detail}").format(detail=result.detail)
    return Check(
        id=check["id"],
        outcome=result.outcome,
        reason=reason,
        title=check.get("title"),
        evidence=result.evidence,
        remediation=check.get("remediation") if result.outcome != PASS else None,
        reference=check.get("reference"),
    )


def counts(check: dict[str, Any]) -> bool:
    return bool(check.get("counts", True))


def all_pass_verdict(fw: dict[str, Any], checks: list[Check]) -> tuple[str, str]:
    rule = fw["verdict"]
    labels = {PASS: PASS, FAIL: FAIL, UNKNOWN: UNKNOWN, **rule.get("labels", {})}
    by_id = {c["id"]: c for c in fw["checks"]}
    counted = [c for c in checks if counts(by_id[c.id])]
    failed = [c for c in counted if c.outcome == FAIL]
    unknown = [c for c in counted if c.outcome == UNKNOWN]
    outcome = FAIL if failed else UNKNOWN if unknown else PASS

    def names(cs: list[Check]) -> str:
        groups = list(dict.fromkeys(by_id[c.id].get("gate") or c.title or c.id for c in cs))
        return ", ".join(groups)

    template = rule.get("summary", {}).get(outcome, "{failed}{unknown}")
    summary = template.format(
        failed=names(failed), unknown=names(unknown), passed=len(counted) - len(failed), total=len(counted)
    )
    return labels[outcome], summary


def evaluate_framework(fw: dict[str, Any], ctx: Context) -> FrameworkResult:
    rule = fw["verdict"]["rule"]
    if rule == "mof-class":
        from auditor.frameworks.mof import evaluate_mof

        return evaluate_mof(fw, ctx)
    checks = [run_check(c, ctx) for c in fw["checks"]]
    verdict, summary = all_pass_verdict(fw, checks)
    return FrameworkResult(
        id=fw["id"], verdict=verdict, title=fw.get("title"), summary=summary, checks=checks
    )
