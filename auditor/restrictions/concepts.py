r"""The concept fallback: a clause is a candidate for a type when it holds words of each concept group of one
of the type's ``match`` combinations (typically a restriction operator and two topic concepts).

Rule files declare it as data (``concepts:`` in rules/restrictions/<type>.yaml)::

    concepts:
      max_chars: 400                 # longer clauses are left to the patterns
      window: 100                    # the words of one combination lie within this many characters
      groups:
        operator: [may not, must not, prohibit*]
        people: [users, customers]
        number: ['#number']
      match:
        - [operator, people, number]
      exclude: [regardless of]       # a clause holding one of these is left alone

A term is a lower-case word or phrase read over the clause's words (``\w+`` runs, punctuation ignored);
a trailing ``*`` lets its last word go on (``prohibit*`` matches "prohibited"); ``#number`` is any word
holding a digit or a number word. Matching uses no pattern regexes: candidate clauses come from the
scanner's word index for the combination's rarest groups; in each, whole words are checked as a set
intersection and phrases and prefixes by substring search in the clause's words joined by spaces; a
one-pass sliding window then finds the shortest span holding a word of every group. The type's
``negative`` regexes still cancel a hit. Detections carry the rule id ``<type>/concepts``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from auditor.errors import RuleError

NUMBER = "#number"
DEFAULT_MAX_CHARS = 400
DEFAULT_WINDOW = 100
_FEW = 64  # fewer candidate clauses than this are checked directly
NUMBER_WORDS = frozenset([
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
    "thousand", "million", "millions", "billion", "billions", "trillion",
])
_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"[0-9]")


@dataclass(frozen=True)
class Term:
    """A word or phrase as its words joined by single spaces; ``prefix``: the last word may go on."""

    text: str
    first: str
    prefix: bool

    @property
    def needle(self) -> str:
        """What to look for in a clause's words joined by spaces (with a space before and after)."""
        return " " + self.text + ("" if self.prefix else " ")


@dataclass(frozen=True)
class Group:
    """A concept group: whole words as a set (one C-level check), the other terms as needles."""

    name: str
    terms: tuple[Term, ...]
    words: frozenset[str]
    needles: tuple[str, ...]
    number: bool

    def holds(self, words: frozenset[str], joined: str) -> bool:
        return (not self.words.isdisjoint(words) or any(n in joined for n in self.needles)
                or (self.number and _has_number(words, joined)))


@dataclass(frozen=True)
class Concepts:
    """The compiled ``concepts:`` block of one type."""

    groups: tuple[Group, ...]
    match: tuple[tuple[int, ...], ...]
    max_chars: int = DEFAULT_MAX_CHARS
    window: int = DEFAULT_WINDOW
    exclude: Group | None = None


def _has_number(words: frozenset[str], joined: str) -> bool:
    return not NUMBER_WORDS.isdisjoint(words) or _DIGIT.search(joined) is not None


def _term(raw: str, where: str) -> Term:
    text = " ".join(str(raw).lower().split())
    if text == NUMBER:
        return Term(NUMBER, NUMBER, False)
    prefix = text.endswith("*")
    words = _WORD.findall(text.rstrip("*"))
    if not words or not text[:1].isalnum():
        raise RuleError(f"{where}: concept term {raw!r} must start with a letter or digit")
    return Term(" ".join(words), words[0], prefix)


def _group(name: str, raw: Iterable[Any], where: str) -> Group:
    terms = tuple(_term(t, where) for t in raw)
    whole = frozenset(t.text for t in terms if not t.prefix and " " not in t.text and t.text != NUMBER)
    needles = tuple(t.needle for t in terms if t.text != NUMBER and (t.prefix or " " in t.text))
    return Group(name, terms, whole, needles, any(t.text == NUMBER for t in terms))


def compile_concepts(data: Any, where: str) -> Concepts | None:
    """Compile a ``concepts:`` block (already schema-checked); None when there is none."""
    if not data:
        return None
    names: dict[str, int] = {}
    groups: list[Group] = []
    for name, terms in (data.get("groups") or {}).items():
        names[str(name)] = len(groups)
        groups.append(_group(str(name), terms, f"{where}: concepts/groups/{name}"))
    match: list[tuple[int, ...]] = []
    for combo in data.get("match") or ():
        unknown = [str(n) for n in combo if str(n) not in names]
        if unknown:
            raise RuleError(f"{where}: concepts/match names unknown group {unknown[0]!r}")
        if len({str(n) for n in combo}) < 2:
            raise RuleError(f"{where}: concepts/match needs at least two distinct groups")
        match.append(tuple(names[str(n)] for n in combo))
    if not match:
        return None
    exclude = data.get("exclude") or ()
    return Concepts(tuple(groups), tuple(match), int(data.get("max_chars", DEFAULT_MAX_CHARS)),
                    int(data.get("window", DEFAULT_WINDOW)),
                    _group("exclude", exclude, f"{where}: concepts/exclude") if exclude else None)


class ConceptIndex:
    """The concept words of one normalised text, per clause (memoised across types).

    A combination is checked from its rarest group: only the clauses holding a word of that group are
    looked at; there the clause's words are compared with each group's word set.
    """

    def __init__(self, norm: str, word_positions: Callable[[str, bool], list[int]],
                 word_count: Callable[[str, bool], int], vocab: Callable[[], Iterable[str]],
                 bounds: list[int], span: Callable[[int], tuple[int, int]]) -> None:
        self.norm = norm
        self._word_positions = word_positions
        self._word_count = word_count
        self._vocab = vocab
        self._bounds = bounds  # clause start offsets, ascending
        self._span = span
        self._count: dict[Term, int] = {}
        self._clauses: dict[Term, set[int]] = {}
        self._words: dict[int, tuple[frozenset[str], str]] = {}

    def _positions(self, term: Term) -> list[int]:
        """Sorted positions where ``term`` may start (of a phrase: where its first word is)."""
        if term.text == NUMBER:
            words = [w for w in self._vocab() if w in NUMBER_WORDS or any(c.isdigit() for c in w)]
            return sorted(p for w in words for p in self._word_positions(w, True))
        whole = not term.prefix or " " in term.text
        return self._word_positions(term.first, whole)

    def count(self, term: Term) -> int:
        """How many places ``term`` may start at (cheap: the places are not listed)."""
        found = self._count.get(term)
        if found is None:
            if term.text == NUMBER:
                found = len(self._positions(term))
            else:
                found = self._word_count(term.first, not term.prefix or " " in term.text)
            self._count[term] = found
        return found

    def clauses(self, term: Term) -> set[int]:
        """The clauses where ``term`` may occur (memoised)."""
        found = self._clauses.get(term)
        if found is None:
            bounds = self._bounds
            found = self._clauses[term] = {bisect_right(bounds, p) - 1 for p in self._positions(term)}
        return found

    def words(self, idx: int) -> tuple[frozenset[str], str]:
        """A clause's word set and its words joined by spaces (with a space at each end)."""
        found = self._words.get(idx)
        if found is None:
            lo, hi = self._span(idx)
            words = _WORD.findall(self.norm, lo, hi)
            found = self._words[idx] = (frozenset(words), " " + " ".join(words) + " ")
        return found

    def candidates(self, concepts: Concepts) -> dict[int, int]:
        """Clause index -> start of the shortest span holding a word of every group of a combination."""
        out: dict[int, int] = {}
        for combo in concepts.match:
            groups = sorted((concepts.groups[k] for k in combo),
                            key=lambda g: sum(self.count(t) for t in g.terms))
            idxs: set[int] = set()
            for t in groups[0].terms:
                idxs |= self.clauses(t)
            if len(idxs) > _FEW:  # narrow down with the next rarest group
                other: set[int] = set()
                for t in groups[1].terms:
                    other |= self.clauses(t)
                idxs &= other
            for idx in sorted(idxs):
                if idx < 0 or idx in out:
                    continue
                lo, hi = self._span(idx)
                if hi - lo > concepts.max_chars:
                    continue
                words, joined = self.words(idx)
                if not all(g.holds(words, joined) for g in groups):
                    continue
                if concepts.exclude is not None and concepts.exclude.holds(words, joined):
                    continue
                at = self._span_start(groups, lo, hi, joined, concepts.window)
                if at is not None:
                    out[idx] = at
        return out

    def _span_start(self, groups: list[Group], lo: int, hi: int, joined: str, window: int) -> int | None:
        """Where (in the text) the shortest span holding a word of each group starts, if it is short."""
        ms = list(_WORD.finditer(self.norm, lo, hi))
        events = [(m.start(), k) for m in ms for k, g in enumerate(groups)
                  if m.group() in g.words or (g.number and _is_number(m.group()))]
        if any(g.needles for g in groups):
            offsets = list(accumulate((m.end() - m.start() + 1 for m in ms), initial=1))[:-1]
            for k, g in enumerate(groups):
                for needle in g.needles:
                    i = joined.find(needle)
                    while i >= 0:
                        events.append((ms[bisect_right(offsets, i + 1) - 1].start(), k))
                        i = joined.find(needle, i + 1)
        events.sort()
        return shortest_span(events, len(groups), window)


def _is_number(word: str) -> bool:
    return word in NUMBER_WORDS or _DIGIT.search(word) is not None


def shortest_span(events: list[tuple[int, int]], kinds: int, window: int) -> int | None:
    """Start of the first span of at most ``window`` characters holding an event of each of ``kinds``
    kinds; ``events`` are (position, kind) sorted by position. One pass (two pointers)."""
    count = [0] * kinds
    have = lo = 0
    for p, k in events:
        count[k] += 1
        have += count[k] == 1
        while have == kinds:
            start, kind = events[lo]
            if p - start <= window:
                return start
            count[kind] -= 1
            have -= count[kind] == 0
            lo += 1
    return None
