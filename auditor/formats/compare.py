"""The `compare` table: verdicts of several reports side by side (text or markdown); reads Reports only."""

from __future__ import annotations

from auditor.report.model import Report

ROWS = ("grade", "licence", "osaid-1.0", "mof-1.0", "osd", "eu-ai-act-53-2", "key restrictions")


def cell(r: Report, row: str) -> str:
    if row == "grade":
        return f"{r.grade.letter} ({r.grade.score})" if r.grade and r.grade.letter else "-"
    if row == "licence":
        if r.license is None:
            return "none"
        osi = " (OSI)" if r.license.osi_approved else ""
        return (r.license.id or r.license.name or "unrecognised") + osi
    if row == "key restrictions":
        types = list(dict.fromkeys(x.type for x in r.restrictions))
        if not types:
            osd = r.framework("osd")
            failed = (
                [c.id.split("/")[1].split("-")[0] for c in osd.checks if c.outcome == "fail"] if osd else []
            )
            return ("fails OSD " + ", ".join(failed)) if failed and r.license else "none found"
        return ", ".join(types[:4]) + (f" +{len(types) - 4}" if len(types) > 4 else "")
    fw = r.framework(row)
    if fw is None:
        return "-"
    if fw.progress and fw.id == "mof-1.0":
        return f"{fw.verdict} (III {fw.progress.get('class-3', 0):.0f}%)"
    return fw.verdict


def table(reports: list[Report], markdown: bool = False) -> str:
    head = ["", *[r.subject.id for r in reports]]
    body = [[row, *[cell(r, row) for r in reports]] for row in ROWS]
    if markdown:

        def esc(text: str) -> str:
            return text.replace("|", "\\|")

        lines = ["| " + " | ".join(esc(h) for h in head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(esc(c) for c in line) + " |" for line in body]
        return "\n".join(lines) + "\n"
    widths = [max(len(line[i]) for line in [head, *body]) for i in range(len(head))]
    out = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
           for line in [head, *body]]
    return "\n".join(out) + "\n"
