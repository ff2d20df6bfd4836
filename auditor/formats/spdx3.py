"""SPDX 3.0.1 JSON-LD through spdx-python-model: an ai_AIPackage per model, a dataset_DatasetPackage per
dataset named by the card (joined by ``trainedOn``), licences as hasDeclaredLicense/hasConcludedLicense
relationships to simplelicensing_LicenseExpression elements, ancestors via ``descendantOf``.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import uuid
from typing import Any

from auditor.errors import InputError
from auditor.formats import RenderOptions
from auditor.formats.common import declared, expression, model_url
from auditor.report.model import LicenseInfo, Report

BASE = "https://spdx.org/spdxdocs/auditor"
NAMESPACE = uuid.UUID("0f6f2c1e-3c7e-4f8b-9a0e-6f1d2b7c5a44")


def load() -> Any:
    try:
        from spdx_python_model import v3_0_1 as spdx
    except ImportError as exc:
        raise InputError(
            "--format spdx3 needs the spdx-python-model package (pip install spdx-python-model)"
        ) from exc
    return spdx


def spdx_expression(lic: LicenseInfo) -> str:
    """The licence as an SPDX expression; ids without one become LicenseRef- symbols."""
    if lic.spdx:
        return lic.spdx
    return "LicenseRef-" + (re.sub(r"[^A-Za-z0-9.-]+", "-", lic.id or "unrecognised").strip("-") or "unknown")


def created_at(report: Report) -> _dt.datetime:
    if report.generated_at:
        try:
            return _dt.datetime.fromisoformat(report.generated_at).astimezone(_dt.timezone.utc)
        except ValueError:
            pass
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)


class Doc:
    def __init__(self, spdx: Any, reports: list[Report]) -> None:
        self.spdx = spdx
        key = (
            "|".join(f"{r.subject.id}@{r.subject.revision}" for r in reports) + f"|{reports[0].generated_at}"
        )
        self.base = f"{BASE}-{uuid.uuid5(NAMESPACE, key)}"
        self.n = 0
        from auditor import __version__

        self.creator = spdx.Tool(spdxId=self.id("tool"), name=f"auditor {__version__}")
        self.agent = spdx.SoftwareAgent(spdxId=self.id("agent"), name="auditor")
        self.info = spdx.CreationInfo(
            specVersion="3.0.1",
            created=created_at(reports[0]),
            createdBy=[self.agent],
            createdUsing=[self.creator],
        )
        self.creator.creationInfo = self.info
        self.agent.creationInfo = self.info
        self.elements: list[Any] = [self.creator, self.agent]
        self.by_key: dict[str, Any] = {}
        self.licences: dict[str, Any] = {}

    def id(self, kind: str) -> str:
        self.n += 1
        return f"{self.base}#{kind}-{self.n}"

    def add(self, obj: Any) -> Any:
        obj.creationInfo = self.info
        self.elements.append(obj)
        return obj

    def relate(self, src: Any, rel: str, targets: list[Any], comment: str | None = None) -> None:
        r = self.spdx.Relationship(
            spdxId=self.id("rel"),
            from_=src,
            to=targets,
            relationshipType=getattr(self.spdx.RelationshipType, rel),
        )
        if comment:
            r.comment = comment
        self.add(r)

    def licence(self, text: str) -> Any:
        if text not in self.licences:
            self.licences[text] = self.add(
                self.spdx.simplelicensing_LicenseExpression(
                    spdxId=self.id("license"), simplelicensing_licenseExpression=text
                )
            )
        return self.licences[text]

    def package(self, r: Report) -> Any:
        spdx = self.spdx
        s = r.subject
        pkg = spdx.ai_AIPackage(
            spdxId=self.id("model"),
            name=s.id,
            software_primaryPurpose=spdx.software_SoftwarePurpose.model,
            summary=summary(r),
        )
        if s.revision:
            pkg.software_packageVersion = s.revision
        url = model_url(r)
        if url:
            pkg.software_downloadLocation = url
            if "/" in s.id and s.repo_type == "model":
                pkg.software_packageUrl = f"pkg:huggingface/{s.id}" + (
                    f"@{s.revision.lower()}" if s.revision else ""
                )
        types = sorted({x.type for x in r.restrictions})
        if types:
            pkg.ai_limitation = "Licence restrictions found by auditor: " + ", ".join(types)
        pkg.ai_standardCompliance = [f"{f.id}: {f.verdict}" for f in r.frameworks]
        self.add(pkg)
        dec = declared(r)
        if dec is not None and expression(dec):
            self.relate(pkg, "hasDeclaredLicense", [self.licence(spdx_expression(dec))])
        if r.license is not None and expression(r.license):
            self.relate(pkg, "hasConcludedLicense", [self.licence(spdx_expression(r.license))])
        return pkg

    def dataset(self, name: str) -> Any:
        key = f"dataset:{name}"
        if key not in self.by_key:
            spdx = self.spdx
            self.by_key[key] = self.add(
                spdx.dataset_DatasetPackage(
                    spdxId=self.id("dataset"),
                    name=name,
                    software_primaryPurpose=spdx.software_SoftwarePurpose.data,
                    software_downloadLocation=f"https://huggingface.co/datasets/{name}",
                    dataset_datasetType=[spdx.dataset_DatasetType.noAssertion],
                    comment="Named in the model card's `datasets:` list.",
                )
            )
        return self.by_key[key]

    def ancestor(self, a: Any) -> Any:
        key = f"model:{a.id}"
        if key not in self.by_key:
            spdx = self.spdx
            pkg = self.add(
                spdx.ai_AIPackage(
                    spdxId=self.id("model"),
                    name=a.id,
                    software_primaryPurpose=spdx.software_SoftwarePurpose.model,
                    software_downloadLocation=f"https://huggingface.co/{a.id}",
                    comment=f"Ancestor ({a.relation or 'base model'}, {a.status}) found by auditor.",
                )
            )
            if a.license is not None and expression(a.license):
                self.relate(pkg, "hasConcludedLicense", [self.licence(spdx_expression(a.license))])
            self.by_key[key] = pkg
        return self.by_key[key]


def summary(r: Report) -> str:
    parts = [f"grade {r.grade.letter} ({r.grade.score}/100)"] if r.grade and r.grade.letter else []
    parts += [f"{f.id}: {f.verdict}" for f in r.frameworks]
    if r.policy is not None:
        parts.append("policy " + ("pass" if r.policy["passed"] else "fail"))
    return "auditor: " + ("; ".join(parts) if parts else "audited")


def build(reports: list[Report]) -> Any:
    """The SHACLObjectSet holding the document and its elements."""
    spdx = load()
    d = Doc(spdx, reports)
    roots = []
    for r in reports:
        pkg = d.package(r)
        d.by_key[f"model:{r.subject.id}"] = pkg
        roots.append(pkg)
        data = [d.dataset(name) for name in r.subject.datasets]
        if data:
            d.relate(pkg, "trainedOn", data, "datasets named by the model card")
        for a in r.lineage:
            child = d.by_key.get(f"model:{a.parent}", pkg) if a.parent else pkg
            d.relate(child, "descendantOf", [d.ancestor(a)], a.relation)
    cc0 = d.licence("CC0-1.0")
    doc = spdx.SpdxDocument(
        spdxId=f"{d.base}#document",
        name=f"auditor AI BOM for {reports[0].subject.id}",
        rootElement=roots,
        element=list(d.elements),
        profileConformance=[
            spdx.ProfileIdentifierType.core,
            spdx.ProfileIdentifierType.software,
            spdx.ProfileIdentifierType.ai,
            spdx.ProfileIdentifierType.dataset,
            spdx.ProfileIdentifierType.simpleLicensing,
        ],
        dataLicense=cc0,
    )
    doc.creationInfo = d.info
    objset = spdx.SHACLObjectSet()
    for obj in [doc, *d.elements]:
        objset.add(obj)
    return objset


def render(reports: list[Report], opts: RenderOptions) -> str:
    spdx = load()
    objset = build(reports)
    buf = io.BytesIO()
    spdx.JSONLDSerializer(indent=2).write(objset, buf)
    return buf.getvalue().decode("utf-8").rstrip("\n") + "\n"
