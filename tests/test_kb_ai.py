"""The AI half of the licence knowledge base: non-SPDX model licences and use policies.

Checks that entries validate, cross-references resolve, triggers are short and really occur in the
saved licence texts (../shared/corpus, read at run time), and that every corpus text and non-SPDX Hub
licence id has an entry.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.licenses.fingerprint import prepare
from auditor.licenses.knowledge import KnowledgeBase, LicenseEntry, alias_key, load_knowledge
from auditor.licenses.normalize import normalize_phrase, text_hash
from auditor.rules import load_kind

RESTRICTION_TYPES = {"acceptable-use-policy", "field-of-use", "non-commercial", "scale-cap",
                     "output-restriction", "naming", "geographic", "revocable", "licensor-control",
                     "flow-down", "litigation-termination", "registration"}
# Texts kept outside corpus/licenses: entry id -> path under corpus/.
EXTRA_TEXTS = {"tii-falcon-llm": "models/tiiuae__falcon-7b/revisions/87c4c0d/LICENSE.txt"}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    from auditor.rules import RuleSet

    return load_knowledge(RuleSet())


def ai_entries(kb: KnowledgeBase) -> list[LicenseEntry]:
    """Entries of the AI half: those with phrase fingerprints or a LicenseRef id."""
    return [e for e in kb if (e.fingerprint or {}).get("phrases") or (e.spdx or "").startswith("LicenseRef-")]


def text_for(shared: Path, entry_id: str) -> str | None:
    path = shared / "corpus" / "licenses" / f"{entry_id}.txt"
    if entry_id in EXTRA_TEXTS:
        path = shared / "corpus" / EXTRA_TEXTS[entry_id]
    return path.read_text(encoding="utf-8") if path.is_file() else None


def test_every_entry_validates_against_the_schema() -> None:
    entries = load_kind("licenses")  # raises RuleError naming the file and field on any problem
    for eid in ("llama3.1", "llama3.1-acceptable-use-policy", "gemma", "openrail++", "qwen-research", "mrl"):
        assert eid in entries


def test_ai_entries_are_complete(kb: KnowledgeBase) -> None:
    entries = ai_entries(kb)
    assert len(entries) >= 65
    for e in entries:
        assert e.kind in ("license", "policy"), e.id
        assert e.name and e.summary and e.family and e.url, e.id
        assert e.category != "unknown", e.id
        if (e.spdx or "").startswith("LicenseRef-"):
            assert e.osi_approved is False, e.id
        for r in e.restrictions:
            assert r.type in RESTRICTION_TYPES and r.section and r.explanation, (e.id, r)
            assert all(1 <= c <= 10 for c in r.osd), (e.id, r)


def test_triggers_are_short(kb: KnowledgeBase) -> None:
    for e in ai_entries(kb):
        for r in e.restrictions:
            if r.trigger:
                assert len(r.trigger.split()) <= 8 and len(r.trigger) <= 80, (e.id, r.trigger)


def test_triggers_occur_in_the_saved_texts(kb: KnowledgeBase, shared_dir: Path) -> None:
    checked = 0
    for e in ai_entries(kb):
        text = text_for(shared_dir, e.id)
        if text is None:
            continue
        norm = prepare(text).norm
        for r in e.restrictions:
            if r.trigger:
                assert normalize_phrase(r.trigger) in norm, (e.id, r.trigger)
                checked += 1
    assert checked >= 150


def test_fingerprints_are_well_formed(kb: KnowledgeBase, shared_dir: Path) -> None:
    for e in ai_entries(kb):
        fp = e.fingerprint or {}
        phrases = fp.get("phrases", [])
        if not phrases:
            assert e.id in ("h-research", "intel-research", "ai2-impact-lr"), f"{e.id} has no fingerprint"
            continue
        assert 3 <= len(phrases) <= 8, e.id
        assert 1 <= fp.get("min_phrases", len(phrases)) <= len(phrases), e.id
        for p in [*phrases, *fp.get("require", []), *fp.get("exclude", [])]:
            assert p == normalize_phrase(p), (e.id, p)  # stored already normalised
            assert len(p.split()) <= 8, (e.id, p)
        text = text_for(shared_dir, e.id)
        if text is not None and (e.spdx or "").startswith("LicenseRef-"):
            norm = prepare(text).norm
            assert all(normalize_phrase(p) in norm for p in fp.get("require", [])), e.id
            if fp.get("hashes"):
                assert text_hash(text) in fp["hashes"], e.id


def test_cross_references_resolve(kb: KnowledgeBase) -> None:
    for e in ai_entries(kb):
        for ref in (*e.incorporates, *e.neighbours, *(d[0] for d in e.differences)):
            assert kb.get(ref) is not None, (e.id, ref)
        for ref in e.incorporates:
            assert kb.get(ref).kind == "policy", (e.id, ref)  # type: ignore[union-attr]
        assert e.id not in e.neighbours


def test_ids_and_aliases_are_not_shadowed(kb: KnowledgeBase) -> None:
    for e in ai_entries(kb):
        for key in (e.id, *e.aliases):
            assert kb.get(key) is e, (e.id, key, getattr(kb.get(key), "id", None))
        assert len({alias_key(a) for a in e.aliases}) == len(e.aliases), e.id


def test_every_corpus_text_has_an_entry(kb: KnowledgeBase, shared_dir: Path) -> None:
    names = sorted(p.stem for p in (shared_dir / "corpus" / "licenses").glob("*.txt"))
    assert len(names) >= 60
    assert [n for n in names if getattr(kb.get(n), "id", None) != n] == []


def test_every_non_spdx_hub_id_has_an_entry(kb: KnowledgeBase, shared_dir: Path) -> None:
    path = shared_dir / "corpus" / "licenses" / "hf-license-ids.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    missing = [row["hf_id"] for row in data["data"] if not row.get("spdx") and kb.get(row["hf_id"]) is None]
    assert missing == []


def test_llama_facts(kb: KnowledgeBase) -> None:
    def types(eid: str) -> set[str]:
        entry = kb.get(eid)
        assert entry is not None, eid
        return {r.type for r in entry.restrictions}

    for eid in ("llama2", "llama3"):
        assert "output-restriction" in types(eid)
    for eid in ("llama3.1", "llama3.2", "llama3.3", "llama4"):
        assert "output-restriction" not in types(eid)
        assert {"naming", "scale-cap", "acceptable-use-policy"} <= types(eid)
        assert kb.get(eid).incorporates == (f"{eid}-acceptable-use-policy",)  # type: ignore[union-attr]
    for eid in ("llama3.2", "llama3.3", "llama4"):
        assert "geographic" in types(f"{eid}-acceptable-use-policy")
    for eid in ("llama2", "llama3", "llama3.1"):
        assert "geographic" not in types(f"{eid}-acceptable-use-policy")


def test_hub_spellings_resolve(kb: KnowledgeBase) -> None:
    wanted = {"gemma-terms-of-use": "gemma", "llama-3.1-community-license": "llama3.1",
              "llama3_1": "llama3.1",
              "yi-license": "yi-license", "deepseek-license": "deepseek", "tongyi-qianwen": "tongyi-qianwen",
              "mistral-research-license": "mrl", "mnpl": "mnpl", "falcon-llm-license": "falcon-llm-license",
              "stabilityai-ai-community": "stabilityai-community", "lfm1.0": "lfm-open-license-v1.0",
              "nvidia-open-model-license": "nvidia-open-model-license",
              "LicenseRef-scancode-llama-2-license-2023": "llama2"}
    got = {}
    for key in wanted:
        entry = kb.get(key)
        got[key] = entry.id if entry else None
    assert got == wanted
