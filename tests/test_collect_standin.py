"""The stand-in Hub itself answers the real huggingface_hub client the way the Hub does (contract §3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hub import blob_sha1

BREEZE = "breeze-ai/breeze-7b"


@pytest.fixture
def api(hub):  # type: ignore[no-untyped-def]
    from huggingface_hub import HfApi

    return HfApi(endpoint=hub.url, token=False)


def test_expand_returns_only_requested(api, hub) -> None:
    info = api.model_info(BREEZE, expand=["sha", "gated"])
    assert info.sha == hub.sha(BREEZE) and info.gated is False
    assert info.siblings is None and info.card_data is None
    assert "expand=sha&expand=gated" in hub.log[-1].path


def test_bad_expand_is_400(api) -> None:
    from huggingface_hub.errors import HfHubHTTPError

    with pytest.raises(HfHubHTTPError):
        api.model_info(BREEZE, expand=["nonsense"])  # type: ignore[list-item]


def test_files_metadata(api, fixtures_dir: Path) -> None:
    info = api.model_info(BREEZE, files_metadata=True)
    lic = next(s for s in info.siblings if s.rfilename == "LICENSE")
    data = (fixtures_dir / "hub" / BREEZE / "LICENSE").read_bytes()
    assert lic.size == len(data) and lic.blob_id == blob_sha1(data)
    assert info.card_data.license == "apache-2.0"
    assert "license:apache-2.0" in info.tags


def test_tree_and_list_files(api, hub) -> None:
    files = api.list_repo_files("open-lab/open-lm-1b")
    assert "checkpoints/step-10000/model.safetensors" in files
    top = {e.path: type(e).__name__ for e in api.list_repo_tree("open-lab/open-lm-1b")}
    assert top["checkpoints"] == "RepoFolder" and top["README.md"] == "RepoFile"
    tree = api.list_repo_tree("open-lab/open-lm-1b", path_in_repo="checkpoints", recursive=True)
    sub = [e.path for e in tree]
    assert all(p.startswith("checkpoints") for p in sub)


def test_list_models_by_author(api) -> None:
    ids = [m.id for m in api.list_models(author="relabel")]
    assert ids == ["relabel/hermes-8b-mit", "relabel/llama-3.1-8b-chat-mit"]
    with_cards = list(api.list_models(author="breeze-ai", cardData=True))
    assert with_cards[0].card_data is not None


def test_named_revision_and_sha(api, hub) -> None:
    old = api.model_info(BREEZE, revision="v0.1")
    assert old.sha == hub.sha(BREEZE, "v0.1") != hub.sha(BREEZE)
    assert api.model_info(BREEZE, revision=old.sha).card_data.license == "cc-by-nc-4.0"


def test_dataset_endpoints(api, hub) -> None:
    info = api.dataset_info("open-lab/open-corpus")
    assert info.sha == hub.sha("open-lab/open-corpus", repo_type="dataset")
    assert api.list_repo_files("open-lab/open-corpus", repo_type="dataset")


def test_resolve_headers_and_errors(hub) -> None:
    import httpx2

    sha = hub.sha(BREEZE)
    head = httpx2.head(f"{hub.url}/{BREEZE}/resolve/main/LICENSE")
    assert head.status_code == 200 and head.headers["X-Repo-Commit"] == sha
    assert head.headers["ETag"].startswith('"') and int(head.headers["Content-Length"]) > 0
    part = httpx2.get(f"{hub.url}/{BREEZE}/resolve/{sha}/LICENSE", headers={"Range": "bytes=10-"})
    assert part.status_code == 206 and len(part.content) == int(head.headers["Content-Length"]) - 10
    cases = {
        f"/{BREEZE}/resolve/main/NOPE": (404, "EntryNotFound"),
        f"/{BREEZE}/resolve/v9/LICENSE": (404, "RevisionNotFound"),
        "/no/such/resolve/main/README.md": (404, "RepoNotFound"),
        "/gemma-demo/gemma-2b/resolve/main/LICENSE": (401, "GatedRepo"),
    }
    for path, (status, code) in cases.items():
        answer = httpx2.head(hub.url + path)
        assert (answer.status_code, answer.headers.get("X-Error-Code")) == (status, code), path
    assert httpx2.get(f"{hub.url}/gemma-demo/gemma-2b/resolve/main/README.md").status_code == 200
    assert httpx2.get(f"{hub.url}/api/agent-harnesses").status_code == 404


def test_faults_are_bounded(hub) -> None:
    import httpx2

    hub.fail("/api/models/*", "500", times=1)
    assert httpx2.get(f"{hub.url}/api/models/{BREEZE}").status_code == 500
    assert httpx2.get(f"{hub.url}/api/models/{BREEZE}").status_code == 200  # the fault was used up
    hub.fail("/api/models/*", "hang")
    with pytest.raises(httpx2.TimeoutException):
        httpx2.get(f"{hub.url}/api/models/{BREEZE}", timeout=0.5)
    assert all(r.headers.get("authorization") in (None, "<redacted>") for r in hub.log)
