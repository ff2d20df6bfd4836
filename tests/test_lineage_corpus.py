"""Lineage over the real model cards of the shared corpus (read at test time, never copied).

Ancestors resolve from the corpus itself (folders named org__name). The labels below are what a careful
reader of each card concludes; they are the test's oracle, not an input to the tool.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lineage_cases import CONSISTENT, INDEPENDENT, LINEAGE_CONFLICTS, LLAMA2_RELABELS

from auditor.collect.local import LocalSource
from auditor.facts import LineageOutcome
from auditor.lineage import FolderMap
from auditor.pipeline import analyse
from auditor.rules import RuleSet


@pytest.fixture(scope="module")
def lineages(shared_dir: Path) -> dict[str, LineageOutcome]:
    models = shared_dir / "corpus" / "models"
    if not models.is_dir():
        pytest.skip(f"corpus models not found at {models}")
    rules = RuleSet()
    resolver = FolderMap(models)
    wanted = {*LLAMA2_RELABELS, *CONSISTENT, *INDEPENDENT, "allenai/tulu-2-7b",
              "cognitivecomputations/Dolphin3.0-R1-Mistral-24B"}
    out = {}
    for repo_id in sorted(wanted):
        folder = models / repo_id.replace("/", "__")
        if folder.is_dir():
            out[repo_id] = analyse(LocalSource().snapshot(str(folder)), rules, resolver=resolver).lineage
    return out


def test_llama2_relabels_are_flagged(lineages: dict[str, LineageOutcome]) -> None:
    flagged = {
        m
        for m in LLAMA2_RELABELS
        if m in lineages and any(c.type == "relicensed" for c in lineages[m].conflicts)
    }
    assert len(flagged) >= 10, sorted(set(LLAMA2_RELABELS) - flagged)
    for m in flagged:
        lin = lineages[m]
        assert lin.binding_license is not None and lin.binding_license.id == "llama2"
        [c] = [c for c in lin.conflicts if c.type == "relicensed"]
        assert c.evidence[0].path == "README.md" and c.evidence[0].line  # the license: key
        assert any(e.source and e.source.startswith(("knowledge-base:", "ancestor:")) for e in c.evidence)


def test_inferred_bases_carry_evidence(lineages: dict[str, LineageOutcome]) -> None:
    inferred = [
        a
        for m in LLAMA2_RELABELS
        if m in lineages
        for a in lineages[m].ancestors
        if a.depth == 1 and a.inferred
    ]
    assert len(inferred) >= 9
    for a in inferred:
        assert a.confidence is not None and 0 < a.confidence < 1
        assert a.evidence and (a.evidence[0].line or a.evidence[0].source in ("repo-name", "config"))


def test_declared_licence_matching_the_base_is_not_a_conflict(lineages: dict[str, LineageOutcome]) -> None:
    for m in CONSISTENT:
        if m in lineages:
            assert not [c.type for c in lineages[m].conflicts if c.type in LINEAGE_CONFLICTS], m


def test_declared_base_without_licence(lineages: dict[str, LineageOutcome]) -> None:
    lin = lineages.get("allenai/tulu-2-7b")
    if lin is None:
        pytest.skip("allenai__tulu-2-7b not in the corpus")
    assert [(a.id, a.inferred) for a in lin.ancestors if a.depth == 1] == [
        ("meta-llama/Llama-2-7b-hf", False)
    ]
    lin = lineages.get("cognitivecomputations/Dolphin3.0-R1-Mistral-24B")
    if lin is None:
        pytest.skip("cognitivecomputations__Dolphin3.0-R1-Mistral-24B not in the corpus")
    assert [c.type for c in lin.conflicts] == ["derivative-without-license"]


def test_licence_named_in_card_prose_still_bound_by_base(lineages: dict[str, LineageOutcome]) -> None:
    """Tulu 2 has no license: key, but its card names the AI2 ImpACT low-risk licence; Llama 2 still binds."""
    lin = lineages.get("allenai/tulu-2-7b")
    if lin is None:
        pytest.skip("allenai__tulu-2-7b not in the corpus")
    assert [(c.type, c.severity) for c in lin.conflicts] == [("relicensed", "medium")]
    assert lin.binding_license is not None and lin.binding_license.id == "llama2"


def test_no_false_positives_on_independent_models(lineages: dict[str, LineageOutcome]) -> None:
    present = [m for m in INDEPENDENT if m in lineages]
    assert len(present) >= 10
    for m in present:
        lin = lineages[m]
        assert not [c.type for c in lin.conflicts if c.type in LINEAGE_CONFLICTS], m
        family = [
            a.id for a in lin.ancestors if a.license and (a.license.id or "").startswith(("llama", "gemma"))
        ]
        assert family == [], m


def test_amberchat_descends_from_amber_not_llama(lineages: dict[str, LineageOutcome]) -> None:
    lin = lineages.get("LLM360/AmberChat")
    if lin is None:
        pytest.skip("LLM360__AmberChat not in the corpus")
    assert [(a.id, a.status, a.inferred) for a in lin.ancestors] == [("LLM360/Amber", "resolved", True)]
