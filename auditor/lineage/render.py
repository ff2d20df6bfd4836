"""The lineage tree as text lines, for the text format."""

from __future__ import annotations

from auditor.report.model import Ancestor, Report

_STATUS = {"unknown": "not resolved", "cycle": "cycle: already above in the chain"}


def _label(anc: Ancestor) -> str:
    lic = anc.license.id if anc.license and anc.license.id else "licence unknown"
    rel = f"{anc.relation} of " if anc.relation else ""
    notes = []
    if anc.inferred:
        notes.append(f"inferred, confidence {anc.confidence}")
    if anc.status in _STATUS:
        notes.append(_STATUS[anc.status])
    return f"{rel}{anc.id} [{lic}]" + (f" ({'; '.join(notes)})" if notes else "")


def render_lineage(report: Report) -> list[str]:
    """``Lineage:`` and the ancestors as an indented tree (nothing when there are none)."""
    if not report.lineage:
        return []
    lines = ["  Lineage:"]
    by_parent: dict[str | None, list[Ancestor]] = {}
    for anc in report.lineage:
        by_parent.setdefault(anc.parent, []).append(anc)
    shown: set[int] = set()

    def emit(parent: str | None, indent: int) -> None:
        for anc in by_parent.get(parent, []):
            if id(anc) in shown:
                continue
            shown.add(id(anc))
            lines.append(f"{' ' * indent}- {_label(anc)}")
            if anc.status == "resolved":
                emit(anc.id, indent + 2)

    for parent in dict.fromkeys(a.parent for a in report.lineage if a.depth == 1):
        emit(parent, 3)
    lines.extend(f"   - {_label(a)}" for a in report.lineage if id(a) not in shown)
    return lines
