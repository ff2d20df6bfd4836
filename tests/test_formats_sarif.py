"""SARIF 2.1.0: valid against the official schema; stable rule ids; levels; line-accurate locations."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from e2e_reports import FIXTURES, fixture_report
from official_schemas import sarif_errors
from sample_reports import open_model, relabelled

from auditor.formats import RenderOptions, render
from auditor.policy import Policy, Suppression, evaluate


def sarif(reports: list) -> dict:  # type: ignore[type-arg]
    return json.loads(render("sarif", reports, RenderOptions()))


def test_schema_rejects_a_broken_log() -> None:
    assert sarif_errors({"version": "2.1.0", "runs": [{"tool": {}}]})  # the validator is not vacuous


def test_hub_report_is_valid_and_complete() -> None:
    r = relabelled()
    evaluate(r, Policy(deny_restrictions=("scale-cap",), require={"osaid-1.0": "pass"}))
    doc = sarif([r, open_model()])
    assert sarif_errors(doc) == []
    run = doc["runs"][0]
    assert len(doc["runs"]) == 1 and run["tool"]["driver"]["name"] == "auditor"
    rule_ids = [x["id"] for x in run["tool"]["driver"]["rules"]]
    # ids from the report: restriction rule id (or type), check id, finding id, conflict type, policy rule
    assert {
        "scale-cap-mau",
        "naming",
        "osaid-license-osi",
        "osaid-data-information",
        "license-relabelled",
        "relicensed",
        "policy/deny-restrictions",
        "policy/require",
    } <= set(rule_ids)
    assert "osaid-code" not in rule_ids  # passed checks are not results
    for res in run["results"]:
        assert rule_ids[res["ruleIndex"]] == res["ruleId"]
    levels = {res["ruleId"]: res["level"] for res in run["results"]}
    assert levels["policy/deny-restrictions"] == "error"
    assert levels["license-relabelled"] == "error"  # high severity
    assert levels["card-datasets-missing"] == "note"  # low severity
    assert levels["osaid-license-osi"] == "warning" and levels["osaid-data-information"] == "note"
    models = {res["properties"]["model"] for res in run["results"]}
    assert models == {"relabel/llama-3.1-8b-chat-mit"}
    assert [m["id"] for m in run["properties"]["models"]] == [
        "relabel/llama-3.1-8b-chat-mit",
        "open-lab/open-lm-1b",
    ]


def test_locations_point_at_lines() -> None:
    doc = sarif([relabelled()])
    results = doc["runs"][0]["results"]
    scale = next(r for r in results if r["ruleId"] == "scale-cap-mau")
    phys = scale["locations"][0]["physicalLocation"]
    assert phys["artifactLocation"]["uri"].endswith("/blob/" + "0123456789abcdef" * 2 + "01234567/LICENSE")
    assert phys["region"]["startLine"] == 14
    # an inherited clause without a file of this repo: the card's licence line stands in
    naming = next(r for r in results if r["ruleId"] == "naming")
    assert naming["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "/blob/" + "0123456789abcdef" * 2 + "01234567/README.md"
    ) or naming["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("https://")


def test_local_folder_paths_are_repo_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = relabelled(source="local", folder="./models/chat")
    r.restrictions[1].inherited_from = "meta-demo/llama-3.1-8b"
    r.restrictions[1].path, r.restrictions[1].line = "LICENSE", 31
    doc = sarif([r])
    assert sarif_errors(doc) == []
    results = doc["runs"][0]["results"]
    scale = next(x for x in results if x["ruleId"] == "scale-cap-mau")
    loc = scale["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "models/chat/LICENSE", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 14}
    # inherited: the primary location is this repo's card licence line; the clause is a related location
    naming = next(x for x in results if x["ruleId"] == "naming")
    primary = naming["locations"][0]["physicalLocation"]
    assert primary["artifactLocation"]["uri"] == "models/chat/README.md"
    related = naming["relatedLocations"][0]["physicalLocation"]
    assert (
        related["artifactLocation"]["uri"]
        == "https://huggingface.co/meta-demo/llama-3.1-8b/blob/main/LICENSE"
    )
    assert related["region"]["startLine"] == 31


def test_suppressed_results_carry_the_reason() -> None:
    r = relabelled()
    evaluate(
        r,
        Policy(
            ignore=(
                Suppression(id="license-relabelled", reason="fixed in the next release"),
                Suppression(id="scale-cap", reason="vendor agreement"),
            )
        ),
    )
    results = sarif([r])["runs"][0]["results"]
    by_id = {x["ruleId"]: x for x in results}
    assert by_id["license-relabelled"]["suppressions"] == [
        {"kind": "external", "justification": "fixed in the next release"}
    ]
    assert by_id["scale-cap-mau"]["suppressions"][0]["justification"] == "vendor agreement"
    assert "suppressions" not in by_id["naming"]


def test_fixture_end_to_end(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES.parent)
    report = fixture_report("relabel/llama-3.1-8b-chat-mit")
    report.subject.id = os.path.relpath(report.subject.id)  # as given on a command line in the repo
    doc = sarif([report])
    assert sarif_errors(doc) == []
    results = doc["runs"][0]["results"]
    assert results, "the relabelled Llama fine-tune must produce results"
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"] for x in results for loc in x.get("locations", [])
    }
    assert all(not u.startswith("/") for u in uris)
    assert any(u.startswith("fixtures/hub/relabel/llama-3.1-8b-chat-mit/") for u in uris)
