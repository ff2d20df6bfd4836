"""The JSON report contract: every field present, schema-valid, deterministic apart from the timestamp."""

import json

from click.testing import CliRunner
from jsonschema import Draft202012Validator

from auditor.cli import cli
from auditor.rules import SCHEMAS

REQUIRED = ["schema_version", "tool", "subject", "license", "licenses", "restrictions", "frameworks",
            "conflicts", "grade", "findings"]


def validator():
    schema = json.loads((SCHEMAS / "report-1.json").read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def make_model(path, license_line="license: apache-2.0\n"):
    path.mkdir(parents=True, exist_ok=True)
    (path / "README.md").write_text(f"---\n{license_line}datasets:\n- org/data\n---\n# A model\n")
    return path


def run_json(*args):
    result = CliRunner().invoke(cli, ["audit", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_local_audit_emits_every_field_and_validates(tmp_path):
    data = run_json(str(make_model(tmp_path / "m")))
    for key in REQUIRED:
        assert key in data
    assert data["schema_version"] == "1"
    assert data["tool"]["name"] == "auditor"
    assert data["subject"]["source"] == "local"
    errors = list(validator().iter_errors(data))
    assert not errors, errors[0].message


def test_output_is_deterministic_apart_from_timestamp(tmp_path):
    model = make_model(tmp_path / "m")
    a, b = run_json(str(model)), run_json(str(model))
    a.pop("generated_at")
    b.pop("generated_at")
    assert a == b


def test_several_targets_give_an_array(tmp_path):
    one, two = make_model(tmp_path / "one"), make_model(tmp_path / "two", "")
    data = run_json(str(one), str(two))
    assert isinstance(data, list) and len(data) == 2
    for item in data:
        assert not list(validator().iter_errors(item))


def test_output_file(tmp_path):
    out = tmp_path / "report.json"
    model = make_model(tmp_path / "m")
    result = CliRunner().invoke(cli, ["audit", str(model), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text())["subject"]["id"].endswith("m")
