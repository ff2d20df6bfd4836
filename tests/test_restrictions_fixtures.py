"""End to end: the restrictions that an audit of the fixture model repos reports."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from auditor.pipeline import AuditOptions, audit
from auditor.report.model import Report

CASES = {
    "meta-demo/llama-3.1-8b": {"scale-cap", "naming", "acceptable-use-policy", "field-of-use"},
    "gemma-demo/gemma-2b": {"licensor-control", "flow-down", "acceptable-use-policy"},
    "rail-lab/rail-diffusion": {"field-of-use", "flow-down", "licensor-control"},
    "nc-lab/research-7b": {"non-commercial"},
}


def run(fixtures_dir: Path, name: str) -> Report:
    folder = fixtures_dir / "hub" / name
    if not folder.is_dir():
        pytest.skip(f"fixture {name} is not there yet")
    return audit(str(folder), AuditOptions(lineage=False, timestamp=False))


@pytest.mark.parametrize("name,expected", sorted(CASES.items()))
def test_fixture_restrictions(fixtures_dir: Path, name: str, expected: set[str]) -> None:
    report = run(fixtures_dir, name)
    found = {r.type for r in report.restrictions}
    assert expected <= found, sorted(found)
    for r in report.restrictions:
        assert r.source == "text" and r.path and r.line and r.excerpt and r.rule and len(r.excerpt) <= 200


def test_llama_like_policy_restrictions_cite_the_policy_file(fixtures_dir: Path) -> None:
    report = run(fixtures_dir, "meta-demo/llama-3.1-8b")
    fields = [r for r in report.restrictions if r.type == "field-of-use"]
    assert fields and all(r.path == "USE_POLICY.md" for r in fields)
    # like the real Llama 3.1 terms: no output-training ban, and no EU exclusion (that came with 3.2)
    assert not {"output-restriction", "geographic"} & {r.type for r in report.restrictions}


def test_permissive_model_has_no_restrictions(fixtures_dir: Path) -> None:
    report = run(fixtures_dir, "breeze-ai/breeze-7b")
    assert report.restrictions == []


def test_gated_licence_on_the_hub_is_reported_from_the_knowledge_base(
        hub_env: dict[str, str], run_cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, err = run_cli("audit", "meta-demo/llama-3.1-8b", "--format", "json", "--no-lineage")
    assert code in (0, 1), err
    data = json.loads(out)
    report = data[0] if isinstance(data, list) else data
    kb = [r for r in report["restrictions"] if r["source"] == "knowledge-base"]
    if not kb:
        pytest.skip("the licence knowledge base has no restrictions for llama3.1 yet")
    assert all(r["path"] is None and r["line"] is None and r["excerpt"] for r in kb)
    assert any(f["id"] == "restrictions-from-knowledge-base" for f in report["findings"])
    assert {"scale-cap", "field-of-use"} <= {r["type"] for r in report["restrictions"]}
