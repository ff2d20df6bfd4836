"""Output formats. Each module renders the one Report structure; none recomputes a verdict.

Interface: a module ``auditor.formats.<name>`` with
``render(reports: list[Report], opts: RenderOptions) -> str``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from auditor.report.model import Report

# format name -> module (imported only when used, to keep start-up light)
FORMATS: dict[str, str] = {
    "text": "auditor.formats.text",
    "json": "auditor.formats.json_format",
    "markdown": "auditor.formats.markdown",
    "sarif": "auditor.formats.sarif",
    "spdx": "auditor.formats.spdx",
    "spdx3": "auditor.formats.spdx3",
    "cyclonedx": "auditor.formats.cyclonedx",
    "mot": "auditor.formats.mot",
}


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    verbose: int = 0
    quiet: bool = False
    single: bool = True  # one target given: JSON is an object, not an array


def render(name: str, reports: list[Report], opts: RenderOptions) -> str:
    module = importlib.import_module(FORMATS[name])
    text: str = module.render(reports, opts)
    return text
