"""Licences named in free text: ``license_name``, card prose, and texts that only name their licence."""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable

from auditor.licenses.knowledge import KnowledgeBase, LicenseEntry

_SEP = re.compile(r"[^a-z0-9.+]+")
_DOTS = re.compile(r"\.+(?=\s|$)|(?:^|(?<=\s))\.+")
_URL = re.compile(r"https?://[^\s<>\"')\]]+")
_PAREN = re.compile(r"\s*\([^)]*\)\s*$")
_STATEMENT = re.compile(r"\b(?:under|licen[cs]ed|governed by|subject to)\b[^.]{0,60}$")
HEAD_LINES = 6

_PHRASES: weakref.WeakKeyDictionary[KnowledgeBase, list[tuple[str, str]]] = weakref.WeakKeyDictionary()


def flat(text: str) -> str:
    """Lower case words (dots kept inside numbers) separated by single spaces, padded with spaces."""
    words = _SEP.sub(" ", text.lower().replace("licence", "license"))
    return " " + " ".join(_DOTS.sub("", words).split()) + " "


def resolve_name(name: str, kb: KnowledgeBase) -> LicenseEntry | None:
    """A licence named in prose or ``license_name``: the name itself and a few plain variants."""
    s = name.strip().strip("*_`'\"[]() ").lower().replace("licence", "license")
    s = re.sub(r"^(?:license\s*:\s*)+", "", s)  # "License: License: X" (a doubled card label)
    variants = [s, re.sub(r"^the\s+", "", s)]
    t = variants[1]
    for suffix in (" license agreement", " agreement", " license", " public license"):
        if t.endswith(suffix):
            variants.append(t[: -len(suffix)])
    more = []
    for v in variants:
        more += [re.sub(r",?\s*version\s+", " ", v), re.sub(r"\bv(\d)", r"\1", v), v.replace(",", "")]
    for v in [*variants, *more]:
        entry = kb.get(v.strip())
        if entry is not None:
            return entry
    return None


def phrases(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """(flat phrase, KB id): names and multi-word aliases of licences and policies, longest first."""
    cached = _PHRASES.get(kb)
    if cached is not None:
        return cached
    index: dict[str, str] = {}
    late: list[tuple[str, str]] = []
    for entry in kb:
        if entry.kind not in ("license", "policy"):
            continue
        for value in (entry.name, *entry.aliases):
            if "/" in value:
                continue
            index.setdefault(flat(value), entry.id)
        late.append((flat(_PAREN.sub("", entry.name)), entry.id))
    for phrase, eid in late:
        index.setdefault(phrase, eid)
    out = [(p, i) for p, i in index.items() if len(p.split()) >= 2 and len(p.strip()) >= 8
           and re.search(r"[a-z]{3}", p)]
    out.sort(key=lambda x: -len(x[0]))
    _PHRASES[kb] = out
    return out


def named_licences(text: str, kb: KnowledgeBase,
                   url_resolver: Callable[[str, KnowledgeBase], str | None] | None = None,
                   ) -> list[tuple[str, int, str]]:
    """KB ids a text names as its own terms: in its first lines, after "under"/"licensed", or by URL.

    Returns (id, position, what matched) sorted by position; each id once.
    """
    head = "\n".join([ln for ln in text.splitlines() if ln.strip()][:HEAD_LINES])
    flat_all = flat(text[:20000])
    head_end = len(flat(head))
    found: dict[str, tuple[int, str]] = {}
    for phrase, eid in phrases(kb):
        pos = flat_all.find(phrase)
        while pos >= 0:
            if pos < head_end or _STATEMENT.search(flat_all[max(0, pos - 80):pos]):
                if eid not in found or pos < found[eid][0]:
                    found[eid] = (pos, phrase.strip())
                break
            pos = flat_all.find(phrase, pos + 1)
    if url_resolver is not None:
        for m in _URL.finditer(text[:20000]):
            hit = url_resolver(m.group(0).rstrip(".,;"), kb)
            if hit and hit not in found:
                found[hit] = (len(flat(text[: m.start()])), m.group(0))
    return sorted(((eid, pos, what) for eid, (pos, what) in found.items()), key=lambda x: x[1])
