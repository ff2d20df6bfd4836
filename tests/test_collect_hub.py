"""Hub collection end to end: the real huggingface_hub client over HTTP against the stand-in Hub."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.collect import CollectOptions
from auditor.collect.hub import HubSource, linked_path
from auditor.errors import HubError
from auditor.snapshot import READ_ERROR, READ_GATED, READ_MISSING, READ_OK

BREEZE = "breeze-ai/breeze-7b"
TOKEN = "hf_test_token_ok"


def validate(report: dict, repo_dir: Path) -> None:
    from jsonschema import Draft202012Validator

    schema = json.loads((repo_dir / "auditor" / "schemas" / "report-1.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(report)


def source(hub, tmp_path: Path, **kw) -> HubSource:  # type: ignore[no-untyped-def]
    opts = {"endpoint": hub.url, "cache_dir": str(tmp_path / "cache"), "timeout": 5.0, **kw}
    return HubSource(CollectOptions(**opts))


# --- CLI, end to end ------------------------------------------------------------------------------
def test_audit_success_json_valid(hub, hub_env, run_cli, repo_dir) -> None:
    code, out, err = run_cli("audit", BREEZE, "--format", "json")
    assert code == 0, err
    assert "Traceback" not in err
    report = json.loads(out)
    validate(report, repo_dir)
    assert report["subject"]["id"] == BREEZE
    assert report["subject"]["source"] == "hub"
    assert report["subject"]["revision"] == hub.sha(BREEZE)


def test_request_budget(hub, hub_env, run_cli) -> None:
    """One metadata request, then one HEAD+GET pair per file read (README, LICENSE, config.json)."""
    code, _, err = run_cli("audit", BREEZE, "--format", "json", "--no-lineage")
    assert code == 0, err
    sha = hub.sha(BREEZE)
    seen = [(r.method, r.route) for r in hub.log]
    assert seen[0] == ("GET", f"/api/models/{BREEZE}")
    files = ["README.md", "LICENSE", "config.json"]
    expected = [("GET", f"/api/models/{BREEZE}")]
    for name in files:
        expected += [("HEAD", f"/{BREEZE}/resolve/{sha}/{name}"), ("GET", f"/{BREEZE}/resolve/{sha}/{name}")]
    assert sorted(seen) == sorted(expected)
    assert not hub.requests(contains="agent-harnesses")


def test_second_run_uses_cache(hub, tmp_path: Path) -> None:
    src = source(hub, tmp_path)
    src.snapshot(BREEZE)
    hub.clear()
    snap = src.snapshot(BREEZE)
    assert src.requests == 1 and len(hub.log) == 1  # metadata only; pinned files come from the cache
    assert snap.texts["LICENSE"].status == READ_OK


@pytest.mark.parametrize("pin", ["v0.1", "sha"])
def test_revision_pinning(hub, hub_env, run_cli, pin: str) -> None:
    sha = hub.sha(BREEZE, "v0.1")
    assert sha != hub.sha(BREEZE)
    rev = sha if pin == "sha" else pin
    code, out, err = run_cli("audit", f"{BREEZE}@{rev}", "--format", "json", "--no-lineage")
    assert code == 0, err
    report = json.loads(out)
    assert report["subject"]["revision"] == sha
    downloads = [r.route for r in hub.log if "/resolve/" in r.route]
    assert downloads and all(f"/resolve/{sha}/" in d for d in downloads)


@pytest.mark.parametrize("pin", ["v0.1", "sha"])
def test_pinned_revision_reads_old_files(hub, tmp_path: Path, pin: str) -> None:
    sha = hub.sha(BREEZE, "v0.1")
    snap = source(hub, tmp_path).snapshot(BREEZE, sha if pin == "sha" else pin)
    assert snap.revision == sha
    assert snap.metadata["license"] == "cc-by-nc-4.0"  # the older revision's card, not main's
    assert "LICENSE" not in snap.texts  # v0.1 has no LICENSE file
    assert hub.log[0].route == f"/api/models/{BREEZE}/revision/{sha if pin == 'sha' else pin}"


def test_revision_option_equals_at(hub, hub_env, run_cli) -> None:
    code, out, err = run_cli("audit", BREEZE, "--revision", "v0.1", "--format", "json", "--no-lineage")
    assert code == 0, err
    assert json.loads(out)["subject"]["revision"] == hub.sha(BREEZE, "v0.1")


def test_gated_without_token(hub, hub_env, run_cli) -> None:
    code, out, err = run_cli("audit", "gemma-demo/gemma-2b", "--format", "json", "--no-lineage")
    assert code == 0, err
    assert "Traceback" not in err
    report = json.loads(out)
    assert report["subject"]["gated"] == "manual"
    not_read = {f["path"]: f["status"] for f in report["subject"]["files_not_read"]}
    assert not_read.get("LICENSE") == "gated"
    messages = [f["message"] for f in report["findings"]]
    assert any("LICENSE" in m and "not accessible (gated)" in m for m in messages)


def test_gated_with_token_reads_files(hub, tmp_path: Path) -> None:
    snap = source(hub, tmp_path, token=TOKEN).snapshot("meta-demo/llama-3.1-8b")
    assert snap.texts["LICENSE"].status == READ_OK
    assert snap.texts["USE_POLICY.md"].status == READ_OK
    assert snap.config is not None
    auth = [r for r in hub.log if "/resolve/" in r.route]
    assert auth and all(r.authorized for r in auth)
    anon = source(hub, tmp_path / "anon").snapshot("meta-demo/llama-3.1-8b")
    assert anon.texts["LICENSE"].status == READ_GATED


def test_wrong_token_is_gated_not_error(hub, tmp_path: Path) -> None:
    snap = source(hub, tmp_path, token="hf_wrong_token").snapshot("gemma-demo/gemma-2b")
    assert snap.texts["LICENSE"].status == READ_GATED
    assert snap.texts["README.md"].status == READ_OK


@pytest.mark.parametrize("target, words", [
    ("nobody/nothing", "not found"),
    (f"{BREEZE}@v9.9", "revision 'v9.9' not found"),
])
def test_not_found_exit_3(hub, hub_env, run_cli, target: str, words: str) -> None:
    code, out, err = run_cli("audit", target)
    assert code == 3
    assert out == ""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and words in lines[0]


def test_500_on_license_file(hub, hub_env, run_cli) -> None:
    hub.fail(f"/{BREEZE}/resolve/*/LICENSE", "500")
    code, out, err = run_cli("audit", BREEZE, "--format", "json", "--no-lineage")
    assert code == 0, err
    report = json.loads(out)
    assert {"path": "LICENSE", "status": "error"} in report["subject"]["files_not_read"]
    assert any("LICENSE" in f["message"] and "HTTP 500" in f["message"] for f in report["findings"])
    assert len(hub.requests(contains="/LICENSE")) == 1  # no hidden retries


def test_500_on_metadata_exit_3(hub, hub_env, run_cli) -> None:
    hub.fail(f"/api/models/{BREEZE}", "503")
    code, _, err = run_cli("audit", BREEZE)
    assert code == 3
    assert "HTTP 503" in err and "Traceback" not in err


def test_dropped_connection(hub, tmp_path: Path) -> None:
    hub.fail(f"/{BREEZE}/resolve/*/LICENSE", "drop", method="GET")
    snap = source(hub, tmp_path).snapshot(BREEZE)
    lic = snap.texts["LICENSE"]
    assert lic.status == READ_ERROR
    assert "dropped" in lic.note or "failed" in lic.note
    assert snap.texts["README.md"].status == READ_OK
    assert len(hub.requests("GET", contains="/LICENSE")) == 1  # the broken download is not resumed


def test_dropped_connection_on_head(hub, tmp_path: Path) -> None:
    hub.fail(f"/{BREEZE}/resolve/*/README.md", "drop", method="HEAD")
    snap = source(hub, tmp_path).snapshot(BREEZE)
    assert snap.texts["README.md"].status == READ_ERROR
    assert any(n.path == "README.md" and n.id == "file-unreadable" for n in snap.notes)


def test_server_never_answers_exit_3(hub, hub_env, run_cli) -> None:
    hub.fail(f"/api/models/{BREEZE}", "hang")
    code, out, err = run_cli("audit", BREEZE, "--timeout", "1", timeout=60)
    assert code == 3
    assert "timed out" in err and "Traceback" not in err


def test_file_that_never_answers_is_error(hub, tmp_path: Path) -> None:
    hub.fail(f"/{BREEZE}/resolve/*/LICENSE", "hang")
    snap = source(hub, tmp_path, timeout=1.0).snapshot(BREEZE)
    assert snap.texts["LICENSE"].status == READ_ERROR
    assert "timed out" in snap.texts["LICENSE"].note


def test_download_that_never_answers_is_error(hub, tmp_path: Path, capfd) -> None:
    hub.fail(f"/{BREEZE}/resolve/*/LICENSE", "hang", method="GET")  # HEAD answers, GET never does
    snap = source(hub, tmp_path, timeout=1.0).snapshot(BREEZE)
    assert snap.texts["LICENSE"].status == READ_ERROR
    assert "timed out" in snap.texts["LICENSE"].note
    assert snap.texts["README.md"].status == READ_OK
    assert "resume" not in capfd.readouterr().err  # huggingface_hub's warnings are silenced


def test_no_hidden_requests_without_env(hub, tmp_path: Path, run_cli) -> None:
    """Even when the user's environment does not disable telemetry, no agent-detection request is sent."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env.update({"HF_ENDPOINT": hub.url, "HF_HOME": str(tmp_path / "home")})
    code, _, err = run_cli("audit", BREEZE, "--no-lineage", env=env)
    assert code == 0, err
    assert not hub.requests(contains="agent-harnesses")
    assert all(r.route.startswith(("/api/models/", f"/{BREEZE}/resolve/")) for r in hub.log)


def test_private_repo(tmp_hub, tmp_path: Path) -> None:
    tmp_hub.add_repo("corp/secret", {"README.md": "---\nlicense: mit\n---\n# s\n"},
                     meta={"private": True, "tokens": ["hf_corp_token"]})
    with pytest.raises(HubError) as info:
        source(tmp_hub, tmp_path).snapshot("corp/secret")
    assert "not found" in info.value.message
    snap = source(tmp_hub, tmp_path, token="hf_corp_token").snapshot("corp/secret")
    assert snap.metadata["license"] == "mit" and snap.private is True


def test_token_never_printed(hub, hub_env, run_cli) -> None:
    secret = "hf_SECRETsecret1234567890"
    code, out, err = run_cli("audit", "nobody/nothing", "--token", secret, "-v")
    assert code == 3
    assert secret not in out + err
    hub.clear()
    code, out, err = run_cli("audit", "gemma-demo/gemma-2b", "--token", secret, "-v", "--format", "json",
                             "--no-lineage")
    assert code == 0, err
    assert secret not in out + err
    assert all(secret not in json.dumps(r.headers) for r in hub.log)
    assert any(r.authorized for r in hub.log)


def test_token_not_in_hub_error(hub, tmp_path: Path) -> None:
    secret = "hf_SECRETsecret1234567890"
    hub.fail(f"/api/models/{BREEZE}", "500")
    with pytest.raises(HubError) as info:
        source(hub, tmp_path, token=secret).snapshot(BREEZE)
    assert secret not in info.value.message and secret not in (info.value.detail or "")


def test_dataset_snapshot(hub, tmp_path: Path) -> None:
    src = source(hub, tmp_path)
    snap = src.snapshot("data-lab/nc-dialogues", repo_type="dataset")
    assert snap.repo_type == "dataset" and snap.source == "hub"
    assert snap.revision == hub.sha("data-lab/nc-dialogues", repo_type="dataset")
    assert snap.texts["README.md"].status == READ_OK
    assert snap.metadata.get("license") == "cc-by-nc-4.0"
    assert hub.log[0].route == "/api/datasets/data-lab/nc-dialogues"
    assert all(r.route.startswith("/datasets/") for r in hub.log[1:])


def test_metadata_from_hub(hub, tmp_path: Path) -> None:
    snap = source(hub, tmp_path).snapshot("open-lab/open-lm-1b")
    assert snap.library_name == "transformers"
    assert "region:us" in snap.tags
    assert snap.config is not None and snap.config.get("model_type")
    assert any(f.path.endswith(".safetensors") and f.size is not None for f in snap.files)


def test_big_file_skipped_before_download(tmp_hub, tmp_path: Path) -> None:
    big = "---\nlicense: mit\n---\n" + "x" * (3 * 1024 * 1024)
    tmp_hub.add_repo("big/card", {"README.md": big, "LICENSE": "short licence text\n"})
    snap = source(tmp_hub, tmp_path).snapshot("big/card")
    assert snap.texts["README.md"].status == "too-large"
    assert not tmp_hub.requests(contains="/README.md")  # known size over the cap: never downloaded


def test_license_link_followed(tmp_hub, tmp_path: Path) -> None:
    card = "---\nlicense: other\nlicense_name: acme\nlicense_link: docs/TERMS.txt\n---\n# card\n"
    tmp_hub.add_repo("acme/model", {"README.md": card, "docs/TERMS.txt": "Acme terms written for a test.\n"})
    snap = source(tmp_hub, tmp_path).snapshot("acme/model")
    assert snap.texts["docs/TERMS.txt"].status == READ_OK


def test_license_link_missing_target(tmp_hub, tmp_path: Path) -> None:
    card = "---\nlicense: other\nlicense_link: LICENSE.md\n---\n# card\n"
    tmp_hub.add_repo("acme/nolink", {"README.md": card})
    snap = source(tmp_hub, tmp_path).snapshot("acme/nolink")
    assert snap.texts["LICENSE.md"].status == READ_MISSING
    assert not tmp_hub.requests(contains="LICENSE.md")


@pytest.mark.parametrize("link, expected", [
    ("LICENSE.md", "LICENSE.md"),
    ("./LICENSE", "LICENSE"),
    ("https://huggingface.co/o/m/blob/main/LICENSE", "LICENSE"),
    ("https://example.org/LICENSE", None),
    ("../../etc/passwd", None),
    ("/etc/passwd", None),
    (42, None),
])
def test_linked_path(link: object, expected: str | None) -> None:
    rel, _ = linked_path(link, "o/m", "https://huggingface.co")
    assert rel == expected


def test_unsafe_link_noted() -> None:
    rel, note = linked_path("../secret", "o/m", "https://huggingface.co")
    assert rel is None and note is not None and "outside" in note.message


def test_gated_readme_falls_back_to_card_data(tmp_hub, tmp_path: Path) -> None:
    card = "---\nlicense: other\nlicense_name: acme-terms\nextra_gated_prompt: agree first\n---\n# m\n"
    tmp_hub.add_repo("closed/all", {"README.md": card, "LICENSE": "terms\n"},
                     meta={"gated": "manual", "gated_files": ["*"]})
    snap = source(tmp_hub, tmp_path).snapshot("closed/all")
    assert snap.texts["README.md"].status == READ_GATED
    assert snap.metadata["license_name"] == "acme-terms"  # from the public cardData
    assert snap.gated == "manual"


@pytest.mark.parametrize("body", ["<html>not the Hub</html>", "[1, 2, 3]", '{"id": "x"}', '"just a string"'])
def test_wrong_endpoint_answer_exit_3(hub, tmp_path: Path, body: str) -> None:
    hub.fail(f"/api/models/{BREEZE}", f"body:{body}")
    with pytest.raises(HubError) as info:
        source(hub, tmp_path).snapshot(BREEZE)
    assert "unexpected answer" in info.value.message or "no commit sha" in info.value.message


def test_file_answer_without_hub_headers_is_error(hub, tmp_path: Path) -> None:
    hub.fail(f"/{BREEZE}/resolve/*/LICENSE", "body:not a file")
    snap = source(hub, tmp_path).snapshot(BREEZE)
    assert snap.texts["LICENSE"].status == READ_ERROR


def test_endpoint_credentials_not_shown(tmp_path: Path) -> None:
    opts = CollectOptions(endpoint="http://user:s3cretpass@127.0.0.1:9", cache_dir=str(tmp_path), timeout=2.0)
    with pytest.raises(HubError) as info:
        HubSource(opts).snapshot(BREEZE)
    assert "s3cretpass" not in info.value.message and "127.0.0.1:9" in info.value.message
