"""Recall and precision of restriction detection on the real licence texts in ../shared/corpus.

The expected clauses come from the clause tables of shared/notes/license-clauses.md, parsed at test time:
each table row gives a type code, a short verbatim trigger that locates the clause, and (through the
heading or a file column) the corpus file. A clause counts as found when a detection of that type lies
within LINE_SLACK lines of the trigger. The helpers here are also used by bench/restrictions.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from auditor.report.model import Restriction
from auditor.restrictions.detect import scan_text
from auditor.restrictions.patterns import compiled
from auditor.rules import RuleSet

LINE_SLACK = 3
CODES = {
    "AUP": "acceptable-use-policy", "FIELD": "field-of-use", "NC": "non-commercial", "USERS": "scale-cap",
    "OUT": "output-restriction", "NAME": "naming", "GEO": "geographic", "REVOKE": "revocable",
    "REMOTE": "licensor-control", "FLOW": "flow-down", "LITIG": "litigation-termination",
    "REG": "registration",
}
_TICKS = re.compile(r"`([^`]+)`")
_FILE = re.compile(r"`([A-Za-z0-9.+_-]+\.txt)`")


@dataclass(frozen=True)
class Expected:
    file: str
    types: frozenset[str]  # any of these types satisfies the row
    lines: tuple[int, ...]  # lines of the trigger occurrences
    trigger: str


def _norm_with_map(text: str) -> tuple[str, list[int]]:
    """Lower case, straight quotes, ``*`` and backslash dropped, whitespace collapsed; with an offset map."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(text):
        if ch in "*\\":
            continue
        ch = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}.get(ch, ch)
        if ch.isspace():
            if space:
                continue
            ch, space = " ", True
        else:
            space = False
        out.append(ch.lower())
        where.append(i)
    return "".join(out), where


def trigger_lines(text: str, trigger: str) -> list[int]:
    norm, where = _norm_with_map(text)
    needle, _ = _norm_with_map(trigger)
    lines = []
    pos = norm.find(needle)
    while pos >= 0:
        lines.append(text.count("\n", 0, where[pos]) + 1)
        pos = norm.find(needle, pos + 1)
    return lines


def _types(cell: str) -> list[frozenset[str]]:
    """A type cell -> the clauses it stands for, each a set of acceptable types."""
    if "(scope)" in cell or cell.strip() == "scope":
        return []
    cell = cell.split("\u2192")[-1]
    out = []
    for group in re.split(r"[,+]", cell):
        alts = frozenset(CODES[c] for c in re.findall(r"[A-Z]+", group) if c in CODES)
        if alts:
            out.append(alts)
    return out


def expected_clauses(notes: Path, corpus: Path) -> list[Expected]:
    """Every (file, type, trigger line) that the clause tables of the notes promise."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in corpus.glob("*.txt")}
    heading_files: list[str] = []
    header: list[str] | None = None
    last_files: list[str] = []
    out: list[Expected] = []
    for line in notes.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            heading_files = _FILE.findall(line)
            extra = [f.replace(".txt", "-acceptable-use-policy.txt") for f in heading_files]
            heading_files += [f for f in extra if f in texts and f not in heading_files]
            header = None
            continue
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = [c.lower() for c in cells]
            last_files = []
            continue
        if set("".join(cells)) <= set("-: "):
            continue
        if "type" not in header or "trigger" not in header:
            continue
        file_col = next((i for i, h in enumerate(header) if "file" in h), None)
        files = heading_files
        if file_col is not None:
            files = _FILE.findall(cells[file_col]) or (last_files if not cells[file_col] else [])
            last_files = files
        triggers = _TICKS.findall(cells[header.index("trigger")])
        for alts in _types(cells[header.index("type")]):
            for name in files:
                if name not in texts:
                    continue
                lines = sorted({n for t in triggers for n in trigger_lines(texts[name], t)})
                if lines:
                    out.append(Expected(name, alts, tuple(lines), " / ".join(triggers)))
    return out


def detect_file(path: Path, rules: RuleSet) -> list[Restriction]:
    return scan_text(path.read_text(encoding="utf-8"), compiled(rules), path=path.name)


def is_found(exp: Expected, found: list[Restriction]) -> bool:
    return any(r.type in exp.types and r.line is not None and any(abs(r.line - n) <= LINE_SLACK
                                                                   for n in exp.lines) for r in found)


def unexpected(found: list[Restriction], expected: list[Expected]) -> list[Restriction]:
    """Detections that match no expected clause of the same type (not all are wrong: the notes are not
    exhaustive)."""
    return [r for r in found if not any(r.type in e.types and r.line is not None
                                        and any(abs(r.line - n) <= LINE_SLACK for n in e.lines)
                                        for e in expected)]


@pytest.fixture(scope="module")
def corpus(shared_dir: Path) -> tuple[Path, Path]:
    notes = shared_dir / "notes" / "license-clauses.md"
    licences = shared_dir / "corpus" / "licenses"
    if not notes.is_file() or not licences.is_dir():
        pytest.skip(f"shared notes or corpus missing under {shared_dir}")
    return notes, licences


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return RuleSet()


def test_notes_tables_parse_into_many_clauses(corpus: tuple[Path, Path]) -> None:
    expected = expected_clauses(*corpus)
    assert len(expected) >= 60
    assert {t for e in expected for t in e.types} >= set(CODES.values()) - {"litigation-termination"}


def test_recall_on_real_licence_texts(corpus: tuple[Path, Path], rules: RuleSet) -> None:
    notes, licences = corpus
    expected = expected_clauses(notes, licences)
    found = {name: detect_file(licences / name, rules) for name in {e.file for e in expected}}
    missed = [e for e in expected if not is_found(e, found[e.file])]
    recall = 1 - len(missed) / len(expected)
    detail = "\n".join(f"{e.file}: {sorted(e.types)} near {e.lines} ({e.trigger})" for e in missed)
    assert recall >= 0.95, f"recall {recall:.1%}; missed:\n{detail}"


def test_llama_output_restriction_only_in_llama2_and_3(corpus: tuple[Path, Path], rules: RuleSet) -> None:
    _, licences = corpus
    for name, wanted in [("llama2.txt", True), ("llama3.txt", True), ("llama3.1.txt", False),
                         ("llama3.2.txt", False), ("llama3.3.txt", False), ("llama4.txt", False)]:
        types = {r.type for r in detect_file(licences / name, rules)}
        assert ("output-restriction" in types) is wanted, name


def test_llama_3_2_and_later_policies_are_geographic(corpus: tuple[Path, Path], rules: RuleSet) -> None:
    _, licences = corpus
    for name in ("llama3.2", "llama3.3", "llama4"):
        found = detect_file(licences / f"{name}-acceptable-use-policy.txt", rules)
        geo = [r for r in found if r.type == "geographic"]
        assert geo and "european union" in geo[0].excerpt.lower(), name
    older = detect_file(licences / "llama3.1-acceptable-use-policy.txt", rules)
    assert "geographic" not in {r.type for r in older}


def test_permissive_model_licences_have_no_use_restrictions(corpus: tuple[Path, Path],
                                                            rules: RuleSet) -> None:
    _, licences = corpus
    for name in ("openmdw-1.0.txt", "openmdw-1.1.txt"):
        types = {r.type for r in detect_file(licences / name, rules)}
        assert not types & {"field-of-use", "non-commercial", "scale-cap", "acceptable-use-policy",
                            "output-restriction", "geographic"}, (name, types)
