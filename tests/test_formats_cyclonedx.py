"""CycloneDX 1.6 ML-BOM, validated against the official schema (with its spdx and jsf companions)."""

from __future__ import annotations

import json

from e2e_reports import fixture_report
from official_schemas import cyclonedx_errors
from sample_reports import open_model, relabelled

from auditor.formats import RenderOptions, render
from auditor.policy import Policy, evaluate


def bom(reports: list) -> dict:  # type: ignore[type-arg]
    return json.loads(render("cyclonedx", reports, RenderOptions()))


def test_schema_rejects_a_broken_bom() -> None:
    assert cyclonedx_errors(
        {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "machine-learning-model"}]}
    )
    bad_licence = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "components": [
            {
                "type": "machine-learning-model",
                "name": "x",
                "licenses": [{"license": {"id": "not-an-spdx-id"}}],
            }
        ],
    }
    assert cyclonedx_errors(bad_licence)  # the spdx.schema.json enum is really resolved


def test_ml_bom_valid_and_complete() -> None:
    r = relabelled()
    evaluate(r, Policy(require={"osaid-1.0": "pass"}))
    doc = bom([r, open_model()])
    assert cyclonedx_errors(doc) == []
    comps = {c["bom-ref"]: c for c in doc["components"]}
    chat = comps["model:relabel/llama-3.1-8b-chat-mit"]
    assert chat["type"] == "machine-learning-model"
    assert chat["purl"].startswith("pkg:huggingface/relabel/llama-3.1-8b-chat-mit@")
    assert chat["licenses"][0] == {"license": {"id": "MIT", "acknowledgement": "declared"}}
    concluded = chat["licenses"][1]["license"]
    assert concluded["acknowledgement"] == "concluded" and concluded["name"] == "Llama 3.1 Community License"
    assert concluded["url"] == "https://example.org/llama-3.1/license" and "text" not in concluded
    card = chat["modelCard"]
    assert card["modelParameters"]["datasets"] == [{"ref": "dataset:open-lab/open-corpus"}]
    assert any("scale-cap (LICENSE:14)" in t for t in card["considerations"]["technicalLimitations"])
    props = {(p["name"], p["value"]) for p in card["properties"]}
    assert {
        ("auditor:grade", "D"),
        ("auditor:framework:osaid-1.0", "fail"),
        ("auditor:policy", "fail"),
    } <= props
    assert chat["pedigree"]["ancestors"][0]["name"] == "meta-demo/llama-3.1-8b"
    data = comps["dataset:open-lab/open-corpus"]
    assert data["type"] == "data" and data["data"][0]["type"] == "dataset"
    assert list(comps).count("dataset:open-lab/open-corpus") == 1  # shared by both models


def test_expression_licence() -> None:
    doc = bom([open_model(licence="MIT OR Apache-2.0", hub_id="mit")])
    assert cyclonedx_errors(doc) == []
    assert doc["components"][0]["licenses"] == [
        {"expression": "MIT OR Apache-2.0", "acknowledgement": "concluded"}
    ]


def test_fixture_end_to_end() -> None:
    names = (
        "relabel/llama-3.1-8b-chat-mit",
        "tuners/breeze-7b-dialog",
        "nolicense/mystery-3b",
        "rail-lab/rail-diffusion",
        "nc-lab/research-7b",
    )
    doc = bom([fixture_report(n) for n in names])
    assert cyclonedx_errors(doc) == []
    assert sum(c["type"] == "machine-learning-model" for c in doc["components"]) == len(names)
