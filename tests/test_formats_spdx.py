"""SPDX 2.3 (spdx-tools validator) and SPDX 3.0.1 (spdx-python-model round trip)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from e2e_reports import fixture_report
from sample_reports import open_model, relabelled

from auditor.formats import RenderOptions, render


def spdx2_messages(text: str, tmp_path: Path) -> list[str]:
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    path = tmp_path / "report.spdx.json"
    path.write_text(text, encoding="utf-8")
    return [m.validation_message for m in validate_full_spdx_document(parse_file(str(path)))]


def test_spdx2_valid_with_declared_and_concluded(tmp_path: Path) -> None:
    text = render("spdx", [relabelled(), open_model()], RenderOptions())
    assert spdx2_messages(text, tmp_path) == []
    doc = json.loads(text)
    pkgs = {p["name"]: p for p in doc["packages"]}
    chat = pkgs["relabel/llama-3.1-8b-chat-mit"]
    assert chat["licenseDeclared"] == "MIT"  # what the card says
    assert chat["licenseConcluded"] == "LicenseRef-llama3.1"  # what the audit concluded
    assert "scale-cap" in chat["licenseComments"] and "grade D" in chat["licenseComments"]
    assert pkgs["open-lab/open-lm-1b"]["licenseConcluded"] == "Apache-2.0"
    assert pkgs["meta-demo/llama-3.1-8b"]["licenseConcluded"] == "LicenseRef-llama3.1"
    extracted = {e["licenseId"]: e for e in doc["hasExtractedLicensingInfos"]}
    llama = extracted["LicenseRef-llama3.1"]
    assert llama["name"] == "Llama 3.1 Community License"
    assert "https://example.org/llama-3.1/license" in llama["extractedText"]
    assert len(llama["extractedText"]) < 300  # a note and a URL, never a licence text
    rels = {(r["spdxElementId"], r["relationshipType"]) for r in doc["relationships"]}
    assert ("SPDXRef-Model-1", "DESCENDANT_OF") in rels and ("SPDXRef-DOCUMENT", "DESCRIBES") in rels


def test_spdx2_expressions_and_unknowns(tmp_path: Path) -> None:
    r = open_model(licence="MIT OR Apache-2.0", hub_id="mit")
    r.licenses.append(relabelled().license)  # type: ignore[arg-type]
    nothing = open_model()
    nothing.license, nothing.licenses = None, []
    nothing.subject.id = "nolicense/mystery-3b"
    text = render("spdx", [r, nothing], RenderOptions())
    assert spdx2_messages(text, tmp_path) == []
    pkgs = {p["name"]: p for p in json.loads(text)["packages"]}
    assert pkgs["open-lab/open-lm-1b"]["licenseConcluded"] == "MIT OR Apache-2.0"
    assert pkgs["nolicense/mystery-3b"]["licenseConcluded"] == "NOASSERTION"
    assert pkgs["nolicense/mystery-3b"]["licenseDeclared"] == "NONE"  # the card was read: it declares none


def test_spdx2_fixture_end_to_end(tmp_path: Path) -> None:
    reports = [
        fixture_report(n)
        for n in (
            "relabel/llama-3.1-8b-chat-mit",
            "rail-lab/rail-diffusion",
            "nolicense/mystery-3b",
            "open-lab/open-lm-1b",
        )
    ]
    text = render("spdx", reports, RenderOptions())
    assert spdx2_messages(text, tmp_path) == []


def spdx3_objects(text: str):  # type: ignore[no-untyped-def]
    from spdx_python_model import v3_0_1 as spdx

    objset = spdx.SHACLObjectSet()
    spdx.JSONLDDeserializer().read(io.BytesIO(text.encode("utf-8")), objset)
    return spdx, objset


def test_spdx3_round_trip() -> None:
    text = render("spdx3", [relabelled()], RenderOptions())
    assert json.loads(text)["@context"] == "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    spdx, objset = spdx3_objects(text)
    models = list(objset.foreach_type(spdx.ai_AIPackage))
    datasets = list(objset.foreach_type(spdx.dataset_DatasetPackage))
    assert {m.name for m in models} == {"relabel/llama-3.1-8b-chat-mit", "meta-demo/llama-3.1-8b"}
    assert [d.name for d in datasets] == ["open-lab/open-corpus"]
    chat = next(m for m in models if m.name == "relabel/llama-3.1-8b-chat-mit")
    assert chat.software_primaryPurpose == spdx.software_SoftwarePurpose.model
    rels = list(objset.foreach_type(spdx.Relationship))

    def related(kind: str) -> list:  # type: ignore[type-arg]
        return [
            r for r in rels if r.relationshipType == getattr(spdx.RelationshipType, kind) and r.from_ is chat
        ]

    trained = related("trainedOn")
    assert len(trained) == 1 and [t.name for t in trained[0].to] == ["open-lab/open-corpus"]
    declared = related("hasDeclaredLicense")[0].to[0]
    concluded = related("hasConcludedLicense")[0].to[0]
    assert declared.simplelicensing_licenseExpression == "MIT"
    assert concluded.simplelicensing_licenseExpression == "LicenseRef-llama3.1"
    assert [a.name for a in related("descendantOf")[0].to] == ["meta-demo/llama-3.1-8b"]
    docs = list(objset.foreach_type(spdx.SpdxDocument))
    assert len(docs) == 1 and docs[0].rootElement[0] is chat


def test_spdx3_fixture_end_to_end() -> None:
    reports = [fixture_report("tuners/breeze-7b-dialog"), fixture_report("open-lab/open-lm-1b")]
    spdx, objset = spdx3_objects(render("spdx3", reports, RenderOptions()))
    names = {m.name for m in objset.foreach_type(spdx.ai_AIPackage)}
    assert any(n.endswith("breeze-7b-dialog") for n in names)
    assert list(objset.foreach_type(spdx.dataset_DatasetPackage))  # both cards name datasets


def test_spdx3_missing_package_is_one_line_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from auditor.errors import InputError
    from auditor.formats import spdx3

    monkeypatch.setitem(sys.modules, "spdx_python_model", None)
    with pytest.raises(InputError) as err:
        spdx3.load()
    assert err.value.exit_code == 2 and "spdx-python-model" in err.value.message
