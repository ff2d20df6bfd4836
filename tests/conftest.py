"""Shared test fixtures.

- ``repo_dir``      Path of the repository root.
- ``fixtures_dir``  Path of ``fixtures/`` (model repos under ``hub/``, datasets under ``datasets/``).
- ``shared_dir``    Path of the read-only reference material (``<repo>/../shared``); skips the test with a
                    clear reason when it is absent.
- ``hub``           a running stand-in Hub (tests/hub.py) serving ``fixtures/``; function-scoped, so each
                    test starts with an empty request log and no faults. ``.url``, ``.log``,
                    ``.requests(method, contains)``, ``.fail(path_pattern, kind, method=None, times=None)``
                    (kind "500" or any status, "drop", "hang", "body:<text>"), ``.sha(repo_id, revision)``.
- ``tmp_hub``       a stand-in Hub serving an empty tmp root; add repos with
                    ``tmp_hub.add_repo("org/name", {"README.md": "...", ...}, meta={...})``.
- ``hub_env``       environment for a CLI run against ``hub``: HF_ENDPOINT set, HF_HUB_DISABLE_TELEMETRY=1,
                    progress bars off, HF_HOME / HF_HUB_CACHE in tmp dirs, HF_TOKEN and HF_HUB_OFFLINE unset.
                    It is applied to os.environ (monkeypatch) and also returned as a dict.
- ``tmp_hub_env``   the same, pointing at ``tmp_hub``.
- ``run_cli``       ``run_cli(*args, env=None, timeout=120) -> (code, stdout, stderr)``: runs
                    ``python -m auditor ARGS`` in a subprocess (huggingface_hub reads env vars at import, so
                    Hub tests must not run the CLI in-process). ``env=None`` inherits os.environ, which
                    includes ``hub_env`` when the test uses it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

if str(Path(__file__).resolve().parent) not in sys.path:  # also under --import-mode=importlib
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from hub import StandInHub  # noqa: E402

REPO_DIR = Path(__file__).resolve().parents[1]
# auditor's own caches (validated rules, fetched licence links) go to a temporary folder for the whole
# session, inherited by CLI subprocesses: tests never read or write the user's ~/.cache/auditor.
os.environ.setdefault("AUDITOR_CACHE_DIR", tempfile.mkdtemp(prefix="auditor-test-cache-"))

HF_VARS = ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_ENDPOINT",
           "HF_HOME", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HUB_ETAG_TIMEOUT",
           "HF_HUB_DOWNLOAD_TIMEOUT")

RunCli = Callable[..., tuple[int, str, str]]


def cli_env(endpoint: str, home: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """A clean environment for a CLI subprocess talking to ``endpoint`` with a cache under ``home``."""
    env = {k: v for k, v in (base if base is not None else os.environ).items() if k not in HF_VARS}
    env.update({
        "HF_ENDPOINT": endpoint,
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "HF_HUB_DISABLE_PROGRESS_BARS": "1",
        "HF_HOME": str(home),
        "HF_HUB_CACHE": str(home / "hub"),
        "NO_COLOR": "1",
        "PYTHONIOENCODING": "utf-8",
    })
    return env


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 120,
        cwd: Path | str | None = None, input: str | None = None) -> tuple[int, str, str]:  # noqa: A002
    """Run ``python -m auditor ARGS`` in a subprocess; return (exit code, stdout, stderr)."""
    proc = subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        env=env if env is not None else dict(os.environ),
        cwd=str(cwd or REPO_DIR),
        input=input,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
    )
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO_DIR


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return REPO_DIR / "fixtures"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    path = REPO_DIR.parent / "shared"
    if not path.is_dir():
        pytest.skip(f"reference material not found at {path} (needs ../shared next to the repo)")
    return path


@pytest.fixture
def hub(fixtures_dir: Path) -> Iterator[StandInHub]:
    server = StandInHub(fixtures_dir).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def tmp_hub(tmp_path: Path) -> Iterator[StandInHub]:
    root = tmp_path / "hubroot"
    (root / "hub").mkdir(parents=True)
    (root / "datasets").mkdir()
    server = StandInHub(root).start()
    try:
        yield server
    finally:
        server.stop()


def _apply(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for key in HF_VARS:
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        if os.environ.get(key) != value:
            monkeypatch.setenv(key, value)
    return env


@pytest.fixture
def hub_env(hub: StandInHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    return _apply(cli_env(hub.url, tmp_path / "hf_home"), monkeypatch)


@pytest.fixture
def tmp_hub_env(tmp_hub: StandInHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    return _apply(cli_env(tmp_hub.url, tmp_path / "hf_home"), monkeypatch)


@pytest.fixture
def run_cli() -> RunCli:
    return run
