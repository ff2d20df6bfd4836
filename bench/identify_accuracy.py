"""Licence identification accuracy over the shared corpus: right / wrong / none per text, plus timing.

Usage: python bench/identify_accuracy.py [--shared DIR] [--quiet]

Truth for /work/shared/corpus/licenses/<id>.txt is <id>. Licence and policy files saved from model
repositories are judged against the small table below (written from each folder's source.json notes).
Uses auditor.licenses.identify.identify when it exists, else fingerprint.match_ai alone.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from auditor.licenses.fingerprint import match_ai
from auditor.licenses.knowledge import KnowledgeBase, load_knowledge
from auditor.rules import RuleSet

# Extra ids a corpus licence file may legitimately yield besides its own (texts saved together).
ALSO_ALLOWED: dict[str, set[str]] = {
    "llama3": {"llama3-acceptable-use-policy"},  # the llama-models LICENSE carries the AUP twice
    "health-ai-developer-foundations": {"apache-2.0"},  # says its code deliverables are Apache-2.0
}

# Model-repository files: relative path -> the ids it holds (first = the main text).
MODEL_FILES: dict[str, tuple[str, ...]] = {
    "LiquidAI__LFM2-1.2B/LICENSE": ("lfm-open-license-v1.0",),  # custom revenue-threshold licence
    "Qwen__Qwen-72B/LICENSE.md": ("tongyi-qianwen",),  # Tongyi Qianwen licence, ModelScope mirror
    "meta-llama__Llama-2-7b-hf/LICENSE.txt": ("llama2",),
    "meta-llama__Llama-2-7b-hf/USE_POLICY.md": ("llama2-acceptable-use-policy",),
    "meta-llama__Llama-3.1-8B/LICENSE": ("llama3.1",),  # from Meta's llama-models repository
    "meta-llama__Llama-3.1-8B/USE_POLICY.md": ("llama3.1-acceptable-use-policy",),
    "meta-llama__Llama-3.2-1B-Instruct/LICENSE.txt": ("llama3.2",),  # Hub copy, rewrapped
    "meta-llama__Llama-3.2-1B-Instruct/USE_POLICY.md": ("llama3.2-acceptable-use-policy",),
    "meta-llama__Llama-3.2-1B/LICENSE.txt": ("llama3.2",),
    "meta-llama__Llama-3.2-1B/USE_POLICY.md": ("llama3.2-acceptable-use-policy",),
    "meta-llama__Llama-3.3-70B-Instruct/LICENSE": ("llama3.3",),
    "meta-llama__Llama-3.3-70B-Instruct/USE_POLICY.md": ("llama3.3-acceptable-use-policy",),
    "meta-llama__Llama-4-Scout-17B-16E-Instruct/LICENSE": ("llama4",),
    "meta-llama__Llama-4-Scout-17B-16E-Instruct/USE_POLICY.md": ("llama4-acceptable-use-policy",),
    "meta-llama__Meta-Llama-3-8B/LICENSE": ("llama3", "llama3-acceptable-use-policy"),  # AUP appended
    "meta-llama__Meta-Llama-3-8B/USE_POLICY.md": ("llama3-acceptable-use-policy",),
    "tiiuae__falcon-7b/revisions/87c4c0d/LICENSE.txt": ("tii-falcon-llm",),  # pre-Apache Falcon 1.0 licence
    "xai-org__grok-1/LICENSE.txt": ("apache-2.0",),  # plain Apache-2.0 text
}


def default_shared() -> Path:
    return Path(__file__).resolve().parents[2] / "shared"


def _ids(result: Any) -> list[str]:
    """Turn whatever an identifier returns into a list of ids."""
    if result is None:
        return []
    if isinstance(result, str):
        return [result]
    parts = getattr(result, "parts", None)
    if parts:
        return [str(p) for p in parts]
    if hasattr(result, "id"):
        return [str(result.id)] if result.id else []
    if isinstance(result, dict):
        return [str(result["id"])] if "id" in result else []
    if isinstance(result, (list, tuple)):
        out: list[str] = []
        for item in result:
            out.extend(_ids(item))
        return out
    return []


def identifier(kb: KnowledgeBase) -> tuple[str, Callable[[str], list[str]]] | None:
    """The full identifier when the identify module exists."""
    if importlib.util.find_spec("auditor.licenses.identify") is not None:
        from auditor.licenses import identify as mod

        fn = getattr(mod, "_identify", None) or getattr(mod, "identify", None)
        if callable(fn):
            # time the real work: _identify skips identify()'s per-text result cache
            def run(text: str) -> list[str]:
                return _ids(fn(text, kb, None))
            return "auditor.licenses.identify.identify (uncached)", run
    return None


def judge(ids: list[str], truth: tuple[str, ...], allowed: set[str]) -> str:
    if not ids:
        return "none"
    if any(i not in allowed for i in ids):
        return "wrong"
    return "right" if truth[0] in ids else "none"


def side_tools() -> str:
    found = [name for name in ("licensee", "scancode") if shutil.which(name)]
    if importlib.util.find_spec("scancode") is not None and "scancode" not in found:
        found.append("scancode")
    if not found:
        return "ScanCode and licensee are not installed: no side-by-side answers."
    return "side tools present but not wired here: " + ", ".join(found)


def _timed(fn: Callable[[str], list[str]], text: str, runs: int = 5) -> tuple[list[str], float]:
    """The ids and the best warm time of a few runs (ms), which filters out noise from other processes."""
    ids = fn(text)  # warm-up
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - t0)
    return ids, best * 1000


def _cases(shared: Path) -> list[tuple[str, str, tuple[str, ...], set[str]]]:
    cases: list[tuple[str, str, tuple[str, ...], set[str]]] = []
    for path in sorted((shared / "corpus" / "licenses").glob("*.txt")):
        cases.append((f"licenses/{path.name}", path.read_text(encoding="utf-8"), (path.stem,),
                      {path.stem, *ALSO_ALLOWED.get(path.stem, set())}))
    models = shared / "corpus" / "models"
    for rel, truth in MODEL_FILES.items():
        path = models / rel
        if path.is_file():
            cases.append((f"models/{rel}", path.read_text(encoding="utf-8"), truth, set(truth)))
    return cases


def run(shared: Path, quiet: bool = False) -> dict[str, dict[str, int]]:
    """Judge match_ai alone and, when present, the full identifier; print per text and totals."""
    kb = load_knowledge(RuleSet())
    tools: dict[str, Callable[[str], list[str]]] = {
        "match_ai": lambda text: [m.id for m in match_ai(text, kb)]}
    full = identifier(kb)
    if full is not None:
        tools["identify"] = full[1]
    print(f"knowledge base: {len(kb)} entries; tools: {', '.join(tools)}")
    print(side_tools())
    totals = {name: {"right": 0, "wrong": 0, "none": 0} for name in tools}
    groups: dict[tuple[str, str], dict[str, int]] = {}
    times: dict[str, list[float]] = {name: [] for name in tools}
    cases = _cases(shared)
    for label, text, truth, allowed in cases:
        cells = []
        verdicts = []
        for name, fn in tools.items():
            ids, ms = _timed(fn, text)
            verdict = judge(ids, truth, allowed)
            totals[name][verdict] += 1
            group = groups.setdefault((name, label.split("/", 1)[0]), {"right": 0, "wrong": 0, "none": 0})
            group[verdict] += 1
            times[name].append(ms)
            verdicts.append(verdict)
            cells.append(f"{name} {verdict:5} {ms:6.2f} ms {ids or '-'}")
        if not quiet or any(v != "right" for v in verdicts):
            print(f"{label} ({len(text) / 1024:.1f} KB; want {list(truth)})\n    " + "\n    ".join(cells))
    print(f"\ntexts {len(cases)}")
    for name in tools:
        t = sorted(times[name])
        line = ", ".join(f"{k} {v}" for k, v in totals[name].items())
        print(f"{name:9}: {line}; warm time per text median {t[len(t) // 2]:.2f} ms, max {t[-1]:.2f} ms")
        for (tool, where), counts in sorted(groups.items()):
            if tool == name:
                print(f"           {where}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=default_shared())
    parser.add_argument("--quiet", action="store_true", help="print only texts not identified right")
    args = parser.parse_args(argv)
    if not (args.shared / "corpus" / "licenses").is_dir():
        print(f"no corpus at {args.shared}/corpus/licenses; nothing to measure")
        return 0
    totals = run(args.shared, args.quiet)
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"peak memory of this process: {peak:.0f} MB (target < 150 MB)")
    return 1 if any(t["wrong"] for t in totals.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
