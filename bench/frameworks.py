"""Framework verdicts and grades over the real model cards in ../shared/corpus/models, and the time to
evaluate all frameworks + the grade for one snapshot (target: 20 ms or less).

Each corpus folder is audited as a local folder (no network, no lineage). The corpus keeps only the texts
(card, licence, policy), never the weight files, so every model lacks weights as collected; the `grade*`
column shows the what-if grade with a weight file assumed present, which is what the ordering
(fully open > open weights > OpenRAIL > Llama > no licence) is about.

Run: python bench/frameworks.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

from auditor.facts import Facts
from auditor.report.model import Report
from auditor.rules import RuleSet
from auditor.snapshot import RepoFile, Snapshot

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "models"


def snapshot_of(folder: Path) -> Snapshot:
    from auditor.collect.local import LocalSource

    snap = LocalSource().snapshot(str(folder))
    return replace(snap, id=folder.name.replace("__", "/", 1))


def with_weights(snap: Snapshot) -> Snapshot:
    return replace(snap, files=(*snap.files, RepoFile("model.safetensors", 1)))


def report_for(snap: Snapshot, rules: RuleSet) -> tuple[Report, Facts]:
    from auditor.pipeline import analyse, build_report

    facts = analyse(snap, rules, None, lineage=False)
    return build_report(facts, rules, timestamp=False), facts


def verdict(r: Report, fid: str) -> str:
    fw = r.framework(fid)
    return fw.verdict if fw else "-"


def grade_text(r: Report) -> str:
    return f"{r.grade.letter} {r.grade.score:>3}" if r.grade and r.grade.letter else "-"


def time_frameworks(facts: Facts, rules: RuleSet, repeat: int) -> list[float]:
    from auditor.frameworks import evaluate
    from auditor.frameworks.grade import grade

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        outcome = evaluate(facts, rules)
        grade(facts, outcome, rules)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="timed runs per snapshot (default 50)")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: corpus not found at {CORPUS}")
        return 0
    rules = RuleSet()
    rows = []
    per_model: list[float] = []
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        snap = snapshot_of(folder)
        as_is, _ = report_for(snap, rules)
        assumed, facts = report_for(with_weights(snap), rules)
        per_model.append(statistics.median(time_frameworks(facts, rules, max(3, args.repeat // 10))))
        lic = assumed.license.id or "unrecognised" if assumed.license else "none"
        rows.append(
            (
                grade_text(assumed),
                grade_text(as_is),
                snap.id,
                lic or "-",
                verdict(assumed, "osaid-1.0"),
                verdict(assumed, "mof-1.0"),
                verdict(assumed, "osd"),
                verdict(assumed, "eu-ai-act-53-2"),
            )
        )
    rows.sort(
        key=lambda row: ("ABCDEF".index(row[0][0]) if row[0] != "-" else 9, -int(row[0][2:] or 0), row[2])
    )
    head = ("grade*", "grade", "model", "licence", "osaid-1.0", "mof-1.0", "osd", "eu-ai-act-53-2")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    print("\n* grade with a weight file assumed present (the corpus holds texts only)")
    # one representative snapshot, many runs
    sample = next(
        (f for f in sorted(CORPUS.iterdir()) if f.name.startswith("meta-llama__Llama-3.1-8B-Instruct")),
        next(iter(sorted(CORPUS.iterdir()))),
    )
    _, facts = report_for(with_weights(snapshot_of(sample)), rules)
    times = time_frameworks(facts, rules, args.repeat)
    print(
        f"\nframeworks + grade for one snapshot ({sample.name}, {args.repeat} runs): "
        f"median {statistics.median(times):.2f} ms, p90 {sorted(times)[int(len(times) * 0.9) - 1]:.2f} ms "
        f"(target <= 20 ms)"
    )
    print(
        f"all {len(per_model)} corpus snapshots: median {statistics.median(per_model):.2f} ms, "
        f"max {max(per_model):.2f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
