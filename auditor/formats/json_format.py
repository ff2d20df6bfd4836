"""JSON: the report as data, validated by schemas/report-1.json. Deterministic key order."""

from __future__ import annotations

import json

from auditor.formats import RenderOptions
from auditor.report.model import Report, to_data


def render(reports: list[Report], opts: RenderOptions) -> str:
    data = [{"schema_version": r.schema_version, **to_data(r)} for r in reports]
    payload = data[0] if opts.single and len(data) == 1 else data
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
