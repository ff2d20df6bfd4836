"""Framework verdicts (OSAID, OSD, EU AI Act, user frameworks) on Facts built directly (no other stage)."""

from __future__ import annotations

from pathlib import Path

import pytest
from frameworks_helpers import (
    CLOSED_CARD,
    LLAMA_LIKE,
    OPEN_CARD,
    WEIGHTS,
    facts,
    licence,
    restriction,
    snapshot,
)

from auditor.errors import RuleError
from auditor.frameworks import evaluate
from auditor.report.model import FrameworkResult
from auditor.rules import RuleSet
from auditor.snapshot import READ_GATED, TextFile

APACHE = licence("apache-2.0", True, "permissive", "Apache-2.0")
CUSTOM = licence("custom-terms", False, "restricted-open-weights")


def results(f, rules: RuleSet | None = None) -> dict[str, FrameworkResult]:
    return {fw.id: fw for fw in evaluate(f, rules or RuleSet()).frameworks}


def outcomes(fw: FrameworkResult) -> dict[str, str]:
    return {c.id: c.outcome for c in fw.checks}


def test_osaid_passes_with_evidence_for_every_gate() -> None:
    fw = results(facts(snapshot(OPEN_CARD), APACHE))["osaid-1.0"]
    assert fw.verdict == "pass"
    for check in fw.checks:
        assert check.outcome == "pass", check
        assert check.evidence, f"{check.id} passed without evidence"
    training = next(c for c in fw.checks if c.id == "osaid-1.0/training-code")
    assert training.evidence[0].path == "README.md" and "github.com/lab/train" in training.evidence[0].excerpt


def test_osaid_fail_names_the_failed_gates_and_cites_restrictions() -> None:
    fw = results(facts(snapshot(CLOSED_CARD), CUSTOM, LLAMA_LIKE))["osaid-1.0"]
    assert fw.verdict == "fail"
    got = outcomes(fw)
    assert got["osaid-1.0/parameters-free-terms"] == "fail"
    assert got["osaid-1.0/training-code"] == "fail"
    assert got["osaid-1.0/data-processing-code"] == "fail"
    assert got["osaid-1.0/data-information"] == "fail"
    assert got["osaid-1.0/parameters-available"] == "pass"
    assert "parameters" in fw.summary and "code" in fw.summary and "data information" in fw.summary
    terms = next(c for c in fw.checks if c.id == "osaid-1.0/parameters-free-terms")
    assert any(e.path == "LICENSE" and e.line == 40 for e in terms.evidence)
    assert terms.remediation
    data = next(c for c in fw.checks if c.id == "osaid-1.0/data-information")
    assert "general terms" in data.reason and data.evidence[0].path == "README.md"


def test_osaid_unknown_only_when_the_licence_could_not_be_inspected() -> None:
    gated = {"LICENSE": TextFile("LICENSE", READ_GATED, None)}
    card = OPEN_CARD.replace("license: apache-2.0\n", "")
    fw = results(facts(snapshot(card, [*WEIGHTS, "LICENSE"], gated="manual", texts=gated), None))["osaid-1.0"]
    assert outcomes(fw)["osaid-1.0/parameters-free-terms"] == "unknown"
    assert fw.verdict == "unknown"
    # looked and found nothing: a failure, not unknown
    fw = results(facts(snapshot(card), None))["osaid-1.0"]
    assert outcomes(fw)["osaid-1.0/parameters-free-terms"] == "fail"
    assert fw.verdict == "fail"


def test_missing_weights_fail_the_parameters_gate() -> None:
    fw = results(facts(snapshot(OPEN_CARD, files=["config.json"]), APACHE))["osaid-1.0"]
    assert outcomes(fw)["osaid-1.0/parameters-available"] == "fail"
    assert fw.verdict == "fail"


def test_osd_cites_the_clauses_that_break_5_6_7_and_4() -> None:
    fw = results(facts(snapshot(CLOSED_CARD), CUSTOM, LLAMA_LIKE))["osd"]
    got = outcomes(fw)
    assert fw.verdict == "fail"
    for n in (
        "4-integrity",
        "5-no-discrimination-persons",
        "6-no-discrimination-fields",
        "7-distribution-of-license",
    ):
        assert got[f"osd/{n}"] == "fail"
    five = next(c for c in fw.checks if c.id == "osd/5-no-discrimination-persons")
    assert five.evidence[0].path == "LICENSE" and "700 million" in five.evidence[0].excerpt
    six = next(c for c in fw.checks if c.id == "osd/6-no-discrimination-fields")
    assert six.evidence[0].path == "USE_POLICY.md" and six.evidence[0].line == 12


def test_osd_passes_an_osi_licence() -> None:
    fw = results(facts(snapshot(OPEN_CARD), APACHE))["osd"]
    assert fw.verdict == "pass" and len(fw.checks) == 10


def test_knowledge_base_fills_restrictions_without_double_counting() -> None:
    rules = RuleSet()
    from auditor.licenses.knowledge import load_knowledge

    if load_knowledge(rules).get("llama3.1") is None:
        pytest.skip("llama3.1 is not in the licence knowledge base")
    llama = licence("llama3.1")
    plain = results(facts(snapshot(CLOSED_CARD), llama), rules)["osd"]
    five = next(c for c in plain.checks if c.id == "osd/5-no-discrimination-persons")
    assert five.outcome == "fail" and five.evidence[0].source == "knowledge-base:llama3.1"
    detected = [restriction("scale-cap", [5, 7], "700 million monthly active users", lic="llama3.1")]
    again = results(facts(snapshot(CLOSED_CARD), llama, detected), rules)["osd"]
    five = next(c for c in again.checks if c.id == "osd/5-no-discrimination-persons")
    assert [e.path for e in five.evidence] == ["LICENSE"]  # the text hit, not also the KB entry


def test_eu_indicator_lists_the_duties_that_remain() -> None:
    open_fw = results(facts(snapshot(OPEN_CARD), APACHE))["eu-ai-act-53-2"]
    ids = outcomes(open_fw)
    assert "eu-ai-act-53-2/copyright-policy" in ids and "eu-ai-act-53-2/training-content-summary" in ids
    assert open_fw.verdict == "pass"  # the duty checks do not count towards the verdict
    assert "53(1)(c)" in open_fw.summary and "not legal advice" in open_fw.summary
    risk = next(c for c in open_fw.checks if c.id == "eu-ai-act-53-2/not-systemic-risk")
    assert risk.outcome == "pass" and "heuristic" in risk.reason
    closed = results(facts(snapshot(CLOSED_CARD, gated="manual"), CUSTOM, LLAMA_LIKE))["eu-ai-act-53-2"]
    got = outcomes(closed)
    assert closed.verdict == "fail"
    assert got["eu-ai-act-53-2/free-open-licence"] == "fail"
    assert got["eu-ai-act-53-2/weights-public"] == "fail"


def test_systemic_risk_is_unknown_without_a_figure() -> None:
    card = OPEN_CARD.replace("A 1B-parameter model", "A model")
    fw = results(facts(snapshot(card), APACHE))["eu-ai-act-53-2"]
    assert outcomes(fw)["eu-ai-act-53-2/not-systemic-risk"] == "unknown"
    assert fw.verdict == "unknown"
    stated = card.replace("A model", "A model trained with 3e25 FLOPs")
    fw = results(facts(snapshot(stated), APACHE))["eu-ai-act-53-2"]
    assert outcomes(fw)["eu-ai-act-53-2/not-systemic-risk"] == "fail"


def test_components_carry_status_and_evidence() -> None:
    out = evaluate(
        facts(snapshot(OPEN_CARD, [*WEIGHTS, "checkpoints/step-1000/model.safetensors"]), APACHE), RuleSet()
    )
    comps = {c.id: c for c in out.components}
    assert len(comps) == 17
    assert comps["intermediate-parameters"].status == "present"
    assert comps["research-paper"].status == "present"
    assert comps["training-code"].license == "Apache-2.0"
    assert comps["evaluation-code"].license == "MIT"
    assert comps["sample-outputs"].status == "absent"


def test_pickle_only_weights_are_a_finding() -> None:
    out = evaluate(facts(snapshot(OPEN_CARD, ["config.json", "pytorch_model.bin"]), APACHE), RuleSet())
    assert any(f.id == "weights-pickle-only" for f in out.findings)
    out = evaluate(facts(snapshot(OPEN_CARD), APACHE), RuleSet())
    assert not any(f.id == "weights-pickle-only" for f in out.findings)


POLICY = """id: acme-intake
title: ACME model intake policy
verdict:
  rule: all-pass
  summary: {fail: "blocked by {failed}"}
checks:
  - id: acme-intake/osi-licence
    title: OSI-approved licence
    gate: licence
    probe: license-open
    params: {accept: [osi]}
    remediation: Pick another model.
  - id: acme-intake/no-user-caps
    title: No user caps
    gate: user caps
    probe: no-restrictions
    params: {types: [scale-cap]}
  - id: acme-intake/paper
    title: A paper exists
    probe: component
    params: {component: research-paper}
    counts: false
"""


def test_a_user_framework_from_yaml(tmp_path: Path) -> None:
    (tmp_path / "frameworks").mkdir()
    (tmp_path / "frameworks" / "acme.yaml").write_text(POLICY, encoding="utf-8")
    rules = RuleSet((str(tmp_path),))
    ok = results(facts(snapshot(OPEN_CARD), APACHE), rules)["acme-intake"]
    assert ok.verdict == "pass"
    bad = results(facts(snapshot(CLOSED_CARD), CUSTOM, LLAMA_LIKE), rules)["acme-intake"]
    assert bad.verdict == "fail" and bad.summary == "blocked by licence, user caps"


def test_bad_framework_rules_are_rule_errors(tmp_path: Path) -> None:
    (tmp_path / "frameworks").mkdir()
    path = tmp_path / "frameworks" / "bad.yaml"
    path.write_text(POLICY.replace("probe: license-open", "probe: no-such-probe"), encoding="utf-8")
    with pytest.raises(RuleError, match="unknown probe 'no-such-probe'"):
        evaluate(facts(snapshot(OPEN_CARD), APACHE), RuleSet((str(tmp_path),)))
    path.write_text(POLICY.replace("rule: all-pass", "rule: majority"), encoding="utf-8")
    with pytest.raises(RuleError, match="verdict/rule"):
        evaluate(facts(snapshot(OPEN_CARD), APACHE), RuleSet((str(tmp_path),)))


def test_packaged_framework_rules_validate() -> None:
    from auditor.frameworks import frameworks

    ids = [fw["id"] for fw in frameworks(RuleSet())]
    assert ids[:4] == ["osaid-1.0", "mof-1.0", "osd", "eu-ai-act-53-2"]
