"""SPDX 2.3 JSON through spdx-tools: one package per model (and per ancestor and dataset).

Declared licence = what the card's metadata says; concluded = the report's concluded licence. Licences
without an SPDX id become ``LicenseRef-`` symbols, each with an ExtractedLicensingInfo whose text is a
short note and a URL (never a copied licence text).
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import uuid
from typing import Any

from auditor.formats import RenderOptions
from auditor.formats.common import declared, licence_url, model_url
from auditor.report.model import LicenseInfo, Report

NAMESPACE = uuid.UUID("5b0c8d2e-8f6a-4c59-9a57-1c0a4a5e0d11")


def ref_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "-", text).strip("-") or "unknown"


class Licences:
    """Turns report licences into spdx-tools expressions, collecting the LicenseRef- declarations."""

    def __init__(self) -> None:
        from spdx_tools.common.spdx_licensing import spdx_licensing

        self.licensing = spdx_licensing
        self.extracted: dict[str, Any] = {}

    def declare(self, ref: str, name: str, url: str | None, hub_id: str | None) -> None:
        from spdx_tools.spdx.model import ExtractedLicensingInfo

        if ref in self.extracted:
            return
        what = f"Hub licence id '{hub_id}'" if hub_id else "a licence text the auditor could not match"
        text = f"Custom licence identified by auditor as {what}. The licence text is not reproduced here"
        text += f"; read it at {url}." if url else "."
        self.extracted[ref] = ExtractedLicensingInfo(
            license_id=ref,
            extracted_text=text,
            license_name=name,
            cross_references=[url] if url and url.startswith(("http://", "https://")) else [],
        )

    def expression(self, lic: LicenseInfo | None, report: Report) -> Any:
        """An spdx-tools licence expression, or NOASSERTION when nothing is known."""
        from spdx_tools.spdx.model import SpdxNoAssertion

        if lic is None or (lic.spdx is None and lic.id is None):
            return SpdxNoAssertion()
        text = lic.spdx or lic.id or ""
        try:
            parsed = self.licensing.parse(text)
        except Exception:  # noqa: BLE001 - license-expression raises several types on odd input
            parsed = None
        if parsed is None:
            ref = f"LicenseRef-{ref_id(lic.id or text)}"
            self.declare(ref, lic.name or lic.id or text, licence_url(lic, report), lic.id)
            return self.licensing.parse(ref)
        mapping = {}
        unknown = set(self.licensing.unknown_license_keys(parsed))
        for sym in parsed.get_symbols():
            key = str(sym.key)
            if key.startswith("LicenseRef-") or key in unknown:
                ref = key if key.startswith("LicenseRef-") else f"LicenseRef-{ref_id(key)}"
                name = lic.name if lic.name and len(list(parsed.get_symbols())) == 1 else key
                self.declare(ref, name or key, licence_url(lic, report), lic.id)
                mapping[key] = ref
        if mapping:
            out = str(parsed)
            for key, ref in mapping.items():
                if key != ref:
                    out = re.sub(rf"(?<![\w.+-]){re.escape(key)}(?![\w.+-])", ref, out)
            parsed = self.licensing.parse(out)
        return parsed


def declared_expression(lic: Licences, r: Report) -> Any:
    """The card's declared licence; NONE when the card was read and declares none, NOASSERTION when the
    card could not be read."""
    from spdx_tools.spdx.model import SpdxNoAssertion, SpdxNone

    found = declared(r)
    if found is not None:
        return lic.expression(found, r)
    card_unread = any(f.get("path") == "README.md" for f in r.subject.files_not_read)
    return SpdxNoAssertion() if card_unread else SpdxNone()


def created_at(report: Report) -> _dt.datetime:
    if report.generated_at:
        try:
            when = _dt.datetime.fromisoformat(report.generated_at)
            return when.astimezone(_dt.timezone.utc).replace(tzinfo=None, microsecond=0)
        except ValueError:
            pass
    return _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def summary(r: Report) -> str:
    parts = []
    if r.grade and r.grade.letter:
        parts.append(f"auditor grade {r.grade.letter} ({r.grade.score}/100)")
    for fw in r.frameworks:
        parts.append(f"{fw.id}: {fw.verdict}")
    types = sorted({x.type for x in r.restrictions})
    if types:
        parts.append("restrictions: " + ", ".join(types))
    if r.policy is not None:
        parts.append("policy: " + ("pass" if r.policy["passed"] else "fail"))
    return "; ".join(parts) or "audited by auditor"


def package(
    spdx_id: str,
    name: str,
    version: str | None,
    url: str | None,
    hub: bool,
    declared_: Any,
    concluded: Any,
    comment: str | None,
    license_comment: str | None = None,
) -> Any:
    from spdx_tools.spdx.model import (
        Actor,
        ActorType,
        ExternalPackageRef,
        ExternalPackageRefCategory,
        Package,
        PackagePurpose,
        SpdxNoAssertion,
    )

    refs = []
    supplier: Any = SpdxNoAssertion()
    if hub and "/" in name:
        org, short = name.split("/", 1)
        supplier = Actor(ActorType.ORGANIZATION, org)
        purl = f"pkg:huggingface/{org}/{short}" + (f"@{version.lower()}" if version else "")
        refs.append(ExternalPackageRef(ExternalPackageRefCategory.PACKAGE_MANAGER, "purl", purl))
    return Package(
        spdx_id=spdx_id,
        name=name,
        download_location=url or SpdxNoAssertion(),
        version=version,
        supplier=supplier,
        files_analyzed=False,
        primary_package_purpose=PackagePurpose.OTHER,
        license_declared=declared_,
        license_concluded=concluded,
        license_comment=license_comment,
        copyright_text=SpdxNoAssertion(),
        external_references=refs,
        comment=comment,
    )


def build(reports: list[Report]) -> Any:
    from spdx_tools.spdx.model import (
        Actor,
        ActorType,
        CreationInfo,
        Document,
        Relationship,
        RelationshipType,
        SpdxNoAssertion,
    )

    from auditor import __version__

    lic = Licences()
    packages: list[Any] = []
    relationships: list[Any] = []
    seen: dict[str, str] = {}
    for n, r in enumerate(reports, 1):
        sid = f"SPDXRef-Model-{n}"
        hub = r.subject.source != "local"
        packages.append(
            package(
                sid,
                r.subject.id,
                r.subject.revision,
                model_url(r),
                hub,
                declared_expression(lic, r),
                lic.expression(r.license, r),
                "AI model (weights and card) audited by auditor.",
                summary(r),
            )
        )
        relationships.append(Relationship("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, sid))
        seen[r.subject.id] = sid
        for a in r.lineage:
            if a.id not in seen:
                aid = f"SPDXRef-Ancestor-{len(seen)}"
                seen[a.id] = aid
                packages.append(
                    package(
                        aid,
                        a.id,
                        None,
                        f"https://huggingface.co/{a.id}",
                        True,
                        SpdxNoAssertion(),
                        lic.expression(a.license, r) if a.license else SpdxNoAssertion(),
                        f"Ancestor of {r.subject.id} ({a.relation or 'base model'}, {a.status}).",
                    )
                )
            parent = seen.get(a.parent or "", sid) if a.parent else sid
            relationships.append(Relationship(parent, RelationshipType.DESCENDANT_OF, seen[a.id]))
        for d in r.subject.datasets:
            key = f"dataset:{d}"
            if key not in seen:
                did = f"SPDXRef-Dataset-{len(seen)}"
                seen[key] = did
                packages.append(
                    package(
                        did,
                        d,
                        None,
                        f"https://huggingface.co/datasets/{d}",
                        False,
                        SpdxNoAssertion(),
                        SpdxNoAssertion(),
                        "Dataset named in the model card's `datasets:` list.",
                    )
                )
            relationships.append(
                Relationship(
                    sid, RelationshipType.OTHER, seen[key], comment="trained on (declared in the model card)"
                )
            )
    first = reports[0]
    created = created_at(first)
    name = f"auditor report for {first.subject.id}" + (
        f" and {len(reports) - 1} more" if len(reports) > 1 else ""
    )
    ns_key = "|".join(f"{r.subject.id}@{r.subject.revision}" for r in reports) + f"|{created.isoformat()}"
    info = CreationInfo(
        spdx_version="SPDX-2.3",
        spdx_id="SPDXRef-DOCUMENT",
        name=name,
        document_namespace=f"https://spdx.org/spdxdocs/auditor-{uuid.uuid5(NAMESPACE, ns_key)}",
        creators=[Actor(ActorType.TOOL, f"auditor-{__version__}")],
        created=created,
    )
    return Document(
        info,
        packages=packages,
        relationships=relationships,
        extracted_licensing_info=list(lic.extracted.values()),
    )


def render(reports: list[Report], opts: RenderOptions) -> str:
    from spdx_tools.spdx.writer.json.json_writer import write_document_to_stream

    stream = io.StringIO()
    write_document_to_stream(build(reports), stream, validate=True)
    return stream.getvalue() + "\n"
