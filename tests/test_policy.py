"""The policy gate: loading and validating policy files, AND/OR licence logic, suppressions, exit codes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sample_reports import open_model, relabelled

from auditor.errors import InputError
from auditor.policy import (
    Policy,
    Suppression,
    allowed_keys,
    apply,
    discover,
    evaluate,
    expression_allowed,
    load_policy,
    resolve_policy,
    verdict_meets,
)

TODAY = dt.date(2026, 11, 29)


class Entry:
    def __init__(self, id_: str) -> None:
        self.id = id_


class TinyKB:
    """Stands in for the knowledge base's lookup: Hub id, SPDX id or alias -> entry id."""

    index = {
        "llama3.1": "llama3.1",
        "licenseref-scancode-llama-3.1-license-2024": "llama3.1",
        "apache-2.0": "apache-2.0",
        "mit": "mit",
        "cc-by-nc-4.0": "cc-by-nc-4.0",
    }

    def get(self, key: str) -> Entry | None:
        eid = self.index.get(key.lower())
        return Entry(eid) if eid else None


@pytest.mark.parametrize(
    ("expression", "allowed", "ok"),
    [
        ("MIT", ["mit"], True),
        ("MIT OR llama3.1", ["mit"], True),  # OR: one allowed branch is enough
        ("llama3.1 OR cc-by-nc-4.0", ["mit"], False),
        ("MIT AND llama3.1", ["mit"], False),  # AND: every part must be allowed
        ("MIT AND Apache-2.0", ["mit", "apache-2.0"], True),
        ("(MIT OR llama3.1) AND Apache-2.0", ["mit", "apache-2.0"], True),
        ("(MIT OR llama3.1) AND cc-by-nc-4.0", ["mit", "apache-2.0"], False),
        ("GPL-2.0-only WITH Classpath-exception-2.0", ["GPL-2.0-only"], True),
        ("GPL-2.0-only", ["GPL-2.0-only WITH Classpath-exception-2.0"], False),
        ("GPL-2.0-only WITH Classpath-exception-2.0", ["GPL-2.0-only WITH Classpath-exception-2.0"], True),
        (
            "llama3.1",
            ["LicenseRef-scancode-llama-3.1-license-2024"],
            True,
        ),  # Hub id and SPDX ref agree via the KB
        ("LicenseRef-scancode-llama-3.1-license-2024", ["llama3.1"], True),
        ("openrail++", ["openrail++"], True),  # not SPDX, not in the KB: a LicenseRef-like symbol
        ("other", ["mit"], False),
    ],
)
def test_and_or(expression: str, allowed: list[str], ok: bool) -> None:
    kb = TinyKB()
    assert expression_allowed(expression, allowed_keys(allowed, kb), kb) is ok


def test_allow_list_entry_may_be_an_expression() -> None:
    kb = TinyKB()
    keys = allowed_keys(["MIT OR Apache-2.0"], kb)
    assert keys >= {"mit", "apache-2.0"}


@pytest.mark.parametrize(
    ("verdict", "wanted", "ok"),
    [
        ("class-1", "class-3", True),
        ("class-3", "class-3", True),
        ("class-3", "class-2", False),
        ("Class II", "class-3", True),
        ("unclassified", "class-3", False),
        ("pass", "pass", True),
        ("unknown", "pass", False),
        ("fail", "pass", False),
    ],
)
def test_verdict_ladder(verdict: str, wanted: str, ok: bool) -> None:
    assert verdict_meets(verdict, wanted) is ok


def test_relabelled_llama_violates_each_rule() -> None:
    report = relabelled()
    policy = Policy(
        source="p.yml",
        allow_licenses=("mit", "apache-2.0"),
        deny_restrictions=("scale-cap", "naming"),
        min_grade="C",
        require={"osaid-1.0": "pass", "mof-1.0": "class-2", "eu-ai-act": "exempt"},
    )
    result = evaluate(report, policy, today=TODAY)
    assert result["passed"] is False
    assert report.policy is result
    rules = [v["rule"] for v in result["violations"]]
    assert rules.count("deny-restrictions") == 2
    assert {"allow-licenses", "min-grade", "require"} <= set(rules)
    scale = next(v for v in result["violations"] if v["id"] == "scale-cap")
    assert (scale["path"], scale["line"]) == ("LICENSE", 14)
    messages = " ".join(v["message"] for v in result["violations"])
    assert "eu-ai-act was not evaluated" in messages  # a missing framework is not a pass
    assert "ancestor meta-demo/llama-3.1-8b" in messages  # the base model's licence is checked too
    json.dumps(result)  # plain data for the JSON report


def test_open_model_passes() -> None:
    policy = Policy(
        allow_licenses=("apache-2.0", "mit"),
        deny_restrictions=("non-commercial",),
        min_grade="B",
        require={"osaid-1.0": "pass", "mof-1.0": "class-3"},
    )
    assert apply([open_model()], policy, today=TODAY) is True


def test_no_licence_is_a_violation() -> None:
    report = open_model()
    report.license = None
    result = evaluate(report, Policy(allow_licenses=("mit",)), today=TODAY)
    assert [v["rule"] for v in result["violations"]] == ["allow-licenses"]


def test_no_grade_fails_min_grade() -> None:
    report = open_model()
    report.grade = None
    assert evaluate(report, Policy(min_grade="F"), today=TODAY)["passed"] is False


def test_suppression_marks_and_skips() -> None:
    report = relabelled()
    policy = Policy(
        deny_restrictions=("scale-cap", "naming"),
        ignore=(
            Suppression(
                id="scale-cap",
                reason="commercial licence signed with the vendor",
                model="relabel/*",
                expires=dt.date(2027, 1, 1),
            ),
            Suppression(id="license-relabelled", reason="known; fixed upstream"),
            Suppression(id="naming", reason="other model", model="someone/else"),
        ),
    )
    result = evaluate(report, policy, today=TODAY)
    assert [v["id"] for v in result["violations"]] == ["naming"]
    kinds = {(s["kind"], s["id"]) for s in result["suppressed"]}
    assert kinds == {("restriction", "scale-cap"), ("finding", "license-relabelled")}
    relabel = next(f for f in report.findings if f.id == "license-relabelled")
    assert relabel.suppressed and relabel.suppression_reason == "known; fixed upstream"
    assert any(f.id == "scale-cap-mau" for f in report.findings) is False  # findings untouched otherwise


def test_suppression_by_rule_id_and_check_id() -> None:
    report = relabelled()
    policy = Policy(
        deny_restrictions=("scale-cap",),
        ignore=(
            Suppression(id="scale-cap-mau", reason="by rule id"),
            Suppression(id="osaid-license-osi", reason="x-check"),
        ),
    )
    result = evaluate(report, policy, today=TODAY)
    assert result["passed"] is True
    assert {s["kind"] for s in result["suppressed"]} == {"restriction", "check"}


def test_expired_suppression_fails_loudly() -> None:
    report = relabelled()
    policy = Policy(
        deny_restrictions=("scale-cap",),
        ignore=(Suppression(id="scale-cap", reason="temporary waiver", expires=dt.date(2026, 11, 28)),),
    )
    result = evaluate(report, policy, today=TODAY)
    rules = sorted(v["rule"] for v in result["violations"])
    assert rules == ["deny-restrictions", "ignore"]  # not applied, and its expiry is itself a violation
    expired = next(v for v in result["violations"] if v["rule"] == "ignore")
    assert "expired on 2026-11-28" in expired["message"] and "temporary waiver" in expired["message"]
    # the expiry day itself is still valid
    report2 = relabelled()
    policy2 = Policy(
        deny_restrictions=("scale-cap",),
        ignore=(Suppression(id="scale-cap", reason="temporary waiver", expires=TODAY),),
    )
    assert evaluate(report2, policy2, today=TODAY)["passed"] is True


# ------------------------------------------------------------ files


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_load_yaml_policy(tmp_path: Path) -> None:
    p = write(
        tmp_path / ".auditor.yml",
        """
allow-licenses: [apache-2.0, "MIT OR BSD-3-Clause"]
deny-restrictions: [non-commercial]
min-grade: C
require: {osaid-1.0: pass, mof-1.0: class-3}
ignore:
  - {id: scale-cap, model: "relabel/*", reason: vendor agreement, expires: 2027-01-31}
""",
    )
    pol = load_policy(p)
    assert pol.allow_licenses == ("apache-2.0", "MIT OR BSD-3-Clause")
    assert pol.require == {"osaid-1.0": "pass", "mof-1.0": "class-3"}
    assert pol.ignore[0].expires == dt.date(2027, 1, 31)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("deny-restrictions: [no-such-code]\n", "deny-restrictions/0"),
        ("min-grade: G\n", "min-grade"),
        ("ignore:\n  - {id: scale-cap}\n", "ignore/0"),  # reason is mandatory
        ("ignore:\n  - {id: x, reason: why not, expires: next year}\n", "ignore/0/expires"),
        ("allow-licence: [mit]\n", "(top level)"),  # a typo in a key
        ("require: {osaid-1.0: [pass]}\n", "require/osaid-1.0"),
    ],
)
def test_invalid_policy_names_file_and_field(tmp_path: Path, text: str, field: str) -> None:
    p = write(tmp_path / "policy.yml", text)
    with pytest.raises(InputError) as err:
        load_policy(p)
    assert str(p) in err.value.message and f"field {field}" in err.value.message
    assert err.value.exit_code == 2


def test_pyproject_table(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        """
[project]
name = "x"

[tool.auditor]
allow-licenses = ["apache-2.0"]
min-grade = "B"

[[tool.auditor.ignore]]
id = "naming"
reason = "renamed in the release"
expires = 2027-03-01
""",
    )
    assert discover(tmp_path) == tmp_path / "pyproject.toml"
    pol = resolve_policy(None, folder=tmp_path)
    assert pol is not None and pol.min_grade == "B" and pol.ignore[0].expires == dt.date(2027, 3, 1)


def test_discovery_order_and_overrides(tmp_path: Path) -> None:
    assert discover(tmp_path) is None
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert discover(tmp_path) is None  # a pyproject without [tool.auditor] is no policy
    write(tmp_path / ".auditor.yml", "min-grade: C\n")
    assert discover(tmp_path) == tmp_path / ".auditor.yml"
    assert resolve_policy(None, "a", folder=tmp_path).min_grade == "A"  # --fail-under wins
    explicit = write(tmp_path / "other.yml", "min-grade: E\n")
    assert resolve_policy(str(explicit), folder=tmp_path).min_grade == "E"  # --policy wins
    assert resolve_policy(None, auto=False, folder=tmp_path) is None  # --no-policy
    assert resolve_policy(None, "D", auto=False, folder=tmp_path) == Policy(min_grade="D")


def test_missing_policy_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_policy(tmp_path / "nope.yml")


# ------------------------------------------------------------ CLI exit codes


def model_folder(root: Path, licence: str = "apache-2.0") -> Path:
    folder = root / "models" / "tiny"
    folder.mkdir(parents=True)
    write(
        folder / "README.md",
        f"---\nlicense: {licence}\nlibrary_name: transformers\n---\n\n# tiny\n\nA test model.\n",
    )
    write(folder / "config.json", '{"model_type": "gpt2"}\n')
    return folder


def test_cli_exit_codes(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    model_folder(tmp_path)
    target = "./models/tiny"
    ok = write(tmp_path / "ok.yml", "allow-licenses: [apache-2.0, mit]\n")
    bad = write(tmp_path / "bad.yml", "allow-licenses: [mit]\n")
    invalid = write(tmp_path / "invalid.yml", "min-grade: Z\n")
    args = ("audit", target, "--no-lineage", "--format", "json")

    code, out, err = run_cli(*args, "--policy", str(ok), cwd=tmp_path)
    assert code == 0, err
    assert json.loads(out)["policy"]["passed"] is True

    code, out, err = run_cli(*args, "--policy", str(bad), cwd=tmp_path)
    assert code == 1, err
    data = json.loads(out)
    assert [v["rule"] for v in data["policy"]["violations"]] == ["allow-licenses"]

    code, out, _ = run_cli(*args, "--policy", str(bad), "--warn-only", cwd=tmp_path)
    assert code == 0 and json.loads(out)["policy"]["passed"] is False

    code, out, err = run_cli(*args, "--policy", str(invalid), cwd=tmp_path)
    assert code == 2 and out == ""
    assert str(invalid) in err and "field min-grade" in err and "Traceback" not in err

    code, _, err = run_cli(*args, "--policy", str(tmp_path / "missing.yml"), cwd=tmp_path)
    assert code == 2 and "no such file" in err


def test_cli_discovers_policy_and_text_names_rule(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    model_folder(tmp_path)
    write(tmp_path / ".auditor.yml", "allow-licenses: [mit]\n")
    code, out, _ = run_cli("audit", "./models/tiny", "--no-lineage", "--color", "never", cwd=tmp_path)
    assert code == 1
    assert "Policy: FAIL" in out and "allow-licenses: licence" in out
    code, out, _ = run_cli("audit", "./models/tiny", "--no-lineage", "--no-policy", cwd=tmp_path)
    assert code == 0 and "Policy:" not in out


def test_cli_fail_under(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    model_folder(tmp_path)
    code, out, err = run_cli(
        "audit", "./models/tiny", "--no-lineage", "--format", "json", "--fail-under", "a", cwd=tmp_path
    )
    data = json.loads(out)
    letter = (data.get("grade") or {}).get("letter")
    if letter == "A":
        assert code == 0
    else:  # below A, or no grade at all (unknown is never a pass)
        assert code == 1, err
        assert data["policy"]["violations"][0]["rule"] == "min-grade"


def test_policy_result_fits_the_report_schema() -> None:
    from jsonschema import Draft202012Validator

    from auditor.formats import RenderOptions, render
    from auditor.rules import schema

    report = relabelled()
    evaluate(report, Policy(source=".auditor.yml", allow_licenses=("mit",), deny_restrictions=("scale-cap",),
                            min_grade="B", require={"osaid-1.0": "pass"},
                            ignore=(Suppression(id="license-relabelled", reason="known"),
                                    Suppression(id="naming", reason="old", expires=dt.date(2020, 1, 1)))),
             today=TODAY, warn_only=True)
    data = json.loads(render("json", [report], RenderOptions()))
    errors = list(Draft202012Validator(schema("report-1.json")).iter_errors(data))
    assert errors == []
    assert {v["rule"] for v in data["policy"]["violations"]} == {
        "allow-licenses", "deny-restrictions", "min-grade", "require", "ignore"}
