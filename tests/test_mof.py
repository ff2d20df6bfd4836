"""MOF classification: MOT's conformance data (27 models), the algorithm's edge cases, and `auditor mof`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.frameworks.mof import MotModel, classify, load_mot_file, parse_mot, spec_from_rules
from auditor.rules import RuleSet

SPEC = spec_from_rules(RuleSet())
NAMES = {c.key: c.id for c in SPEC.components}


def expected_results(mot: Path) -> dict[str, dict]:
    # the file as published has trailing commas, which strict JSON rejects
    raw = re.sub(
        r",(\s*[}\]])", r"\1", (mot / "Test_Data" / "expected_results.json").read_text(encoding="utf-8")
    )
    return {m["release"]["name"]: m["classification"] for m in json.loads(raw)["models"]}


def test_mot_conformance_27_of_27(shared_dir: Path) -> None:
    mot = shared_dir / "conformance" / "mot"
    expected = expected_results(mot)
    files = sorted((mot / "Test_Data").glob("*.yml"))
    assert len(files) == 27 and len(expected) == 27
    matched = 0
    for path in files:
        model = parse_mot(load_mot_file(str(path)), SPEC, path.name)
        got = classify(model, SPEC)
        want = expected[model.name]
        assert got.mof_class == want["class"], path.name
        for c in (1, 2, 3):
            assert got.progress[c] == pytest.approx(float(want["progress"][str(c)]), abs=1e-9), (path.name, c)
        matched += 1
    assert matched == 27


def model(components: dict[str, str | None], distribution: str | None = None) -> MotModel:
    m = MotModel(name="t", included=[NAMES[k] for k in components])
    for key, lic in components.items():
        if lic != "inherit":
            m.component_licenses[NAMES[key]] = lic
    if distribution:
        m.global_licenses["distribution"] = distribution
    return m


CLASS3 = [
    "model-architecture",
    "model-parameters",
    "model-card",
    "data-card",
    "technical-report",
    "evaluation-results",
]


def test_class_three_with_inherited_licence_and_cascade() -> None:
    got = classify(model({k: "inherit" for k in CLASS3}, "Apache-2.0"), SPEC)
    assert got.mof_class == 3 and got.progress[3] == 100.0
    assert got.progress[2] == 60.0 and got.progress[1] == 0.0  # class I waits for class II


def test_unlicensed_blocks_inheritance() -> None:
    comps: dict[str, str | None] = {k: "inherit" for k in CLASS3}
    comps["model-card"] = None  # `license: unlicensed`
    got = classify(model(comps, "Apache-2.0"), SPEC)
    assert got.mof_class == 0 and got.evals[3].unlicensed == [NAMES["model-card"]]


def test_paper_stands_in_for_the_technical_report() -> None:
    comps: dict[str, str | None] = {k: "inherit" for k in CLASS3 if k != "technical-report"}
    comps["research-paper"] = "inherit"
    got = classify(model(comps, "MIT"), SPEC)
    assert got.mof_class == 3


def test_type_specific_global_licence_wins_over_distribution() -> None:
    m = model({k: "inherit" for k in CLASS3}, "Llama-Custom")
    assert classify(m, SPEC).mof_class == 0
    m.global_licenses.update({"code": "MIT", "data": "CDLA-Permissive-2.0", "document": "CC-BY-4.0"})
    assert classify(m, SPEC).mof_class == 3


def test_open_means_osi_fsf_or_open_data_exactly() -> None:
    assert SPEC.is_open("Apache-2.0") and SPEC.is_open("CC-BY-4.0") and SPEC.is_open("OpenMDW-1.0")
    assert SPEC.is_open("CDLA-Permissive-2.0")  # open-data list, although neither OSI nor FSF
    assert not SPEC.is_open("PDDL-1.0")  # MOT's own quirk: the curated table clears its flags
    assert not SPEC.is_open("apache-2.0")  # exact, case-sensitive ids
    assert not SPEC.is_open("LicenseRef-llama3.1")


def test_bad_mot_input_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("release: [\n", encoding="utf-8")
    with pytest.raises(InputError, match="invalid YAML"):
        load_mot_file(str(bad))
    with pytest.raises(InputError, match="release"):
        parse_mot({"framework": {}}, SPEC)
    with pytest.raises(InputError, match="unknown MOF component 'Weights'"):
        parse_mot({"release": {"components": [{"name": "Weights"}]}}, SPEC)


def test_cli_mof_json_and_errors(shared_dir: Path, tmp_path: Path, run_cli) -> None:
    path = next((shared_dir / "conformance" / "mot" / "Test_Data").glob("OnlyComponentLicenses_C1_47*.yml"))
    code, out, err = run_cli("mof", str(path), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["class"] == "unclassified"
    assert data["progress"] == {"class-1": 0, "class-2": 0, "class-3": 50}
    assert len(data["components"]) == 17
    code, out, _ = run_cli("mof", str(path))
    assert code == 0 and "Unclassified" in out and "class III 50%" in out
    bad = tmp_path / "bad.yml"
    bad.write_text("release: [\n", encoding="utf-8")
    code, out, err = run_cli("mof", str(bad))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "invalid YAML" in err
    code, _out, err = run_cli("mof", str(tmp_path / "missing.yml"))
    assert code == 2 and "cannot read" in err
