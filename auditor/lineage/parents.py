"""The parents of one snapshot: declared (``base_model``) or, when undeclared, inferred with evidence.

Inference reads Hub tags (``base_model:...``), card sentences that state a derivation ("fine-tuned
from X", "based on org/name"), config ``_name_or_path`` and the repo name. Architecture never counts:
"uses the Llama architecture" or ``model_type: llama`` says nothing about whose weights were used, and a
card that says the model was trained from scratch gets no inferred parent at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from auditor.lineage.families import Family, FamilyMatch, family_of_id, find_families
from auditor.report.model import Evidence
from auditor.snapshot import Snapshot
from auditor.target import HUB_ID

RELATIONS = ("finetune", "adapter", "merge", "quantized")

MAX_SENTENCE = 1000  # characters of one card sentence that are read
MAX_CANDIDATES = 64  # card mentions considered (a hostile card cannot make the walk explode)
CONF_TAG = 0.9
CONF_CARD_ID = 0.8
CONF_CARD_FAMILY = 0.7
CONF_CONFIG = 0.6
CONF_NAME = 0.6

_QUANT = re.compile(r"(?:^|[\W_])(?:gguf|ggml|gptq|awq|exl2|bnb|[248]bit|int[48]|q[2-8]_k)(?:$|[\W_])", re.I)
_SCRATCH = re.compile(r"(?:trained|built|learned|developed)\s+(?:\w+\s+){0,3}from[\s-]+scratch"
                      r"|random(?:ly)?[\s-]+initiali[sz]ed\s+weights", re.I)
_CUE = re.compile(
    r"fine[\s-]?tun(?:e|ed|es|ing)|finetun(?:e|ed|es|ing)|based\s+on|-based\b|built\s+(?:up)?on|on\s+top\s+of"
    r"|derived\s+from|derivative\s+of|\bmerge[ds]?\b|\bmerging\b|base[\s_-]?models?\b|initiali[sz]ed\s+(?:from|with)"
    r"|quanti[sz](?:ed|ation)s?\s+(?:version\s+)?of|\bq?lora\s+(?:adapter\s+)?(?:for|of|on)\b|\badapter\s+(?:for|of|on)\b"
    r"|foundation\s+models?\b"
    r"|continued\s+pre-?training|further\s+(?:pre-?)?trained|version\s+of|trained\s+on\s+(?:top\s+of\s+)?(?=\S*"
    r"(?:llama|gemma))",
    re.I,
)
# Sentences that point elsewhere (other cards, scripts, suggested or future fine-tunes), not to a parent.
_NOT_DERIVATION = re.compile(
    r"model\s+card|\bscripts?\b|notebook|tutorial|recommend|look\s+at|check\s+out|\bvisit\b|see\s+also"
    r"|(?:should|could|can|may)\s+(?:also\s+)?(?:be\s+)?(?:further\s+)?fine[\s-]?tune", re.I)
# Words that make a mention a comparison or an architecture note rather than a parent.
_NOT_PARENT_BEFORE = re.compile(
    r"architecture|outperform|\bthan\b|compar|\bvs\.?|versus|\blike\b|such\s+as|\bbeats?\b|surpass|on\s+par"
    r"|competitive|compatible|similar\s+to|same\s+(?:\w+\s+){0,3}as|tokeni[sz]er|inspired", re.I)
_NOT_PARENT_AFTER = re.compile(
    r"^[\w.\-\s]{0,20}?(?:architecture|tokeni[sz]er|-?style|format|family|series)", re.I)
_HF_URL = re.compile(r"https?://(?:www\.)?(?:huggingface\.co|hf\.co)/(?!datasets/|spaces/|docs/|papers/|blog/)"
                     r"([A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*)")
_HUB_PREFIX = re.compile(r"^https?://(?:www\.)?(?:huggingface\.co|hf\.co)/")
_ANY_URL = re.compile(r"https?://\S+")
_PLAIN_ID = re.compile(r"(?<![\w/.@-])([A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*)(?![\w/-])")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\[*`(])")


@dataclass
class Link:
    """One parent of a snapshot, declared or inferred."""

    id: str  # Hub id, or a family label when no id is known
    relation: str | None
    inferred: bool = False
    confidence: float | None = None
    evidence: list[Evidence] = field(default_factory=list)
    family: Family | None = None
    fetch: bool = True  # False: a family with no known canonical id; nothing to fetch


def repo_name(snapshot: Snapshot) -> tuple[str | None, str]:
    """(org, name) of a snapshot; a local folder ``.../org/name`` or ``org__name`` counts as org/name."""
    raw = snapshot.id.rstrip("/\\")
    if raw.count("/") == 1 and valid_id(raw) and not raw.startswith("."):
        org, name = raw.split("/", 1)
        return org, name
    if snapshot.source == "local" or "\\" in raw or raw.startswith((".", "/", "~")):
        parts = [p for p in re.split(r"[/\\]", raw) if p]
        last = parts[-1] if parts else raw
        if "__" in last:
            org, name = last.split("__", 1)
            return org, name
        # a folder laid out as <org>/<name> (like the Hub): the parent folder stands for the org
        return (parts[-2] if len(parts) >= 2 and parts[-2] not in (".", "..") else None), last
    if "/" in raw:
        org, name = raw.split("/", 1)
        return org, name
    return None, raw


def valid_id(text: str) -> bool:
    return bool(HUB_ID.match(text)) and ".." not in text and "--" not in text


def relation_of(snapshot: Snapshot, count: int, hint: str | None = None) -> str:
    """base_model_relation if set, else adapter / quantized / merge / finetune from the repo's files."""
    declared = snapshot.metadata.get("base_model_relation")
    if isinstance(declared, str) and declared.strip().lower() in RELATIONS:
        return declared.strip().lower()
    paths = snapshot.file_paths()
    if "adapter_config.json" in paths or any(p.endswith("/adapter_config.json") for p in paths):
        return "adapter"
    _, name = repo_name(snapshot)
    if _QUANT.search(name) or any(p.lower().endswith((".gguf", ".ggml")) for p in paths):
        return "quantized"
    if count > 1 or "mergekit_config.yml" in paths or hint == "merge":
        return "merge"
    return hint or "finetune"


def meta_line(snapshot: Snapshot, key: str) -> Evidence:
    line = snapshot.metadata_lines.get(key)
    value = snapshot.metadata.get(key)
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    shown = value if isinstance(value, str) else ""
    return Evidence(path="README.md", line=line, excerpt=f"{key}: {shown}"[:160], source="metadata")


def declared_links(snapshot: Snapshot) -> tuple[list[Link], list[str]]:
    """Parents from the ``base_model`` key (a string or a list); also returns rejected values."""
    raw = snapshot.metadata.get("base_model")
    values = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, (list, tuple)) else []
    ids: list[str] = []
    rejected: list[str] = []
    for v in values:
        text = str(v).strip() if isinstance(v, (str, int, float)) else ""
        text = _HUB_PREFIX.sub("", text).rstrip("/")
        if not text:
            continue
        if valid_id(text) and text.lower() not in (i.lower() for i in ids):
            ids.append(text)
        elif not valid_id(text):
            rejected.append(text[:80])
    ids = ids[:MAX_CANDIDATES]
    relation = relation_of(snapshot, len(ids))
    ev = meta_line(snapshot, "base_model")
    return [Link(i, relation, evidence=[ev]) for i in ids], rejected


def _own(snapshot: Snapshot) -> set[str]:
    org, name = repo_name(snapshot)
    return {x.lower() for x in (name, f"{org}/{name}" if org else "") if x}


def _tag_links(snapshot: Snapshot) -> list[Link]:
    out = []
    for tag in snapshot.tags:
        if not tag.startswith("base_model:"):
            continue
        rest = tag[len("base_model:"):]
        relation = None
        head, _, tail = rest.partition(":")
        if tail and head in RELATIONS:
            relation, rest = head, tail
        if valid_id(rest) and rest.lower() not in _own(snapshot):
            out.append(Link(rest, relation or relation_of(snapshot, 1), True, CONF_TAG,
                            [Evidence(excerpt=tag, source="hub-tags")]))
    return out


def sentences(snapshot: Snapshot) -> list[tuple[int, str]]:
    """(README line, sentence) pairs of the card body, markdown kept (links carry ids)."""
    out = []
    in_code = False
    for i, line in enumerate(snapshot.card_body.splitlines()):
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
            continue
        if in_code or not line.strip():
            continue
        for part in _SENTENCE.split(line):
            if part.strip():  # a derivation statement is short: very long "sentences" are cut
                out.append((snapshot.card_body_line + i, part.strip()[:MAX_SENTENCE]))
    return out


def _plausible_id(text: str, start: int, rid: str) -> bool:
    """A bare org/name in prose: quoted, or shaped like a Hub id (not "and/or", "7B/13B", "X-style")."""
    org, name = rid.split("/", 1)
    if org.isdigit() or name.isdigit() or re.search(r"-(?:style|like|based)$", name, re.I):
        return False
    quoted = start > 0 and text[start - 1] in "`*([\"'"
    return quoted or (bool(re.search(r"[-\d]", org)) and bool(re.search(r"[-_.\d]", name)))


def _is_parent_mention(sentence: str, start: int, end: int) -> bool:
    before = sentence[max(0, start - 60):start]
    after = sentence[end:end + 40]
    return not (_NOT_PARENT_BEFORE.search(before) or _NOT_PARENT_AFTER.search(after))


def _excerpt(sentence: str, start: int) -> str:
    lo = max(0, start - 70)
    text = re.sub(r"\s+", " ", sentence[lo:lo + 160]).strip()
    return ("..." if lo else "") + text


def _card_links(snapshot: Snapshot) -> list[Link]:
    own = _own(snapshot)
    size = _name_size(snapshot)
    datasets = {d.lower() for d in snapshot.datasets}
    out: list[Link] = []
    for line, sent in sentences(snapshot):
        if len(out) >= MAX_CANDIDATES:
            break
        cue = _CUE.search(sent)
        if not cue or _NOT_DERIVATION.search(sent):
            continue
        hint = "merge" if re.search(r"\bmerge[ds]?\b|\bmerging\b", sent, re.I) else None
        ev_of = lambda pos, s=sent, ln=line: Evidence(path="README.md", line=ln,  # noqa: E731
                                                      excerpt=_excerpt(s, pos), source="card-text")
        ids: list[tuple[int, str]] = [(m.start(), m.group(1)) for m in _HF_URL.finditer(sent)]
        bare = _ANY_URL.sub(lambda m: " " * len(m.group(0)), sent)
        for m in _PLAIN_ID.finditer(bare):
            if _plausible_id(bare, m.start(), m.group(1)):
                ids.append((m.start(), m.group(1)))
        for pos, rid in ids:
            rid = rid.rstrip(".")
            if valid_id(rid) and rid.lower() not in own and rid.lower() not in datasets \
                    and _is_parent_mention(sent, pos, pos + len(rid)):
                out.append(Link(rid, hint, True, CONF_CARD_ID, [ev_of(pos)]))
        for fm in find_families(bare):
            if _is_parent_mention(bare, fm.start, fm.end):
                out.append(_family_link(fm, CONF_CARD_FAMILY, ev_of(fm.start), hint, size))
    return out


def _family_link(fm: FamilyMatch, confidence: float, evidence: Evidence, hint: str | None,
                 size: str | None = None) -> Link:
    fam = fm.family
    cid = fam.ids.get(fm.size or size or "")
    return Link(cid or f"{fam.label} (family)", hint, True, confidence, [evidence], fam,
                fetch=cid is not None)


def _config_links(snapshot: Snapshot) -> list[Link]:
    cfg = snapshot.config or {}
    raw = cfg.get("_name_or_path")
    if not isinstance(raw, str) or not raw.strip():
        return []
    value = raw.strip()
    ev = Evidence(path="config.json", excerpt=f'"_name_or_path": "{value[:100]}"', source="config")
    if "/" in value and valid_id(value):
        if value.lower() in _own(snapshot):
            return []
        return [Link(value, None, True, CONF_CONFIG, [ev])]
    last = re.split(r"[/\\]", value.rstrip("/\\"))[-1]
    hits = find_families(last)
    return [_family_link(hits[0], CONF_CONFIG - 0.1, ev, None)] if hits else []


def _name_size(snapshot: Snapshot) -> str | None:
    size = re.search(r"(?<![\d.])(\d{1,3})b(?![a-z])", repo_name(snapshot)[1], re.I)
    return size.group(1) if size else None


def _name_links(snapshot: Snapshot) -> list[Link]:
    org, name = repo_name(snapshot)
    hits = find_families(name)
    if not hits:
        return []
    ev = Evidence(excerpt=name, source="repo-name")
    return [_family_link(hits[0], CONF_NAME, ev, None, _name_size(snapshot))]


def says_from_scratch(snapshot: Snapshot) -> Evidence | None:
    for line, sent in sentences(snapshot):
        m = _SCRATCH.search(sent)
        if m and not re.match(r"[-*]\s*\[[ x]?\]", sent):  # not a to-do item
            return Evidence(path="README.md", line=line, excerpt=_excerpt(sent, m.start()),
                            source="card-text")
    if any(t.lower() in ("from-scratch", "from_scratch") for t in snapshot.tags):
        return Evidence(excerpt="from-scratch", source="tags")
    return None


def _key(link: Link) -> str:
    fam = link.family or (fm.family if (fm := family_of_id(link.id)) else None)
    return f"family:{fam.license}" if fam else link.id.lower()


def inferred_links(snapshot: Snapshot) -> list[Link]:
    """Parents inferred when ``base_model`` is absent: one per distinct id or family licence."""
    tags = _tag_links(snapshot)
    if tags:
        return _merge(tags, snapshot)
    if says_from_scratch(snapshot) is not None:
        return []
    org, _ = repo_name(snapshot)
    own_ids = _own(snapshot)
    candidates = [c for c in [*_card_links(snapshot), *_config_links(snapshot), *_name_links(snapshot)]
                  if c.id.lower() not in own_ids]
    if org:  # the publisher's own cards describe the family; they do not derive from it
        candidates = [c for c in candidates if not _publisher(c, org)]
    own = _own_licenses(snapshot)
    # a name or config that only repeats the family whose licence the repo already declares adds nothing
    candidates = [c for c in candidates if not (
        c.family is not None and c.family.license in own
        and all(e.source in ("repo-name", "config") for e in c.evidence))]
    return _merge(candidates, snapshot)


def _own_licenses(snapshot: Snapshot) -> set[str]:
    from auditor.licenses.knowledge import alias_key

    values = [snapshot.metadata.get("license"), snapshot.metadata.get("license_name")]
    return {alias_key(v) for v in values if isinstance(v, str) and v.strip()}


def _publisher(link: Link, org: str) -> bool:
    return link.family is not None and org.lower() in link.family.orgs


def _merge(candidates: list[Link], snapshot: Snapshot) -> list[Link]:
    """Group candidates naming the same id or family licence; the best-supported one stands for the group."""
    groups: dict[str, list[Link]] = {}
    for c in candidates:
        groups.setdefault(_key(c), []).append(c)
    out = []
    for group in groups.values():
        best = max(group, key=lambda c: (c.fetch and c.family is None, c.confidence or 0.0, c.fetch))
        kinds = {e.source for c in group for e in c.evidence}
        confidence = min(0.95, (best.confidence or 0.0) + 0.05 * (len(kinds) - 1))
        evidence = [e for c in sorted(group, key=lambda c: -(c.confidence or 0)) for e in c.evidence][:4]
        hint = "merge" if any(c.relation == "merge" for c in group) else best.relation
        relation = relation_of(snapshot, 1, hint)
        out.append(Link(best.id, relation, True, round(confidence, 2), evidence,
                        best.family or (fm.family if (fm := family_of_id(best.id)) else None), best.fetch))
    return out


def parent_links(snapshot: Snapshot) -> tuple[list[Link], list[str]]:
    """Declared parents if ``base_model`` is set, else inferred ones; plus rejected base_model values."""
    declared, rejected = declared_links(snapshot)
    if declared or rejected:
        return declared, rejected
    return inferred_links(snapshot), []
