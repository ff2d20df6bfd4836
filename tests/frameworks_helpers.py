"""Build Snapshots and Facts directly (no collection, licence or restriction stage) for framework tests."""

from __future__ import annotations

from typing import Any

from auditor.collect.snapshot_builder import build_snapshot
from auditor.facts import Facts, LicenseOutcome, LineageOutcome, RestrictionOutcome
from auditor.report.model import LicenseInfo, LicenseSource, Restriction
from auditor.snapshot import READ_OK, RepoFile, Snapshot, TextFile

OPEN_CARD = """---
license: apache-2.0
datasets:
  - lab/corpus
library_name: transformers
model-index:
  - name: m
    results:
      - task: {type: text-generation}
        dataset: {type: hellaswag, name: HellaSwag}
        metrics: [{type: acc, value: 50.1}]
---

# m

A 1B-parameter model trained from scratch; everything needed to rebuild it is public.

- Paper: https://arxiv.org/abs/2401.00001
- Training code: https://github.com/lab/train (Apache-2.0)
- Data processing and filters: https://github.com/lab/data-tools (Apache-2.0)
- Evaluation code: https://github.com/lab/eval (MIT)

## Training data

The model was trained on lab/corpus, a mixture of filtered web pages, public-domain books and permissively
licensed code. The data card at https://huggingface.co/datasets/lab/corpus lists every source, its licence and
the filtering steps applied to it, so the shards can be regenerated exactly.

## Training procedure

Trained for 100,000 steps with AdamW. Intermediate checkpoints are kept as branches named `step<N>`.

## Evaluation

| Benchmark | Score |
|---|---|
| HellaSwag | 50.1 |

## Limitations

A base model; it can produce false or offensive text and is not meant for decisions about people.
"""

CLOSED_CARD = """---
license: custom-terms
library_name: transformers
---

# m

An 8B-parameter model released by the lab under its own community terms for commercial and research use.

## Training data

Pretrained on about 15 trillion tokens from publicly available sources. The sources are not disclosed.

## Training procedure

Trained on the lab's own clusters with an internal library that is not released.

## Limitations

The model may produce inaccurate answers; run your own safety testing before deployment.
"""

WEIGHTS = ["config.json", "model.safetensors"]


def snapshot(
    card: str,
    files: list[str] | None = None,
    gated: bool | str | None = False,
    texts: dict[str, TextFile] | None = None,
    config: dict[str, Any] | None = None,
    tags: tuple[str, ...] = (),
) -> Snapshot:
    paths = ["README.md", *(files if files is not None else WEIGHTS)]
    all_texts = {"README.md": TextFile("README.md", READ_OK, card, len(card))}
    all_texts.update(texts or {})
    return build_snapshot(
        repo_id="lab/m",
        source="hub",
        revision="0" * 40,
        files=[RepoFile(p, 10) for p in paths],
        texts=all_texts,
        gated=gated,
        tags=tags,
        config=config
        if config is not None
        else ({"model_type": "llama"} if "config.json" in paths else None),
    )


def licence(
    lid: str | None,
    osi: bool | None = None,
    category: str | None = None,
    spdx: str | None = None,
    line: int = 2,
) -> LicenseInfo:
    return LicenseInfo(
        id=lid,
        spdx=spdx,
        osi_approved=osi,
        category=category,
        sources=[
            LicenseSource(
                kind="metadata", path="README.md", line=line, confidence=0.9, excerpt=f"license: {lid}"
            )
        ],
    )


def restriction(
    rtype: str,
    osd: list[int],
    excerpt: str,
    path: str = "LICENSE",
    line: int = 10,
    lic: str = "custom-terms",
    inherited_from: str | None = None,
) -> Restriction:
    return Restriction(
        type=rtype,
        license=lic,
        path=path,
        line=line,
        excerpt=excerpt,
        source="text",
        osd=osd,
        inherited_from=inherited_from,
    )


def facts(
    snap: Snapshot,
    lic: LicenseInfo | None,
    restrictions: list[Restriction] | None = None,
    binding: LicenseInfo | None = None,
    inherited: list[Restriction] | None = None,
) -> Facts:
    return Facts(
        snapshot=snap,
        licenses=LicenseOutcome(license=lic, licenses=[lic] if lic else []),
        restrictions=RestrictionOutcome(restrictions=list(restrictions or [])),
        lineage=LineageOutcome(inherited=list(inherited or []), binding_license=binding),
    )


LLAMA_LIKE = [
    restriction("scale-cap", [5, 7], "more than 700 million monthly active users", line=40),
    restriction(
        "field-of-use",
        [6],
        "Military, warfare, nuclear industries or applications",
        path="USE_POLICY.md",
        line=12,
    ),
    restriction("naming", [], "Built with the model", line=20),
    restriction("naming", [4], 'include "Model" at the beginning of any such model name', line=21),
]
