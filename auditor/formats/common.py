"""Small helpers the export formats share: where a file is, which licence is declared, severities.

Nothing here decides a verdict; it only reads the Report.
"""

from __future__ import annotations

import os
import posixpath
from urllib.parse import quote

from auditor.report.model import Evidence, LicenseInfo, Report, Restriction

HUB_URL = "https://huggingface.co"
LINK_PREFIX = "license_link:"  # TextFile path of a licence text fetched from a card's license_link

# report severity -> SARIF level / GitHub annotation command
SARIF_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}


def expression(lic: LicenseInfo | None) -> str | None:
    """The licence as the report names it: its SPDX expression when known, else its Hub id."""
    if lic is None:
        return None
    return lic.spdx or lic.id


def declared(report: Report) -> LicenseInfo | None:
    """The licence the card's metadata declares (a LicenseInfo with a `metadata` source), if any."""
    for lic in [*([report.license] if report.license else []), *report.licenses]:
        if any(s.kind == "metadata" for s in lic.sources):
            return lic
    return None


def licence_line(report: Report) -> tuple[str | None, int | None]:
    """The file and line where the licence is stated: the concluded licence's first located source, else
    the card's ``license:`` line (metadata source), else any located licence source."""
    candidates = [report.license, declared(report), *report.licenses]
    for lic in candidates:
        for src in lic.sources if lic else ():
            if src.path and not src.path.startswith(LINK_PREFIX):
                return src.path, src.line
    return None, None


def model_url(report: Report) -> str | None:
    s = report.subject
    if s.source == "local":
        return None
    prefix = "datasets/" if s.repo_type == "dataset" else ""
    return f"{HUB_URL}/{prefix}{s.id}"


def licence_url(lic: LicenseInfo, report: Report) -> str | None:
    """Where the licence's terms can be read: the report's URL for it, else the model's Hub page."""
    if lic.url:
        return lic.url
    for src in lic.sources:
        if src.path and src.path.startswith(LINK_PREFIX):
            return src.path[len(LINK_PREFIX) :]
    return model_url(report)


def repo_path(report: Report, path: str | None) -> str | None:
    """For a local-folder audit: the path relative to the current folder (the repository root in CI)."""
    if not path or path.startswith(LINK_PREFIX) or report.subject.source != "local":
        return None
    full = os.path.normpath(os.path.join(report.subject.id, path))
    rel = os.path.relpath(os.path.abspath(full), os.getcwd())
    if rel.startswith(".."):
        return None
    return rel.replace(os.sep, "/")


def file_uri(report: Report, path: str) -> str:
    """A URI for a report path: repo-relative for a local folder, a Hub URL otherwise, the URL for a link."""
    if path.startswith(LINK_PREFIX):
        return path[len(LINK_PREFIX) :]
    rel = repo_path(report, path)
    if rel is not None:
        return quote(rel)
    s = report.subject
    if s.source == "local":
        return "file://" + quote(
            posixpath.normpath(os.path.abspath(os.path.join(s.id, path)).replace(os.sep, "/"))
        )
    prefix = "datasets/" if s.repo_type == "dataset" else ""
    return f"{HUB_URL}/{prefix}{s.id}/blob/{quote(s.revision or 'main', safe='')}/{quote(path)}"


def clause_place(x: Restriction) -> str:
    """Where a restriction's clause is: ``LICENSE:31``, prefixed by the ancestor repo when inherited."""
    place = (f"{x.path}:{x.line}" if x.line else x.path) if x.path else f"knowledge base ({x.license})"
    return f"{x.inherited_from} {place}" if x.inherited_from and x.path else place


def own_file(x: Restriction) -> tuple[str | None, int | None]:
    """The clause's path and line in the audited repo; (None, None) when the file belongs to an ancestor."""
    return (None, None) if x.inherited_from else (x.path, x.line)


def evidence_file(report: Report, ev: Evidence) -> tuple[str | None, int | None]:
    """The evidence's path and line in the audited repo, or (None, None) when it quotes an ancestor's file
    (source ``ancestor:<id>``, or the place of an inherited restriction and of no own one)."""
    if not ev.path or (ev.source or "").startswith("ancestor:"):
        return None, None
    own = {(x.path, x.line) for x in report.restrictions if not x.inherited_from}
    inherited = {(x.path, x.line) for x in report.restrictions if x.inherited_from}
    if (ev.path, ev.line) in inherited and (ev.path, ev.line) not in own:
        return None, None
    return ev.path, ev.line


def evidence_place(report: Report, ev: Evidence) -> str:
    """``path:line`` of an evidence, prefixed by the ancestor repo when it quotes an inherited clause."""
    place = (f"{ev.path}:{ev.line}" if ev.line else ev.path) or ""
    if ev.path and evidence_file(report, ev) == (None, None):
        source = ev.source or ""
        owner = (
            source[len("ancestor:") :]
            if source.startswith("ancestor:")
            else next(
                (
                    x.inherited_from
                    for x in report.restrictions
                    if x.inherited_from and (x.path, x.line) == (ev.path, ev.line)
                ),
                None,
            )
        )
        if owner:
            return f"{owner} {place}"
    return place


def ancestor_uri(x: Restriction) -> str | None:
    """A Hub URL for an inherited clause's file and line."""
    if not (x.inherited_from and x.path):
        return None
    anchor = f"#L{x.line}" if x.line else ""
    return f"{HUB_URL}/{x.inherited_from}/blob/main/{quote(x.path)}{anchor}"


def worst_grade(reports: list[Report]) -> str | None:
    letters = [r.grade.letter for r in reports if r.grade and r.grade.letter]
    return max(letters) if letters else None
