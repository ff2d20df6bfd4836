"""Start-up figures: cold `auditor --version`, cold local audit, and the request count of one Hub audit.

Run: python bench/startup.py [--runs N]. Prints figures only (targets: --version < 0.3 s, local audit < 1 s).
Each figure is the median wall time of N fresh subprocesses (default 5).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = "fixtures/hub/breeze-ai/breeze-7b"
HUB_ID = "breeze-ai/breeze-7b"


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env.update({"HF_HUB_DISABLE_TELEMETRY": "1", "HF_HUB_DISABLE_PROGRESS_BARS": "1", "NO_COLOR": "1"})
    env.update(extra)
    return env


def timed(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "auditor", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    return time.perf_counter() - start, proc.returncode


def median_of(args: list[str], env: dict[str, str], runs: int) -> tuple[float, float, int]:
    times, code = [], 0
    for _ in range(runs):
        took, code = timed(args, env)
        times.append(took)
    return statistics.median(times), min(times), code


def hub_requests(env: dict[str, str]) -> tuple[int, list[str], float, int]:
    """Audit one repo against the stand-in Hub; return (requests, their lines, wall time, exit code)."""
    spec = importlib.util.spec_from_file_location("standin_hub", ROOT / "tests" / "hub.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["standin_hub"] = module
    spec.loader.exec_module(module)
    with tempfile.TemporaryDirectory() as home, module.StandInHub(ROOT / "fixtures") as hub:
        run_env = dict(env, HF_ENDPOINT=hub.url, HF_HOME=home, HF_HUB_CACHE=str(Path(home) / "hub"))
        took, code = timed(["audit", HUB_ID, "--format", "json", "--no-lineage"], run_env)
        lines = [f"{r.method} {r.path}" for r in hub.log]
    return len(lines), lines, took, code


def collect_times(runs: int) -> list[str]:
    """In-process collection only (no analysis): local folder, Hub cold/warm, offline cache."""
    sys.path.insert(0, str(ROOT))
    from auditor.collect import CollectOptions
    from auditor.collect.cache import CacheSource
    from auditor.collect.hub import HubSource
    from auditor.collect.local import LocalSource

    module = sys.modules["standin_hub"]

    def ms(fn: Callable[[], object]) -> float:
        best = float("inf")
        for _ in range(runs):
            start = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - start)
        return best * 1000

    local = ms(lambda: LocalSource().snapshot(str(ROOT / FIXTURE)))
    out = [f"collect local folder        best {local:7.1f} ms"]
    with tempfile.TemporaryDirectory() as cache, module.StandInHub(ROOT / "fixtures") as hub:
        opts = CollectOptions(endpoint=hub.url, cache_dir=cache)
        start = time.perf_counter()
        HubSource(opts).snapshot(HUB_ID)
        out.append(f"collect hub, cold cache     once {(time.perf_counter() - start) * 1000:7.1f} ms"
                   " (includes the huggingface_hub import)")
        out.append(f"collect hub, warm cache     best {ms(lambda: HubSource(opts).snapshot(HUB_ID)):7.1f} ms"
                   " (1 request)")
        offline = ms(lambda: CacheSource(opts).snapshot(HUB_ID))
        out.append(f"collect offline cache       best {offline:7.1f} ms")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="auditor start-up figures")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("-v", "--verbose", action="store_true", help="list the Hub requests")
    args = parser.parse_args()
    env = base_env()
    med, best, code = median_of(["--version"], env, args.runs)
    print(f"auditor --version          median {med:.3f} s  (min {best:.3f} s, {args.runs} runs, exit {code})"
          "   target < 0.3 s")
    local = ["audit", FIXTURE, "--format", "json"]
    med, best, code = median_of(local, env, args.runs)
    print(f"audit {FIXTURE} --format json  median {med:.3f} s  (min {best:.3f} s, exit {code})"
          "   target < 1 s")
    count, lines, took, code = hub_requests(env)
    print(f"hub audit {HUB_ID} (stand-in Hub, --no-lineage): {count} requests, {took:.3f} s, exit {code}")
    if args.verbose:
        for line in lines:
            print("   ", line)
    for line in collect_times(args.runs):
        print(line)


if __name__ == "__main__":
    main()
