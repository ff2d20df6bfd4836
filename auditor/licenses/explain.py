"""Plain data and text for `auditor licenses`, `auditor explain` and `auditor identify`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from auditor.errors import InputError
from auditor.licenses.identify import Identification
from auditor.licenses.knowledge import KnowledgeBase, LicenseEntry, alias_key

_BLANK = {"empty": "empty file", "not-text": "not a text file", "url-only": "only an unknown URL"}


def _flag(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "no")


def list_rows(kb: KnowledgeBase, category: str | None = None) -> list[dict[str, Any]]:
    return [{"id": e.id, "name": e.name, "kind": e.kind, "category": e.category,
             "osi_approved": e.osi_approved, "spdx": e.spdx}
            for e in kb if category is None or e.category == category]


def render_list(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "no licences match\n"
    wid = max(len(r["id"]) for r in rows)
    wcat = max(len(r["category"]) for r in rows)
    lines = [f"{'ID':<{wid}}  {'CATEGORY':<{wcat}}  OSI  {'SPDX':<20}  NAME"]
    for r in rows:
        lines.append(f"{r['id']:<{wid}}  {r['category']:<{wcat}}  {_flag(r['osi_approved']):<3}  "
                     f"{r['spdx'] or '-':<20}  {r['name']}")
    return "\n".join(lines) + "\n"


def find_entry(kb: KnowledgeBase, key: str) -> LicenseEntry:
    """The entry for ``key`` (id, alias, SPDX id...); InputError with close matches when unknown."""
    entry = kb.get(key)
    if entry is not None:
        return entry
    names = {alias_key(k): e.id for e in kb for k in (e.id, e.spdx, *e.aliases) if k}
    close = difflib.get_close_matches(alias_key(key), list(names), n=5, cutoff=0.6)
    ids = list(dict.fromkeys(names[c] for c in close))
    hint = f"; did you mean {', '.join(ids)}?" if ids else "; see `auditor licenses` for the known ids"
    raise InputError(f"unknown licence {key!r}{hint}")


def explain_data(kb: KnowledgeBase, entry: LicenseEntry) -> dict[str, Any]:
    def restrictions(e: LicenseEntry) -> list[dict[str, Any]]:
        return [{"type": r.type, "section": r.section, "explanation": r.explanation, "osd": list(r.osd)}
                for r in e.restrictions]

    policies = []
    for pid in entry.incorporates:
        pol = kb.get(pid)
        policies.append({"id": pid, "name": pol.name if pol else None,
                         "restrictions": restrictions(pol) if pol else []})
    members = [e.id for e in kb if e.kind != "family" and e.family == entry.id]
    return {
        "id": entry.id, "name": entry.name, "kind": entry.kind, "category": entry.category,
        "spdx": entry.spdx, "osi_approved": entry.osi_approved, "fsf_libre": entry.fsf_libre,
        "url": entry.url,
        "allows": entry.summary,
        "restrictions": restrictions(entry),
        "differences": [{"from": f, "text": t} for f, t in entry.differences],
        "neighbours": list(entry.neighbours),
        "incorporates": policies,
        "members": members,
        "source": f"knowledge-base:{entry.id}",
    }


def render_explain(data: dict[str, Any]) -> str:
    out = [f"{data['name']} ({data['id']})",
           f"  kind: {data['kind']}   category: {data['category']}   SPDX: {data['spdx'] or '-'}   "
           f"OSI-approved: {_flag(data['osi_approved'])}   FSF libre: {_flag(data['fsf_libre'])}"]
    if data["url"]:
        out.append(f"  text: {data['url']}")
    out += ["", "What it allows:", f"  {data['allows'] or '(no summary in the knowledge base)'}", ""]
    if data["restrictions"]:
        out.append("Restrictions:")
        for r in data["restrictions"]:
            osd = f" [breaks OSD {', '.join(map(str, r['osd']))}]" if r["osd"] else ""
            out.append(f"  - {r['type']} (section {r['section']}){osd}: {r['explanation']}")
    else:
        out.append("Restrictions: none recorded beyond the usual notice and disclaimer terms.")
    if data["incorporates"]:
        out += ["", "Incorporated policies:"]
        for p in data["incorporates"]:
            out.append(f"  - {p['id']}: {p['name'] or 'not in the knowledge base'} "
                       f"({len(p['restrictions'])} restrictions)")
    if data["differences"]:
        out += ["", "How it differs from its neighbours:"]
        out += [f"  - vs {d['from']}: {d['text']}" for d in data["differences"]]
    if data["neighbours"]:
        out += ["", f"Neighbours: {', '.join(data['neighbours'])}"]
    if data["members"]:
        out += ["", f"Members: {', '.join(data['members'])}"]
    return "\n".join(out) + "\n"


def render_identifications(items: Iterable[Identification]) -> str:
    lines = []
    for ident in items:
        head = f"{ident.path}: "
        if ident.status == "modified":
            head += f"modified {ident.modified_from} text (not the standard licence)"
            if ident.added_text:
                head += f"; adds \u201c{ident.added_text}\u201d"
        elif ident.id or ident.spdx:
            head += f"{ident.id or ident.spdx}" + (f" ({ident.spdx})" if ident.spdx and ident.id else "")
            if len(ident.parts) > 1:
                head += f"; all parts: {', '.join(ident.parts)}"
            if ident.status == "url-only":
                head += " [only a URL]"
        else:
            head += _BLANK.get(ident.status, "not recognised")
        head += f"  (confidence {ident.confidence:.2f})"
        lines.append(head)
        lines += [f"    - {m}" for m in ident.markers[:6]]
    return "\n".join(lines) + "\n"
