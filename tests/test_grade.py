"""The grade: letters from rules/grade.yaml over Facts built directly; caps, blockers, unknowns."""

from __future__ import annotations

from pathlib import Path

import pytest
from frameworks_helpers import CLOSED_CARD, LLAMA_LIKE, OPEN_CARD, facts, licence, restriction, snapshot

from auditor.errors import RuleError
from auditor.frameworks import evaluate
from auditor.frameworks.grade import grade, grade_rules
from auditor.report.model import Grade
from auditor.rules import RuleSet
from auditor.snapshot import READ_GATED, TextFile

APACHE = licence("apache-2.0", True, "permissive", "Apache-2.0")
RAIL_LIKE = [
    restriction("acceptable-use-policy", [6], "You agree not to use the Model", lic="rail"),
    restriction("field-of-use", [6], "to provide medical advice", lic="rail"),
]
NC = [restriction("non-commercial", [6], "for non-commercial purposes only", lic="nc")]


def graded(f, rules: RuleSet | None = None) -> Grade:
    rules = rules or RuleSet()
    g = grade(f, evaluate(f, rules), rules)
    assert g is not None
    return g


def cases() -> dict[str, Grade]:
    return {
        "open": graded(facts(snapshot(OPEN_CARD), APACHE)),
        "weights-only": graded(facts(snapshot(CLOSED_CARD.replace("custom-terms", "apache-2.0")), APACHE)),
        "rail": graded(
            facts(snapshot(CLOSED_CARD), licence("rail", False, "restricted-open-weights"), RAIL_LIKE)
        ),
        "llama": graded(
            facts(
                snapshot(CLOSED_CARD), licence("custom-terms", False, "restricted-open-weights"), LLAMA_LIKE
            )
        ),
        "nc": graded(facts(snapshot(CLOSED_CARD), licence("nc", False, "non-commercial"), NC)),
        "none": graded(facts(snapshot(CLOSED_CARD.replace("license: custom-terms\n", "")), None)),
    }


def test_letters_and_ordering() -> None:
    got = cases()
    assert {k: g.letter for k, g in got.items()} == {
        "open": "A",
        "weights-only": "B",
        "rail": "C",
        "llama": "D",
        "nc": "E",
        "none": "F",
    }
    scores = [got[k].score for k in ("open", "weights-only", "rail", "llama", "nc", "none")]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)
    assert all(0 <= s <= 100 for s in scores)


def test_every_grade_below_a_says_what_blocks_the_next() -> None:
    got = cases()
    assert got["open"].blockers == []
    for key in ("weights-only", "rail", "llama", "nc", "none"):
        assert got[key].blockers, key
    assert got["llama"].blockers[0].startswith("C:") and "scale-cap" in got["llama"].blockers[0]
    assert got["weights-only"].blockers[0].startswith("A:")


def test_no_weights_is_f() -> None:
    g = graded(facts(snapshot(OPEN_CARD, files=["config.json"]), APACHE))
    assert g.letter == "F"
    assert any("weights" in b for b in g.blockers)


def test_binding_ancestor_licence_caps_the_grade() -> None:
    ancestor = licence("custom-terms", False, "restricted-open-weights")
    inherited = [restriction(r.type, r.osd, r.excerpt, inherited_from="base/model") for r in LLAMA_LIKE]
    g = graded(
        facts(
            snapshot(CLOSED_CARD.replace("custom-terms", "mit")),
            licence("mit", True, "permissive", "MIT"),
            binding=ancestor,
            inherited=inherited,
        )
    )
    assert g.letter == "D"
    assert "custom-terms caps the grade at D" in g.blockers[0]
    assert any("inherited from base/model" in b for b in g.blockers[1:])
    # without traced restrictions the ancestor's licence alone still binds
    nc_base = licence("nc", False, "non-commercial")
    g = graded(facts(snapshot(OPEN_CARD), APACHE, binding=nc_base))
    assert g.letter == "E" and "caps the grade at E" in g.blockers[0]
    assert any("an ancestor under nc" in b for b in g.blockers[1:])
    restricted_base = licence("custom-terms", False, "restricted-open-weights")
    g = graded(facts(snapshot(OPEN_CARD), APACHE, binding=restricted_base))
    assert g.letter == "C" and "caps the grade at C" in g.blockers[0]


def test_unknown_evidence_never_raises_the_grade() -> None:
    gated = {"LICENSE": TextFile("LICENSE", READ_GATED, None)}
    card = OPEN_CARD.replace("license: apache-2.0\n", "")
    g = graded(
        facts(
            snapshot(card, ["config.json", "model.safetensors", "LICENSE"], gated="manual", texts=gated), None
        )
    )
    assert g.letter == "F"
    assert any("could not be checked" in b for b in g.blockers)


def test_grade_rules_are_validated(tmp_path: Path) -> None:
    assert [x["letter"] for x in grade_rules(RuleSet())] == list("ABCDEF")
    (tmp_path / "grade.yaml").write_text(
        "letters:\n  - letter: A\n    meaning: x\n    requires: []\n", encoding="utf-8"
    )
    with pytest.raises(RuleError, match="score"):
        grade_rules(RuleSet((str(tmp_path),)))
    (tmp_path / "grade.yaml").write_text(
        "letters:\n  - letter: A\n    meaning: x\n    score: {min: 0, max: 100}\n"
        "    requires: [{probe: nope, blocker: b}]\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleError, match="unknown probe 'nope'"):
        grade_rules(RuleSet((str(tmp_path),)))


def test_a_custom_grade_file_replaces_the_packaged_one(tmp_path: Path) -> None:
    (tmp_path / "grade.yaml").write_text(
        "letters:\n"
        "  - letter: P\n    meaning: passes the OSD\n    score: {min: 50, max: 100}\n"
        "    requires: [{probe: framework-verdict, params: {framework: osd, verdict: pass},\n"
        "                blocker: fix the licence}]\n"
        "  - letter: X\n    meaning: everything else\n    score: {min: 0, max: 49}\n    requires: []\n",
        encoding="utf-8",
    )
    rules = RuleSet((str(tmp_path),))
    assert graded(facts(snapshot(OPEN_CARD), APACHE), rules).letter == "P"
    g = graded(
        facts(snapshot(CLOSED_CARD), licence("custom-terms", False, "restricted-open-weights"), LLAMA_LIKE),
        rules,
    )
    assert g.letter == "X" and g.blockers[0].startswith("P: fix the licence")
