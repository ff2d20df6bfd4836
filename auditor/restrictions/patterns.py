r"""Compile restriction rules (rules/restrictions/*.yaml) into regular expressions, once per RuleSet.

A rule file holds ``phrases`` (named families of word alternatives) and ``patterns``/``negative`` entries
whose ``regex`` may name a family as ``{family}``. Patterns run over *normalised* text: lower case, curly
quotes made straight, markdown marks (``*``, ``_``, backslash, backtick, ``#``) and newlines turned into
spaces, runs of spaces collapsed to one. A pattern with
upper-case letters is compiled case-insensitively.

Every regex is checked to run in linear time: no quantifier inside a group repeated more than once, and
an unbounded repeat (``+``, ``*``, ``{n,}``) only over one literal or a plain class such as ``\s`` or
``\w``. Gaps (``.``, ``[^x]``) must be bounded, e.g. ``[^.]{0,120}``.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import Any

from auditor.errors import RuleError
from auditor.restrictions import literals
from auditor.restrictions.concepts import Concepts, compile_concepts
from auditor.rules import RuleSet

try:  # the regex parser, to check patterns and read their literals (re._parser from Python 3.11)
    _sre_parse: Any = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover - Python 3.10
    _sre_parse = importlib.import_module("sre_parse")

CACHE_KEY = "restrictions:compiled"
DEFAULT_MAX_PER_FILE = 10
MAX_GAP = 400  # the largest bounded repeat allowed
FAMILY = re.compile(r"\{([a-z][a-z0-9_]*)\}")
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
_SINGLE = ("LITERAL", "NOT_LITERAL", "ANY", "IN", "CATEGORY")


@dataclass(frozen=True)
class Rx:
    """A compiled regex with the literals that every match starts with or contains (see literals.py)."""

    regex: re.Pattern[str]
    prefixes: tuple[str, ...] | None = None
    factors: tuple[str, ...] | None = None
    at_word: bool = False  # every match starts where a word starts
    keys: tuple[tuple[str, bool], ...] = ()  # (first word, whole word?) of the prefixes, when at_word


@dataclass(frozen=True)
class Pattern:
    """A regex; a hit also needs every ``requires`` regex to match somewhere in the same clause."""

    id: str
    rx: Rx
    requires: tuple[Rx, ...] = ()


@dataclass(frozen=True)
class TypeRule:
    """One restriction type with its compiled patterns and negatives."""

    id: str
    title: str
    osd: tuple[int, ...]
    severity: str
    patterns: tuple[Pattern, ...]
    negatives: tuple[Pattern, ...]
    max_per_file: int
    # the negatives without ``requires`` joined into one regex: one search of a clause instead of many
    # (scan.py tries it, then the negatives that have ``requires``)
    any_negative: Rx | None = None
    concepts: Concepts | None = None  # the concept fallback (concepts.py)


def _expand(regex: str, families: dict[str, str], where: str) -> str:
    def repl(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in families:
            raise RuleError(f"{where}: unknown phrase family {{{name}}}")
        return families[name]

    return FAMILY.sub(repl, regex)


def _check_linear(tree: Any, where: str, inside_repeat: bool = False) -> None:
    """Reject constructs that can backtrack catastrophically (see module docstring)."""
    for op, arg in tree:
        name = str(op)
        if name in _REPEATS:
            low, high, sub = arg
            simple = len(sub) == 1 and str(sub[0][0]) in _SINGLE
            if inside_repeat and not simple and high > 1:
                raise RuleError(f"{where}: nested quantifier (a repeated group holds a repeat)")
            if high == _sre_parse.MAXREPEAT and not (simple and _narrow(sub[0])):
                raise RuleError(f"{where}: unbounded repeat of a group or of a wide class (.*, [^x]*); "
                                "bound it, e.g. [^.]{{0,120}}")
            if high != _sre_parse.MAXREPEAT and high > MAX_GAP:
                raise RuleError(f"{where}: repeat bound {high} is over {MAX_GAP}")
            if inside_repeat and high == _sre_parse.MAXREPEAT:
                raise RuleError(f"{where}: unbounded repeat inside a repeated group")
            _check_linear(sub, where, inside_repeat or (not simple and high > 1))
        elif name == "SUBPATTERN":
            _check_linear(arg[-1], where, inside_repeat)
        elif name == "BRANCH":
            for branch in arg[1]:
                _check_linear(branch, where, inside_repeat)
        elif name in ("ASSERT", "ASSERT_NOT"):
            _check_linear(arg[1], where, inside_repeat)
        elif name in ("GROUPREF", "GROUPREF_EXISTS"):
            raise RuleError(f"{where}: back-references are not allowed")


def _narrow(item: Any) -> bool:
    """A single-character item that cannot run across a sentence: a literal, \\s, \\w, \\d, a plain class."""
    op, arg = item
    name = str(op)
    if name in ("LITERAL", "CATEGORY"):
        return True
    if name == "IN":
        return not any(str(o) == "NEGATE" for o, _ in arg)
    return False


def _has_upper(regex: str) -> bool:
    stripped = re.sub(r"\\.", "", regex)
    return any(c.isupper() for c in stripped)


def compile_rx(regex: str, families: dict[str, str], where: str) -> Rx:
    """Expand phrase families, check linear time, compile. Raise RuleError naming ``where``."""
    text = _expand(regex, families, where)
    try:
        tree = _sre_parse.parse(text)
    except re.error as exc:
        raise RuleError(f"{where}: invalid regular expression: {exc}") from exc
    _check_linear(tree, where)
    flags = re.IGNORECASE if _has_upper(text) else 0
    starts = literals.prefixes(tree)
    at_word = literals.at_word_start(tree, starts)
    keys = literals.word_keys(starts) if at_word else ()
    return Rx(re.compile(text, flags), starts, literals.factors(tree), at_word and bool(keys), keys)


def compile_regex(regex: str, families: dict[str, str], where: str) -> re.Pattern[str]:
    return compile_rx(regex, families, where).regex


def _families(data: dict[str, Any], where: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, words in (data.get("phrases") or {}).items():
        alts = sorted((str(w) for w in words), key=len, reverse=True)
        out[name] = "(?:" + "|".join(alts) + ")"
        # a family may itself be checked on its own
        compile_regex(out[name], {}, f"{where}: phrases/{name}")
    return out


def compile_type(data: dict[str, Any]) -> TypeRule:
    where = data.get("_file") or data["id"]
    for entry in (*data.get("patterns", ()), *data.get("negative", ())):
        if not str(entry["id"]).startswith(data["id"] + "/"):
            raise RuleError(f"{where}: rule id {entry['id']} must start with {data['id']}/")
    families = _families(data, where)
    pats = tuple(_pattern(p, families, f"{where}: patterns/{p['id']}") for p in data.get("patterns", ()))
    negs = tuple(_pattern(n, families, f"{where}: negative/{n['id']}") for n in data.get("negative", ()))
    return TypeRule(
        id=data["id"], title=data.get("title", data["id"]), osd=tuple(data.get("osd", ())),
        severity=data.get("severity", "medium"), patterns=pats, negatives=negs,
        max_per_file=int(data.get("max_per_file", DEFAULT_MAX_PER_FILE)),
        any_negative=_joined([n.rx for n in negs if not n.requires]),
        concepts=compile_concepts(data.get("concepts"), where),
    )


def _joined(rxs: list[Rx]) -> Rx | None:
    """One regex matching where any of ``rxs`` matches (each was checked on its own)."""
    if not rxs:
        return None
    flags = re.IGNORECASE if any(r.regex.flags & re.IGNORECASE for r in rxs) else 0
    return Rx(re.compile("|".join(f"(?:{r.regex.pattern})" for r in rxs), flags))


def _pattern(entry: dict[str, Any], families: dict[str, str], where: str) -> Pattern:
    return Pattern(
        entry["id"], compile_rx(entry["regex"], families, where),
        tuple(compile_rx(r, families, f"{where}/requires") for r in entry.get("requires", ())),
    )


def compiled(rules: RuleSet) -> tuple[TypeRule, ...]:
    """All restriction types of a RuleSet, compiled once and cached on it."""
    cached = rules._cache.get(CACHE_KEY)
    if isinstance(cached, tuple):
        return cached
    types = tuple(compile_type(d) for _, d in sorted(rules.kind("restrictions").items()))
    rules._cache[CACHE_KEY] = types
    return types
