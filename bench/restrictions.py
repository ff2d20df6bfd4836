"""Benchmark restriction detection: recall and unexpected detections per licence on ../shared/corpus,
recall on the held-out paraphrases (tests/data/restrictions/heldout), scan throughput, and the time taken
by hostile inputs made of near-matches.

Times are CPU time of this process (time.process_time), so other load on the machine does not skew them.

Run: python bench/restrictions.py [--shared PATH]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from auditor.restrictions.detect import scan_text  # noqa: E402
from auditor.restrictions.patterns import compiled  # noqa: E402
from auditor.rules import RuleSet  # noqa: E402

# Fragments that start many patterns without completing them (no consequence, no model, no place...).
NEAR_MISSES = [
    "more than 700 million monthly active users", "you may not use the outputs to train",
    "non commercial", "solely for the", "domiciled in the", "institute litigation against",
    "display the words built", "at the beginning of the", "reserves the right to", "may terminate the",
    "following attribution", "use based", "enforceable", "remotely", "sanctioned", "register with",
    "military", "commercial use is", "revenue of $ 5", "must not", "the latest", "any other",
    '"built with', "without their", "human generated", "prohibited",
]


def hostile_inputs(size: int = 1_000_000) -> dict[str, str]:
    """Inputs built to make the patterns work hard: near-matches with and without punctuation."""
    joined = " ".join(NEAR_MISSES) + " "
    return {
        "near-misses, no punctuation": (joined * (size // len(joined) + 1))[:size],
        "near-misses, one per sentence": ((". ".join(NEAR_MISSES) + ". ") * (size // 500 + 1))[:size],
        "one repeated keyword": ("commercial " * (size // 11 + 1))[:size],
        "quotes and display verbs": ('display "built display "powered ' * (size // 32 + 1))[:size],
        "digits and thresholds": ("more than 1 2 3 4 5 6 7 8 9 users " * (size // 34 + 1))[:size],
        "no whitespace at all": ("a" * size),
        "newlines only": ("\n" * size),
        "list items": ("\n- military\n1. commercial\n(a) users" * (size // 38 + 1))[:size],
    }


def recall_table(shared: Path, rules: RuleSet) -> None:
    from test_restrictions_corpus import detect_file, expected_clauses, is_found, unexpected

    notes = shared / "notes" / "license-clauses.md"
    corpus = shared / "corpus" / "licenses"
    if not notes.is_file() or not corpus.is_dir():
        print(f"(no corpus under {shared}: recall table skipped)")
        return
    expected = expected_clauses(notes, corpus)
    by_file: dict[str, list] = defaultdict(list)
    for e in expected:
        by_file[e.file].append(e)
    header = f"{'licence file':52} {'expected':>8} {'found':>6} {'recall':>7}"
    print(f"{header} {'detections':>10} {'unlisted':>8}")
    total = hit = 0
    for path in sorted(corpus.glob("*.txt")):
        found = detect_file(path, rules)
        exp = by_file.get(path.name, [])
        ok = sum(is_found(e, found) for e in exp)
        total += len(exp)
        hit += ok
        extra = unexpected(found, exp)
        rec = f"{ok / len(exp):.0%}" if exp else "-"
        print(f"{path.name:52} {len(exp):8} {ok:6} {rec:>7} {len(found):10} {len(extra):8}")
    print(f"{'TOTAL':52} {total:8} {hit:6} {hit / total:7.1%}")
    print("(unlisted = detections of a type the notes do not list near that line: not all are wrong)")


def heldout_table(rules: RuleSet) -> None:
    """Current recall per held-out batch, the per-type table of the tuned batches and of the unseen one."""
    from test_restrictions_heldout import (
        FALLBACK_UNSEEN,
        HELDOUT,
        TUNED,
        UNSEEN,
        batches,
        clauses_of,
        false_positives,
        merged,
        overall,
        recall,
        table,
    )

    types = compiled(rules)
    rows = {name: recall(HELDOUT / name, types) for name in batches()}
    print("held-out paraphrases (first-try figures: tests/data/restrictions/heldout/FIGURES.md)")
    for name, r in rows.items():
        negs = HELDOUT / name / "negatives.txt"
        fps = len(false_positives(HELDOUT / name, types))
        note = {UNSEEN: " (patterns never tuned on it; concept lexicons were)"}
        note.update({n: " (never tuned on)" for n in FALLBACK_UNSEEN})
        label = (name or "batch1") + note.get(name, "")
        clauses = sum(n for _, n, _ in r.values())
        print(f"  {label:58} recall {overall(r):6.1%} of {clauses:3}   negatives hit {fps} of "
              f"{len(clauses_of(negs))}")
    print(f"tuned batches 1-{len(TUNED)}, per type:")
    print(table(merged([rows[n] for n in TUNED])))
    print(f"{UNSEEN} (patterns not tuned on it; development data for the concept lexicons), per type:")
    print(table(rows[UNSEEN]))
    print(f"unseen by the concept fallback ({', '.join(FALLBACK_UNSEEN)}), per type:")
    print(table(merged([rows[n] for n in FALLBACK_UNSEEN])))
    concept_only = tuple(replace(t, patterns=()) for t in types)
    dev = merged([recall(HELDOUT / n, concept_only) for n in [*TUNED, UNSEEN]])
    print(f"concept fallback alone on batches 1-10 (its development data): {overall(dev):.1%}")


def throughput(shared: Path, rules: RuleSet) -> None:
    types = compiled(rules)
    corpus = shared / "corpus" / "licenses"
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))] if corpus.is_dir() else []
    if not texts:
        texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/data/restrictions").glob("*"))]
    blob = "\n\n".join(texts)
    reps = max(1, 4_000_000 // len(blob))
    big = "\n\n".join([blob] * reps)
    size = len(big.encode("utf-8"))
    start = time.process_time()
    n = len(scan_text(big, types))
    secs = time.process_time() - start
    print(f"throughput: {size / 1e6:.1f} MB of licence text in {secs:.2f} s = {size / 1e6 / secs:.1f} MB/s "
          f"(one core, {n} detections before per-file caps)")
    start = time.process_time()
    for text in texts:
        scan_text(text, types)
    secs = time.process_time() - start
    print(f"per-file: {len(texts)} files, {len(blob.encode('utf-8')) / 1e6:.2f} MB in {secs:.2f} s")


def hostile(rules: RuleSet) -> None:
    types = compiled(rules)
    worst = 0.0
    for name, text in hostile_inputs().items():
        start = time.process_time()
        n = len(scan_text(text, types))
        secs = time.process_time() - start
        worst = max(worst, secs)
        print(f"hostile {name:32} {len(text) / 1e6:.1f} MB  {secs:.3f} s  ({n} detections)")
    print(f"hostile worst case: {worst:.3f} s (target < 1 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    rules = RuleSet()
    start = time.process_time()
    compiled(rules)
    print(f"rules: {len(compiled(rules))} types compiled in {time.process_time() - start:.2f} s")
    recall_table(args.shared, rules)
    heldout_table(rules)
    throughput(args.shared, rules)
    hostile(rules)


if __name__ == "__main__":
    main()
