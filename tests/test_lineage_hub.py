"""Lineage through the stand-in Hub (CLI in a subprocess) and offline from the populated cache."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hub import StandInHub

CASES = {
    # fixture: (ancestors (id, relation, status), conflict types)
    "relabel/llama-3.1-8b-chat-mit": ([("meta-demo/llama-3.1-8b", "finetune", "resolved")], ["relicensed"]),
    "relabel/hermes-8b-mit": ([("meta-demo/llama-3.1-8b", "finetune", "resolved")], ["relicensed"]),
    "adapters/gemma-2b-lora": ([("gemma-demo/gemma-2b", "adapter", "resolved")], []),
    "merges/breeze-research-merge": (
        [("breeze-ai/breeze-7b", "merge", "resolved"), ("nc-lab/research-7b", "merge", "resolved")],
        ["incompatible-merge", "relicensed"],
    ),
    "quant/llama-3.1-8b-gguf": ([("meta-demo/llama-3.1-8b", "quantized", "resolved")], []),
    "tuners/breeze-7b-dialog": ([("breeze-ai/breeze-7b", "finetune", "resolved")], ["dataset-license"]),
    "scratch/llama-arch-1b": ([], []),
}
LINEAGE_CONFLICTS = {"relicensed", "incompatible-merge", "dataset-license", "derivative-without-license"}


def audit_json(run_cli: Any, *args: str) -> dict[str, Any]:
    code, out, err = run_cli("audit", *args, "--format", "json")
    assert code in (0, 1), err
    data: dict[str, Any] = json.loads(out)
    return data


def lineage_of(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    return sorted((a["id"], a["relation"], a["status"]) for a in report["lineage"])


def lineage_conflicts(report: dict[str, Any]) -> list[str]:
    return sorted(c["type"] for c in report["conflicts"] if c["type"] in LINEAGE_CONFLICTS)


@pytest.mark.parametrize("repo_id", sorted(CASES))
def test_fixture_through_hub(repo_id: str, hub: StandInHub, hub_env: dict[str, str], run_cli: Any) -> None:
    report = audit_json(run_cli, repo_id)
    ancestors, conflicts = CASES[repo_id]
    assert lineage_of(report) == sorted(ancestors)
    assert lineage_conflicts(report) == sorted(conflicts)
    # one metadata request for the model and one per ancestor, nothing more
    infos = [r.path.split("?")[0] for r in hub.requests("GET", "/api/models/")]
    assert sorted(infos) == sorted(f"/api/models/{i}" for i in [repo_id, *(a[0] for a in ancestors)])


def test_dataset_is_read_through_the_hub(hub: StandInHub, hub_env: dict[str, str], run_cli: Any) -> None:
    report = audit_json(run_cli, "tuners/breeze-7b-dialog")
    assert hub.requests("GET", "/api/datasets/data-lab/nc-dialogues")
    [c] = [c for c in report["conflicts"] if c["type"] == "dataset-license"]
    assert c["severity"] == "medium"
    assert {e["source"] for e in c["evidence"]} >= {"metadata", "dataset:data-lab/nc-dialogues"}


def test_ancestor_hub_error_is_listed_unknown(hub: StandInHub, hub_env: dict[str, str], run_cli: Any) -> None:
    hub.fail("/api/models/nc-lab/research-7b", "500")
    report = audit_json(run_cli, "merges/breeze-research-merge")
    assert lineage_of(report) == [
        ("breeze-ai/breeze-7b", "merge", "resolved"),
        ("nc-lab/research-7b", "merge", "unknown"),
    ]
    assert any(
        f["id"] == "ancestor-unresolved" and "nc-lab/research-7b" in f["message"] for f in report["findings"]
    )


@pytest.mark.parametrize("repo_id", ["relabel/llama-3.1-8b-chat-mit", "merges/breeze-research-merge",
                                     "tuners/breeze-7b-dialog", "adapters/gemma-2b-lora"])
def test_offline_from_populated_cache(repo_id: str, hub: StandInHub, hub_env: dict[str, str],
                                      run_cli: Any) -> None:
    online = audit_json(run_cli, repo_id)
    hub.clear()
    offline = audit_json(run_cli, repo_id, "--offline")
    assert hub.log == []
    assert lineage_of(offline) == lineage_of(online) == sorted(CASES[repo_id][0])
    assert lineage_conflicts(offline) == sorted(CASES[repo_id][1])


def test_offline_ancestor_not_cached_is_unknown(
    hub: StandInHub, hub_env: dict[str, str], run_cli: Any
) -> None:
    audit_json(run_cli, "quant/llama-3.1-8b-gguf", "--no-lineage")
    report = audit_json(run_cli, "quant/llama-3.1-8b-gguf", "--offline")
    assert lineage_of(report) == [("meta-demo/llama-3.1-8b", "quantized", "unknown")]
    assert any(f["id"] == "ancestor-unresolved" for f in report["findings"])


def test_local_folder_resolves_beside_it_then_through_the_hub(
    fixtures_dir: Path, tmp_path: Path, hub: StandInHub, hub_env: dict[str, str], run_cli: Any
) -> None:
    beside = audit_json(run_cli, str(fixtures_dir / "hub/relabel/llama-3.1-8b-chat-mit"))
    assert lineage_of(beside) == [("meta-demo/llama-3.1-8b", "finetune", "resolved")]
    assert hub.requests("GET", "/api/models/") == []  # found in fixtures/hub, no Hub request
    alone = tmp_path / "work" / "mine" / "chat-model"
    shutil.copytree(fixtures_dir / "hub/relabel/llama-3.1-8b-chat-mit", alone)
    report = audit_json(run_cli, str(alone))
    assert lineage_of(report) == [("meta-demo/llama-3.1-8b", "finetune", "resolved")]
    assert [r.path.split("?")[0] for r in hub.requests("GET", "/api/models/")] == [
        "/api/models/meta-demo/llama-3.1-8b"
    ]
    assert lineage_conflicts(report) == ["relicensed"]
