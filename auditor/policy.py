"""The policy gate: which licences, restrictions, grades and framework verdicts a project accepts.

A policy comes from ``--policy FILE`` (YAML, or a ``pyproject.toml`` whose ``[tool.auditor]`` table holds
it). Without ``--policy``, ``.auditor.yml``, ``.auditor.yaml`` or ``[tool.auditor]`` in ``pyproject.toml``
is picked up from the current folder (``--no-policy`` turns that off). The file is validated by
``schemas/policy.json``; a bad file is exit 2 naming the file and the field.

The gate only reads the Report: it never recomputes a verdict. Its result goes in ``Report.policy``.
"""

from __future__ import annotations

import datetime as _dt
import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from auditor.errors import InputError
from auditor.report.model import Report
from auditor.rules import RuleSet, validate

POLICY_FILES = (".auditor.yml", ".auditor.yaml")
GRADES = "ABCDEF"
MOF_LADDER = ("class-1", "class-2", "class-3")  # best first
_ROMAN = {"i": "1", "ii": "2", "iii": "3"}


@dataclass(frozen=True)
class Suppression:
    id: str
    reason: str
    model: str | None = None
    expires: _dt.date | None = None

    def applies_to(self, model_id: str) -> bool:
        return self.model is None or self.model == model_id or fnmatch.fnmatchcase(model_id, self.model)


@dataclass(frozen=True)
class Policy:
    source: str | None = None
    allow_licenses: tuple[str, ...] | None = None  # None: any licence
    deny_restrictions: tuple[str, ...] = ()
    min_grade: str | None = None
    require: Mapping[str, str] = field(default_factory=dict)
    ignore: tuple[Suppression, ...] = ()


# ---------------------------------------------------------------- loading


def _plain(value: Any) -> Any:
    """YAML and TOML turn bare dates into date objects; the schema wants ISO strings."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _read_toml_table(path: Path) -> dict[str, Any] | None:
    try:
        import tomllib  # type: ignore[import-not-found,unused-ignore]
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]
        except ModuleNotFoundError as exc:
            raise InputError(f"{path}: reading TOML needs Python 3.11+ or the tomli package") from exc
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read policy: {exc.strerror or exc}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: invalid TOML: {exc}") from exc
    table = data.get("tool", {}).get("auditor") if isinstance(data.get("tool"), dict) else None
    return table if isinstance(table, dict) else None


def load_policy(path: str | Path) -> Policy:
    """Read and validate one policy file; raise InputError/RuleError (exit 2) naming file and field."""
    from auditor.rules import load_yaml

    p = Path(path)
    if not p.is_file():
        raise InputError(f"--policy {path}: no such file")
    if p.suffix == ".toml":
        data: Any = _read_toml_table(p)
        if data is None:
            raise InputError(f"{path}: no [tool.auditor] table")
        label = f"{path} [tool.auditor]"
    else:
        data = load_yaml(p)
        label = str(path)
    data = _plain({} if data is None else data)
    validate(data, "policy.json", label)
    ignore = tuple(
        Suppression(
            id=item["id"],
            reason=item["reason"],
            model=item.get("model"),
            expires=_date(item.get("expires"), label),
        )
        for item in data.get("ignore", ())
    )
    allow = data.get("allow-licenses")
    return Policy(
        source=str(path),
        allow_licenses=tuple(allow) if allow is not None else None,
        deny_restrictions=tuple(data.get("deny-restrictions", ())),
        min_grade=data.get("min-grade"),
        require=dict(data.get("require", {})),
        ignore=ignore,
    )


def _date(text: str | None, label: str) -> _dt.date | None:
    if text is None:
        return None
    try:
        return _dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"{label}: field ignore/expires: {text!r} is not a valid date") from exc


def discover(folder: Path | None = None) -> Path | None:
    """The policy file in ``folder`` (default: the current folder), if any."""
    folder = folder or Path.cwd()
    for name in POLICY_FILES:
        if (folder / name).is_file():
            return folder / name
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        try:
            table = _read_toml_table(pyproject)
        except InputError:
            return None
        if table is not None:
            return pyproject
    return None


def resolve_policy(
    explicit: str | None, fail_under: str | None = None, auto: bool = True, folder: Path | None = None
) -> Policy | None:
    """The policy in force: --policy FILE, else a discovered one; --fail-under overrides min-grade."""
    found = Path(explicit) if explicit else (discover(folder) if auto else None)
    policy = load_policy(found) if found is not None else None
    if fail_under:
        grade = fail_under.upper()
        if grade not in GRADES:
            raise InputError(f"--fail-under {fail_under}: expected a grade A-F")
        policy = replace(policy or Policy(), min_grade=grade)
    return policy


# ---------------------------------------------------------------- licences


def _key(symbol: str, kb: Any) -> str:
    """Canonical identity of a licence symbol: the knowledge-base id, else the lower-cased token."""
    text = symbol.strip()
    entry = kb.get(text) if kb is not None else None
    if entry is None and text.lower().startswith("licenseref-") and kb is not None:
        entry = kb.get(text[len("licenseref-") :])
    if entry is not None:
        return str(entry.id)
    low = text.lower()
    return low[len("licenseref-") :] if low.startswith("licenseref-") else low


def _parse(expression: str) -> Any:
    from license_expression import ExpressionError, Licensing

    licensing = Licensing()
    try:
        return licensing, licensing.parse(expression)
    except ExpressionError:
        return licensing, None


def allowed_keys(entries: Iterable[str], kb: Any) -> set[str]:
    """Every licence symbol named in allow-licenses (an entry may itself be an expression)."""
    keys: set[str] = set()
    for entry in entries:
        _, expr = _parse(entry)
        if expr is None:
            keys.add(_key(entry, kb))
            continue
        for sym in expr.get_symbols():  # "X WITH E" comes whole: allowing it does not allow bare X
            keys.add(_key(str(sym.key if getattr(sym, "key", None) else sym), kb))
    return keys


def expression_allowed(expression: str, allowed: set[str], kb: Any) -> bool:
    """OR passes if any branch is allowed; AND only if all are; X WITH E if X (or the whole) is allowed."""
    from license_expression import LicenseWithExceptionSymbol

    licensing, expr = _parse(expression)
    if expr is None:
        return _key(expression, kb) in allowed

    def ok(node: Any) -> bool:
        if isinstance(node, licensing.OR):
            return any(ok(a) for a in node.args)
        if isinstance(node, licensing.AND):
            return all(ok(a) for a in node.args)
        if isinstance(node, LicenseWithExceptionSymbol):
            return _key(str(node), kb) in allowed or _key(str(node.license_symbol.key), kb) in allowed
        return _key(str(getattr(node, "key", node)), kb) in allowed

    return bool(ok(expr))


# ---------------------------------------------------------------- verdicts


def normalise_verdict(verdict: str) -> str:
    v = verdict.strip().lower().replace("_", "-").replace(" ", "-")
    if v.startswith("class-"):
        num = v[len("class-") :].split("-", 1)[0]
        return f"class-{_ROMAN.get(num, num)}"
    return v


def verdict_meets(verdict: str, wanted: str) -> bool:
    have, want = normalise_verdict(verdict), normalise_verdict(wanted)
    if want in MOF_LADDER:
        return have in MOF_LADDER and MOF_LADDER.index(have) <= MOF_LADDER.index(want)
    return have == want


# ---------------------------------------------------------------- evaluation


def _violation(
    rule: str, message: str, id_: str | None = None, path: str | None = None, line: int | None = None
) -> dict[str, Any]:
    return {"rule": rule, "id": id_, "message": message, "path": path, "line": line}


def _suppress(
    report: Report, policy: Policy, today: _dt.date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], set[str]]:
    """Apply the model's suppressions; return (violations for expired ones, suppressed records, ids)."""
    violations: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = []
    active: set[str] = set()
    for sup in policy.ignore:
        if not sup.applies_to(report.subject.id):
            continue
        expires = sup.expires.isoformat() if sup.expires else None
        if sup.expires is not None and today > sup.expires:
            violations.append(
                _violation(
                    "ignore",
                    f"suppression of '{sup.id}' expired on {expires} (reason was: {sup.reason}); "
                    "renew or remove it",
                    sup.id,
                )
            )
            continue
        active.add(sup.id)

        def record(
            kind: str,
            path: str | None = None,
            line: int | None = None,
            sup: Suppression = sup,
            expires: str | None = expires,
        ) -> None:
            records.append(
                {
                    "kind": kind,
                    "id": sup.id,
                    "reason": sup.reason,
                    "expires": expires,
                    "path": path,
                    "line": line,
                }
            )

        for f in report.findings:
            if f.id == sup.id:
                f.suppressed, f.suppression_reason = True, sup.reason
                ev = f.evidence[0] if f.evidence else None
                record("finding", ev.path if ev else None, ev.line if ev else None)
        for r in report.restrictions:
            if sup.id in (r.type, r.rule):
                record("restriction", r.path, r.line)
        for fw in report.frameworks:
            for check in fw.checks:
                if check.id == sup.id:
                    record("check")
        for conflict in report.conflicts:
            if conflict.type == sup.id:
                record("conflict")
    return violations, records, active


def _licence_violations(report: Report, policy: Policy, kb: Any) -> list[dict[str, Any]]:
    if policy.allow_licenses is None:
        return []
    allowed = allowed_keys(policy.allow_licenses, kb)
    out: list[dict[str, Any]] = []
    lic = report.license
    src = lic.sources[0] if lic and lic.sources else None
    expr = (lic.spdx or lic.id) if lic else None
    if expr is None:
        out.append(
            _violation(
                "allow-licenses",
                "no recognised licence: cannot show it is allowed",
                None,
                src.path if src else None,
                src.line if src else None,
            )
        )
    elif not expression_allowed(expr, allowed, kb):
        out.append(
            _violation(
                "allow-licenses",
                f"licence {expr} is not allowed",
                expr,
                src.path if src else None,
                src.line if src else None,
            )
        )
    for anc in report.lineage:
        if anc.status != "resolved" or anc.license is None:
            out.append(
                _violation("allow-licenses", f"ancestor {anc.id}: licence unknown ({anc.status})", anc.id)
            )
            continue
        a_expr = anc.license.spdx or anc.license.id
        if a_expr is None or not expression_allowed(a_expr, allowed, kb):
            out.append(
                _violation(
                    "allow-licenses",
                    f"ancestor {anc.id} is under {a_expr or 'an unrecognised licence'}, which is not allowed",
                    a_expr,
                )
            )
    return out


def _restriction_violations(report: Report, policy: Policy, active: set[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str | None, str | None, int | None]] = set()
    for r in report.restrictions:
        if r.type not in policy.deny_restrictions or r.type in active or (r.rule and r.rule in active):
            continue
        if (r.type, r.inherited_from, r.path, r.line) in seen:
            continue
        seen.add((r.type, r.inherited_from, r.path, r.line))
        where = f"{r.path}:{r.line}" if r.path and r.line else (r.path or f"knowledge base ({r.license})")
        if r.inherited_from and r.path:
            where = f"{r.inherited_from} {where}"
        inh = f" (inherited from {r.inherited_from})" if r.inherited_from else ""
        out.append(
            _violation(
                "deny-restrictions",
                f'{r.type} restriction{inh} at {where}: "{r.excerpt}"',
                r.type,
                None if r.inherited_from else r.path,  # an inherited clause is in the ancestor's file
                None if r.inherited_from else r.line,
            )
        )
    return out


def _grade_violations(report: Report, policy: Policy) -> list[dict[str, Any]]:
    if not policy.min_grade:
        return []
    letter = report.grade.letter if report.grade else None
    if letter is None:
        return [_violation("min-grade", f"no grade could be given; the minimum is {policy.min_grade}")]
    if GRADES.index(letter) > GRADES.index(policy.min_grade):
        return [_violation("min-grade", f"grade {letter} is below the minimum {policy.min_grade}", letter)]
    return []


def _require_violations(report: Report, policy: Policy) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for fw_id, wanted in policy.require.items():
        fw = report.framework(fw_id)
        if fw is None:
            out.append(_violation("require", f"{fw_id} was not evaluated; {wanted} is required", fw_id))
        elif not verdict_meets(fw.verdict, wanted):
            out.append(_violation("require", f"{fw_id} verdict is {fw.verdict}; {wanted} is required", fw_id))
    return out


def evaluate(
    report: Report,
    policy: Policy,
    rules: RuleSet | None = None,
    today: _dt.date | None = None,
    warn_only: bool = False,
) -> dict[str, Any]:
    """Check one report against the policy; mark suppressed findings; store and return Report.policy."""
    kb = None
    if policy.allow_licenses is not None:
        from auditor.licenses.knowledge import load_knowledge

        kb = load_knowledge(rules or RuleSet())
    expired, suppressed, active = _suppress(report, policy, today or _dt.date.today())
    violations = [
        *_licence_violations(report, policy, kb),
        *_restriction_violations(report, policy, active),
        *_grade_violations(report, policy),
        *_require_violations(report, policy),
        *expired,
    ]
    result = {
        "source": policy.source,
        "passed": not violations,
        "warn_only": warn_only,
        "violations": violations,
        "suppressed": suppressed,
    }
    report.policy = result
    return result


def apply(
    reports: Iterable[Report],
    policy: Policy | None,
    rules: RuleSet | None = None,
    warn_only: bool = False,
    today: _dt.date | None = None,
) -> bool:
    """Evaluate every report; True when all pass (or there is no policy)."""
    if policy is None:
        return True
    results = [evaluate(r, policy, rules, today, warn_only) for r in reports]
    return all(r["passed"] for r in results)


def suppressed_ids(report: Report, kind: str) -> dict[str, str]:
    """Ids of one kind suppressed for this report -> reason (for renderers)."""
    if not report.policy:
        return {}
    return {s["id"]: s["reason"] for s in report.policy.get("suppressed", ()) if s.get("kind") == kind}
