"""`auditor compare`: verdicts of several models side by side (text and markdown) on fixture folders."""

from __future__ import annotations

from pathlib import Path

from auditor.formats.compare import ROWS, table
from auditor.pipeline import AuditOptions, audit
from auditor.rules import RuleSet


def test_table_rows_and_columns(fixtures_dir: Path) -> None:
    rules = RuleSet()
    reports = [
        audit(str(fixtures_dir / "hub" / repo), AuditOptions(timestamp=False), rules)
        for repo in ("open-lab/open-lm-1b", "nolicense/mystery-3b")
    ]
    text = table(reports)
    lines = text.splitlines()
    assert len(lines) == 1 + len(ROWS)
    assert "open-lm-1b" in lines[0] and "mystery-3b" in lines[0]
    grade = next(line for line in lines if line.startswith("grade"))
    assert "A (" in grade and "F (" in grade
    md = table(reports, markdown=True).splitlines()
    assert md[0].startswith("| ") and md[1].startswith("|---|")
    assert any(line.startswith("| osaid-1.0 | pass | fail |") for line in md)


def test_cli_compare(fixtures_dir: Path, run_cli) -> None:
    a = str(fixtures_dir / "hub" / "open-lab" / "open-lm-1b")
    b = str(fixtures_dir / "hub" / "meta-demo" / "llama-3.1-8b")
    code, out, err = run_cli("compare", a, b)
    assert code == 0, err
    assert out.splitlines()[0].split() == [a, b]
    assert "key restrictions" in out and "scale-cap" in out
    code, out, err = run_cli("compare", a, b, "--format", "markdown")
    assert code == 0 and out.startswith("| ")
    code, out, err = run_cli("compare", a, str(fixtures_dir / "no-such-folder"))
    assert code == 2 and "no such folder" in err and "open-lm-1b" in out
