"""Scan one text: prepare it, split it into clauses, and match the compiled rules.

A regex is tried only where its literals occur (``literals.py``): at the word starts of its prefixes, or in
the clauses holding one of its factors. A hit counts when it lies in one clause where every ``requires``
regex matches and no negative of its type does; the ``requires`` and negatives are only tried there.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from auditor.restrictions.concepts import ConceptIndex
from auditor.restrictions.patterns import Rx, TypeRule

MAX_CLAUSE = 1200  # longer runs without punctuation are cut
EXCERPT = 200

# Case-preserving folds (one character to one character): quotes, dashes, odd spaces, markdown marks.
_FOLD = {
    **{ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u2032\u00b4"},
    **{ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"},
    **{ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"},
    **{ord(c): " " for c in "\u00a0\u2007\u2009\u202f\t\r\f\v*_\\`#"},
}
_ASCII_MARKS = re.compile(r"[\t\r\f\v*_\\`#]")
_WIDE_MARKS = re.compile("[" + "".join(chr(c) for c in _FOLD if c > 127) + "]")
_BULLET = re.compile(r"(?m)^([ \t]*)[*+\u2022](?=[ \t])")
_RUN = re.compile(r"[ \n]{2,}")
_MAX_FACTOR_SEARCHES = 3  # more literals cost more full-text searches than they save
_CHARS_PER_ATTEMPT = 40  # a regex scan over this many characters costs about one anchored attempt
_FIND_CHARS_PER_ATTEMPT = 1500  # so does a str.find pass over this many characters
_WORD_SPLIT = re.compile(r"(\w+)")

# Clause boundaries in the prepared text (case kept; whitespace collapsed).
_BOUNDARY = re.compile(
    r"\n\n"  # blank line
    r"|(?<=[.!;])[\"')\]]? (?=[\"'(\[]?[A-Z0-9])"  # sentence end before a capital or a number (not "?":
    # a question and its answer, "Can I sell it? No.", are read together)
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
    folded = _ASCII_MARKS.sub(" ", _BULLET.sub(lambda m: m.group(1) + "-", text))
    if not folded.isascii():
        folded = _WIDE_MARKS.sub(lambda m: _FOLD[ord(m.group())], folded)
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


class _Finder:
    """Runs regexes over one prepared text, only where their literals occur (memoised per text)."""

    def __init__(self, norm: str, parts: list[Clause]) -> None:
        self.norm = norm
        self.parts = parts
        self.bounds = [c.start for c in parts]
        self._positions: dict[str, list[int]] = {}
        self._tested: dict[tuple[int, int], bool] = {}
        self._words: dict[str, list[int]] | None = None
        self._vocab: list[str] = []
        self._at_word: dict[str, list[int]] = {}
        self._with: dict[str, set[int]] = {}

    def clause_at(self, pos: int) -> int:
        return bisect_right(self.bounds, pos) - 1

    def positions(self, literal: str) -> list[int]:
        found = self._positions.get(literal)
        if found is None:
            found = []
            find, i = self.norm.find, self.norm.find(literal)
            while i >= 0:
                found.append(i)
                i = find(literal, i + 1)
            self._positions[literal] = found
        return found

    def word_count(self, word: str, whole: bool) -> int:
        """How many times a word (``whole``) or a word prefix starts, without listing the places."""
        if whole or word in self._at_word:
            return len(self.word_positions(word, whole))
        self.word_positions("", True)
        assert self._words is not None
        lo = bisect_left(self._vocab, word)
        hi = bisect_left(self._vocab, word + "\U0010ffff", lo)
        return sum(len(self._words[w]) for w in self._vocab[lo:hi])

    def vocab(self) -> list[str]:
        """The distinct words of the text, sorted."""
        self.word_positions("", True)
        return self._vocab

    def word_positions(self, word: str, whole: bool) -> list[int]:
        """Where a word (``whole``) or a word prefix starts (memoised; one pass indexes the words)."""
        if self._words is None:
            words: defaultdict[str, list[int]] = defaultdict(list)
            pieces = _WORD_SPLIT.split(self.norm)  # odd items are the words
            offsets = list(accumulate(map(len, pieces), initial=0))
            for w, at in zip(pieces[1::2], offsets[1::2], strict=False):
                words[w].append(at)
            self._words = dict(words)
            self._vocab = sorted(words)
        if whole:
            return self._words.get(word, [])
        found = self._at_word.get(word)
        if found is None:
            lo = bisect_left(self._vocab, word)
            hi = bisect_left(self._vocab, word + "\U0010ffff", lo)
            found = [p for w in self._vocab[lo:hi] for p in self._words[w]]
            self._at_word[word] = found
        return found

    def _search_cost(self, literals: tuple[str, ...]) -> int:
        """The cost, in anchored regex attempts, of the full-text searches for ``literals`` not made yet."""
        todo = sum(1 for lit in literals if lit not in self._with)
        return todo * len(self.norm) // _FIND_CHARS_PER_ATTEMPT

    def clauses_with(self, literal: str) -> set[int]:
        """Indexes of the clauses holding ``literal`` (memoised; one search per clause at most)."""
        found = self._with.get(literal)
        if found is None:
            found = set()
            find, parts, i = self.norm.find, self.parts, self.norm.find(literal)
            while i >= 0:
                idx = self.clause_at(i)
                found.add(idx)
                i = find(literal, max(i + 1, parts[idx].end))
            self._with[literal] = found
        return found

    def matches(self, rx: Rx) -> Iterator[re.Match[str]]:
        """Matches of ``rx``, each inside one clause, tried only where its literals occur."""
        starts: list[int] | None = None
        if rx.at_word:
            starts = sorted(set().union(*[self.word_positions(w, whole) for w, whole in rx.keys]))
        elif rx.prefixes:
            starts = sorted(set().union(*[self.positions(lit) for lit in rx.prefixes]))
        if rx.factors and (starts is None or (len(rx.factors) <= _MAX_FACTOR_SEARCHES
                                              and len(starts) > max(200, self._search_cost(rx.factors)))):
            idxs = sorted(set().union(*[self.clauses_with(lit) for lit in rx.factors]))
            chars = sum(self.parts[i].end - self.parts[i].start for i in idxs)
            if starts is None or chars < len(starts) * _CHARS_PER_ATTEMPT:
                for first, last in _runs(idxs):
                    yield from self._within(rx, self.parts[first].start, self.parts[last].end)
                return
        if starts is None:
            yield from self._within(rx, 0, len(self.norm))
            return
        done = -1
        if not self.parts:
            return
        bounds, parts, match, norm = self.bounds, self.parts, rx.regex.match, self.norm
        idx, end = 0, parts[0].end
        for p in starts:
            if p < done:
                continue
            if p >= end:  # jump to the clause holding p
                idx = bisect_right(bounds, p) - 1
                end = parts[idx].end
            m = match(norm, p, end)
            if m:
                done = max(m.end(), p + 1)
                yield m

    def _within(self, rx: Rx, start: int, end: int) -> Iterator[re.Match[str]]:
        for m in rx.regex.finditer(self.norm, start, end):
            if m.end() <= self.parts[self.clause_at(m.start())].end:
                yield m

    def in_clause(self, rx: Rx, idx: int) -> bool:
        """Whether ``rx`` matches somewhere in clause ``idx`` (memoised)."""
        key = (id(rx), idx)
        found = self._tested.get(key)
        if found is None:
            clause = self.parts[idx]
            found = rx.regex.search(self.norm, clause.start, clause.end) is not None
            self._tested[key] = found
        return found


def _runs(idxs: list[int]) -> Iterator[tuple[int, int]]:
    """Consecutive runs in a sorted list of indexes, as (first, last)."""
    if not idxs:
        return
    first = last = idxs[0]
    for i in idxs[1:]:
        if i != last + 1:
            yield first, last
            first = i
        last = i
    yield first, last


def scan(prep: Prepared, types: tuple[TypeRule, ...]) -> list[Hit]:
    """All hits of all types in a prepared text, negatives applied, one per type and clause.

    Offsets are in ``prep.text``; clauses are split there (capitals mark sentence starts). The
    ``requires`` and ``negative`` regexes are only tried in the clauses where a pattern matched.
    """
    parts = clauses(prep.text)
    finder = _Finder(prep.norm, parts)
    index: ConceptIndex | None = None
    hits: list[Hit] = []
    for rule in types:
        seen: set[int] = set()
        negated: dict[int, bool] = {}
        found: list[Hit] = []

        def is_negated(idx: int, rule: TypeRule = rule, negated: dict[int, bool] = negated) -> bool:
            if idx not in negated:
                joined = rule.any_negative
                negated[idx] = (joined is not None and finder.in_clause(joined, idx)) or any(
                    finder.in_clause(n.rx, idx) and all(finder.in_clause(r, idx) for r in n.requires)
                    for n in rule.negatives if n.requires)
            return negated[idx]

        for pat in rule.patterns:
            for m in finder.matches(pat.rx):
                idx = finder.clause_at(m.start())
                if idx < 0 or idx in seen or not all(finder.in_clause(r, idx) for r in pat.requires):
                    continue
                if is_negated(idx):
                    continue
                seen.add(idx)
                found.append(Hit(rule.id, pat.id, m.start(), m.end(), parts[idx]))
        if rule.concepts is not None and parts:
            if index is None:
                index = ConceptIndex(prep.norm, finder.word_positions, finder.word_count, finder.vocab,
                                     finder.bounds, lambda i: (parts[i].start, parts[i].end))
            cands = index.candidates(rule.concepts)
            for idx, at in sorted(cands.items()):
                if idx >= 0 and idx not in seen and not is_negated(idx):
                    seen.add(idx)
                    found.append(Hit(rule.id, rule.id + "/concepts", at, at, parts[idx]))
        found.sort(key=lambda h: h.start)
        hits.extend(found)
    return hits


_HEADING_WORDS = 6
_LIST_MARK = re.compile(  # "-", "4.5", "(a)", "iv." at the start of a clause
    r"^[ \n]*(?:-|\(?[0-9]{1,3}(?:\.[0-9]{1,3})*[.)]?|\(?[a-z][.)]|\(?[ivx]{1,5}[.)])?[ \n]*")
_WORD = re.compile(r"[a-z][a-z'-]*")
# words that make a short clause a sentence rather than a heading
_SENTENCE_WORDS = frozenset([
    "must", "shall", "may", "will", "should", "can", "cannot", "agree", "agrees", "comply", "is", "are", "be",
    "not", "do", "does", "you", "we", "licensee",
])
# a heading names a policy or a list of uses; a short list item ("Violence or terrorism") does not
_POLICY_WORDS = frozenset([
    "policy", "policies", "use", "uses", "usage", "restrictions", "guidelines", "rules", "conduct",
])


def is_heading(prep: Prepared, clause: Clause) -> bool:
    """Whether a clause is a bare policy heading: a few words naming a policy or uses, with no modal or
    verb of duty ("Prohibited Uses", "4.5 Use Restrictions.", "Acme Acceptable Use Policy")."""
    if clause.end - clause.start > 80:
        return False
    text = _LIST_MARK.sub("", prep.norm[clause.start:clause.end], count=1)
    words = _WORD.findall(text)
    return (0 < len(words) <= _HEADING_WORDS and not _SENTENCE_WORDS.intersection(words)
            and bool(_POLICY_WORDS.intersection(w.strip("'-") for w in words)))


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
