"""Model families whose names identify the licence of the weights they were derived from.

Only families published under terms that follow the weights (community licences, terms of use) are
listed: naming one of them in a card's derivation sentence or in the repo name is lineage evidence.
Architecture names never are: a Llama-architecture model trained from scratch owes Meta nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Names that contain "llama" but are independent projects, never Meta-derived by name alone.
_NOT_META = r"(?<![a-z0-9])(?<!open[_\-\s])(?<!tiny[_\-\s])"
# A size right after the family name: "Llama-2-13b", "Llama 3.1 8B", "gemma-2b".
_SIZE = r"(?:[\s_-]*(?P<size>\d{1,3}(?:\.\d)?)\s?b(?![a-z]))?"


@dataclass(frozen=True)
class Family:
    key: str
    label: str
    license: str  # knowledge-base id (or alias) of the family's licence
    pattern: re.Pattern[str]
    ids: dict[str, str]  # size ("7", "13"...) -> canonical Hub id of the base model
    orgs: tuple[str, ...] = ()  # the publisher's Hub orgs: their own cards never derive from the family


_META = ("meta-llama", "facebook", "codellama", "huggyllama")
_GOOGLE = ("google",)


def _family(key: str, label: str, license_id: str, regex: str, ids: dict[str, str],
            orgs: tuple[str, ...] = _META) -> Family:
    return Family(key, label, license_id, re.compile(regex + _SIZE, re.I), ids, orgs)


FAMILIES: tuple[Family, ...] = (
    _family("codellama", "Code Llama", "llama2", r"(?<![a-z0-9])code[\s_-]?llama(?:[\s_-]?2)?(?![a-z0-9])",
            {s: f"codellama/CodeLlama-{s}b-hf" for s in ("7", "13", "34", "70")}),
    _family("llama4", "Llama 4", "llama4", _NOT_META + r"llama[\s_-]?4(?!\d|\.\d)", {}),
    _family("llama3.3", "Llama 3.3", "llama3.3", _NOT_META + r"llama[\s_-]?3\.3(?!\d)",
            {"70": "meta-llama/Llama-3.3-70B-Instruct"}),
    _family("llama3.2", "Llama 3.2", "llama3.2", _NOT_META + r"llama[\s_-]?3\.2(?!\d)",
            {s: f"meta-llama/Llama-3.2-{s}B" for s in ("1", "3")}),
    _family("llama3.1", "Llama 3.1", "llama3.1", _NOT_META + r"(?:meta[\s_-]?)?llama[\s_-]?3\.1(?!\d)",
            {s: f"meta-llama/Llama-3.1-{s}B" for s in ("8", "70", "405")}),
    _family("llama3", "Llama 3", "llama3",
            _NOT_META + r"(?:meta[\s_-]?)?llama[\s_-]?3(?!\d|\.\d|[\s_-]?b\b|b)",
            {s: f"meta-llama/Meta-Llama-3-{s}B" for s in ("8", "70")}),
    _family("llama2", "Llama 2", "llama2", _NOT_META + r"llama[\s_-]?(?:v)?2(?!\d|\.\d|[\s_-]?b\b|b)",
            {s: f"meta-llama/Llama-2-{s}b-hf" for s in ("7", "13", "70")}),
    # the first LLaMA: "LLaMA-1", "LLaMA v1", "Meta's LLaMA", or LLaMA with one of its sizes ("LLaMA-13B")
    _family("llama1", "LLaMA (v1)", "llama1-license",
            _NOT_META + r"(?:llama[\s_-]?v?1(?!\d|\.\d|[\s_-]?b\b|b)|(?<=meta's )llama(?![\s_-]?v?[2-9])"
            r"|(?<=meta\u2019s )llama(?![\s_-]?v?[2-9])|llama(?=[\s_-]?(?:7|13|30|33|65)b\b))",
            {}),
    _family("gemma3", "Gemma 3", "gemma", r"(?<![a-z0-9])gemma[\s_-]?3(?!\d|\.\d|[\s_-]?b\b|b)",
            {s: f"google/gemma-3-{s}b-pt" for s in ("1", "4", "12", "27")}, _GOOGLE),
    _family("gemma2", "Gemma 2", "gemma", r"(?<![a-z0-9])gemma[\s_-]?2(?!\d|\.\d|[\s_-]?b\b|b)",
            {s: f"google/gemma-2-{s}b" for s in ("2", "9", "27")}, _GOOGLE),
    _family("gemma", "Gemma", "gemma", r"(?<![a-z0-9])gemma(?![a-z0-9]|[\s_-]?[23](?!\d|\.\d|[\s_-]?b\b|b))",
            {s: f"google/gemma-{s}b" for s in ("2", "7")}, _GOOGLE),
)


@dataclass(frozen=True)
class FamilyMatch:
    family: Family
    start: int
    end: int
    size: str | None
    text: str


def find_families(text: str) -> list[FamilyMatch]:
    """Family mentions in a text, longest/most specific family first at each position."""
    found: list[FamilyMatch] = []
    taken: list[tuple[int, int]] = []
    for fam in FAMILIES:
        for m in fam.pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            size = m.group("size")
            if size and size.endswith(".0"):
                size = size[:-2]
            found.append(FamilyMatch(fam, m.start(), m.end(), size, m.group(0)))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def family_of_id(repo_id: str) -> FamilyMatch | None:
    """The family a repo id names, if any (e.g. meta-llama/Llama-2-7b-hf -> Llama 2)."""
    name = repo_id.rsplit("/", 1)[-1]
    hits = find_families(name)
    return hits[0] if hits else None
