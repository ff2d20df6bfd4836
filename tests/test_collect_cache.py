"""Offline audits from the local Hugging Face cache (no network)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.collect import CollectOptions
from auditor.collect.cache import CacheSource, hub_cache_dir, read_listing, repo_folder, resolve_sha
from auditor.collect.hub import HubSource
from auditor.errors import HubError
from auditor.snapshot import READ_OK

BREEZE = "breeze-ai/breeze-7b"


def test_offline_after_online_run(hub, hub_env, run_cli) -> None:
    code, online, err = run_cli("audit", BREEZE, "--format", "json", "--no-lineage")
    assert code == 0, err
    hub.clear()
    code, offline, err = run_cli("audit", BREEZE, "--format", "json", "--no-lineage", "--offline")
    assert code == 0, err
    assert hub.log == []  # not a single request
    on, off = json.loads(online), json.loads(offline)
    assert off["subject"]["source"] == "cache"
    assert off["subject"]["revision"] == on["subject"]["revision"] == hub.sha(BREEZE)
    assert off["license"] == on["license"]  # same facts, same conclusion
    assert off["subject"]["files_not_read"] == on["subject"]["files_not_read"] == []


def test_hf_hub_offline_env_works_like_flag(hub, hub_env, run_cli) -> None:
    code, _, err = run_cli("audit", BREEZE, "--format", "json", "--no-lineage")
    assert code == 0, err
    hub.clear()
    env = dict(hub_env, HF_HUB_OFFLINE="1")
    code, out, err = run_cli("audit", BREEZE, "--format", "json", "--no-lineage", env=env)
    assert code == 0, err
    assert hub.log == []
    assert json.loads(out)["subject"]["source"] == "cache"


def test_offline_pinned_revision(hub, hub_env, run_cli) -> None:
    sha = hub.sha(BREEZE, "v0.1")
    assert run_cli("audit", f"{BREEZE}@v0.1", "--no-lineage")[0] == 0
    hub.clear()
    for rev in ("v0.1", sha):
        code, out, err = run_cli("audit", f"{BREEZE}@{rev}", "--format", "json", "--no-lineage", "--offline")
        assert code == 0, err
        assert json.loads(out)["subject"]["revision"] == sha
    assert hub.log == []


def test_offline_empty_cache_exit_3(hub, hub_env, run_cli) -> None:
    code, out, err = run_cli("audit", BREEZE, "--offline")
    assert code == 3
    assert out == "" and "Traceback" not in err
    assert "not in the local cache (offline)" in err
    assert hub.log == []


def test_offline_unknown_revision_exit_3(hub, hub_env, run_cli) -> None:
    assert run_cli("audit", BREEZE, "--no-lineage")[0] == 0
    code, _, err = run_cli("audit", f"{BREEZE}@v7", "--offline")
    assert code == 3 and "not in the local cache" in err


def test_listing_kept_for_offline(hub, tmp_path: Path) -> None:
    """The online run stores the full file list (trees/<sha>.json), so offline sees the weights too."""
    opts = CollectOptions(endpoint=hub.url, cache_dir=str(tmp_path / "c"))
    online = HubSource(opts).snapshot(BREEZE)
    offline = CacheSource(opts).snapshot(BREEZE)
    assert offline.file_paths() == online.file_paths()
    assert offline.revision == online.revision
    assert offline.texts["LICENSE"].status == READ_OK
    assert offline.config is not None and offline.config.get("model_type") == "mistral"


def test_cache_without_tree_lists_snapshot(tmp_path: Path) -> None:
    """A cache filled by other tools (no trees/ listing) still works; the partial listing is noted."""
    storage = repo_folder(tmp_path, "org/model")
    sha = "a" * 40
    snap_dir = storage / "snapshots" / sha
    snap_dir.mkdir(parents=True)
    (snap_dir / "README.md").write_text("---\nlicense: mit\nextra_gated_prompt: agree\n---\n# m\n")
    (snap_dir / "LICENSE").write_text("some licence text\n")
    (storage / "refs").mkdir()
    (storage / "refs" / "main").write_text(sha)
    snap = CacheSource(CollectOptions(offline=True, cache_dir=str(tmp_path))).snapshot("org/model")
    assert snap.revision == sha and snap.source == "cache"
    assert snap.metadata["license"] == "mit"
    assert snap.gated == "manual"  # from the card's extra_gated_* keys
    assert any(n.id == "offline-partial-listing" for n in snap.notes)


def test_dataset_offline(hub, tmp_path: Path) -> None:
    opts = CollectOptions(endpoint=hub.url, cache_dir=str(tmp_path))
    HubSource(opts).snapshot("open-lab/open-corpus", repo_type="dataset")
    snap = CacheSource(opts).snapshot("open-lab/open-corpus", repo_type="dataset")
    assert snap.repo_type == "dataset" and snap.metadata.get("license")
    with pytest.raises(HubError):
        CacheSource(opts).snapshot("open-lab/open-corpus")  # the model namespace is a different folder


def test_resolve_sha_rejects_escapes(tmp_path: Path) -> None:
    assert resolve_sha(tmp_path, "../../x") is None
    assert resolve_sha(tmp_path, "b" * 40) is None


def test_corrupt_listing_ignored(tmp_path: Path) -> None:
    for folder in (".auditor", "trees"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / ("c" * 40 + ".json")).write_text("{not json")
    assert read_listing(tmp_path, "c" * 40) is None


def test_hf_tree_cache_used_when_ours_is_absent(tmp_path: Path) -> None:
    """snapshot_download's trees/<sha>.json gives the full listing too."""
    (tmp_path / "trees").mkdir()
    data = {"format_version": 1, "files": {"LICENSE": {"size": 5, "blob_id": "x"}, "w.bin": {"size": 9,
                                                                                          "blob_id": "y"}}}
    (tmp_path / "trees" / ("d" * 40 + ".json")).write_text(json.dumps(data))
    listed = read_listing(tmp_path, "d" * 40)
    assert listed is not None and {(f.path, f.size) for f in listed} == {("LICENSE", 5), ("w.bin", 9)}


def test_hf_snapshot_download_unaffected(hub, tmp_path: Path) -> None:
    """After an audit, huggingface_hub still treats the partial snapshot as it did (no trees/ listing)."""
    opts = CollectOptions(endpoint=hub.url, cache_dir=str(tmp_path))
    snap = HubSource(opts).snapshot(BREEZE)
    storage = repo_folder(tmp_path, BREEZE)
    assert not (storage / "trees").exists()
    assert (storage / ".auditor" / f"{snap.revision}.json").is_file()
    assert (storage / "refs" / "main").read_text() == snap.revision
    from huggingface_hub import scan_cache_dir

    report = scan_cache_dir(tmp_path)
    assert not report.warnings and [r.repo_id for r in report.repos] == [BREEZE]


def test_hub_cache_dir_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "home"))
    assert hub_cache_dir() == tmp_path / "home" / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hc"))
    assert hub_cache_dir() == tmp_path / "hc"
    assert hub_cache_dir(CollectOptions(cache_dir=str(tmp_path / "opt"))) == tmp_path / "opt"
