"""Version-exact identification of AI model licences and use policies by phrase fingerprints.

Each knowledge-base entry may carry a ``fingerprint`` block: short distinctive ``phrases`` (at least
``min_phrases`` must be present), ``require`` (all must be present: the version discriminators),
``exclude`` (none may be present), optional ``hashes`` (sha256 of the normalised text) and ``priority``.
Matching is plain substring search over a normalised copy of the text, so it is linear and fast.
A file may hold several texts (a licence plus its use policy): every part is reported once, licences first.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from auditor.licenses.knowledge import KnowledgeBase
from auditor.licenses.normalize import _MD_LINK, _MD_MARKS, _QUOTES, normalize_phrase

# The list markers that ``normalize`` strips, limited to one line so line offsets survive.
_LINE_BULLET = re.compile(r"^[ \t]*(?:[-+\u2022\u25cf\u25aa\u25e6]|\d{1,3}[.)]|\(?[a-z]{1,4}\))[ \t]+", re.M)
_WORD = re.compile(r"\w")
# str.translate is slow on non-ASCII text; a character class plus a lookup does the same fold quickly.
_FOLD = re.compile("[" + re.escape("".join(map(chr, _QUOTES))) + "]")


def _fold(match: re.Match[str]) -> str:
    value = _QUOTES.get(ord(match.group()))
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class AiMatch:
    """One identified licence or policy inside a text."""

    id: str
    confidence: float
    markers: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True)
class _Print:
    id: str
    kind: str
    family: str
    phrases: tuple[str, ...]
    min_phrases: int
    require: tuple[str, ...]
    exclude: tuple[str, ...]
    hashes: frozenset[str]
    priority: int


@dataclass(frozen=True)
class _Text:
    norm: str
    norm_starts: list[int]
    orig_starts: list[int]

    def orig(self, pos: int) -> int:
        """Map an offset in the normalised text to the start of its line in the original."""
        i = max(0, bisect.bisect_right(self.norm_starts, pos) - 1)
        return self.orig_starts[i] if self.orig_starts else 0


def prepare(text: str) -> _Text:
    """Normalise line by line (offsets stay traceable); same folding as ``normalize_phrase``."""
    work = _FOLD.sub(_fold, text)
    work = _MD_LINK.sub(r"\1", work)
    work = _LINE_BULLET.sub(" ", work)
    work = _MD_MARKS.sub(" ", work).lower()
    norm_parts: list[str] = []
    norm_starts: list[int] = []
    orig_starts: list[int] = []
    pos = 0
    orig = 0
    for raw, line in zip(text.split("\n"), work.split("\n"), strict=True):
        words = line.split()
        if words:
            joined = " ".join(words)
            norm_starts.append(pos)
            orig_starts.append(orig)
            norm_parts.append(joined)
            pos += len(joined) + 1
        orig += len(raw) + 1
    return _Text(" ".join(norm_parts), norm_starts, orig_starts)


def _compile(kb: KnowledgeBase) -> list[_Print]:
    prints: list[_Print] = []
    for entry in kb:
        fp = entry.fingerprint or {}
        phrases = tuple(normalize_phrase(p) for p in fp.get("phrases", ()) if p.strip())
        if not phrases:  # hash-only entries (standard licences) are left to the standard matcher
            continue
        hashes = frozenset(fp.get("hashes", ()))
        prints.append(_Print(
            id=entry.id, kind=entry.kind, family=entry.family or entry.id, phrases=phrases,
            min_phrases=min(int(fp.get("min_phrases", len(phrases))), len(phrases)),
            require=tuple(normalize_phrase(p) for p in fp.get("require", ())),
            exclude=tuple(normalize_phrase(p) for p in fp.get("exclude", ())),
            hashes=hashes, priority=int(fp.get("priority", 0)),
        ))
    return prints


def compiled(kb: KnowledgeBase) -> list[_Print]:
    """Normalised fingerprints, computed once per knowledge base (cached on it as ``_fp``)."""
    cached = getattr(kb, "_fp", None)
    if cached is None:
        cached = _compile(kb)
        setattr(kb, "_fp", cached)  # noqa: B010 - KnowledgeBase does not declare this cache slot
    result: list[_Print] = cached
    return result


def _find(norm: str, phrase: str) -> int:
    """First occurrence of ``phrase`` that does not start or end inside a word; -1 if none."""
    start = norm.find(phrase)
    while start >= 0:
        end = start + len(phrase)
        before_ok = start == 0 or not (_WORD.match(norm[start - 1]) and _WORD.match(phrase[0]))
        after_ok = end == len(norm) or not (_WORD.match(norm[end]) and _WORD.match(phrase[-1]))
        if before_ok and after_ok:
            return start
        start = norm.find(phrase, start + 1)
    return -1


@dataclass
class _Candidate:
    fp: _Print
    markers: list[tuple[int, str]]  # (offset in the normalised text, phrase), require phrases included
    hits: int  # how many of the fingerprint's phrases were found
    start: int
    end: int
    exact: bool

    @property
    def score(self) -> tuple[int, float, int]:
        share = self.hits / max(1, len(self.fp.phrases))
        return (int(self.exact), round(share, 3), self.fp.priority)


def _candidate(fp: _Print, text: _Text, digest: str | None) -> _Candidate | None:
    exact = digest is not None and digest in fp.hashes
    norm = text.norm
    found: list[tuple[int, str]] = []
    if not exact:
        for phrase in fp.require:  # the most selective test first: most prints fail here
            pos = _find(norm, phrase)
            if pos < 0:
                return None
            found.append((pos, phrase))
    misses_allowed = len(fp.phrases) - fp.min_phrases
    hits = 0
    for phrase in fp.phrases:
        pos = _find(norm, phrase)
        if pos >= 0:
            found.append((pos, phrase))
            hits += 1
            continue
        misses_allowed -= 1
        if misses_allowed < 0 and not exact:
            return None
    if not exact and any(_find(norm, phrase) >= 0 for phrase in fp.exclude):
        return None
    if not found:
        return _Candidate(fp, [], 0, 0, len(norm), exact)
    found.sort()
    return _Candidate(fp, found, hits, found[0][0], found[-1][0] + len(found[-1][1]), exact)


def _overlap(a: _Candidate, b: _Candidate) -> bool:
    return a.start < b.end and b.start < a.end


def _resolve(cands: list[_Candidate]) -> list[_Candidate]:
    """Among overlapping candidates of the same kind keep the best; on a tie keep none (ambiguous)."""
    keep: list[_Candidate] = []
    tied: list[_Candidate] = []
    for cand in sorted(cands, key=lambda c: c.score, reverse=True):
        rivals = [k for k in keep + tied if k.fp.kind == cand.fp.kind and _overlap(k, cand)]
        if not rivals:
            keep.append(cand)
            continue
        for rival in rivals:
            if rival.score == cand.score:
                if rival in keep:
                    keep.remove(rival)
                    tied.append(rival)
                tied.append(cand)
    return keep


def match_ai(text: str, kb: KnowledgeBase, *, digest: str | None = None) -> list[AiMatch]:
    """Identify the AI licences and policies in ``text``: licences first, then by position.

    ``digest`` is the caller's ``normalize.text_hash(text)`` when it has one: a fingerprint hash equal to it
    raises that match's confidence to 1.0 (the hash is not computed here, to stay fast).
    """
    if not text or not text.strip():
        return []
    prepared = prepare(text)
    if not prepared.norm:
        return []
    cands = [c for fp in compiled(kb) if (c := _candidate(fp, prepared, digest)) is not None]
    chosen = _resolve(cands)
    chosen.sort(key=lambda c: (c.fp.kind != "license", c.start, c.fp.id))
    out: list[AiMatch] = []
    for cand in chosen:
        share = cand.hits / max(1, len(cand.fp.phrases))
        confidence = 1.0 if cand.exact else round(min(0.99, 0.6 + 0.4 * share), 3)
        out.append(AiMatch(
            id=cand.fp.id, confidence=confidence,
            markers=tuple(dict.fromkeys(p for _, p in cand.markers)),
            start=prepared.orig(cand.start), end=_orig_end(prepared, cand.end, len(text)),
        ))
    return out


def _orig_end(prepared: _Text, pos: int, size: int) -> int:
    i = bisect.bisect_right(prepared.norm_starts, max(0, pos - 1))
    return prepared.orig_starts[i] if i < len(prepared.orig_starts) else size

