"""SARIF 2.1.0 for code scanning: one run, one result per restriction, failed check, finding, conflict
and policy violation, each tagged with its model (``properties.model``).

Rule ids are the report's own ids: the restriction rule id (or its type), the framework check id, the
finding id, the conflict type, and ``policy/<rule>`` for the gate. Locations are repo-relative for a local
folder audit (so GitHub can annotate the lines), Hub URLs otherwise.
"""

from __future__ import annotations

import json
import re
from typing import Any

from auditor import __version__
from auditor.formats import RenderOptions
from auditor.formats.common import (
    SARIF_LEVEL,
    ancestor_uri,
    evidence_file,
    file_uri,
    licence_line,
    model_url,
    own_file,
)
from auditor.policy import suppressed_ids
from auditor.report.model import Evidence, Report

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFO_URI = "https://github.com/auditor-dev/auditor"


def location(
    report: Report, path: str | None, line: int | None, note: str | None = None
) -> dict[str, Any] | None:
    if not path:
        return None
    phys: dict[str, Any] = {"artifactLocation": {"uri": file_uri(report, path)}}
    if phys["artifactLocation"]["uri"].split(":", 1)[0] not in ("https", "http", "file"):
        phys["artifactLocation"]["uriBaseId"] = "%SRCROOT%"
    if line and line >= 1:
        phys["region"] = {"startLine": line}
    loc: dict[str, Any] = {"physicalLocation": phys}
    if note:
        loc["message"] = {"text": note}
    return loc


def evidence_locations(report: Report, evidence: list[Evidence]) -> list[dict[str, Any]]:
    locs = [location(report, *evidence_file(report, e)) for e in evidence]
    return [x for x in locs if x is not None][:5]


def licence_location(report: Report) -> list[dict[str, Any]]:
    """The line stating the licence (the front-matter `license:` line when nothing better is known)."""
    path, line = licence_line(report)
    loc = location(report, path, line)
    return [loc] if loc else []


class Builder:
    def __init__(self) -> None:
        self.rules: dict[str, dict[str, Any]] = {}
        self.results: list[dict[str, Any]] = []

    def rule(
        self, rule_id: str, kind: str, name: str, help_text: str | None = None, uri: str | None = None
    ) -> int:
        if rule_id not in self.rules:
            desc: dict[str, Any] = {
                "id": rule_id,
                "name": "".join(w[:1].upper() + w[1:] for w in re.split(r"[^A-Za-z0-9]+", name) if w),
                "shortDescription": {"text": name[:200] or rule_id},
                "properties": {"kind": kind},
            }
            if help_text:
                desc["help"] = {"text": help_text}
            if uri:
                desc["helpUri"] = uri
            self.rules[rule_id] = desc
        return list(self.rules).index(rule_id)

    def result(
        self,
        report: Report,
        rule_id: str,
        index: int,
        level: str,
        text: str,
        locs: list[dict[str, Any]],
        extra: dict[str, Any] | None = None,
        suppressed: str | None = None,
        related: list[dict[str, Any]] | None = None,
    ) -> None:
        res: dict[str, Any] = {
            "ruleId": rule_id,
            "ruleIndex": index,
            "level": level,
            "message": {"text": text},
            "properties": {"model": report.subject.id, **(extra or {})},
        }
        if not locs and model_url(report):
            locs = [{"physicalLocation": {"artifactLocation": {"uri": model_url(report)}}}]
        if locs:
            res["locations"] = locs
        if related:
            res["relatedLocations"] = related
        if suppressed is not None:
            res["suppressions"] = [{"kind": "external", "justification": suppressed}]
        res["partialFingerprints"] = {"auditor/v1": f"{report.subject.id}|{rule_id}|{text[:120]}"}
        self.results.append(res)


def add_report(b: Builder, r: Report) -> None:
    sid = r.subject.id
    hidden_r = suppressed_ids(r, "restriction")
    for x in r.restrictions:
        rid = x.rule or x.type
        idx = b.rule(
            rid, "restriction", f"{x.type} restriction", f"A licence clause restricts use: {x.type}."
        )
        inh = f" (inherited from {x.inherited_from})" if x.inherited_from else ""
        text = f'{sid}: {x.type} restriction{inh} in {x.license or "the licence"}: "{x.excerpt}"'
        path, line = own_file(x)  # an inherited clause sits in the ancestor's file: point at the card
        locs = [loc] if (loc := location(r, path, line)) else licence_location(r)
        related = None
        if (uri := ancestor_uri(x)) is not None:
            region = {"region": {"startLine": x.line}} if x.line else {}
            related = [
                {
                    "id": 1,
                    "physicalLocation": {"artifactLocation": {"uri": uri.split("#")[0]}, **region},
                    "message": {"text": f"clause in {x.inherited_from}'s {x.path}"},
                }
            ]
        why = hidden_r.get(x.type) or (hidden_r.get(x.rule) if x.rule else None)
        b.result(
            r,
            rid,
            idx,
            "warning",
            text,
            locs,
            {"kind": "restriction", "type": x.type, "license": x.license, "source": x.source},
            why,
            related,
        )
    hidden_c = suppressed_ids(r, "check")
    for fw in r.frameworks:
        for c in fw.checks:
            if c.outcome not in ("fail", "unknown"):
                continue
            idx = b.rule(c.id, "check", c.title or c.id, c.remediation, c.reference)
            level = "warning" if c.outcome == "fail" else "note"
            text = f"{sid}: {fw.id} check {c.id} {c.outcome}: {c.reason}"
            b.result(
                r,
                c.id,
                idx,
                level,
                text,
                evidence_locations(r, c.evidence),
                {"kind": "check", "framework": fw.id, "outcome": c.outcome},
                hidden_c.get(c.id),
            )
    for f in r.findings:
        idx = b.rule(f.id, "finding", f.id, f.remediation)
        b.result(
            r,
            f.id,
            idx,
            SARIF_LEVEL.get(f.severity, "note"),
            f"{sid}: {f.message}",
            evidence_locations(r, f.evidence),
            {"kind": "finding", "severity": f.severity},
            f.suppression_reason or "suppressed by policy" if f.suppressed else None,
        )
    hidden_k = suppressed_ids(r, "conflict")
    for k in r.conflicts:
        idx = b.rule(k.type, "conflict", k.type)
        locs = evidence_locations(r, k.evidence) or licence_location(r)
        b.result(
            r,
            k.type,
            idx,
            SARIF_LEVEL.get(k.severity, "warning"),
            f"{sid}: {k.message}",
            locs,
            {"kind": "conflict", "severity": k.severity},
            hidden_k.get(k.type),
        )
    for v in (r.policy or {}).get("violations", []):
        rid = f"policy/{v['rule']}"
        idx = b.rule(rid, "policy", f"policy {v['rule']}", "The project's auditor policy rejects this.")
        locs = [loc] if (loc := location(r, v.get("path"), v.get("line"))) else licence_location(r)
        b.result(
            r,
            rid,
            idx,
            "error",
            f"{sid}: policy {v['rule']}: {v['message']}",
            locs,
            {"kind": "policy", "rule": v["rule"]},
        )


def build(reports: list[Report]) -> dict[str, Any]:
    b = Builder()
    for r in reports:
        add_report(b, r)
    tool_version = reports[0].tool.version if reports else __version__
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "auditor",
                "version": tool_version,
                "informationUri": INFO_URI,
                "rules": list(b.rules.values()),
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "the repository root"}}},
        "results": b.results,
        "properties": {
            "models": [
                {
                    "id": r.subject.id,
                    "revision": r.subject.revision,
                    "source": r.subject.source,
                    "grade": r.grade.letter if r.grade else None,
                    "verdicts": {f.id: f.verdict for f in r.frameworks},
                    "policy": None if r.policy is None else ("pass" if r.policy["passed"] else "fail"),
                }
                for r in reports
            ]
        },
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(reports: list[Report], opts: RenderOptions) -> str:
    return json.dumps(build(reports), indent=2, ensure_ascii=False) + "\n"
