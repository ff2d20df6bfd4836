"""Entry script of the GitHub Action (``python -m auditor.action``).

Inputs come from ``INPUT_*`` environment variables (set by action.yml, never interpolated into shell):
MODELS (ids separated by spaces, commas or newlines, or the path of a file with one id per line), PATH
(local model folders, same separators), POLICY, FAIL_UNDER, WARN_ONLY, FORMAT, OUTPUT, SARIF, SUMMARY,
OFFLINE. It audits every target once, then writes: the report (FORMAT) to OUTPUT, SARIF to SARIF, the
Markdown summary to ``$GITHUB_STEP_SUMMARY``, up to 10 annotations per kind on stdout, and the outputs
``grade``, ``verdicts`` (JSON) and ``report`` to ``$GITHUB_OUTPUT``. Exit codes are the CLI's.
"""

from __future__ import annotations

import json
import os
import re
import sys
import uuid
from collections.abc import Mapping
from pathlib import Path

from auditor.errors import EXIT_POLICY, AuditorError, InputError
from auditor.report.model import Evidence, Report

MAX_ANNOTATIONS = 10  # GitHub shows at most 10 of each kind per step
EXTENSIONS = {
    "text": "txt",
    "json": "json",
    "markdown": "md",
    "sarif": "sarif",
    "spdx": "spdx.json",
    "spdx3": "spdx3.jsonld",
    "cyclonedx": "cdx.json",
}


def env(name: str, environ: Mapping[str, str]) -> str:
    return environ.get(f"INPUT_{name}", "").strip()


def flag(name: str, environ: Mapping[str, str], default: bool = False) -> bool:
    value = env(name, environ).lower()
    if not value:
        return default
    if value in ("true", "yes", "1", "on"):
        return True
    if value in ("false", "no", "0", "off"):
        return False
    raise InputError(f"input {name.lower().replace('_', '-')}: expected true or false, got {value!r}")


def split(value: str) -> list[str]:
    return [x for x in re.split(r"[\s,]+", value) if x]


def targets(environ: Mapping[str, str]) -> list[str]:
    from auditor.cli import read_target_file

    items: list[str] = []
    models = env("MODELS", environ)
    if models:
        one = models.strip()
        if "\n" not in one and Path(one).is_file():
            items.extend(read_target_file(one))
        else:
            items.extend(split(models))
    for folder in split(env("PATH", environ)):
        items.append(folder if folder.startswith((".", "/", "~")) or Path(folder).is_dir() else f"./{folder}")
    if not items:
        raise InputError("no target: set the action's `models` or `path` input")
    return items


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_prop(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(
    kind: str, message: str, file: str | None = None, line: int | None = None, title: str | None = None
) -> str:
    props = []
    if file:
        props.append(f"file={escape_prop(file)}")
        if line:
            props.append(f"line={line}")
    if title:
        props.append(f"title={escape_prop(title)}")
    head = f"::{kind} {','.join(props)}" if props else f"::{kind}"
    return f"{head}::{escape_data(message)}"


def first_file(report: Report, evidence: list[Evidence]) -> tuple[str | None, int | None]:
    """The first evidence that is a file of the audited repo (not an ancestor's)."""
    from auditor.formats.common import evidence_file

    for ev in evidence:
        path, line = evidence_file(report, ev)
        if path:
            return path, line
    return None, None


def annotation_lines(reports: list[Report]) -> list[str]:
    """Policy violations as errors, restrictions and conflicts as warnings, failed checks as notices."""
    from auditor.formats.common import clause_place, licence_line, own_file, repo_path
    from auditor.policy import suppressed_ids

    found: dict[str, list[str]] = {"error": [], "warning": [], "notice": []}
    for r in reports:
        sid = r.subject.id
        lic_path, lic_line = licence_line(r)
        for v in (r.policy or {}).get("violations", []):
            path, line = v.get("path"), v.get("line")
            if not path:
                path, line = lic_path, lic_line
            found["error"].append(
                annotation(
                    "error",
                    f"{sid}: {v['message']}",
                    repo_path(r, path),
                    line,
                    f"auditor policy: {v['rule']}",
                )
            )
        hidden = suppressed_ids(r, "restriction")
        for x in r.restrictions:
            if x.type in hidden or (x.rule and x.rule in hidden):
                continue
            path, line = own_file(x)  # an inherited clause is in the ancestor's file: annotate the card
            if path is None:
                path, line = lic_path, lic_line
            text = f'{sid}: {x.type} at {clause_place(x)}: "{x.excerpt}"'
            found["warning"].append(
                annotation("warning", text, repo_path(r, path), line, f"licence restriction: {x.type}")
            )
        for k in r.conflicts:
            path, line = first_file(r, k.evidence)
            found["warning"].append(
                annotation("warning", f"{sid}: {k.message}", repo_path(r, path), line, f"conflict: {k.type}")
            )
        for fw in r.frameworks:
            for c in fw.checks:
                if c.outcome == "fail":
                    path, line = first_file(r, c.evidence)
                    text = f"{sid}: {fw.id} {c.id}: {c.reason}"
                    found["notice"].append(
                        annotation("notice", text, repo_path(r, path), line, f"{fw.id}: {c.id}")
                    )
    return [a for kind in ("error", "warning", "notice") for a in found[kind][:MAX_ANNOTATIONS]]


def write_outputs(path: str | None, values: Mapping[str, str]) -> None:
    """Append name=value pairs to $GITHUB_OUTPUT with a random delimiter (safe for multi-line values)."""
    if not path:
        return
    with open(path, "a", encoding="utf-8") as fh:
        for name, value in values.items():
            delim = f"ghadelimiter_{uuid.uuid4().hex}"
            while delim in value:
                delim = f"ghadelimiter_{uuid.uuid4().hex}"
            fh.write(f"{name}<<{delim}\n{value}\n{delim}\n")


def verdicts(reports: list[Report]) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for r in reports:
        entry: dict[str, object] = {f.id: f.verdict for f in r.frameworks}
        entry["grade"] = r.grade.letter if r.grade else None
        if r.policy is not None:
            entry["policy"] = "pass" if r.policy["passed"] else "fail"
        out[r.subject.id] = entry
    return out


def run(environ: Mapping[str, str]) -> int:
    from auditor import policy as gate
    from auditor.cli import fail
    from auditor.collect import CollectOptions
    from auditor.formats import FORMATS, RenderOptions, render
    from auditor.formats.common import worst_grade
    from auditor.pipeline import AuditOptions, audit
    from auditor.rules import RuleSet

    fmt = env("FORMAT", environ) or "json"
    if fmt not in FORMATS:
        raise InputError(f"input format: unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    warn_only = flag("WARN_ONLY", environ)
    policy = gate.resolve_policy(env("POLICY", environ) or None, env("FAIL_UNDER", environ) or None)
    items = targets(environ)
    options = AuditOptions(
        collect=CollectOptions(
            offline=flag("OFFLINE", environ),
            endpoint=environ.get("HF_ENDPOINT") or None,
            token=environ.get("HF_TOKEN") or None,
        )
    )
    rules = RuleSet()
    reports: list[Report] = []
    worst = 0
    for item in items:
        try:
            reports.append(audit(item, options, rules))
        except AuditorError as exc:
            fail(exc)
            worst = max(worst, exc.exit_code)
    passed = gate.apply(reports, policy, rules, warn_only=warn_only)
    opts = RenderOptions(single=len(items) == 1)
    runner_temp = environ.get("RUNNER_TEMP") or "."
    output = env("OUTPUT", environ) or str(Path(runner_temp) / f"auditor-report.{EXTENSIONS[fmt]}")
    if reports:
        text = render(fmt, reports, opts)
        Path(output).write_text(text, encoding="utf-8")
        if fmt == "text":
            sys.stdout.write(text)
        else:
            sys.stdout.write(render("text", reports, opts))
        sarif = env("SARIF", environ)
        if sarif:
            Path(sarif).write_text(render("sarif", reports, opts), encoding="utf-8")
        summary = environ.get("GITHUB_STEP_SUMMARY")
        if summary and flag("SUMMARY", environ, default=True):
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(render("markdown", reports, opts))
        for line in annotation_lines(reports):
            print(line)
    write_outputs(
        environ.get("GITHUB_OUTPUT"),
        {
            "grade": worst_grade(reports) or "",
            "verdicts": json.dumps(verdicts(reports), sort_keys=True),
            "report": output if reports else "",
        },
    )
    sys.stdout.flush()
    if worst:
        return worst
    return EXIT_POLICY if not passed and not warn_only else 0


def main() -> None:
    from auditor.cli import fail

    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        code = run(os.environ)
    except AuditorError as exc:
        fail(exc)
        code = exc.exit_code
    except OSError as exc:
        print(f"auditor: error: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        code = 2
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, no traceback
        from auditor.cli import redact

        print(f"auditor: internal error: {redact(type(exc).__name__ + ': ' + str(exc))}", file=sys.stderr)
        code = 4
    sys.exit(code)


if __name__ == "__main__":
    main()
