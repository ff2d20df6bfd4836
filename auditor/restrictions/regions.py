"""What to scan: licence-like files, the card's licence section and the gating prompt, each with the
licence it belongs to."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from auditor.collect.base import is_license_file
from auditor.facts import LicenseOutcome
from auditor.snapshot import Snapshot

_POLICY = re.compile(r"(use[_ -]?policy|acceptable[_ -]?use|prohibited[_ -]?use|\baup\b)", re.IGNORECASE)
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_LICENSE_HEADING = re.compile(r"\blicen[cs](e|es|ing)\b|\bterms of use\b|\buse polic", re.IGNORECASE)
_FENCE = re.compile(r"^[ \t]*(```|~~~)")


@dataclass
class Region:
    """A piece of text to scan: a whole file, the card's licence section or the gating prompt."""

    path: str
    text: str
    first_line: int = 1  # line of the region's first line in ``path``
    license: str | None = None
    spans: tuple[tuple[int, int, str], ...] = ()  # (start, end, licence id) of texts inside the region
    covers: tuple[str, ...] = ()  # every licence or policy id the licence stage found in the text
    is_license_text: bool = False  # a licence or policy file (not the card)
    identified: bool = False  # the licence stage identified this file


def is_policy_path(path: str) -> bool:
    return bool(_POLICY.search(posixpath.basename(path)))


def is_scanned_file(path: str) -> bool:
    # "license_link:<url>": a licence text fetched from the card's off-Hub license_link (auditor/fetch.py)
    linked = path.startswith("license_link:")
    return path != "README.md" and (is_license_file(path) or is_policy_path(path) or linked)


def concluded_id(licenses: LicenseOutcome) -> str | None:
    return licenses.license.id if licenses.license is not None else None


def _spans(ident: Any) -> tuple[tuple[int, int, str], ...]:
    """(start, end, id) spans of an Identification, tolerant of missing or odd values."""
    out: list[tuple[int, int, str]] = []
    for span in getattr(ident, "spans", None) or ():
        if isinstance(span, (tuple, list)) and len(span) == 3:
            sid, start, end = span
            if isinstance(sid, str) and isinstance(start, int) and isinstance(end, int):
                out.append((start, end, sid))
    return tuple(out)


def _covers(ident: Any) -> tuple[str, ...]:
    ids = [getattr(ident, "id", None), *(getattr(ident, "parts", None) or ())]
    return tuple(dict.fromkeys(i for i in ids if isinstance(i, str) and i))


def collect(snapshot: Snapshot, licenses: LicenseOutcome, is_policy: Callable[[str], bool] | None = None,
            ) -> list[Region]:
    """The regions to scan. ``is_policy(id)`` tells whether a KB id is a use policy: a policy file found
    to hold one is attributed to that policy rather than to the licence that names it."""
    regions: list[Region] = []
    concluded = concluded_id(licenses)
    for path, tf in sorted(snapshot.texts.items()):
        if not tf.readable or tf.text is None or not is_scanned_file(path):
            continue
        ident = licenses.identifications.get(path)
        lid = getattr(ident, "id", None) if ident is not None else None
        covers = _covers(ident)
        if is_policy is not None and is_policy_path(path):
            lid = next((c for c in covers if is_policy(c)), lid)
        regions.append(Region(
            path=path, text=tf.text, license=lid or concluded, spans=_spans(ident), covers=covers,
            is_license_text=True, identified=bool(lid),
        ))
    section = card_license_section(snapshot.card_body)
    if section is not None:
        offset, text = section
        regions.append(Region("README.md", text, snapshot.card_body_line + offset, concluded))
    prompt = gating_prompt(snapshot)
    if prompt is not None:
        line, text = prompt
        regions.append(Region("README.md", text, line, concluded))
    return regions


def card_license_section(body: str) -> tuple[int, str] | None:
    """The card's "License"/"Licence" heading section: (0-based line offset in the body, text)."""
    lines = body.split("\n")
    start = level = None
    fenced = False
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        m = None if fenced else _HEADING.match(line)
        if m is None:
            continue
        if start is None:
            if _LICENSE_HEADING.search(m.group(2)):
                start, level = i, len(m.group(1))
        elif level is not None and len(m.group(1)) <= level:
            return start, "\n".join(lines[start:i])
    if start is None:
        return None
    return start, "\n".join(lines[start:])


def gating_prompt(snapshot: Snapshot) -> tuple[int, str] | None:
    """The ``extra_gated_prompt`` text and the README line where its text starts."""
    text = snapshot.metadata.get("extra_gated_prompt")
    if not isinstance(text, str) or not text.strip():
        return None
    line = snapshot.metadata_lines.get("extra_gated_prompt") or 1
    readme = snapshot.text("README.md")
    if readme is not None:
        lines = readme.split("\n")
        if 0 < line <= len(lines) and re.search(r":\s*[|>][-+0-9]*\s*$", lines[line - 1]):
            line += 1  # a block scalar starts on the next line
    return line, text


def ids_of(regions: Iterable[Region]) -> set[str]:
    """Every licence id a licence or policy file of these regions was found to hold."""
    return {lid for r in regions if r.is_license_text for lid in (r.license, *r.covers) if lid}
