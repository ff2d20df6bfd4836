"""Held-out recall: clauses written from the type definitions alone, in our own words.

``heldout/<type>.txt`` is batch 1, written before the patterns were read; ``heldout/batch<N>/`` are later
batches, each measured before any tuning on it (first-try figures: heldout/FIGURES.md). Batches 1-9 were
then tuned on; the recall patterns were never tuned on batch 10 (one false positive on its negatives was
fixed). Batches 11 and 12 were written before the concept fallback (rules' ``concepts:`` blocks) was built
on batches 1-10 and never tuned on (one false positive on batch 12's negatives was fixed). A clause
counts as found when scanning it alone yields a restriction of its type; every clause of a
``negatives.txt`` must yield nothing. The helpers are also used by bench/restrictions.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.restrictions.detect import scan_text
from auditor.restrictions.patterns import TypeRule, compiled
from auditor.rules import RuleSet

HELDOUT = Path(__file__).resolve().parent / "data" / "restrictions" / "heldout"
RULES = Path(__file__).resolve().parents[1] / "rules" / "restrictions"
TYPES = sorted(p.stem for p in RULES.glob("*.yaml"))
TUNED = ["", *[f"batch{n}" for n in range(2, 10)]]  # "" is batch 1, the files directly in HELDOUT
UNSEEN = "batch10"
FALLBACK_UNSEEN = ["batch11", "batch12"]  # written before the concept fallback, never tuned on

Recall = dict[str, tuple[int, int, list[str]]]


def batches() -> list[str]:
    """Batch folder names relative to HELDOUT ("" for batch 1), in order."""
    extra = sorted((p.name for p in HELDOUT.glob("batch*") if p.is_dir()), key=lambda n: int(n[5:]))
    return ["", *extra]


def clauses_of(path: Path) -> list[str]:
    """The clauses of a held-out file: blank-line separated paragraphs after the header line."""
    paras = [" ".join(p.split()) for p in path.read_text(encoding="utf-8").split("\n\n")]
    return [p for p in paras if p and not p.startswith("Written for auditor")]


def recall(folder: Path, types: tuple[TypeRule, ...]) -> Recall:
    """Per type: (found, total, missed clauses) for the clause files in ``folder``."""
    out: Recall = {}
    for code in TYPES:
        path = folder / f"{code}.txt"
        if not path.is_file():
            continue
        items = clauses_of(path)
        missed = [c for c in items if code not in {r.type for r in scan_text(c, types)}]
        out[code] = (len(items) - len(missed), len(items), missed)
    return out


def false_positives(folder: Path, types: tuple[TypeRule, ...]) -> list[tuple[str, list[str]]]:
    """The negative clauses that yield a restriction, with the types they yield."""
    path = folder / "negatives.txt"
    out: list[tuple[str, list[str]]] = []
    for c in clauses_of(path) if path.is_file() else []:
        found = sorted({r.type for r in scan_text(c, types)})
        if found:
            out.append((c, found))
    return out


def merged(rows: list[Recall]) -> Recall:
    """Per-type sums of several recall tables."""
    out: Recall = {}
    for table_ in rows:
        for code, (ok, n, missed) in table_.items():
            a, b, m = out.get(code, (0, 0, []))
            out[code] = (a + ok, b + n, m + missed)
    return out


def table(rows: Recall, negatives: tuple[int, int] | None = None) -> str:
    """A printable per-type recall table with the total (and negative hits as (hit, total))."""
    lines = [f"{'type':24} {'found':>5} {'total':>5} {'recall':>7}"]
    hit = total = 0
    for code, (ok, n, _missed) in rows.items():
        hit, total = hit + ok, total + n
        lines.append(f"{code:24} {ok:5} {n:5} {ok / n:7.0%}")
    if total:
        lines.append(f"{'TOTAL':24} {hit:5} {total:5} {hit / total:7.1%}")
    if negatives is not None:
        lines.append(f"negatives hit: {negatives[0]} of {negatives[1]}")
    return "\n".join(lines)


def overall(rows: Recall) -> float:
    total = sum(n for _, n, _ in rows.values())
    return sum(ok for ok, _, _ in rows.values()) / total if total else 0.0


@pytest.fixture(scope="module")
def types() -> tuple[TypeRule, ...]:
    return compiled(RuleSet())


def test_every_batch_has_every_type_and_negatives() -> None:
    assert batches() == [*TUNED, UNSEEN, *FALLBACK_UNSEEN]
    for name in batches():
        folder = HELDOUT / name
        for code in [*TYPES, "negatives"]:
            path = folder / f"{code}.txt"
            assert path.read_text(encoding="utf-8").startswith("Written for auditor's tests"), path
            assert len(clauses_of(path)) >= (8 if name == "" else 3), path
    assert len(clauses_of(HELDOUT / "negatives.txt")) >= 25


def test_tuned_batches_recall(types: tuple[TypeRule, ...]) -> None:
    """Batches 1-9 (tuned on): at least 99% overall and 95% for every type (reached: 382/384)."""
    rows = merged([recall(HELDOUT / name, types) for name in TUNED])
    assert set(rows) == set(TYPES)
    low = {code: missed for code, (ok, n, missed) in rows.items() if ok / n < 0.95}
    assert not low, low
    assert overall(rows) >= 0.99, table(rows)


def test_first_batch_is_fully_found(types: tuple[TypeRule, ...]) -> None:
    """Batch 1, written before the patterns were read: every clause of every type (first try: 67.7%)."""
    missed = {code: m for code, (_ok, _n, m) in recall(HELDOUT, types).items() if m}
    assert not missed, missed


def test_unseen_batch_recall(types: tuple[TypeRule, ...]) -> None:
    """Batch 10, recall never tuned on: at least 80% overall and 2 of 3 for every type (reached: 30/36 with
    the patterns alone, 36/36 with the concept fallback)."""
    rows = recall(HELDOUT / UNSEEN, types)
    assert set(rows) == set(TYPES)
    low = {code: missed for code, (ok, n, missed) in rows.items() if ok < 2 or n != 3}
    assert not low, low
    assert overall(rows) >= 0.80, table(rows)


def test_batches_unseen_by_the_concept_fallback(types: tuple[TypeRule, ...]) -> None:
    """Batches 11-12 (first try before the fallback: 55.6% and 91.7%; with it: 32/36 and 35/36)."""
    b11, b12 = (recall(HELDOUT / name, types) for name in FALLBACK_UNSEEN)
    assert set(b11) == set(b12) == set(TYPES)
    assert overall(b11) >= 0.85, table(b11)
    assert overall(b12) >= 0.95, table(b12)
    low = {code: missed for code, (ok, n, missed) in merged([b11, b12]).items() if ok < 4 or n != 6}
    assert not low, low


@pytest.mark.parametrize("name", [*TUNED, UNSEEN, *FALLBACK_UNSEEN])
def test_held_out_negatives_yield_nothing(name: str, types: tuple[TypeRule, ...]) -> None:
    assert false_positives(HELDOUT / name, types) == []


def test_heading_alone_is_one_detection_and_clauses_make_it_redundant(types: tuple[TypeRule, ...]) -> None:
    heading = "Prohibited Uses\n\n"
    clause = "You must not use the model to produce malware or phishing emails.\n"
    alone = [r for r in scan_text(heading + "Acme Acceptable Use Policy\n", types)
             if r.type == "acceptable-use-policy"]
    assert len(alone) == 1 and alone[0].line == 1
    with_clause = [r for r in scan_text(heading + clause, types) if r.type == "acceptable-use-policy"]
    assert [r.line for r in with_clause] == [3]


def test_short_list_items_are_not_taken_for_headings(types: tuple[TypeRule, ...]) -> None:
    text = "Prohibited Uses\n\n- Violence or terrorism\n- Human trafficking\n"
    lines = [r.line for r in scan_text(text, types) if r.type == "acceptable-use-policy"]
    assert lines == [3, 4]


@pytest.mark.parametrize("text", [
    "Do not identify people from photos without their consent.",
    "You must keep a file named NOTICE stating that the model is licensed under these terms.",
    "If you wish to use parts of the model in programs with different conditions, ask the author.",
    "If you wish to use it in programs whose conditions are different, write to us to ask for permission.",
])
def test_privacy_consent_and_optional_permission_are_not_registration(text: str,
                                                                      types: tuple[TypeRule, ...]) -> None:
    assert "registration" not in {r.type for r in scan_text(text, types)}
