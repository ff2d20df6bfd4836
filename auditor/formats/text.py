"""Text: a readable summary for a terminal."""

from __future__ import annotations

from auditor.formats import RenderOptions
from auditor.report.model import Report

_COLORS = {"A": "32", "B": "32", "C": "33", "D": "33", "E": "31", "F": "31",
           "pass": "32", "fail": "31", "unknown": "33"}


def paint(text: str, key: str, opts: RenderOptions) -> str:
    code = _COLORS.get(key)
    return f"\x1b[{code}m{text}\x1b[0m" if opts.color and code else text


def where(path: str | None, line: int | None) -> str:
    if not path:
        return ""
    return f"{path}:{line}" if line else path


def render_one(r: Report, opts: RenderOptions) -> list[str]:
    s = r.subject
    rev = f"@{s.revision[:12]}" if s.revision else ""
    lines = [f"{s.id}{rev}  ({s.source}{', gated: ' + str(s.gated) if s.gated else ''})"]
    if r.grade and r.grade.letter:
        lines.append(f"  grade    {paint(r.grade.letter, r.grade.letter, opts)} ({r.grade.score}/100)  "
                     f"{r.grade.summary}")
    if r.license:
        lic = r.license
        osi = {True: "OSI-approved", False: "not OSI-approved", None: "OSI status unknown"}[lic.osi_approved]
        src = lic.sources[0] if lic.sources else None
        at = f"  [{src.kind} {where(src.path, src.line)}]" if src else ""
        lines.append(f"  licence  {lic.id or 'unrecognised'} ({lic.name or lic.spdx or '?'}; {osi}){at}")
    else:
        lines.append("  licence  none declared or found")
    for fw in r.frameworks:
        lines.append(f"  {fw.id:<16} {paint(fw.verdict, fw.verdict, opts)}" + (f"  {fw.summary}" if fw.summary else ""))
        if opts.verbose:
            for c in fw.checks:
                lines.append(f"      {paint(c.outcome, c.outcome, opts):<8} {c.id}: {c.reason}")
    if r.restrictions:
        lines.append(f"  restrictions ({len(r.restrictions)}):")
        shown = r.restrictions if opts.verbose else r.restrictions[:12]
        for x in shown:
            origin = where(x.path, x.line) or f"knowledge base ({x.license})"
            inh = f" inherited from {x.inherited_from}" if x.inherited_from else ""
            lines.append(f"    - {x.type}{inh}: \"{x.excerpt}\" [{origin}]")
        if len(shown) < len(r.restrictions):
            lines.append(f"    ... {len(r.restrictions) - len(shown)} more (use -v)")
    for c in r.conflicts:
        lines.append(f"  conflict {c.type}: {c.message}")
    visible = [f for f in r.findings if opts.verbose or f.severity in ("medium", "high", "critical")]
    for f in visible:
        lines.append(f"  finding  [{f.severity}] {f.id}: {f.message}")
    if r.grade and r.grade.blockers:
        lines.append("  to reach the next grade:")
        lines.extend(f"    - {b}" for b in r.grade.blockers)
    return lines


def render(reports: list[Report], opts: RenderOptions) -> str:
    blocks = ["\n".join(render_one(r, opts)) for r in reports]
    return "\n\n".join(blocks) + "\n"
