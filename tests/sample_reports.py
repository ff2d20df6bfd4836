"""Report objects built by hand for the export-format and policy tests (realistic, not from the pipeline)."""

from __future__ import annotations

from auditor.report.model import (
    Ancestor,
    Check,
    Conflict,
    Evidence,
    Finding,
    FrameworkResult,
    Grade,
    LicenseInfo,
    LicenseSource,
    Report,
    Restriction,
    Subject,
    Tool,
)

LLAMA = "meta-demo/llama-3.1-8b"


def llama_licence(kind: str = "base-model", path: str | None = None, line: int | None = None) -> LicenseInfo:
    return LicenseInfo(
        id="llama3.1",
        spdx=None,
        name="Llama 3.1 Community License",
        osi_approved=False,
        category="restricted-open-weights",
        url="https://example.org/llama-3.1/license",
        sources=[LicenseSource(kind=kind, path=path, line=line, confidence=0.9, excerpt="license: llama3.1")],
    )


def relabelled(source: str = "hub", folder: str = "relabel/llama-3.1-8b-chat-mit") -> Report:
    """A Llama 3.1 fine-tune whose card says MIT: the case the README walkthrough shows."""
    mit = LicenseInfo(
        id="mit",
        spdx="MIT",
        name="MIT License",
        osi_approved=True,
        category="permissive",
        sources=[
            LicenseSource(kind="metadata", path="README.md", line=2, confidence=0.6, excerpt="license: mit")
        ],
    )
    concluded = llama_licence()
    return Report(
        tool=Tool(name="auditor", version="0.1.0", rules_version="1"),
        subject=Subject(
            id=folder,
            revision=None if source == "local" else "0123456789abcdef" * 2 + "01234567",
            source=source,
            gated=False,
            datasets=["open-lab/open-corpus"],
        ),
        license=concluded,
        licenses=[mit, concluded],
        restrictions=[
            Restriction(
                type="scale-cap",
                license="llama3.1",
                path="LICENSE",
                line=14,
                excerpt="more than 700 million monthly active users",
                source="text",
                rule="scale-cap-mau",
                section="2",
                osd=[5, 6],
            ),
            Restriction(
                type="naming",
                license="llama3.1",
                path=None,
                line=None,
                excerpt="include the base model's name in the model name",
                source="knowledge-base",
                rule=None,
                inherited_from=LLAMA,
            ),
        ],
        frameworks=[
            FrameworkResult(
                id="osaid-1.0",
                verdict="fail",
                title="OSI Open Source AI Definition 1.0",
                summary="the licence restricts use",
                checks=[
                    Check(
                        id="osaid-license-osi",
                        outcome="fail",
                        reason="llama3.1 is not OSI-approved",
                        title="Weights under an OSI-approved licence",
                        evidence=[Evidence(path="README.md", line=2, excerpt="license: mit")],
                        remediation="release the weights under an OSI-approved licence",
                    ),
                    Check(
                        id="osaid-data-information",
                        outcome="unknown",
                        reason="the card does not describe the training data",
                    ),
                    Check(id="osaid-code", outcome="pass", reason="training code linked"),
                ],
            ),
            FrameworkResult(id="mof-1.0", verdict="class-3", title="Model Openness Framework 1.0", checks=[]),
        ],
        conflicts=[
            Conflict(
                type="relicensed",
                severity="high",
                message=f"declared licence mit differs from llama3.1, the licence of {LLAMA}",
                evidence=[Evidence(path="README.md", line=2, excerpt="license: mit")],
            )
        ],
        grade=Grade(
            letter="D",
            score=38,
            summary="open weights under a restrictive licence",
            blockers=["the Llama 3.1 licence caps use at 700M monthly users"],
        ),
        findings=[
            Finding(
                id="license-relabelled",
                severity="high",
                message="MIT label over Llama terms",
                evidence=[Evidence(path="README.md", line=2, excerpt="license: mit")],
                remediation="declare license: llama3.1",
            ),
            Finding(id="card-datasets-missing", severity="low", message="no dataset card"),
        ],
        lineage=[
            Ancestor(id=LLAMA, relation="finetune", depth=1, status="resolved", license=llama_licence())
        ],
        generated_at="2026-11-29T02:00:00+00:00",
    )


def open_model(licence: str = "Apache-2.0", hub_id: str = "apache-2.0") -> Report:
    lic = LicenseInfo(
        id=hub_id,
        spdx=licence,
        name="Apache License 2.0",
        osi_approved=True,
        category="permissive",
        sources=[
            LicenseSource(
                kind="metadata", path="README.md", line=3, confidence=0.95, excerpt=f"license: {hub_id}"
            )
        ],
    )
    return Report(
        tool=Tool(name="auditor", version="0.1.0", rules_version="1"),
        subject=Subject(
            id="open-lab/open-lm-1b",
            revision="f" * 40,
            source="hub",
            gated=False,
            datasets=["open-lab/open-corpus"],
        ),
        license=lic,
        licenses=[lic],
        frameworks=[
            FrameworkResult(id="osaid-1.0", verdict="pass", checks=[]),
            FrameworkResult(id="mof-1.0", verdict="class-1", checks=[]),
        ],
        grade=Grade(letter="A", score=95, summary="fully open"),
        generated_at="2026-11-29T02:00:00+00:00",
    )
