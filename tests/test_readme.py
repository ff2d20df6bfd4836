"""The README's quick start shows real commands with their real output; keep it that way."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def examples():
    """(command, expected output) for every ```-block line starting with `$ auditor`."""
    out = []
    for block in re.findall(r"```\n(.*?)```", README, re.S):
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("$ auditor "):
                rest = []
                for nxt in lines[i + 1:]:
                    if nxt.startswith("$ "):
                        break
                    rest.append(nxt)
                out.append((line[2:], "\n".join(rest)))
    return out


def run(command: str) -> str:
    head = None
    if "| head -n" in command:
        command, _, n = command.partition("| head -n")
        head = int(n.strip())
    args = shlex.split(command)[1:]
    env = {"NO_COLOR": "1", "PATH": "", "HOME": str(ROOT), "AUDITOR_RULES_CACHE": "0"}
    proc = subprocess.run([sys.executable, "-m", "auditor", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    return "\n".join(lines[:head] if head else lines)


@pytest.mark.parametrize("command,expected", examples(), ids=lambda v: v[:60] if isinstance(v, str) else "")
def test_readme_example_output_is_real(command, expected):
    actual = run(command)
    if expected.strip():
        assert actual == expected.rstrip("\n")
    else:  # the output is rendered right after the block (a markdown table)
        assert actual.strip() and actual.strip() in README


def test_readme_has_examples_and_the_test_command():
    assert len(examples()) >= 2
    assert "python -m pytest -q" in README
    assert "python -m pytest -q" in (ROOT / ".ci" / "run").read_text()
