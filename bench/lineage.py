"""Lineage figures: real cards (conflicts, inferred bases, false positives), cache and stand-in Hub speed.

    python bench/lineage.py [--corpus ../shared/corpus/models] [--runs 20]

1. Corpus: every folder of the shared corpus is analysed as a local folder; ancestors are resolved from
   the same corpus (folders named org__name). Prints each lineage conflict, how many bases were
   inferred, the Llama-2 relabels found, and false positives on models known to be independent.
2. Cache: a synthetic 5-level chain in a temporary HF cache, resolved offline (median wall time).
3. Stand-in Hub: the same chain plus a two-parent merge served by tests/hub.py; counts metadata
   requests per ancestor and how many were in flight together.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from auditor.facts import LineageOutcome
    from auditor.snapshot import Snapshot

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from lineage_cases import INDEPENDENT, LINEAGE_CONFLICTS, LLAMA2_RELABELS  # noqa: E402

FAMILY_LICENCES = ("llama", "gemma")


def corpus_run(models: Path) -> dict[str, LineageOutcome]:
    """Analyse every corpus folder; returns per-model lineage facts (used by the test as well)."""
    from auditor.collect.local import LocalSource
    from auditor.lineage import FolderMap
    from auditor.pipeline import analyse
    from auditor.rules import RuleSet

    rules = RuleSet()
    resolver = FolderMap(models)
    out: dict[str, LineageOutcome] = {}
    for folder in sorted(p for p in models.iterdir() if p.is_dir() and "__" in p.name):
        repo_id = folder.name.replace("__", "/", 1)
        facts = analyse(LocalSource().snapshot(str(folder)), rules, resolver=resolver)
        out[repo_id] = facts.lineage
    return out


def false_positives(lineages: dict[str, LineageOutcome]) -> list[str]:
    """Independent models given a lineage conflict or an ancestor under a Llama/Gemma family licence."""
    bad = []
    for repo_id in INDEPENDENT:
        lin = lineages.get(repo_id)
        if lin is None:
            continue
        conflicts = [c.type for c in lin.conflicts if c.type in LINEAGE_CONFLICTS]
        family = [
            a.id
            for a in lin.ancestors
            if a.license and (a.license.id or "").startswith(FAMILY_LICENCES)
        ]
        if conflicts or family:
            bad.append(f"{repo_id}: {conflicts or family}")
    return bad


def bench_corpus(models: Path) -> None:
    t0 = time.perf_counter()
    lineages = corpus_run(models)
    took = time.perf_counter() - t0
    each = 1000 * took / max(1, len(lineages))
    print(f"== corpus: {len(lineages)} models in {took:.2f} s ({each:.0f} ms each)")
    inferred = 0
    by_type: dict[str, int] = {}
    for repo_id, lin in lineages.items():
        roots = [a for a in lin.ancestors if a.depth == 1]
        inferred += any(a.inferred for a in roots)
        for c in lin.conflicts:
            by_type[c.type] = by_type.get(c.type, 0) + 1
            print(f"   {c.type:<27} {c.severity:<7} {repo_id}")
    for repo_id, lin in lineages.items():
        guessed = [
            f"{a.id} ({a.confidence})"
            for a in lin.ancestors
            if a.depth == 1 and a.inferred
        ]
        if guessed:
            print(f"   inferred  {repo_id} <- {', '.join(guessed)}")
    with_anc = sum(1 for lin in lineages.values() if lin.ancestors)
    print(f"   models with ancestors: {with_anc}; with an inferred base (no base_model key): {inferred}")
    print(f"   conflicts by type: {dict(sorted(by_type.items()))}")
    found = [m for m in LLAMA2_RELABELS if any(c.type == "relicensed" for c in lineages[m].conflicts)]
    print(f"   Llama-2 derivatives under another licence flagged relicensed: "
          f"{len(found)}/{len(LLAMA2_RELABELS)}")
    for m in sorted(set(LLAMA2_RELABELS) - set(found)):
        print(f"      missed: {m}")
    fps = false_positives(lineages)
    present = sum(1 for m in INDEPENDENT if m in lineages)
    print(f"   false positives on {present} independent models: {len(fps)}")
    for fp in fps:
        print(f"      {fp}")


def write_cache_repo(cache: Path, repo_id: str, readme: str) -> None:
    sha = hashlib.sha1(repo_id.encode()).hexdigest()
    storage = cache / f"models--{repo_id.replace('/', '--')}"
    (storage / "refs").mkdir(parents=True, exist_ok=True)
    (storage / "refs" / "main").write_text(sha, encoding="utf-8")
    snap = storage / "snapshots" / sha
    snap.mkdir(parents=True, exist_ok=True)
    (snap / "README.md").write_text(readme, encoding="utf-8")


def chain_cards(levels: int) -> dict[str, str]:
    """org/m0 (the audited model) -> org/m1 -> ... -> org/m<levels> (the base, llama2)."""
    cards = {}
    for i in range(levels + 1):
        base = f"base_model: chain/m{i + 1}\n" if i < levels else ""
        lic = "llama2" if i == levels else "apache-2.0"
        cards[f"chain/m{i}"] = f"---\nlicense: {lic}\n{base}---\n\n# m{i}\n\nLevel {i} of a test chain.\n"
    return cards


def bench_cache(runs: int) -> None:
    from auditor.collect import CollectOptions
    from auditor.collect.cache import CacheSource
    from auditor.pipeline import analyse
    from auditor.rules import RuleSet

    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        for repo_id, card in chain_cards(5).items():
            write_cache_repo(cache, repo_id, card)
        source = CacheSource(CollectOptions(offline=True, cache_dir=str(cache)))
        rules = RuleSet()
        root = source.snapshot("chain/m0")
        analyse(root, rules, source)  # warm-up: rules, knowledge base, regexes
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            facts = analyse(root, rules, source)
            times.append(time.perf_counter() - t0)
        anc = facts.lineage.ancestors
        conflicts = [c.type for c in facts.lineage.conflicts]
        print(
            f"== cache: 5-level chain, {len(anc)} ancestors resolved "
            f"({sum(a.status == 'resolved' for a in anc)} resolved), conflicts {conflicts}"
        )
        print(
            f"   analyse + lineage: median {1000 * statistics.median(times):.1f} ms, "
            f"max {1000 * max(times):.1f} ms over {runs} runs (target <= 100 ms)"
        )


def bench_hub() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HF_HUB_CACHE"] = str(Path(tmp) / "hf-cache")
        os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
        from hub import StandInHub

        from auditor.collect import CollectOptions
        from auditor.collect.hub import HubSource
        from auditor.pipeline import analyse
        from auditor.rules import RuleSet

        root = Path(tmp) / "root"
        (root / "hub").mkdir(parents=True)
        (root / "datasets").mkdir()
        with StandInHub(root) as hub:
            cards = chain_cards(5)
            # the base of the chain is a merge of two parents: both are fetched in one level
            cards["chain/m5"] = (
                "---\nlicense: llama2\nbase_model:\n  - chain/p1\n  - chain/p2\n---\n\n# m5\n\nA merge.\n"
            )
            cards["chain/p1"] = "---\nlicense: llama2\n---\n\n# p1\n"
            cards["chain/p2"] = "---\nlicense: cc-by-nc-4.0\n---\n\n# p2\n"
            for repo_id, card in cards.items():
                hub.add_repo(repo_id, {"README.md": card, "config.json": "{}"}, meta={"gated": False})
            source = HubSource(CollectOptions(endpoint=hub.url, cache_dir=str(Path(tmp) / "hf-cache")))
            rules = RuleSet()
            active = {"now": 0, "peak": 0}
            lock = threading.Lock()
            original = source.snapshot

            def counting(repo_id: str, revision: str | None = None, repo_type: str = "model") -> Snapshot:
                with lock:
                    active["now"] += 1
                    active["peak"] = max(active["peak"], active["now"])
                try:
                    return original(repo_id, revision, repo_type)
                finally:
                    with lock:
                        active["now"] -= 1

            source.snapshot = counting  # type: ignore[method-assign]
            t0 = time.perf_counter()
            facts = analyse(source.snapshot("chain/m0"), rules, source)
            took = time.perf_counter() - t0
            infos = [r.path.split("?")[0] for r in hub.requests("GET", "/api/models/")]
            anc = facts.lineage.ancestors
            per = {a.id: infos.count(f"/api/models/{a.id}") for a in anc}
            print(
                f"== stand-in Hub: {len(anc)} ancestors, {len(infos)} metadata requests "
                f"(1 for the model + {len(infos) - 1} for ancestors; "
                f"per ancestor: {sorted(set(per.values()))}), "
                f"{len(hub.log)} requests in all, peak {active['peak']} snapshots in flight, {took:.2f} s"
            )
            print(f"   conflicts: {[c.type for c in facts.lineage.conflicts]}")


def main() -> None:
    parser = argparse.ArgumentParser(description="lineage figures")
    parser.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus" / "models"))
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if corpus.is_dir():
        bench_corpus(corpus)
    else:
        print(f"== corpus: skipped ({corpus} not found)")
    bench_cache(args.runs)
    bench_hub()


if __name__ == "__main__":
    main()
