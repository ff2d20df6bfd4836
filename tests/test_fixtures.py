"""Sanity checks on fixtures/ and seeds/: parseable cards, known .hub.json keys, paraphrase markers,
valid seed ids, and no line copied from the shared corpus."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from auditor.collect.base import is_license_file
from auditor.collect.frontmatter import split_card
from auditor.errors import InputError
from auditor.target import check_repo_id

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SEEDS = ROOT / "seeds"
CORPUS = ROOT.parent / "shared" / "corpus"
MARKER = "Abridged paraphrase written for auditor's tests; not a legal text."
HUB_KEYS = {"gated", "private", "tags", "library_name", "pipeline_tag", "gated_files", "tokens", "created_at",
            "extra_files"}
WEIGHT_SUFFIXES = (".safetensors", ".bin", ".gguf", ".ckpt", ".pt", ".pth")

MODELS = [
    "open-lab/open-lm-1b", "breeze-ai/breeze-7b", "meta-demo/llama-3.1-8b", "gemma-demo/gemma-2b",
    "rail-lab/rail-diffusion", "nc-lab/research-7b", "nolicense/mystery-3b", "gated-co/gated-13b",
    "relabel/llama-3.1-8b-chat-mit", "relabel/hermes-8b-mit", "adapters/gemma-2b-lora",
    "merges/breeze-research-merge", "quant/llama-3.1-8b-gguf", "tuners/breeze-7b-dialog",
    "scratch/llama-arch-1b",
]
DATASETS = ["open-lab/open-corpus", "data-lab/nc-dialogues"]


def repo_dirs() -> list[Path]:
    """Main-revision folders of every fixture repo (``<name>.revisions/`` holds older revisions)."""
    return sorted(p for kind in ("hub", "datasets") for p in (FIXTURES / kind).glob("*/*")
                  if p.is_dir() and not p.name.endswith(".revisions"))


def revision_dirs() -> list[Path]:
    return sorted(p for kind in ("hub", "datasets") for p in (FIXTURES / kind).glob("*/*.revisions/*")
                  if p.is_dir())


def all_repo_dirs() -> list[Path]:
    return repo_dirs() + revision_dirs()


def hub_jsons() -> list[Path]:
    return sorted(p for kind in ("hub", "datasets") for p in (FIXTURES / kind).glob("*/*.hub.json"))


def license_like_files() -> list[Path]:
    return sorted(p for d in all_repo_dirs() for p in d.rglob("*")
                  if p.is_file() and is_license_file(p.relative_to(d).as_posix()))


def card(repo: Path) -> dict:
    return split_card((repo / "README.md").read_text(encoding="utf-8")).metadata


def seed_lines() -> list[tuple[str, int, str]]:
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip() and not line.lstrip().startswith("#"):
                out.append((path.name, number, line))
    return out


def test_every_named_fixture_exists() -> None:
    for name in MODELS:
        assert (FIXTURES / "hub" / name / "README.md").is_file(), name
    for name in DATASETS:
        assert (FIXTURES / "datasets" / name / "README.md").is_file(), name
    assert len(repo_dirs()) == len(MODELS) + len(DATASETS)


@pytest.mark.parametrize("repo", all_repo_dirs(), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_card_front_matter_parses(repo: Path) -> None:
    parsed = split_card((repo / "README.md").read_text(encoding="utf-8"), "README.md")
    ids = [note.id for note in parsed.notes]
    assert "card-metadata-invalid" not in ids
    assert "card-no-metadata" not in ids
    assert parsed.metadata, "front matter is empty"
    assert parsed.body.strip().startswith("#"), "card body should start with a heading"


@pytest.mark.parametrize("path", hub_jsons(), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_hub_json_is_valid(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    assert set(data) <= HUB_KEYS, f"unknown keys: {sorted(set(data) - HUB_KEYS)}"
    assert data.get("gated", False) in (False, "auto", "manual")
    assert isinstance(data.get("private", False), bool)
    for key in ("tags", "gated_files", "tokens", "extra_files"):
        value = data.get(key, [])
        assert isinstance(value, list), key
        assert key == "extra_files" or all(isinstance(v, str) for v in value), key
    assert (path.parent / path.name.removesuffix(".hub.json")).is_dir(), "no repo folder beside it"
    for item in data.get("extra_files", []):
        assert isinstance(item, str) or (isinstance(item, dict) and set(item) <= {"path", "content"}
                                         and isinstance(item.get("path"), str)), item
    if data.get("gated_files") or data.get("tokens"):
        assert data.get("gated") in ("auto", "manual"), "gated files on a repo that is not gated"


def test_license_like_files_start_with_marker() -> None:
    files = license_like_files()
    assert len(files) >= 15
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == MARKER, path.relative_to(FIXTURES).as_posix()


@pytest.mark.parametrize("repo", [FIXTURES / "hub" / m for m in MODELS], ids=lambda p: p.name)
def test_model_has_placeholder_weights(repo: Path) -> None:
    weights = [p for p in repo.rglob("*") if p.is_file() and p.name.endswith(WEIGHT_SUFFIXES)]
    assert weights, "no weight file"
    assert all(p.stat().st_size < 64 for p in weights), "weights must stay tiny placeholders"


def test_fixture_invariants() -> None:
    hub = FIXTURES / "hub"
    assert "license" not in card(hub / "nolicense/mystery-3b")
    assert not [p for p in (hub / "nolicense/mystery-3b").rglob("*") if is_license_file(p.name)]
    hermes = hub / "relabel/hermes-8b-mit"
    assert "base_model" not in card(hermes) and card(hermes)["license"] == "mit"
    assert json.loads((hermes / "config.json").read_text())["_name_or_path"] == "meta-demo/llama-3.1-8b"
    merged = card(hub / "merges/breeze-research-merge")["base_model"]
    assert merged == ["breeze-ai/breeze-7b", "nc-lab/research-7b"]
    assert card(hub / "tuners/breeze-7b-dialog")["datasets"] == ["data-lab/nc-dialogues"]
    gated_co_dir = hub / "gated-co/gated-13b"
    gated_weights = [p.name for p in gated_co_dir.iterdir() if p.name.endswith(WEIGHT_SUFFIXES)]
    assert gated_weights == ["pytorch_model.bin"]
    meta_token = json.loads((hub / "meta-demo/llama-3.1-8b.hub.json").read_text())
    assert "hf_test_token_ok" in meta_token["tokens"] and "LICENSE" in meta_token["gated_files"]
    gated_co = json.loads((hub / "gated-co/gated-13b.hub.json").read_text())
    assert "LICENSE" in gated_co["gated_files"] and not gated_co.get("tokens")


def test_from_scratch_fixture_mentions_no_meta_derivation() -> None:
    repo = FIXTURES / "hub" / "scratch" / "llama-arch-1b"
    text = "\n".join(p.read_text(encoding="utf-8") for p in repo.rglob("*")
                     if p.suffix in (".md", ".json", ""))
    assert "base_model" not in card(repo)
    for word in ("meta-llama", "meta-demo", "fine-tuned", "finetune", "derived from", "llama 3", "llama-3",
                 "llama 2", "llama-2", "built with llama", "_name_or_path"):
        assert word not in text.lower(), word
    config = json.loads((repo / "config.json").read_text())
    assert config["model_type"] == "llama"


def test_seed_ids_are_valid() -> None:
    lines = seed_lines()
    assert len(lines) > 50
    for name, number, line in lines:
        repo_id, _, revision = line.partition("@")
        try:
            check_repo_id(repo_id)
        except InputError as exc:  # pragma: no cover - failure path
            pytest.fail(f"{name}:{number}: {exc}")
        assert "@" not in line or revision, f"{name}:{number}: empty revision"


def test_seed_lists_have_no_duplicates() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        ids = [line for name, _, line in seed_lines() if name == path.name]
        assert len(ids) == len(set(ids)), path.name


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _own_files() -> list[Path]:
    return sorted(p for top in (FIXTURES, SEEDS) for p in top.rglob("*")
                  if p.is_file() and p.stat().st_size < 2_000_000)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent; cannot compare against it")
def test_no_line_copied_from_corpus() -> None:
    """Same rule as the shared copycheck hook: no line of 70+ characters repeats a corpus line."""
    seen: set[str] = set()
    for path in CORPUS.rglob("*"):
        if path.is_file() and path.suffix != ".json":
            for line in path.read_text(encoding="utf-8", errors="ignore").splitlines():
                norm = _norm(line)
                if len(norm) >= 70:
                    seen.add(norm)
    copied = [f"{p.relative_to(ROOT)}:{i}" for p in _own_files()
              for i, line in enumerate(p.read_text(encoding="utf-8", errors="ignore").splitlines(), 1)
              if len(_norm(line)) >= 70 and _norm(line) in seen]
    assert not copied, copied[:20]


@pytest.mark.skipif(not (CORPUS / "licenses").is_dir(), reason="../shared/corpus/licenses is absent")
def test_no_long_word_run_copied_from_corpus_licences() -> None:
    """Stricter than line equality: no 12-word run of a licence-like fixture file is in a real licence."""
    size = 12

    def words(text: str) -> list[str]:
        return re.findall(r"[a-z0-9]+", text.lower())

    runs: set[tuple[str, ...]] = set()
    for path in (CORPUS / "licenses").rglob("*.txt"):
        w = words(path.read_text(encoding="utf-8", errors="ignore"))
        runs.update(tuple(w[i:i + size]) for i in range(len(w) - size + 1))
    copied = []
    for path in license_like_files():
        w = words(path.read_text(encoding="utf-8"))
        hits = [" ".join(w[i:i + size]) for i in range(len(w) - size + 1) if tuple(w[i:i + size]) in runs]
        if hits:
            copied.append(f"{path.relative_to(ROOT)}: {hits[0]}")
    assert not copied, copied
