"""Literal strings that a regex match must start with or contain, read from the regex's parse tree.

The scanner uses them to find candidate places with ``str.find`` (fast C search) and to run each regex only
there: a regex whose every match starts with one of its ``prefixes`` is tried only at their occurrences, and
one whose every match contains one of its ``factors`` only in the clauses holding one.
"""

from __future__ import annotations

import re
from typing import Any

MIN_LITERAL = 3  # shorter literals are too common to be worth a search
MAX_ALTERNATIVES = 64
_ZERO_WIDTH = ("AT", "ASSERT", "ASSERT_NOT")
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")

Literals = tuple[str, ...]
_WORD_RE = re.compile(r"\w+")


def _name(op: Any) -> str:
    return str(op)


def prefixes(tree: Any) -> Literals | None:
    """Strings (lower case) one of which starts every match, or None when that is not known."""
    out = _prefixes(list(tree), 0)
    if not out or len(out) > MAX_ALTERNATIVES or min(map(len, out)) < MIN_LITERAL:
        return None
    return tuple(sorted(set(out)))


def _prefixes(items: list[Any], i: int) -> list[str] | None:
    while i < len(items) and _name(items[i][0]) in _ZERO_WIDTH:
        i += 1
    if i >= len(items):
        return None
    run: list[str] = []
    while i < len(items) and _name(items[i][0]) == "LITERAL":
        run.append(chr(items[i][1]).lower())
        i += 1
    head = "".join(run)
    if i >= len(items):
        return [head] if head else None
    nxt = _element_prefixes(items[i])
    op, arg = items[i]
    if nxt is not None and _name(op) in _REPEATS and arg[0] == 0:  # optional: it, or what follows
        rest = _prefixes(items, i + 1)
        nxt = None if rest is None else nxt + rest
    if nxt is None or len(nxt) > MAX_ALTERNATIVES:
        return [head] if head else None
    return [head + p for p in nxt]


def _element_prefixes(item: Any) -> list[str] | None:
    op, arg = item
    name = _name(op)
    if name == "SUBPATTERN":
        return _prefixes(list(arg[-1]), 0)
    if name == "BRANCH":
        out: list[str] = []
        for branch in arg[1]:
            sub = _prefixes(list(branch), 0)
            if not sub:
                return None
            out.extend(sub)
        return out
    if name in _REPEATS and (arg[0] >= 1 or arg[1] == 1):
        return _prefixes(list(arg[2]), 0)
    return None


def at_word_start(tree: Any, found: Literals | None) -> bool:
    """True when every match starts at ``\\b`` with one of ``found``, each beginning with a word character:
    the match can then start only where a word starts."""
    if not found or not all(p[0].isalnum() or p[0] == "_" for p in found):
        return False
    for op, arg in tree:
        name = _name(op)
        if name == "AT":
            return str(arg) == "AT_BOUNDARY"
        if name not in ("ASSERT", "ASSERT_NOT"):
            return False
    return False


def word_keys(found: Literals | None) -> tuple[tuple[str, bool], ...]:
    """For literals that start where a word starts: (first word, whole) pairs. ``whole`` means the
    literal goes on after that word, so the word must be exactly it; otherwise it is a word prefix."""
    keys: dict[tuple[str, bool], None] = {}
    for lit in found or ():
        m = _WORD_RE.match(lit)
        if m is None:
            return ()
        keys[(m.group(), m.end() < len(lit))] = None
    return tuple(keys)


def factors(tree: Any) -> Literals | None:
    """Strings (lower case) one of which occurs in every match, or None when that is not known."""
    out = _factors(list(tree))
    if not out or len(out) > MAX_ALTERNATIVES:
        return None
    return tuple(sorted(out))


def _factors(items: list[Any]) -> frozenset[str] | None:
    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            candidates.append(frozenset(["".join(run)]))
            run.clear()

    for op, arg in items:
        name = _name(op)
        if name == "LITERAL":
            run.append(chr(arg).lower())
            continue
        if name in _ZERO_WIDTH:
            continue
        flush()
        found: frozenset[str] | None = None
        if name == "SUBPATTERN":
            found = _factors(list(arg[-1]))
        elif name == "BRANCH":
            subs = [_factors(list(b)) for b in arg[1]]
            if all(s is not None for s in subs):
                found = frozenset().union(*[s for s in subs if s is not None])
        elif name in _REPEATS and arg[0] >= 1:
            found = _factors(list(arg[2]))
        if found:
            candidates.append(found)
    flush()
    good = [c for c in candidates if c and min(map(len, c)) >= MIN_LITERAL and len(c) <= MAX_ALTERNATIVES]
    if not good:
        return None
    return max(good, key=lambda c: (min(map(len, c)), -len(c)))
