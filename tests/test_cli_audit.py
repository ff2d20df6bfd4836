"""The `audit` command end to end: local folders, batches from a file, output files, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from auditor import __version__

BREEZE = "breeze-ai/breeze-7b"


def schema_validator(repo_dir: Path):  # type: ignore[no-untyped-def]
    from jsonschema import Draft202012Validator

    schema = json.loads((repo_dir / "auditor" / "schemas" / "report-1.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def test_version(run_cli) -> None:
    code, out, err = run_cli("--version")
    assert code == 0 and out.strip() == f"auditor {__version__}" and err == ""


def test_local_folder_json(run_cli, fixtures_dir: Path, repo_dir: Path) -> None:
    folder = fixtures_dir / "hub" / "breeze-ai" / "breeze-7b"
    code, out, err = run_cli("audit", str(folder), "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    schema_validator(repo_dir).validate(report)
    assert report["subject"]["source"] == "local"
    assert report["subject"]["revision"] is None


def test_local_folder_relative_path_and_text(run_cli) -> None:
    code, out, err = run_cli("audit", "fixtures/hub/breeze-ai/breeze-7b", "--no-lineage")
    assert code == 0, err
    assert "breeze-7b" in out and "Traceback" not in err


def test_local_folder_needs_no_network(run_cli, fixtures_dir: Path, tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HF_ENDPOINT": "http://127.0.0.1:9", "HF_HOME": str(tmp_path),
           "HF_HUB_DISABLE_TELEMETRY": "1"}
    folder = fixtures_dir / "hub" / "breeze-ai" / "breeze-7b"
    code, out, err = run_cli("audit", str(folder), "--format", "json", "--no-lineage", env=env)
    assert code == 0, err


def test_from_file_two_ids(hub, hub_env, run_cli, tmp_path: Path, repo_dir: Path) -> None:
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("# two fixture repos\nbreeze-ai/breeze-7b\n\nopen-lab/open-lm-1b  # fully open\n")
    code, out, err = run_cli("audit", "--from-file", str(seeds), "--format", "json", "--no-lineage")
    assert code == 0, err
    reports = json.loads(out)
    assert isinstance(reports, list)
    assert [r["subject"]["id"] for r in reports] == [BREEZE, "open-lab/open-lm-1b"]
    validator = schema_validator(repo_dir)
    for report in reports:
        validator.validate(report)
    metadata = [r.route for r in hub.log if r.route.startswith("/api/")]
    assert metadata == [f"/api/models/{BREEZE}", "/api/models/open-lab/open-lm-1b"]


def test_batch_with_one_missing_repo(hub, hub_env, run_cli, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("breeze-ai/breeze-7b\nnobody/nothing\n")
    code, out, err = run_cli("audit", "--from-file", str(seeds), "--format", "json", "--no-lineage")
    assert code == 3  # the worst exit code of the batch
    reports = json.loads(out)
    assert [r["subject"]["id"] for r in reports] == [BREEZE]
    assert "nobody/nothing" in err and "Traceback" not in err


def test_output_file(hub, hub_env, run_cli, tmp_path: Path) -> None:
    dest = tmp_path / "report.json"
    code, out, err = run_cli("audit", BREEZE, "--format", "json", "-o", str(dest), "--no-lineage")
    assert code == 0, err
    assert out == ""
    assert json.loads(dest.read_text(encoding="utf-8"))["subject"]["id"] == BREEZE


def test_no_target_exit_2(run_cli) -> None:
    code, out, err = run_cli("audit")
    assert code == 2 and out == "" and "no target" in err


def test_unknown_option_exit_2(run_cli) -> None:
    code, _, err = run_cli("audit", "--no-such-option")
    assert code == 2 and "Traceback" not in err


def test_endpoint_unreachable_exit_3(run_cli, tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HF_HOME": str(tmp_path), "HF_HUB_DISABLE_TELEMETRY": "1"}
    code, out, err = run_cli("audit", BREEZE, "--endpoint", "http://127.0.0.1:9", "--timeout", "2", env=env)
    assert code == 3
    assert "connection error" in err and "Traceback" not in err


def test_bad_endpoint_exit_2(run_cli, tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HF_HOME": str(tmp_path), "HF_HUB_DISABLE_TELEMETRY": "1"}
    for endpoint in ("not a url", "ftp://example.org", "http://[bad", "http://host:99999"):
        code, out, err = run_cli("audit", BREEZE, "--endpoint", endpoint, env=env)
        assert code == 2, (endpoint, err)
        assert "invalid Hub endpoint" in err and "Traceback" not in err
