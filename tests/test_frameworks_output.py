"""The memo (text format), the MOT export and the evidence rules, on Facts built directly."""

from __future__ import annotations

import yaml
from frameworks_helpers import CLOSED_CARD, LLAMA_LIKE, OPEN_CARD, facts, licence, snapshot

from auditor.formats import RenderOptions, render
from auditor.frameworks import evaluate
from auditor.pipeline import build_report
from auditor.report.model import Report
from auditor.rules import RuleSet

RULES = RuleSet()
APACHE = licence("apache-2.0", True, "permissive", "Apache-2.0")
CUSTOM = licence("custom-terms", False, "restricted-open-weights")


def open_report() -> Report:
    return build_report(facts(snapshot(OPEN_CARD), APACHE), RULES, timestamp=False)


def closed_report() -> Report:
    return build_report(facts(snapshot(CLOSED_CARD), CUSTOM, LLAMA_LIKE), RULES, timestamp=False)


def test_memo_puts_the_verdict_first_then_reasons_then_changes() -> None:
    text = render("text", [closed_report()], RenderOptions())
    lines = text.splitlines()
    assert lines[0].startswith("lab/m@")
    assert lines[1].startswith("Verdict: grade D")
    why, change = lines.index("Why:"), lines.index("What would change the verdict:")
    assert 1 < why < change
    body = "\n".join(lines[why:change])
    assert 'LICENSE:40 "more than 700 million monthly active users"' in body
    assert "breaks OSD 5, 7" in body and "breaks OSD 6" in body
    assert 'USE_POLICY.md:12 "Military' in body
    assert "Built with the model" in body
    assert "general terms" in body and 'README.md:12 "Pretrained on about 15 trillion tokens' in body
    assert "C: drop user caps" in "\n".join(lines[change:])


def test_quiet_and_verbose() -> None:
    quiet = render("text", [open_report(), closed_report()], RenderOptions(quiet=True)).splitlines()
    assert len(quiet) == 2
    assert quiet[0].startswith("lab/m  grade A") and "mof-1.0 class-1" in quiet[0]
    verbose = render("text", [open_report()], RenderOptions(verbose=1))
    assert "OSD 10 licence must be technology-neutral" in verbose  # every check with -v
    plain = render("text", [open_report()], RenderOptions())
    assert "OSD 10 licence must be technology-neutral" not in plain


def test_mot_export_lists_found_components_with_evidence() -> None:
    text = render("mot", [open_report()], RenderOptions())
    assert text.startswith("# Draft Model Openness Tool description of lab/m")
    data = yaml.safe_load(text)
    assert data["framework"]["name"] == "Model Openness Framework"
    rel = data["release"]
    assert rel["huggingface"] == "https://huggingface.co/lab/m"
    assert rel["license"]["distribution"]["name"] == "Apache-2.0"
    comps = {c["name"]: c for c in rel["components"]}
    assert comps["Training code"]["license"] == "Apache-2.0"
    assert comps["Training code"]["component_path"] == "https://github.com/lab/train"
    assert "README.md:" in comps["Training code"]["description"]
    assert "Sample model outputs" not in comps


def test_code_links_are_classified_by_their_own_line_first() -> None:
    card = CLOSED_CARD.replace("## Limitations", "## Training procedure notes\n\n"
                               "- Evaluation code: https://github.com/lab/eval\n\n## Limitations")
    comps = {c.id: c for c in evaluate(facts(snapshot(card), CUSTOM), RULES).components}
    assert comps["evaluation-code"].status == "present"
    assert comps["training-code"].status == "absent"


def test_hub_dataset_links_and_library_imports_count_as_evidence() -> None:
    card = CLOSED_CARD.replace("library_name: transformers\n", "").replace(
        "## Limitations",
        "Data: https://huggingface.co/datasets/lab/web-mix (CC-BY-4.0)\n\n```python\n"
        "from transformers import LlamaForCausalLM\n```\n\n## Limitations")
    comps = {c.id: c for c in evaluate(facts(snapshot(card, files=["model.safetensors"]), CUSTOM),
                                       RULES).components}
    assert comps["datasets"].status == "present" and comps["datasets"].license == "CC-BY-4.0"
    assert comps["inference-code"].status == "present" and comps["inference-code"].license == "Apache-2.0"
    assert comps["model-architecture"].status == "present"  # a named model class, no config.json
