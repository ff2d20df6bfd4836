"""Shared collection helpers: which files count as licences, safe paths, decoding and the size cap."""

from __future__ import annotations

import pytest

from auditor.collect.base import decode_text, is_license_file, license_files, read_bytes_as_text, safe_relpath
from auditor.snapshot import MAX_TEXT_BYTES


@pytest.mark.parametrize("path, expected", [
    ("LICENSE", True), ("LICENCE.md", True), ("license.txt", True), ("COPYING", True), ("NOTICE", True),
    ("USE_POLICY.md", True), ("Acceptable_Use_Policy.md", True), ("sub/LICENSE-MIT", True),
    ("LICENSE.pdf", False), ("license.safetensors", False), ("README.md", False), ("licenses/", False),
])
def test_is_license_file(path: str, expected: bool) -> None:
    assert is_license_file(path) is expected


@pytest.mark.parametrize("path, expected", [
    ("LICENSE", "LICENSE"), ("a/b/LICENSE", "a/b/LICENSE"), ("./LICENSE", "LICENSE"),
    ("a/../LICENSE", "LICENSE"),
    ("../LICENSE", None), ("a/../../x", None), ("/etc/passwd", None), ("..", None), (".", None), ("", None),
    ("a\\..\\x", None), ("a\x00b", None),
])
def test_safe_relpath(path: str, expected: str | None) -> None:
    assert safe_relpath(path) == expected


def test_license_files_order_cap_and_safety() -> None:
    paths = ["z/LICENSE", "LICENSE", "../LICENSE", "NOTICE", "README.md", "a/../LICENSE-x"]
    paths += [f"vendor/{i}/LICENSE" for i in range(40)]
    found = license_files(paths)
    assert found[:2] == ["LICENSE", "NOTICE"]  # top level first
    assert "../LICENSE" not in found and "a/../LICENSE-x" not in found  # only already-normal names
    assert len(found) == 20


def test_decode_utf16_and_latin1() -> None:
    text, notes = decode_text("licence é\r\n".encode("utf-16"), "LICENSE")
    assert text == "licence é\n" and notes[0].id == "file-encoding"
    text, notes = decode_text("café".encode("latin-1"), "LICENSE")
    assert text == "café" and notes[0].severity == "low"


def test_cap_and_binary() -> None:
    big, notes = read_bytes_as_text(b"x" * (MAX_TEXT_BYTES + 1), "README.md", 50 * 1024 * 1024)
    assert big.status == "too-large" and big.size == 50 * 1024 * 1024 and big.text is None
    binary, notes = read_bytes_as_text(b"\x00\x01" * 100, "LICENSE")
    assert binary.status == "binary" and notes[0].id == "file-binary"
    ok, _ = read_bytes_as_text(b"plain text\n", "LICENSE")
    assert ok.readable and ok.text == "plain text\n"
