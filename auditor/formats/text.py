"""Text: an expert's memo per model (verdict first, then the reasons with evidence, then what would
change the verdict); ``-q`` prints one line per model, ``-v`` every check of every framework.

It only reads the Report; no verdict is recomputed here.
"""

from __future__ import annotations

from auditor.formats import RenderOptions
from auditor.report.model import FAIL, PASS, UNKNOWN, Check, Evidence, FrameworkResult, Report, Restriction

_COLORS = {
    "A": "32",
    "B": "32",
    "C": "33",
    "D": "33",
    "E": "31",
    "F": "31",
    "pass": "32",
    "fail": "31",
    "unknown": "33",
    "class-1": "32",
    "class-2": "32",
    "class-3": "33",
    "unclassified": "31",
}
NAMES = {"osaid-1.0": "OSAID 1.0", "mof-1.0": "MOF 1.0", "osd": "OSD", "eu-ai-act-53-2": "EU AI Act 53(2)"}
TERM_TEXT = {
    "scale-cap": "user or revenue cap: large licensees get no rights without a separate licence",
    "field-of-use": "bans on fields of use",
    "acceptable-use-policy": "an acceptable-use policy is part of the terms",
    "non-commercial": "non-commercial or research-only use",
    "output-restriction": "limits on using outputs (e.g. to improve other models)",
    "naming": "naming or attribution duties (badge, name prefix, notice)",
    "geographic": "exclusion by location",
    "revocable": "revocable grant or unilateral changes",
    "licensor-control": "licensor keeps control (remote restriction, forced updates)",
    "flow-down": "use restrictions must be passed on to every recipient",
    "litigation-termination": "the grant ends if the licensee sues",
    "registration": "registration or approval needed",
}
WIDTH = 110


def paint(text: str, key: str, opts: RenderOptions) -> str:
    code = _COLORS.get(key)
    return f"\x1b[{code}m{text}\x1b[0m" if opts.color and code else text


def where(path: str | None, line: int | None) -> str:
    if not path:
        return ""
    return f"{path}:{line}" if line else path


def quote(text: str | None, limit: int = 90) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def cite(ev: Evidence) -> str:
    """file:line "excerpt", or the knowledge-base entry."""
    place = where(ev.path, ev.line)
    if not place:
        src = ev.source or ""
        place = src.replace("knowledge-base:", "knowledge base: ") if src else (ev.url or "")
    excerpt = f' "{quote(ev.excerpt)}"' if ev.excerpt else ""
    return f"{place}{excerpt}".strip()


def cite_restriction(r: Restriction) -> str:
    if r.path:
        place = where(r.path, r.line)
    else:
        place = f"knowledge base: {r.license}" + (f" \u00a7{r.section}" if r.section else "")
    inh = f" (inherited from {r.inherited_from})" if r.inherited_from else ""
    return f'{place} "{quote(r.excerpt, 130)}"{inh}'


def wrap(text: str, indent: str, width: int = WIDTH) -> list[str]:
    """Wrap words; continuation lines are indented by blanks under the first line's text."""
    words, lines, cur = text.split(), [], indent
    follow = " " * len(indent) + "  "
    for w in words:
        if len(cur) + len(w) + 1 > width and cur.strip():
            lines.append(cur.rstrip())
            cur = follow
        cur += w + " "
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def quiet_line(r: Report, opts: RenderOptions) -> str:
    g = r.grade
    grade = f"{paint(g.letter, g.letter, opts)} ({g.score})" if g and g.letter else "-"
    lic = (r.license.id or r.license.name or "unrecognised") if r.license else "no licence"
    if any(c.type in BINDING_CONFLICTS for c in r.conflicts):
        lic += " (conflict)"
    verdicts = "  ".join(f"{f.id} {paint(f.verdict, f.verdict, opts)}" for f in r.frameworks)
    return f"{r.subject.id}  grade {grade}  licence {lic}  {verdicts}".rstrip()


def headline(r: Report, opts: RenderOptions) -> list[str]:
    s = r.subject
    rev = f"@{s.revision[:12]}" if s.revision else ""
    gated = f", gated: {s.gated}" if s.gated else ""
    lines = [f"{s.id}{rev}  ({s.source}{gated})"]
    g = r.grade
    if g and g.letter:
        lines.append(f"Verdict: grade {paint(g.letter, g.letter, opts)} ({g.score}/100): {g.summary}")
    else:
        lines.append("Verdict: not graded")
    for fw in r.frameworks:
        name = NAMES.get(fw.id, fw.title or fw.id)
        summary = f": {fw.summary}" if fw.summary else ""
        lines.extend(wrap(f"{name} {paint(fw.verdict, fw.verdict, opts)}{summary}", "  "))
    if r.license:
        lic = r.license
        osi = {True: "OSI-approved", False: "not OSI-approved", None: "OSI status unknown"}[lic.osi_approved]
        src = lic.sources[0] if lic.sources else None
        at = f" [{src.kind} {where(src.path, src.line)}]" if src else ""
        name = f" ({lic.name})" if lic.name and lic.name != lic.id else ""
        lines.append(f"Licence: {lic.id or 'unrecognised text'}{name}; {osi}{at}")
    else:
        lines.append("Licence: none declared or found")
    for c in r.conflicts:
        if c.type in BINDING_CONFLICTS:
            lines.extend(wrap(f"  but: {c.message}", "    "))
    return lines


# conflicts that change which terms bind the weights: shown right under the licence line
BINDING_CONFLICTS = ("relicensed", "license-mismatch", "incompatible-merge")


def in_subfolder_only(r: Report, x: Restriction) -> bool:
    """A clause of a licence seen only in sub-folder files (a component's or an old revision's), which
    the grade does not apply to the weights."""
    concluded = r.license.id if r.license else None
    if x.inherited_from or x.license == concluded:
        return False
    folder_only = {
        lic.id for lic in r.licenses if lic.sources and all(s.path and "/" in s.path for s in lic.sources)
    }
    if folder_only:
        folder_only |= incorporated(folder_only - {concluded})
    return x.license in folder_only or bool(x.path and "/" in x.path and x.source == "text")


def incorporated(ids: set[str | None]) -> set[str]:
    """Policies the knowledge base says these licences incorporate."""
    from auditor.frameworks.context import knowledge
    from auditor.rules import RuleSet

    kb = knowledge(RuleSet())
    out: set[str] = set()
    for lid in ids:
        entry = kb.get(lid) if kb is not None else None
        out.update(entry.incorporates if entry is not None else ())
    return out


def terms_section(r: Report) -> list[str]:
    if not r.restrictions:
        return []
    binding = [x for x in r.restrictions if not in_subfolder_only(r, x)]
    elsewhere = [x for x in r.restrictions if in_subfolder_only(r, x)]
    lines = ["  Licence terms that restrict use:"] + term_lines(binding) if binding else []
    if elsewhere:
        lines.append("  Terms in licence files of sub-folders only (they do not bind the weights):")
        lines += term_lines(elsewhere)
    return lines


def term_lines(restrictions: list[Restriction]) -> list[str]:
    lines: list[str] = []
    by_type: dict[str, list[Restriction]] = {}
    for x in restrictions:
        by_type.setdefault(x.type, []).append(x)
    for rtype, items in by_type.items():
        osd = sorted({n for x in items for n in x.osd})
        osd_text = f" (breaks OSD {', '.join(map(str, osd))})" if osd else ""
        lines.append(f"   - {TERM_TEXT.get(rtype, rtype)}{osd_text}:")
        for x in items[:4]:
            lines.append(f"       {cite_restriction(x)}")
        if len(items) > 4:
            lines.append(f"       ... {len(items) - 4} more")
    return lines


def check_lines(c: Check, opts: RenderOptions, evidence: int = 2) -> list[str]:
    mark = paint(f"{c.outcome:<7}", c.outcome, opts)
    out = wrap(f"{mark} {c.title or c.id}: {c.reason}", "   - ")
    for ev in c.evidence[:evidence]:
        text = cite(ev)
        if text:
            out.append(f"       {quote(text, 100)}")
    return out


def framework_section(fw: FrameworkResult, opts: RenderOptions, all_checks: bool) -> list[str]:
    name = NAMES.get(fw.id, fw.title or fw.id)
    lines = [f"  {name}: {fw.verdict}"]
    if fw.progress:
        lines[0] += (
            "  (progress "
            + ", ".join(f"{k} {v:.0f}%" for k, v in sorted(fw.progress.items(), reverse=True))
            + ")"
        )
    shown = fw.checks if all_checks else [c for c in fw.checks if c.outcome in (FAIL, UNKNOWN)]
    if fw.id == "mof-1.0" and not all_checks:
        missing = [c.title or c.id for c in fw.checks if c.outcome == FAIL]
        included = [c.title or c.id for c in fw.checks if c.outcome == PASS]
        if included:
            lines.extend(wrap("open and present: " + "; ".join(included), "    "))
        if missing:
            lines.extend(wrap("missing or not openly licensed: " + "; ".join(missing), "    "))
        return lines
    for c in shown:
        lines.extend(check_lines(c, opts))
    return lines


def lineage_section(r: Report) -> list[str]:
    from auditor.lineage.render import render_lineage  # the ancestor tree (lineage stage's own renderer)

    return render_lineage(r)


def changes_section(r: Report) -> list[str]:
    items: list[str] = []
    if r.grade:
        items.extend(r.grade.blockers)
    osaid = r.framework("osaid-1.0")
    if osaid:
        items.extend(c.remediation for c in osaid.checks if c.outcome != PASS and c.remediation)
    items = list(dict.fromkeys(items))
    if not items:
        return []
    lines = ["What would change the verdict:"]
    for item in items:
        lines.extend(wrap(item, "  - "))
    return lines


def policy_section(r: Report, opts: RenderOptions) -> list[str]:
    """The policy gate's result (auditor/policy.py), naming each violated rule."""
    if r.policy is None:
        return []
    passed = bool(r.policy["passed"])
    warn = " (warn-only)" if r.policy.get("warn_only") and not passed else ""
    source = f"  [{r.policy['source']}]" if r.policy.get("source") else ""
    state = paint("pass", "pass", opts) if passed else paint("FAIL", "fail", opts)
    lines = ["", f"Policy: {state}{warn}{source}"]
    for v in r.policy["violations"]:
        lines.extend(wrap(f"{v['rule']}: {v['message']}", "  - "))
    for sup in r.policy.get("suppressed", []):
        lines.extend(wrap(f"suppressed {sup['kind']} {sup['id']}: {sup['reason']}", "  - "))
    return lines


def render_one(r: Report, opts: RenderOptions) -> list[str]:
    lines = headline(r, opts)
    why = ["", "Why:"]
    why.extend(terms_section(r))
    for fw in r.frameworks:
        # OSAID shows every gate with its evidence; the others show what failed (all with -v)
        why.extend(framework_section(fw, opts, all_checks=bool(opts.verbose) or fw.id == "osaid-1.0"))
    why.extend(lineage_section(r))
    for c in r.conflicts:
        why.extend(wrap(f"conflict ({c.type}): {c.message}", "  "))
    visible = [f for f in r.findings if opts.verbose or f.severity in ("medium", "high", "critical")]
    for f in visible:
        sup = f" (suppressed: {f.suppression_reason})" if f.suppressed else ""
        why.extend(wrap(f"finding [{f.severity}] {f.id}: {f.message}{sup}", "  "))
    lines.extend(why)
    lines.extend(policy_section(r, opts))
    change = changes_section(r)
    if change:
        lines.append("")
        lines.extend(change)
    return lines


def render(reports: list[Report], opts: RenderOptions) -> str:
    if opts.quiet:
        return "\n".join(quiet_line(r, opts) for r in reports) + "\n"
    blocks = ["\n".join(render_one(r, opts)) for r in reports]
    return "\n\n".join(blocks) + "\n"
