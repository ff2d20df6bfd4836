"""Export formats: render time and output size per format, for one report and for a batch.

Audits a few fixture folders once (offline), applies a small policy, then renders each format N times.
Prints figures; asserts nothing. Run from the repository root: ``python bench/formats.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from auditor.collect import CollectOptions
from auditor.formats import FORMATS, RenderOptions, render
from auditor.pipeline import AuditOptions, audit
from auditor.policy import Policy, apply

ROOT = Path(__file__).resolve().parents[1]
MODELS = ("relabel/llama-3.1-8b-chat-mit", "open-lab/open-lm-1b", "tuners/breeze-7b-dialog",
          "nc-lab/research-7b")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=100, help="reports in the batch case")
    args = parser.parse_args()
    options = AuditOptions(collect=CollectOptions(offline=True))
    reports = [audit(str(ROOT / "fixtures" / "hub" / m), options) for m in MODELS]
    apply(reports, Policy(deny_restrictions=("scale-cap",), require={"osaid-1.0": "pass"}))
    batch = [reports[i % len(reports)] for i in range(args.batch)]
    print(f"{'format':<10} {'1 report ms':>12} {'bytes':>9} {f'{args.batch} reports ms':>16} {'bytes':>10}")
    for name in FORMATS:
        if name == "mot":
            continue
        cells = []
        for group in ([reports[0]], batch):
            times = []
            out = ""
            for _ in range(args.runs):
                start = time.perf_counter()
                out = render(name, group, RenderOptions(single=len(group) == 1))
                times.append((time.perf_counter() - start) * 1000)
            cells.append((statistics.median(times), len(out.encode("utf-8"))))
        (t1, b1), (tn, bn) = cells
        print(f"{name:<10} {t1:>12.1f} {b1:>9} {tn:>16.1f} {bn:>10}")


if __name__ == "__main__":
    main()
