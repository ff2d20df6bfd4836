"""Lineage: parents (declared and inferred), the ancestor walk, inherited terms and conflicts.

Local folders only (fixtures/hub and small trees written to tmp_path); the Hub and cache runs are in
test_lineage_hub.py, the real cards in test_lineage_corpus.py.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import yaml

from auditor.collect import CollectOptions
from auditor.collect.local import LocalSource
from auditor.errors import HubError
from auditor.lineage import FolderTree, render_lineage, trace
from auditor.lineage.families import find_families
from auditor.lineage.parents import inferred_links, parent_links
from auditor.pipeline import AuditOptions, analyse, audit, build_report
from auditor.report.model import Conflict, Report
from auditor.rules import RuleSet
from auditor.snapshot import Snapshot

RULES = RuleSet()


def offline(tmp_path: Path) -> AuditOptions:
    """Audit options whose Hub fallback is an empty offline cache: no network in these tests."""
    return AuditOptions(
        collect=CollectOptions(offline=True, cache_dir=str(tmp_path / "empty-cache")), timestamp=False
    )


def write_repo(
    root: Path, repo_id: str, meta: dict, body: str = "", files: dict[str, str] | None = None
) -> Path:
    folder = root / repo_id
    folder.mkdir(parents=True, exist_ok=True)
    front = yaml.safe_dump(meta, sort_keys=False) if meta else ""
    (folder / "README.md").write_text(f"---\n{front}---\n\n# {repo_id}\n\n{body}\n", encoding="utf-8")
    for rel, text in (files or {}).items():
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


def snap(
    tmp_path: Path,
    meta: dict,
    body: str = "",
    files: dict[str, str] | None = None,
    repo_id: str = "someone/model-x",
) -> Snapshot:
    return LocalSource().snapshot(str(write_repo(tmp_path, repo_id, meta, body, files)))


def by_type(report: Report, kind: str) -> list[Conflict]:
    return [c for c in report.conflicts if c.type == kind]


# --- family names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,key,size",
    [
        ("Llama-2-13b", "llama2", "13"),
        ("Llama 3.1 8B", "llama3.1", "8"),
        ("Meta-Llama-3-8B", "llama3", "8"),
        ("Nous-Hermes-Llama2-13b", "llama2", "13"),
        ("CodeLlama-34b", "codellama", "34"),
        ("finetuned version of LLAMA-2.", "llama2", None),
        ("gemma-2-9b", "gemma2", "9"),
        ("gemma-2b", "gemma", "2"),
    ],
)
def test_family_names_found(text: str, key: str, size: str | None) -> None:
    hits = find_families(text)
    assert hits and hits[0].family.key == key and hits[0].size == size


@pytest.mark.parametrize(
    "text",
    [
        "TinyLlama-1.1B",
        "open_llama_3b_v2",
        "OpenLLaMA 7B",
        "llama-arch-1b",
        "Amber",
        "LlamaForCausalLM",
        "model_type: llama",
        "Llama 2.5 ideas",
    ],
)
def test_independent_names_are_not_families(text: str) -> None:
    assert find_families(text) == []


# --- declared parents -----------------------------------------------------------------------------


def test_declared_string_and_list(tmp_path: Path) -> None:
    one, _ = parent_links(snap(tmp_path / "a", {"license": "mit", "base_model": "org-a/base-1"}))
    assert [(x.id, x.relation, x.inferred) for x in one] == [("org-a/base-1", "finetune", False)]
    assert one[0].evidence[0].line == 3 and one[0].evidence[0].excerpt == "base_model: org-a/base-1"
    two, _ = parent_links(snap(tmp_path / "b", {"base_model": ["org-a/base-1", "org-b/base-2"]}))
    assert [(x.id, x.relation) for x in two] == [("org-a/base-1", "merge"), ("org-b/base-2", "merge")]


def test_relation_inferred_from_files_and_names(tmp_path: Path) -> None:
    adapter, _ = parent_links(
        snap(tmp_path / "a", {"base_model": "org-a/base-1"}, files={"adapter_config.json": "{}"})
    )
    assert adapter[0].relation == "adapter"
    quant, _ = parent_links(
        snap(tmp_path / "q", {"base_model": "org-a/base-1"}, files={"m-q4_k_m.gguf": "x"})
    )
    assert quant[0].relation == "quantized"
    named, _ = parent_links(
        snap(tmp_path / "n", {"base_model": "org-a/base-1"}, repo_id="someone/base-1-AWQ")
    )
    assert named[0].relation == "quantized"
    explicit, _ = parent_links(
        snap(tmp_path / "e", {"base_model": "org-a/base-1", "base_model_relation": "merge"})
    )
    assert explicit[0].relation == "merge"


def test_invalid_base_model_is_a_finding(tmp_path: Path) -> None:
    s = snap(tmp_path, {"license": "mit", "base_model": "not a valid id!"})
    out = trace(analyse(s, RULES, lineage=False), LocalSource(), RULES)
    assert [f.id for f in out.findings] == ["base-model-invalid"]
    assert out.ancestors == []


# --- inferred parents -----------------------------------------------------------------------------


def test_prose_names_family_with_size(tmp_path: Path) -> None:
    links = inferred_links(
        snap(tmp_path, {"license": "mit"}, "This model was fine-tuned from Llama-2-13B on chats.")
    )
    assert [(x.id, x.inferred) for x in links] == [("meta-llama/Llama-2-13b-hf", True)]
    assert links[0].confidence is not None and links[0].confidence < 1
    ev = links[0].evidence[0]
    assert ev.path == "README.md" and ev.line == 7 and "Llama-2-13B" in (ev.excerpt or "")


def test_prose_explicit_id_beats_family(tmp_path: Path) -> None:
    links = inferred_links(
        snap(tmp_path, {"license": "mit"}, "It is based on meta-llama/Llama-2-7b-hf, a Llama 2 model.")
    )
    assert [x.id for x in links] == ["meta-llama/Llama-2-7b-hf"]


def test_family_without_size_has_no_fetchable_id(tmp_path: Path) -> None:
    links = inferred_links(snap(tmp_path, {"license": "mit"}, "A LoRA fine-tune of Llama 3.1 for poems."))
    assert [(x.id, x.fetch) for x in links] == [("Llama 3.1 (family)", False)]


@pytest.mark.parametrize(
    "body",
    [
        "A 1B model with the same architecture as Llama-2-7B, trained on our own corpus.",
        "We adopted exactly the same architecture and tokenizer as Llama 2.",
        "Our 7B base model outperforms Llama 2 13B on all benchmarks.",
        "This model card is based on the [Llama 2 card](https://huggingface.co/meta-llama/Llama-2-7b-hf).",
        "If you need a chat model, we recommend taking a look at [chat](https://huggingface.co/org-a/chat-7b).",
        "The model uses LlamaForCausalLM; model_type is llama.",
    ],
)
def test_architecture_comparisons_and_pointers_are_not_parents(tmp_path: Path, body: str) -> None:
    assert inferred_links(snap(tmp_path, {"license": "apache-2.0"}, body)) == []


def test_trained_from_scratch_suppresses_inference(tmp_path: Path) -> None:
    body = "Trained from scratch with the Llama-2-7B recipe and the Llama architecture."
    assert (
        inferred_links(snap(tmp_path, {"license": "apache-2.0"}, body, repo_id="someone/llama-2-7b-redo"))
        == []
    )


def test_repo_name_and_config_and_tags(tmp_path: Path) -> None:
    by_name = inferred_links(snap(tmp_path / "n", {"license": "mit"}, repo_id="someone/Hermes-Llama2-13b"))
    assert [(x.id, x.evidence[0].source) for x in by_name] == [("meta-llama/Llama-2-13b-hf", "repo-name")]
    by_config = inferred_links(
        snap(tmp_path / "c", {"license": "mit"}, files={"config.json": '{"_name_or_path": "org-a/base-9b"}'})
    )
    assert [(x.id, x.evidence[0].path) for x in by_config] == [("org-a/base-9b", "config.json")]
    by_tag = inferred_links(
        snap(tmp_path / "t", {"license": "mit", "tags": ["base_model:adapter:org-a/base-9b"]})
    )
    assert [(x.id, x.relation, x.confidence) for x in by_tag] == [("org-a/base-9b", "adapter", 0.9)]


def test_publisher_cards_do_not_derive_from_their_own_family(tmp_path: Path) -> None:
    body = "Llama 2 is a collection of pretrained and fine-tuned generative text models."
    assert inferred_links(snap(tmp_path, {}, body, repo_id="meta-llama/Llama-2-7b-hf")) == []


def test_same_licence_name_only_family_is_dropped(tmp_path: Path) -> None:
    # a repo named after the family whose licence it declares: a copy or the original, nothing new to learn
    assert inferred_links(snap(tmp_path, {"license": "llama2"}, repo_id="someone/Llama-2-7b-hf")) == []


# --- the fixtures, as local folders ---------------------------------------------------------------


def test_relabelled_finetune(fixtures_dir: Path, tmp_path: Path) -> None:
    r = audit(str(fixtures_dir / "hub/relabel/llama-3.1-8b-chat-mit"), offline(tmp_path))
    assert [(a.id, a.relation, a.status, a.depth, a.inferred) for a in r.lineage] == [
        ("meta-demo/llama-3.1-8b", "finetune", "resolved", 1, False)
    ]
    assert r.lineage[0].license is not None and r.lineage[0].license.id == "llama3.1"
    [c] = by_type(r, "relicensed")
    assert c.severity == "high"
    assert [(e.path, e.line, e.excerpt) for e in c.evidence[:2]] == [
        ("README.md", 2, "license: mit"),
        ("README.md", 3, "base_model: meta-demo/llama-3.1-8b"),
    ]
    assert c.evidence[2].source == "ancestor:meta-demo/llama-3.1-8b"
    inherited = [x for x in r.restrictions if x.inherited_from]
    assert inherited and all(x.inherited_from == "meta-demo/llama-3.1-8b" for x in inherited)
    assert len({(x.type, x.license) for x in inherited}) == len(inherited)


def test_relabelled_without_base_model_is_inferred(fixtures_dir: Path, tmp_path: Path) -> None:
    r = audit(str(fixtures_dir / "hub/relabel/hermes-8b-mit"), offline(tmp_path))
    [anc] = r.lineage
    assert (anc.id, anc.inferred, anc.status) == ("meta-demo/llama-3.1-8b", True, "resolved")
    assert anc.confidence is not None and 0 < anc.confidence < 1
    assert anc.evidence[0].path == "README.md" and anc.evidence[0].line
    [c] = by_type(r, "relicensed")
    assert c.severity == "high"
    assert any(f.id == "base-model-inferred" for f in r.findings)


def test_adapter_keeps_base_terms(fixtures_dir: Path, tmp_path: Path) -> None:
    r = audit(str(fixtures_dir / "hub/adapters/gemma-2b-lora"), offline(tmp_path))
    assert [(a.id, a.relation, a.status) for a in r.lineage] == [
        ("gemma-demo/gemma-2b", "adapter", "resolved")
    ]
    assert r.lineage[0].license is not None and r.lineage[0].license.id == "gemma"
    assert not by_type(r, "relicensed") and not by_type(r, "derivative-without-license")


def test_merge_of_incompatible_licences(fixtures_dir: Path, tmp_path: Path) -> None:
    r = audit(str(fixtures_dir / "hub/merges/breeze-research-merge"), offline(tmp_path))
    assert sorted((a.id, a.relation) for a in r.lineage) == [
        ("breeze-ai/breeze-7b", "merge"),
        ("nc-lab/research-7b", "merge"),
    ]
    [c] = by_type(r, "incompatible-merge")
    assert "cc-by-nc-4.0" in c.message and "apache-2.0" in c.message
    assert c.evidence[0].excerpt and c.evidence[0].excerpt.startswith("base_model:")
    assert any(
        x.inherited_from == "nc-lab/research-7b" and x.type == "non-commercial" for x in r.restrictions
    )


def test_quantised_copy_keeps_licence_no_conflict(fixtures_dir: Path, tmp_path: Path) -> None:
    r = audit(str(fixtures_dir / "hub/quant/llama-3.1-8b-gguf"), offline(tmp_path))
    assert [(a.id, a.relation) for a in r.lineage] == [("meta-demo/llama-3.1-8b", "quantized")]
    assert not [c for c in r.conflicts if c.type in ("relicensed", "incompatible-merge", "dataset-license")]


def test_nc_dataset_under_apache_model_is_a_warning(fixtures_dir: Path, tmp_path: Path) -> None:
    r = audit(str(fixtures_dir / "hub/tuners/breeze-7b-dialog"), offline(tmp_path))
    [c] = by_type(r, "dataset-license")
    assert c.severity == "medium" and "data-lab/nc-dialogues" in c.message
    assert any(e.source == "dataset:data-lab/nc-dialogues" for e in c.evidence)
    assert not by_type(r, "relicensed")


def test_llama_architecture_trained_from_scratch_is_not_flagged(fixtures_dir: Path, tmp_path: Path) -> None:
    r = audit(str(fixtures_dir / "hub/scratch/llama-arch-1b"), offline(tmp_path))
    assert r.lineage == []
    assert not [c for c in r.conflicts if c.type in ("relicensed", "derivative-without-license")]


def test_base_model_itself_has_no_ancestors(fixtures_dir: Path, tmp_path: Path) -> None:
    r = audit(str(fixtures_dir / "hub/meta-demo/llama-3.1-8b"), offline(tmp_path))
    assert r.lineage == []


# --- walk: unknown, cycles, depth, concurrency ----------------------------------------------------


def test_unresolvable_ancestor_is_listed_unknown(tmp_path: Path) -> None:
    folder = write_repo(
        tmp_path / "tree", "someone/child", {"license": "mit", "base_model": "gone/deleted-7b"}
    )
    r = audit(str(folder), offline(tmp_path))
    [anc] = r.lineage
    assert (anc.id, anc.status, anc.license) == ("gone/deleted-7b", "unknown", None)
    assert any(f.id == "ancestor-unresolved" and "gone/deleted-7b" in f.message for f in r.findings)


def test_unfetchable_family_ancestor_keeps_family_licence(tmp_path: Path) -> None:
    folder = write_repo(
        tmp_path / "tree",
        "someone/poet",
        {"license": "apache-2.0"},
        "A poetry model fine-tuned from Llama-2-13B.",
    )
    r = audit(str(folder), offline(tmp_path))
    [anc] = r.lineage
    assert (anc.id, anc.status, anc.inferred) == ("meta-llama/Llama-2-13b-hf", "unknown", True)
    assert anc.license is not None and anc.license.id == "llama2"
    assert anc.confidence is not None and anc.confidence < 1
    [c] = by_type(r, "relicensed")
    assert c.severity == "high"
    assert any(e.source == "knowledge-base:llama2" for e in c.evidence)


def test_derivative_without_licence(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    write_repo(root, "org-a/base", {"license": "llama2"})
    folder = write_repo(root, "someone/child", {"base_model": "org-a/base"})
    r = audit(str(folder), offline(tmp_path))
    [c] = by_type(r, "derivative-without-license")
    assert c.severity == "high" and "org-a/base" in c.message


def test_cycle_is_detected_and_reported(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    write_repo(root, "org-a/one", {"license": "mit", "base_model": "org-a/two"})
    write_repo(root, "org-a/two", {"license": "mit", "base_model": "org-a/one"})
    folder = write_repo(root, "org-a/start", {"license": "mit", "base_model": "org-a/one"})
    r = audit(str(folder), offline(tmp_path))
    assert [(a.id, a.status, a.depth) for a in r.lineage] == [
        ("org-a/one", "resolved", 1),
        ("org-a/two", "resolved", 2),
        ("org-a/one", "cycle", 3),
    ]
    assert any(f.id == "lineage-cycle" for f in r.findings)


def test_depth_is_capped_at_ten(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    for i in range(1, 14):
        write_repo(root, f"chain/m{i}", {"license": "mit", "base_model": f"chain/m{i + 1}"})
    folder = write_repo(root, "chain/m0", {"license": "mit", "base_model": "chain/m1"})
    r = audit(str(folder), offline(tmp_path))
    assert max(a.depth for a in r.lineage) == 10 and len(r.lineage) == 10
    assert any(f.id == "lineage-depth-limit" for f in r.findings)


def test_binding_licence_is_most_restrictive_ancestor(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    write_repo(root, "org-a/root", {"license": "cc-by-nc-4.0"})
    write_repo(root, "org-a/mid", {"license": "llama2", "base_model": "org-a/root"})
    folder = write_repo(root, "org-a/leaf", {"license": "llama2", "base_model": "org-a/mid"})
    facts = analyse(LocalSource().snapshot(str(folder)), RULES, LocalSource())
    assert facts.lineage.binding_license is not None and facts.lineage.binding_license.id == "cc-by-nc-4.0"
    [c] = [c for c in facts.lineage.conflicts if c.type == "relicensed"]
    assert "org-a/root" in c.message and c.severity == "high"


def test_one_level_is_fetched_concurrently(tmp_path: Path) -> None:
    parents = [f"org-a/p{i}" for i in range(4)]
    child = snap(tmp_path, {"license": "mit", "base_model": parents})
    barrier = threading.Barrier(len(parents), timeout=10)
    seen: list[str] = []

    def resolver(repo_id: str, repo_type: str = "model") -> Snapshot:
        barrier.wait()  # passes only when all four are in flight at once
        seen.append(repo_id)
        raise HubError(f"{repo_id}: not found")

    out = trace(analyse(child, RULES, lineage=False), None, RULES, resolver=resolver)
    assert sorted(seen) == parents
    assert [a.status for a in out.ancestors] == ["unknown"] * 4


def test_dataset_that_cannot_be_read_is_a_finding(tmp_path: Path) -> None:
    folder = write_repo(
        tmp_path / "tree", "someone/child", {"license": "apache-2.0", "datasets": ["nobody/data"]}
    )
    r = audit(str(folder), offline(tmp_path))
    [f] = [f for f in r.findings if f.id == "dataset-unresolved"]
    assert "nobody/data" in f.message and f.evidence[0].line == 3


def test_folder_tree_finds_org_name_and_org__name(tmp_path: Path) -> None:
    write_repo(tmp_path / "a", "org-a/x", {"license": "mit"})
    (tmp_path / "a" / "org-b__y").mkdir(parents=True)
    (tmp_path / "a" / "org-b__y" / "README.md").write_text("---\nlicense: mit\n---\n", encoding="utf-8")
    tree = FolderTree(tmp_path / "a" / "me" / "model")
    assert tree("org-a/x", "model").id == "org-a/x"
    assert tree("org-b/y", "model").source == "local"
    with pytest.raises(Exception, match="not found"):
        tree("org-c/z", "model")


def test_render_lineage_tree(fixtures_dir: Path, tmp_path: Path) -> None:
    r = audit(str(fixtures_dir / "hub/relabel/hermes-8b-mit"), offline(tmp_path))
    lines = render_lineage(r)
    assert lines[0].strip() == "Lineage:"
    assert "meta-demo/llama-3.1-8b" in lines[1] and "llama3.1" in lines[1] and "inferred" in lines[1]
    empty = build_report(
        analyse(LocalSource().snapshot(str(fixtures_dir / "hub/scratch/llama-arch-1b")), RULES),
        RULES,
        timestamp=False,
    )
    assert render_lineage(empty) == []


def test_self_reference_is_a_cycle(tmp_path: Path) -> None:
    s = snap(tmp_path, {"license": "mit", "base_model": "someone/model-x"})
    out = trace(analyse(s, RULES, lineage=False), LocalSource(), RULES)
    assert [(a.id, a.status) for a in out.ancestors] == [("someone/model-x", "cycle")]


def test_base_model_given_as_hub_url(tmp_path: Path) -> None:
    links, rejected = parent_links(snap(tmp_path, {"base_model": "https://huggingface.co/org-a/base-1"}))
    assert [x.id for x in links] == ["org-a/base-1"] and rejected == []


def test_hostile_card_is_bounded(tmp_path: Path) -> None:
    body = "".join(f"Based on org-a/x-{i}. " for i in range(5000))
    assert len(inferred_links(snap(tmp_path, {"license": "mit"}, body))) <= 64


def test_reports_with_lineage_match_the_schema(fixtures_dir: Path, tmp_path: Path) -> None:
    import json

    import jsonschema

    from auditor.report.model import to_data

    schema = json.loads((Path(__file__).resolve().parents[1] / "auditor/schemas/report-1.json").read_text())
    for name in ("merges/breeze-research-merge", "relabel/hermes-8b-mit", "tuners/breeze-7b-dialog"):
        report = audit(str(fixtures_dir / "hub" / name), offline(tmp_path))
        assert report.lineage
        jsonschema.validate(to_data(report), schema)


def test_same_publisher_relicence_is_a_low_note() -> None:
    from auditor.lineage.conflicts import same_publisher

    assert same_publisher("google/med-model", "Google/base-model")
    assert not same_publisher("someone/med-model", "google/base-model")
    assert not same_publisher("/tmp/google__med-model", "google/base-model")
