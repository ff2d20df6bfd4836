"""Command line: parse, call the pipeline, pick a renderer, map errors to exit codes.

Heavy modules (huggingface_hub, jsonschema, spdx-tools) are imported inside the commands only.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from auditor import __version__
from auditor.errors import EXIT_HUB, EXIT_POLICY, EXIT_USAGE, AuditorError, InputError

F = TypeVar("F", bound=Callable[..., Any])
FORMAT_CHOICES = ["text", "json", "markdown", "sarif", "spdx", "spdx3", "cyclonedx", "mot"]


class State:
    """Settings shared by every command of one invocation."""

    verbose = 0
    token: str | None = None


STATE = State()


def redact(message: str) -> str:
    token = STATE.token or os.environ.get("HF_TOKEN")
    if token and len(token) >= 4:
        message = message.replace(token, "***")
    return message


def fail(exc: AuditorError) -> None:
    """Print one line (and detail with -v); never a traceback."""
    click.echo(f"auditor: error: {redact(exc.message)}", err=True)
    if STATE.verbose and exc.detail:
        click.echo(redact(exc.detail), err=True)


@contextmanager
def errors_to_exit() -> Iterator[None]:
    try:
        yield
    except AuditorError as exc:
        fail(exc)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("auditor: interrupted", err=True)
        sys.exit(130)


def use_color(choice: str, output: str | None) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR") or output:
        return False
    return sys.stdout.isatty()


def write_output(text: str, output: str | None) -> None:
    if not output or output == "-":
        click.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {output}: {exc.strerror or exc}") from exc


def read_target_file(path: str) -> list[str]:
    """Model ids from a seeds file: one per line, '#' comments and blank lines ignored."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise InputError(f"--from-file {path}: cannot read ({reason})") from exc
    out = []
    for line in text.splitlines():
        item = line.split("#", 1)[0].strip()
        if item:
            out.append(item)
    if not out:
        raise InputError(f"--from-file {path}: no model ids in the file")
    return out


def hub_env_defaults() -> None:
    """huggingface_hub reads these once, at import: no telemetry request, no progress bars."""
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


def audit_all(items: list[str], revision: str | None, offline: bool, endpoint: str | None, token: str | None,
              timeout: float, lineage: bool, rules: Any) -> tuple[list[Any], int]:
    """Audit every target; with several, a failing one prints its error line and the rest go on."""
    from auditor.collect import CollectOptions
    from auditor.pipeline import AuditOptions
    from auditor.pipeline import audit as run_audit

    options = AuditOptions(
        collect=CollectOptions(offline=offline, endpoint=endpoint, token=token, timeout=timeout),
        revision=revision, lineage=lineage,
    )
    reports, worst = [], 0
    for item in items:
        try:
            reports.append(run_audit(item, options, rules))
        except AuditorError as exc:
            if len(items) == 1:
                raise
            fail(exc)
            worst = max(worst, exc.exit_code)
    return reports, worst


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="auditor", message="%(prog)s %(version)s")
def cli() -> None:
    """Audit how open an AI model on the Hugging Face Hub really is."""


@cli.command()
@click.argument("targets", nargs=-1)
@click.option("--revision", help="Revision (branch, tag or commit) for Hub ids; same as org/name@rev.")
@click.option("--offline", is_flag=True, envvar="HF_HUB_OFFLINE",
              help="Read from the local Hugging Face cache only (also HF_HUB_OFFLINE=1).")
@click.option("--endpoint", envvar="HF_ENDPOINT", help="Hub endpoint URL (also HF_ENDPOINT).")
@click.option("--token", envvar="HF_TOKEN", help="Hub token for gated or private repos (also HF_TOKEN).")
@click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="text", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to a file.")
@click.option("--from-file", "from_file", type=click.Path(dir_okay=False),
              help="Read model ids from a file, one per line ('#' comments allowed).")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(),
              help="Extra rules folder (licenses/, restrictions/, frameworks/); repeatable.")
@click.option("--no-lineage", is_flag=True, help="Do not follow base_model ancestors.")
@click.option("--timeout", type=click.FloatRange(0.1, 600), default=10.0, show_default=True,
              help="Network timeout in seconds.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the grade line per model (text).")
@click.option("-v", "--verbose", count=True, help="Show every check and finding; detail on errors.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour in text output (NO_COLOR is honoured).")
@click.option("--policy", "policy_file", type=click.Path(dir_okay=False),
              help="Policy file (.auditor.yml or pyproject.toml [tool.auditor]); default: found in the "
                   "current folder. Exit 1 when it fails.")
@click.option("--no-policy", is_flag=True, help="Do not pick up a policy file from the current folder.")
@click.option("--fail-under", type=click.Choice(list("ABCDEF"), case_sensitive=False),
              help="Fail (exit 1) when a grade is below this one (overrides the policy's min-grade).")
@click.option("--warn-only", is_flag=True, help="Report policy violations but exit 0.")
def audit(targets: tuple[str, ...], revision: str | None, offline: bool, endpoint: str | None,
          token: str | None, fmt: str, output: str | None, from_file: str | None, rules_dirs: tuple[str, ...],
          no_lineage: bool, timeout: float, quiet: bool, verbose: int, color: str, policy_file: str | None,
          no_policy: bool, fail_under: str | None, warn_only: bool) -> None:
    """Audit TARGET...: a Hub id org/name[@revision] or a local model folder."""
    STATE.verbose, STATE.token = verbose, token
    hub_env_defaults()
    with errors_to_exit():
        from auditor.formats import RenderOptions, render
        from auditor.rules import RuleSet, check_user_dirs

        items = list(targets)
        if from_file:
            items.extend(read_target_file(from_file))
        if not items:
            raise InputError("no target: give a model id (org/name), a folder, or --from-file")
        check_user_dirs(rules_dirs)
        rules = RuleSet(tuple(rules_dirs))
        from auditor import policy as gate

        policy = gate.resolve_policy(policy_file, fail_under, auto=not no_policy)
        reports, worst = audit_all(items, revision, offline, endpoint, token, timeout, not no_lineage, rules)
        opts = RenderOptions(color=use_color(color, output), verbose=verbose, quiet=quiet,
                             single=len(items) == 1)
        passed = gate.apply(reports, policy, rules, warn_only=warn_only)
        if reports:
            write_output(render(fmt, reports, opts), output)
        if worst:
            sys.exit(worst)
        if not passed and not warn_only:
            sys.exit(EXIT_POLICY)


LICENSE_CATEGORIES = ["permissive", "copyleft", "open-data", "open-content", "restricted-open-weights",
                      "non-commercial", "proprietary", "public-domain", "unknown"]
MAX_IDENTIFY_BYTES = 16 * 1024 * 1024


def rules_option(func: F) -> F:
    return click.option("--rules", "rules_dirs", multiple=True, type=click.Path(),
                        help="Extra rules folder (licenses/, restrictions/, frameworks/); repeatable.")(func)


def load_kb(rules_dirs: tuple[str, ...]) -> Any:
    from auditor.licenses.knowledge import load_knowledge
    from auditor.rules import RuleSet, check_user_dirs

    check_user_dirs(rules_dirs)
    return load_knowledge(RuleSet(tuple(rules_dirs)))


def dump_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@cli.command("licenses")
@click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="text", show_default=True)
@click.option("--category", type=click.Choice(LICENSE_CATEGORIES), help="Only licences of this category.")
@rules_option
def licenses_cmd(fmt: str, category: str | None, rules_dirs: tuple[str, ...]) -> None:
    """List the licence knowledge base (id, name, category, OSI, SPDX)."""
    with errors_to_exit():
        from auditor.licenses.explain import list_rows, render_list

        rows = list_rows(load_kb(rules_dirs), category)
        if fmt == "json":
            dump_json(rows)
        else:
            click.echo(render_list(rows), nl=False)


@cli.command("explain")
@click.argument("license_id")
@click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="text", show_default=True)
@rules_option
def explain_cmd(license_id: str, fmt: str, rules_dirs: tuple[str, ...]) -> None:
    """Explain a licence: what it allows, its restrictions (section, OSD), neighbours, policies."""
    with errors_to_exit():
        from auditor.licenses.explain import explain_data, find_entry, render_explain

        kb = load_kb(rules_dirs)
        data = explain_data(kb, find_entry(kb, license_id))
        if fmt == "json":
            dump_json(data)
        else:
            click.echo(render_explain(data), nl=False)


@cli.command("identify")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="text", show_default=True)
@rules_option
def identify_cmd(paths: tuple[str, ...], fmt: str, rules_dirs: tuple[str, ...]) -> None:
    """Identify the licence in each text file PATH (exact, modified, AI licence or unknown)."""
    with errors_to_exit():
        from auditor.collect.base import decode_text
        from auditor.licenses.explain import render_identifications
        from auditor.licenses.identify import NOT_TEXT, Identification, identify

        kb = load_kb(rules_dirs)
        results = []
        for path in paths:
            try:
                with open(path, "rb") as fh:
                    data = fh.read(MAX_IDENTIFY_BYTES)
            except OSError as exc:
                raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
            text, _notes = decode_text(data, path)
            if text is None:
                results.append(Identification(path, None, None, 1.0, ("binary content",), status=NOT_TEXT))
            else:
                results.append(identify(text, kb, path))
        if fmt == "json":
            dump_json([r.to_json() for r in results])
        else:
            click.echo(render_identifications(results), nl=False)


@cli.command("mof")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@rules_option
def mof_cmd(path: str, fmt: str, rules_dirs: tuple[str, ...]) -> None:
    """Classify a Model Openness Tool YAML file (MOF class and progress per class)."""
    with errors_to_exit():
        from auditor.frameworks import mof
        from auditor.rules import RuleSet, check_user_dirs

        check_user_dirs(rules_dirs)
        spec = mof.spec_from_rules(RuleSet(tuple(rules_dirs)))
        model = mof.parse_mot(mof.load_mot_file(path), spec, path)
        data = mof.mof_json(mof.classify(model, spec), model, spec)
        if fmt == "json":
            dump_json(data)
        else:
            click.echo(mof.render_mof_text(data), nl=False)


@cli.command("compare")
@click.argument("targets", nargs=-1, required=True)
@click.option("--revision", help="Revision for Hub ids (applies to every target without @rev).")
@click.option("--offline", is_flag=True, envvar="HF_HUB_OFFLINE",
              help="Read from the local Hugging Face cache only.")
@click.option("--endpoint", envvar="HF_ENDPOINT", help="Hub endpoint URL (also HF_ENDPOINT).")
@click.option("--token", envvar="HF_TOKEN", help="Hub token for gated or private repos (also HF_TOKEN).")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the table to a file.")
@rules_option
@click.option("--no-lineage", is_flag=True, help="Do not follow base_model ancestors.")
@click.option("--timeout", type=click.FloatRange(0.1, 600), default=10.0, show_default=True,
              help="Network timeout in seconds.")
@click.option("-v", "--verbose", count=True, help="Detail on errors.")
def compare_cmd(targets: tuple[str, ...], revision: str | None, offline: bool, endpoint: str | None,
                token: str | None, fmt: str, output: str | None, rules_dirs: tuple[str, ...],
                no_lineage: bool, timeout: float, verbose: int) -> None:
    """Compare the verdicts of several models side by side (grade, licence, frameworks, restrictions)."""
    STATE.verbose, STATE.token = verbose, token
    hub_env_defaults()
    with errors_to_exit():
        from auditor.formats.compare import table
        from auditor.rules import RuleSet, check_user_dirs

        check_user_dirs(rules_dirs)
        rules = RuleSet(tuple(rules_dirs))
        reports, worst = audit_all(list(targets), revision, offline, endpoint, token, timeout, not no_lineage,
                                   rules)
        if reports:
            write_output(table(reports, markdown=fmt == "markdown"), output)
        if worst:
            sys.exit(worst)


def main() -> None:
    """Console entry point."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("auditor: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        click.echo(f"auditor: error: {redact(exc.format_message())}", err=True)
        sys.exit(EXIT_USAGE)
    except SystemExit:
        raise
    except AuditorError as exc:
        fail(exc)
        sys.exit(exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, no traceback
        click.echo(f"auditor: internal error: {redact(type(exc).__name__ + ': ' + str(exc))}", err=True)
        if STATE.verbose:
            import traceback

            click.echo(redact(traceback.format_exc()), err=True)
        sys.exit(EXIT_HUB if "timeout" in str(exc).lower() else 4)
