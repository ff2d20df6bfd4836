"""Scan one text: normalise, split into clauses with line numbers, match the compiled rules.

Each pattern runs once over the whole normalised text (linear-time regexes); a hit counts when it lies in
one clause that no negative of the same type touches.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from auditor.restrictions.patterns import TypeRule

MAX_CLAUSE = 1200  # longer runs without punctuation are cut
EXCERPT = 200

# Case-preserving folds (one character to one character): quotes, dashes, odd spaces, markdown marks.
_FOLD = {
    **{ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u2032\u00b4"},
    **{ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"},
    **{ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"},
    **{ord(c): " " for c in "\u00a0\u2007\u2009\u202f\t\r\f\v*_\\`#"},
}
_BULLET = re.compile(r"(?m)^([ \t]*)[*+\u2022](?=[ \t])")
_RUN = re.compile(r"[ \n]{2,}")

# Clause boundaries in the prepared text (case kept; whitespace collapsed).
_BOUNDARY = re.compile(
    r"\n\n"  # blank line
    r"|(?<=[.!?;])[\"')\]]? (?=[\"'(\[]?[A-Z0-9])"  # sentence end before a capital or a number
    r"|(?<=[.!?;:])[\"')\]]? ?\n"  # sentence or lead-in end at a line end
    r"|\n(?=(?:-|\(?[0-9]{1,3}[.)]|\(?[a-zA-Z][.)]|\(?[ivxIVX]{1,5}[.)]) )"  # list item
)

# Section headings at a line start: "1.", "1.2", "Section 3", "\u00a7 4", "a.", "(b)", "iv.".
_HEAD = re.compile(
    r"[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*)?(?:(?:section|article|clause)[ \t]+|\u00a7[ \t]*)?"
    r"(?:(?P<num>[0-9]{1,2}(?:\.[0-9]{1,2}){0,3})\\?\.?|\((?P<plet>[a-z])\)|(?P<let>[a-z])\."
    r"|\((?P<prom>[ivx]{1,5})\)|(?P<rom>[ivx]{1,5})\.)[ \t)*]",
    re.IGNORECASE,
)


@dataclass
class Prepared:
    """A text ready to scan: ``text`` (folded, whitespace runs collapsed, case kept), ``norm`` (its lower
    case with newlines as spaces, same offsets) and a map back to offsets in the original."""

    text: str
    norm: str
    _new: list[int]
    _old: list[int]

    def original(self, pos: int) -> int:
        i = bisect_right(self._new, pos) - 1
        return self._old[i] + (pos - self._new[i])


def prepare(text: str) -> Prepared:
    folded = _BULLET.sub(lambda m: m.group(1) + "-", text).translate(_FOLD)
    pieces: list[str] = []
    new, old = [0], [0]
    pos = size = 0
    for m in _RUN.finditer(folded):
        pieces.append(folded[pos:m.start()])
        run = m.group()
        rep = "\n\n" if run.count("\n") >= 2 else "\n" if "\n" in run else " "
        pieces.append(rep)
        size += m.start() - pos + len(rep)
        new.append(size)
        old.append(m.end())
        pos = m.end()
    pieces.append(folded[pos:])
    cased = "".join(pieces)
    low = cased.lower()
    if len(low) != len(cased):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in cased)
    return Prepared(cased, low.replace("\n", " "), new, old)


def normalise(text: str) -> str:
    """The lower-case, folded, whitespace-collapsed form that patterns are written against."""
    return prepare(text).norm


@dataclass
class Clause:
    start: int
    end: int


@dataclass
class Hit:
    type: str
    rule: str
    start: int
    end: int
    clause: Clause


def clauses(text: str) -> list[Clause]:
    """Split into clauses (sentences, list items, paragraphs), long ones cut at MAX_CLAUSE."""
    out: list[Clause] = []
    pos = 0
    for m in _BOUNDARY.finditer(text):
        _add(out, pos, m.start())
        pos = m.end()
    _add(out, pos, len(text))
    return out


def _add(out: list[Clause], start: int, end: int) -> None:
    while end - start > MAX_CLAUSE:
        out.append(Clause(start, start + MAX_CLAUSE))
        start += MAX_CLAUSE
    if end > start:
        out.append(Clause(start, end))


class LineIndex:
    """Offset -> 1-based line number, and the section heading in force at a line."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.text = text
        self._sections: list[str | None] | None = None

    def line(self, offset: int) -> int:
        return bisect_right(self.starts, offset)

    def section(self, line: int) -> str | None:
        if self._sections is None:
            self._sections = _sections(self.text, self.starts)
        return self._sections[line - 1] if 0 < line <= len(self._sections) else None


def _sections(text: str, starts: list[int]) -> list[str | None]:
    """The numbered section (e.g. "1.b.v", "3.2", "4.a") in force at each line."""
    path: list[str] = []
    out: list[str | None] = []
    for start in starts:
        m = _HEAD.match(text, start, min(len(text), start + 40))
        if m:
            path = _step(path, m)
        out.append(".".join(path) or None)
    return out


def _step(path: list[str], m: re.Match[str]) -> list[str]:
    if m.group("num"):
        return [m.group("num")]
    tok = (m.group("let") or m.group("plet") or m.group("rom") or m.group("prom") or "").lower()
    roman = set(tok) <= set("ivx")
    if roman and len(path) >= 2:
        follows = len(tok) == 1 and len(path) == 2 and len(path[1]) == 1 and ord(tok) == ord(path[1]) + 1
        if not follows:
            return path[:2] + [tok]
    return path[:1] + [tok]


def scan(prep: Prepared, types: tuple[TypeRule, ...]) -> list[Hit]:
    """All hits of all types in a prepared text, negatives applied, one per type and clause.

    Offsets are in ``prep.text``; clauses are split there (capitals mark sentence starts).
    """
    norm = prep.norm
    parts = clauses(prep.text)
    bounds = [c.start for c in parts]
    memo: dict[str, set[int]] = {}

    def where(regex: re.Pattern[str]) -> set[int]:
        """Indexes of the clauses in which ``regex`` matches (memoised per text)."""
        key = f"{regex.flags}:{regex.pattern}"
        if key not in memo:
            memo[key] = {bisect_right(bounds, m.start()) - 1 for m in regex.finditer(norm)}
        return memo[key]

    hits: list[Hit] = []
    for rule in types:
        negated: set[int] = set()
        for neg in rule.negatives:
            found_in = where(neg.regex)
            for req in neg.requires:
                found_in = found_in & where(req)
            negated |= found_in
        seen: set[int] = set()
        found: list[Hit] = []
        for pat in rule.patterns:
            allowed: set[int] | None = None
            for req in pat.requires:
                allowed = where(req) if allowed is None else allowed & where(req)
                if not allowed:
                    break
            if allowed is not None and not allowed:
                continue
            for m in pat.regex.finditer(norm):
                idx = bisect_right(bounds, m.start()) - 1
                if idx < 0 or idx in seen or idx in negated or (allowed is not None and idx not in allowed):
                    continue
                clause = parts[idx]
                if m.end() > clause.end + 1:  # ran across a clause boundary
                    continue
                seen.add(idx)
                found.append(Hit(rule.id, pat.id, m.start(), m.end(), clause))
        found.sort(key=lambda h: h.start)
        hits.extend(found)
    return hits


def excerpt(original: str, prep: Prepared, hit: Hit, limit: int = EXCERPT) -> str:
    """The hit's clause, taken from the original text with whitespace collapsed and markdown emphasis
    dropped, at most ``limit`` characters, centred on the hit."""
    c = hit.clause
    lo, hi = prep.original(c.start), prep.original(c.end)
    start = prep.original(hit.start)
    raw = " ".join(original[lo:start].replace("**", "").split())
    rest = " ".join(original[start:hi].replace("**", "").split())
    if raw and start > lo and not original[start - 1].isspace():
        text, at = raw + rest, len(raw)
    else:
        text, at = (raw + " " + rest).strip(), len(raw) + (1 if raw else 0)
    room = limit - 2  # for the ellipses
    if len(text) <= limit:
        return text
    lo_cut = max(0, min(at - room // 3, len(text) - room))
    cut = text[lo_cut:lo_cut + room]
    return ("\u2026" if lo_cut > 0 else "") + cut + ("\u2026" if lo_cut + room < len(text) else "")
