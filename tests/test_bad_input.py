"""Bad input never ends in a traceback: a one-line error (exit 2/3), or an audit with a recorded finding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.collect import CollectOptions
from auditor.collect.hub import HubSource

CARD_BODY = "\n# model\n\nA test model card.\n"


def audit_folder(run_cli, folder: Path) -> dict:  # type: ignore[no-untyped-def]
    code, out, err = run_cli("audit", str(folder), "--format", "json", "--no-lineage")
    assert code == 0, err
    assert "Traceback" not in err
    return json.loads(out)


def finding_ids(report: dict) -> set[str]:
    return {f["id"] for f in report["findings"]}


# --- targets ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("target, words", [
    ("", "empty"),
    ("   ", "empty"),
    ("a/b/c", "invalid model id"),
    ("../x", "no such folder"),
    ("org/my model", "spaces"),
    ("org/name@", "empty revision"),
    ("org/na..me", "invalid model id"),
    ("./does-not-exist", "no such folder"),
])
def test_bad_target_exit_2(run_cli, target: str, words: str) -> None:
    code, out, err = run_cli("audit", target)
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("auditor: error:") and words in lines[0]


def test_file_instead_of_folder_exit_2(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_text("---\nlicense: mit\n---\n")
    code, out, err = run_cli("audit", str(path))
    assert code == 2 and "is a file" in err and "Traceback" not in err


def test_missing_from_file_exit_2(run_cli, tmp_path: Path) -> None:
    code, _, err = run_cli("audit", "--from-file", str(tmp_path / "nope.txt"))
    assert code == 2 and "cannot read" in err and "Traceback" not in err


def test_bad_timeout_exit_2(run_cli) -> None:
    code, _, err = run_cli("audit", "org/name", "--timeout", "-1")
    assert code == 2 and "Traceback" not in err


# --- model cards -----------------------------------------------------------------------------------
NESTING_BOMB = "---\nlicense: mit\nx: " + "[" * 10000 + "]" * 10000 + "\n---\n"
DASH_BOMB = "---\nx:\n" + "- " * 10000 + "y\n---\n"
ALIAS_BOMB = "---\na0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 10)) + "---\n"
CARDS = {
    "no-front-matter": (b"# just a title\n\nNo metadata here.\n", "card-no-metadata"),
    "broken-yaml": (b"---\nlicense: [mit\ntags: {a\n---\n" + CARD_BODY.encode(), "card-metadata-invalid"),
    "yaml-list": (b"---\n- license\n- mit\n---\n" + CARD_BODY.encode(), "card-metadata-invalid"),
    "yaml-scalar": (b"---\njust a string\n---\n" + CARD_BODY.encode(), "card-metadata-invalid"),
    "duplicate-keys": (b"---\nlicense: mit\nlicense: apache-2.0\n---\n" + CARD_BODY.encode(),
                       "card-metadata-duplicate-key"),
    "nesting-bomb": (NESTING_BOMB.encode() + CARD_BODY.encode(), "card-metadata-invalid"),
    "dash-bomb": (DASH_BOMB.encode() + CARD_BODY.encode(), "card-metadata-invalid"),
    "alias-bomb": (ALIAS_BOMB.encode() + CARD_BODY.encode(), "card-metadata-invalid"),
    "recursive-alias": (b"---\na: &a [1, *a]\n---\n" + CARD_BODY.encode(), "card-metadata-invalid"),
    "non-utf8": ("---\nlicense: mit\n---\n# modèle café\n".encode("latin-1"), "file-encoding"),
    "bom": (b"\xef\xbb\xbf---\nlicense: mit\n---\n" + CARD_BODY.encode(), "file-bom"),
}


@pytest.mark.parametrize("case", sorted(CARDS))
def test_odd_card_is_a_finding(run_cli, tmp_path: Path, case: str) -> None:
    content, finding = CARDS[case]
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "README.md").write_bytes(content)
    report = audit_folder(run_cli, folder)
    assert finding in finding_ids(report)


def test_bom_card_metadata_still_read(tmp_path: Path) -> None:
    from auditor.collect.local import LocalSource

    (tmp_path / "README.md").write_bytes(CARDS["bom"][0])
    snap = LocalSource().snapshot(str(tmp_path))
    assert snap.metadata["license"] == "mit"


def test_duplicate_key_last_wins(tmp_path: Path) -> None:
    from auditor.collect.local import LocalSource

    (tmp_path / "README.md").write_bytes(CARDS["duplicate-keys"][0])
    snap = LocalSource().snapshot(str(tmp_path))
    assert snap.metadata["license"] == "apache-2.0"
    note = next(n for n in snap.notes if n.id == "card-metadata-duplicate-key")
    assert note.line == 3


def test_50mb_readme_recorded_not_read(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "big"
    folder.mkdir()
    with (folder / "README.md").open("wb") as fh:
        fh.write(b"---\nlicense: mit\n---\n")
        chunk = b"lorem ipsum dolor sit amet " * 40000
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(chunk)
    report = audit_folder(run_cli, folder)
    assert {"path": "README.md", "status": "too-large"} in report["subject"]["files_not_read"]
    assert "file-too-large" in finding_ids(report)


def test_binary_license_local(run_cli, tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("---\nlicense: mit\n---\n# m\n")
    (tmp_path / "LICENSE").write_bytes(bytes(range(256)) * 64)
    report = audit_folder(run_cli, tmp_path)
    assert {"path": "LICENSE", "status": "binary"} in report["subject"]["files_not_read"]
    assert "file-binary" in finding_ids(report)


# --- hostile Hub answers ---------------------------------------------------------------------------
def test_binary_license_from_hub(tmp_hub, tmp_path: Path) -> None:
    tmp_hub.add_repo("odd/binary", {"README.md": "---\nlicense: mit\n---\n# m\n",
                                    "LICENSE": b"\x00\x01\x02" * 1000})
    opts = CollectOptions(endpoint=tmp_hub.url, cache_dir=str(tmp_path / "c"))
    snap = HubSource(opts).snapshot("odd/binary")
    assert snap.texts["LICENSE"].status == "binary"


def test_hub_card_odd_yaml_is_finding(tmp_hub, tmp_hub_env, run_cli) -> None:
    tmp_hub.add_repo("odd/yaml", {"README.md": CARDS["alias-bomb"][0], "LICENSE": "short text\n"})
    code, out, err = run_cli("audit", "odd/yaml", "--format", "json", "--no-lineage")
    assert code == 0, err
    assert "card-metadata-invalid" in finding_ids(json.loads(out))


def test_traversal_sibling_never_written_outside_cache(tmp_hub, tmp_hub_env, run_cli, tmp_path: Path) -> None:
    evil = ["../LICENSE", "../../escaped-LICENSE", "sub/../../LICENSE-up", "/abs/LICENSE"]
    tmp_hub.add_repo("odd/escape", {"README.md": "---\nlicense: mit\n---\n# m\n", "LICENSE": "fine\n"},
                     meta={"extra_files": [{"path": p, "content": "ESCAPED"} for p in evil]})
    cache = Path(tmp_hub_env["HF_HUB_CACHE"])
    code, out, err = run_cli("audit", "odd/escape", "--format", "json", "--no-lineage")
    assert code == 0, err
    report = json.loads(out)
    assert "unsafe-file-name" in finding_ids(report)
    hub_root = tmp_hub.root
    for path in tmp_path.rglob("*"):
        if path.is_file() and not path.is_relative_to(hub_root):
            assert path.is_relative_to(cache) or path.is_relative_to(Path(tmp_hub_env["HF_HOME"])), path
            assert path.read_bytes() != b"ESCAPED", path
    assert not any(".." in r.path or "/abs/" in r.path for r in tmp_hub.log)
    assert not (tmp_path.parent / "escaped-LICENSE").exists()


# --- hostile local folders -------------------------------------------------------------------------
def test_license_symlink_outside_folder_not_read(run_cli, tmp_path: Path) -> None:
    secret = tmp_path / "private.txt"
    secret.write_text("PRIVATE-KEY-MATERIAL\n")
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "README.md").write_text("---\nlicense: mit\n---\n# m\n")
    (folder / "LICENSE").symlink_to(secret)
    code, out, err = run_cli("audit", str(folder), "--format", "json", "--no-lineage", "-v")
    assert code == 0, err
    assert "PRIVATE-KEY-MATERIAL" not in out + err
    report = json.loads(out)
    assert {"path": "LICENSE", "status": "error"} in report["subject"]["files_not_read"]


def test_license_fifo_does_not_block(tmp_path: Path) -> None:
    import os

    from auditor.collect.local import LocalSource

    (tmp_path / "README.md").write_text("---\nlicense: mit\n---\n# m\n")
    os.mkfifo(tmp_path / "LICENSE")
    snap = LocalSource().snapshot(str(tmp_path))
    assert snap.texts["LICENSE"].status == "error"
    assert "not a regular file" in snap.texts["LICENSE"].note


def test_symlink_inside_folder_is_read(tmp_path: Path) -> None:
    from auditor.collect.local import LocalSource

    (tmp_path / "README.md").write_text("---\nlicense: mit\n---\n# m\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "terms.txt").write_text("terms written for a test\n")
    (tmp_path / "LICENSE").symlink_to(tmp_path / "docs" / "terms.txt")
    assert LocalSource().snapshot(str(tmp_path)).texts["LICENSE"].status == "ok"


def test_cache_snapshot_folder_audits_as_local(hub, tmp_path: Path) -> None:
    """A snapshot folder of the HF cache links into ../../blobs; auditing it as a folder still reads it."""
    from auditor.collect.cache import repo_folder
    from auditor.collect.local import LocalSource

    opts = CollectOptions(endpoint=hub.url, cache_dir=str(tmp_path))
    online = HubSource(opts).snapshot("breeze-ai/breeze-7b")
    folder = repo_folder(tmp_path, "breeze-ai/breeze-7b") / "snapshots" / str(online.revision)
    assert (folder / "LICENSE").is_symlink()
    snap = LocalSource().snapshot(str(folder))
    assert snap.texts["LICENSE"].status == "ok" and snap.texts["README.md"].status == "ok"
