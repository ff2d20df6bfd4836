"""Markdown: verdict line, table, <details> evidence; safe text; under GitHub's 1 MiB summary limit."""

from __future__ import annotations

from dataclasses import replace

from e2e_reports import fixture_report
from sample_reports import open_model, relabelled

from auditor.formats import RenderOptions, render
from auditor.formats.markdown import LIMIT
from auditor.policy import Policy, evaluate
from auditor.report.model import Restriction


def md(reports: list, **kw: object) -> str:  # type: ignore[type-arg]
    return render("markdown", reports, RenderOptions(**kw))  # type: ignore[arg-type]


def test_layout_without_policy() -> None:
    out = md([relabelled(), open_model()])
    lines = out.splitlines()
    assert lines[0].startswith("## auditor: 2 models audited")
    assert "| Model | Grade | Licence | Frameworks | Restrictions | Policy |" in lines
    row = next(x for x in lines if x.startswith("| `relabel/llama-3.1-8b-chat-mit`"))
    assert "**D** (38)" in row and "`llama3.1`" in row and "osaid-1.0: ❌ fail" in row
    assert "2 (naming, scale-cap)" in row
    assert out.count("<details>") == 2 and out.count("</details>") == 2
    assert "`LICENSE:14`" in out and "more than 700 million monthly active users" in out
    assert "`meta-demo/llama-3.1-8b`" in out  # lineage


def test_policy_verdict_and_rules_named() -> None:
    bad, good = relabelled(), open_model()
    policy = Policy(deny_restrictions=("scale-cap",), require={"osaid-1.0": "pass"})
    evaluate(bad, policy)
    evaluate(good, policy)
    out = md([bad, good])
    assert out.startswith("## ❌ auditor: 1 of 2 models fails the policy")
    assert (
        "**deny-restrictions**: scale-cap restriction" in out
        and "**require**: osaid-1.0 verdict is fail" in out
    )
    assert "❌ 2 violations" in out and "✅ pass" in out
    assert md([good]).startswith("## ✅ auditor: the model passes the policy")


def test_text_from_licences_cannot_break_the_markup() -> None:
    r = relabelled()
    r.restrictions[0].excerpt = "a | b <script>alert(1)</script> `x`\nnext"
    out = md([r])
    assert "<script>" not in out and "&lt;script&gt;" in out
    row = next(x for x in out.splitlines() if x.startswith("| scale-cap"))
    assert row.count(" | ") == 2 and "a \\| b" in row


def test_huge_report_is_truncated_under_the_limit() -> None:
    r = relabelled()
    clause = Restriction(
        type="field-of-use", license="custom", path="LICENSE", line=1, source="text", excerpt="x" * 190
    )
    r.restrictions = [replace(clause, line=i) for i in range(1, 8001)]
    out = md([r])
    size = len(out.encode("utf-8"))
    assert size <= LIMIT
    assert size > LIMIT - 100_000  # it used the room it had
    assert "**Truncated**" in out and "_(evidence cut here)_" in out
    assert out.count("<details>") == out.count("</details>") == 1


def test_many_models_drop_rows_with_a_note() -> None:
    reports = []
    for i in range(6000):
        r = open_model()
        r.subject.id = f"org/model-{i:05d}-" + "n" * 60
        reports.append(r)
    out = md(reports)
    assert len(out.encode("utf-8")) <= LIMIT
    note = out.strip().splitlines()[-1]
    assert note.startswith("> **Truncated**") and "table row(s)" in note
    assert "org/model-00000-" in out


def test_fixture_end_to_end() -> None:
    out = md([fixture_report("relabel/llama-3.1-8b-chat-mit"), fixture_report("open-lab/open-lm-1b")])
    assert out.count("<details>") == 2
    assert "llama-3.1-8b-chat-mit" in out and "open-lm-1b" in out
    # clauses (and check evidence) from the base model's files are cited with that repo's name
    assert "`meta-demo/llama-3.1-8b LICENSE:" in out
