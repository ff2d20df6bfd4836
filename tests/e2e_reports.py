"""Reports from the real pipeline over the fixture folders (offline: no Hub, no network)."""

from __future__ import annotations

from pathlib import Path

from auditor.collect import CollectOptions
from auditor.pipeline import AuditOptions, audit
from auditor.report.model import Report

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fixture_report(name: str) -> Report:
    """Audit fixtures/hub/<name> as a local folder; ancestors resolve from the neighbouring folders."""
    return audit(str(FIXTURES / "hub" / name), AuditOptions(collect=CollectOptions(offline=True)))
