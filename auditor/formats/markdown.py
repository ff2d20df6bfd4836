"""Markdown: a verdict line, one table row per model and a <details> block of evidence per model.

Made for GitHub's job summary and PR comments: the output stays under the 1 MiB step-summary limit,
dropping evidence (then rows) with a note saying so.
"""

from __future__ import annotations

from auditor.formats import RenderOptions
from auditor.formats.common import clause_place, evidence_place, expression
from auditor.policy import suppressed_ids
from auditor.report.model import Evidence, Report

LIMIT = 1024 * 1024  # GitHub's step-summary limit, in bytes
RESERVE = 600  # kept free for the truncation note and closing tags
ICON = {"pass": "✅ ", "fail": "❌ ", "unknown": "❔ ", "not-applicable": "➖ "}


def cell(text: object) -> str:
    """Text safe inside a table cell or a list item: no HTML, no pipes, one line."""
    s = str(text).replace("\r", " ").replace("\n", " ")
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
    return s.replace("`", "'")


def code(text: object) -> str:
    return f"`{cell(text)}`"


def where(path: str | None, line: int | None) -> str:
    if not path:
        return ""
    return code(f"{path}:{line}" if line else path)


def evidence_text(r: Report, ev: list[Evidence]) -> str:
    parts = []
    for e in ev[:3]:
        loc = code(evidence_place(r, e)) if e.path else (cell(e.source) if e.source else "")
        quote_ = f" “{cell(e.excerpt)}”" if e.excerpt else ""
        if loc or quote_:
            parts.append(f"{loc}{quote_}".strip())
    return "; ".join(parts)


class Budget:
    """Collects lines until a byte budget is spent."""

    def __init__(self, limit: int) -> None:
        self.left = limit
        self.lines: list[str] = []
        self.dropped = 0

    def fits(self, lines: list[str]) -> bool:
        return sum(len(x.encode("utf-8")) + 1 for x in lines) <= self.left

    def add(self, *lines: str) -> bool:
        if not self.fits(list(lines)):
            self.dropped += len(lines)
            return False
        self.left -= sum(len(x.encode("utf-8")) + 1 for x in lines)
        self.lines.extend(lines)
        return True


def policy_state(r: Report) -> str:
    if r.policy is None:
        return "—"
    if r.policy["passed"]:
        return "✅ pass"
    n = len(r.policy["violations"])
    return f"❌ {n} violation{'s' if n != 1 else ''}"


def verdict_line(reports: list[Report]) -> str:
    gated = [r for r in reports if r.policy is not None]
    failing = [r for r in gated if not r.policy or not r.policy["passed"]]
    n = len(reports)
    noun = "model" if n == 1 else "models"
    grades = ", ".join(f"{r.subject.id} {r.grade.letter}" for r in reports[:5] if r.grade and r.grade.letter)
    tail = f" — grade{'s' if n > 1 else ''}: {cell(grades)}" if grades else ""
    if not gated:
        return f"## auditor: {n} {noun} audited{tail}"
    if failing:
        warn = " (warn-only)" if all(r.policy and r.policy.get("warn_only") for r in failing) else ""
        verb = "fails" if len(failing) == 1 else "fail"
        return f"## ❌ auditor: {len(failing)} of {n} {noun} {verb} the policy{warn}{tail}"
    return f"## ✅ auditor: {'the model passes' if n == 1 else f'all {n} models pass'} the policy{tail}"


def table_row(r: Report) -> str:
    g = r.grade
    grade = f"**{g.letter}** ({g.score})" if g and g.letter else "—"
    lic = expression(r.license) or "none found"
    fws = " · ".join(f"{cell(f.id)}: {ICON.get(f.verdict, '')}{cell(f.verdict)}" for f in r.frameworks) or "—"
    types = sorted({x.type for x in r.restrictions})
    restr = f"{len(r.restrictions)} ({cell(', '.join(types))})" if types else "0"
    return f"| {code(r.subject.id)} | {grade} | {code(lic)} | {fws} | {restr} | {policy_state(r)} |"


def details(r: Report, opts: RenderOptions) -> list[str]:
    """The evidence block of one model (opening and closing tags included)."""
    out = [f"<details><summary>{cell(r.subject.id)}: evidence</summary>", ""]
    s = r.subject
    out.append(
        f"Source: {s.source}"
        + (f", revision {code(s.revision)}" if s.revision else "")
        + (f", gated: {cell(s.gated)}" if s.gated else "")
    )
    if r.grade:
        out.append(f"Grade: **{r.grade.letter or '—'}** ({r.grade.score}/100) — {cell(r.grade.summary)}")
    out.append("")
    if r.policy and r.policy["violations"]:
        out.append("**Policy violations**")
        out.extend(f"- **{cell(v['rule'])}**: {cell(v['message'])}" for v in r.policy["violations"])
        out.append("")
    out.append("**Licence**")
    if r.license:
        lic = r.license
        osi = {True: "OSI-approved", False: "not OSI-approved", None: "OSI status unknown"}[lic.osi_approved]
        out.append(f"- {code(expression(lic))} {cell(lic.name or '')} ({osi})")
        for src in lic.sources:
            ex = f" “{cell(src.excerpt)}”" if src.excerpt else ""
            out.append(
                f"  - {cell(src.kind)} {where(src.path, src.line)}{ex} (confidence {src.confidence:.2f})"
            )
    else:
        out.append("- none declared or found")
    for other in r.licenses:
        if other is not r.license:
            srcs = ", ".join(f"{s2.kind} {where(s2.path, s2.line)}".strip() for s2 in other.sources)
            out.append(f"- also identified: {code(expression(other) or 'unrecognised')} {srcs}")
    out.append("")
    if r.restrictions:
        hidden = suppressed_ids(r, "restriction")
        out += ["**Restrictions**", "", "| Type | Where | Excerpt |", "|---|---|---|"]
        for x in r.restrictions:
            loc = code(clause_place(x)) if x.path else f"knowledge base ({cell(x.license)})"
            inh = f" (inherited from {cell(x.inherited_from)})" if x.inherited_from else ""
            sup = " *(suppressed)*" if x.type in hidden or (x.rule and x.rule in hidden) else ""
            out.append(f"| {cell(x.type)}{inh}{sup} | {loc} | “{cell(x.excerpt)}” |")
        out.append("")
    for fw in r.frameworks:
        out.append(
            f"**{cell(fw.title or fw.id)}**: {ICON.get(fw.verdict, '')}{cell(fw.verdict)}"
            + (f" — {cell(fw.summary)}" if fw.summary else "")
        )
        for c in fw.checks:
            if c.outcome == "pass" and not opts.verbose:
                continue
            ev = evidence_text(r, c.evidence)
            fix = f" Fix: {cell(c.remediation)}" if c.remediation and c.outcome != "pass" else ""
            out.append(
                f"- {ICON.get(c.outcome, '')}{code(c.id)}: {cell(c.reason)}"
                + (f" ({ev})" if ev else "")
                + fix
            )
        out.append("")
    if r.conflicts:
        out.append("**Conflicts**")
        out.extend(f"- [{cell(c.severity)}] {cell(c.type)}: {cell(c.message)}" for c in r.conflicts)
        out.append("")
    if r.findings:
        out.append("**Findings**")
        for f in r.findings:
            sup = f" *(suppressed: {cell(f.suppression_reason)})*" if f.suppressed else ""
            ev = evidence_text(r, f.evidence)
            out.append(
                f"- [{cell(f.severity)}] {code(f.id)}: {cell(f.message)}{sup}" + (f" ({ev})" if ev else "")
            )
        out.append("")
    if r.lineage:
        out.append("**Lineage**")
        for a in r.lineage:
            lic_a = expression(a.license) if a.license else "unknown"
            out.append(
                f"- {'  ' * (a.depth - 1)}{code(a.id)} ({cell(a.relation or 'ancestor')}, {cell(a.status)},"
                f" licence {code(lic_a)})"
            )
        out.append("")
    if r.grade and r.grade.blockers:
        out.append("**To reach the next grade**")
        out.extend(f"- {cell(b)}" for b in r.grade.blockers)
        out.append("")
    out.append("</details>")
    return out


def render(reports: list[Report], opts: RenderOptions, limit: int = LIMIT) -> str:
    b = Budget(limit - RESERVE)
    b.add(verdict_line(reports), "")
    b.add("| Model | Grade | Licence | Frameworks | Restrictions | Policy |", "|---|---|---|---|---|---|")
    rows_left = 0
    for i, r in enumerate(reports):
        if not b.add(table_row(r)):
            rows_left = len(reports) - i
            break
    b.add("")
    blocks_left = 0
    for i, r in enumerate(reports):
        block = details(r, opts)
        if b.add(*block, ""):
            continue
        # the block is too big: keep what fits of it, then stop
        head = block[:-1]
        kept: list[str] = []
        for line in head:
            if not b.fits([*kept, line, "", "_(evidence cut here)_", "</details>", ""]):
                break
            kept.append(line)
        if len(kept) > 2:
            b.add(*kept, "", "_(evidence cut here)_", "</details>", "")
        blocks_left = len(reports) - i - (1 if len(kept) > 2 else 0)
        break
    if rows_left or blocks_left or b.dropped:
        b.left += RESERVE
        b.add(
            "",
            f"> **Truncated** to stay under GitHub's 1 MiB summary limit: {rows_left} table row(s) and "
            f"{blocks_left} evidence block(s) left out. Use `--format json` for the full report.",
        )
    return "\n".join(b.lines) + "\n"
